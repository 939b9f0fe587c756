/** Marks mocha's lines in the extension host, so the code-server launcher can pick them out of the workbench console. */
export const OUTPUT_MARK = '[rust-readiness-suite]';

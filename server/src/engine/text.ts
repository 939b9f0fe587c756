// Reading the source text at node offsets: cheaper than asking wasm for a node's text.

const WORD = /[\w$\u0080-\uffff]+/y;

/**
 * The word (identifier, keyword) starting at `offset` in the text. A node's
 * startIndex is free, while its text costs a call into wasm for its end.
 */
export function wordAt(text: string, offset: number): string {
  WORD.lastIndex = offset;
  return WORD.exec(text)?.[0] ?? '';
}

/** An identifier (as `wordAt` reads them, not starting with a digit), for regex sources. */
export const IDENTIFIER = String.raw`[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*`;

import { defineRule } from '../rule';

// An asm keyword in a macro body, as a statement: `__asm__ __volatile__ (` or MSVC `__asm {`.
// Requiring the parenthesis or brace keeps the word `asm` in text or names out.
// Macro bodies are found from the words in the text (`asm` is rare), not by
// capturing every #define body of the file and reading its text through wasm.
const ASM_WORDS = ['asm', '__asm', '__asm__'];
const ASM_AT = /(?:__asm__|__asm|asm)(?:\s+(?:volatile|__volatile__|__volatile|goto|inline))*\s*[({]/y;

export default defineRule({
  meta: {
    id: 'inline-asm',
    title: 'Inline assembly',
    description: 'asm / __asm__ / __asm statements',
    concept: 'core::arch::asm! in unsafe',
    category: 'control-flow',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 4,
    fixable: false,
  },
  // Only asm in statement position: an asm label on a declaration (`int x asm("y")`,
  // `register long r8 __asm__("r8")`) renames a symbol, it runs no assembly.
  // MSVC `__asm { … }` does not parse; its keyword is left as a token in an ERROR.
  // The statement is captured as the parent of the asm expression: a pattern with
  // expression_statement first would start a query state at every statement.
  query: `
    (_ (gnu_asm_expression) @asm) @statement
    (ERROR ["__asm" "__asm__"] @msvc)
  `,
  scan: ASM_WORDS,
  create(ctx) {
    const message = (what: string) =>
      `${what}: Rust has inline assembly only as core::arch::asm! inside unsafe; prefer a compiler intrinsic (std::arch in Rust) or a portable builtin`;
    return {
      match({ asm, statement, msvc }) {
        if (asm) {
          if (statement.type !== 'expression_statement') return;
          const scope = asm.parent?.parent?.type;
          const fileScope = scope === 'translation_unit' || scope === 'declaration_list';
          ctx.report({
            node: asm,
            message: fileScope
              ? 'file-scope assembly: in Rust this is core::arch::global_asm!, or an assembly file linked in; keep it out of the code being ported'
              : message('inline assembly'),
          });
        } else if (msvc) {
          ctx.report({ node: msvc, message: message('inline assembly (MSVC __asm block)') });
        }
      },
      finish() {
        const reported = new Set<number>(); // one finding per macro body
        for (const at of ctx.offsetsOf(ASM_WORDS)) {
          ASM_AT.lastIndex = at;
          const m = ASM_AT.exec(ctx.text);
          const body = m && ctx.nodeAt(at, at + 1);
          if (!m || body?.type !== 'preproc_arg' || reported.has(body.startIndex)) continue;
          reported.add(body.startIndex);
          ctx.report({ node: body, range: { start: at, end: at + m[0].replace(/\s*[({]$/, '').length }, message: message('inline assembly in a macro body') });
        }
      },
    };
  },
});

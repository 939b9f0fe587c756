import { defineRule } from '../rule';

// An asm keyword in a macro body, as a statement: `__asm__ __volatile__ (` or MSVC `__asm {`.
// Requiring the parenthesis or brace keeps the word `asm` in text or names out.
const ASM_IN_MACRO = /(?<![\w$])(?:__asm__|__asm|asm)(?:\s+(?:volatile|__volatile__|__volatile|goto|inline))*\s*[({]/;

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
  query: `
    (expression_statement (gnu_asm_expression) @asm)
    (ERROR ["__asm" "__asm__"] @msvc)
    (preproc_function_def value: (preproc_arg) @macroBody)
    (preproc_def value: (preproc_arg) @macroBody)
  `,
  create(ctx) {
    const message = (what: string) =>
      `${what}: Rust has inline assembly only as core::arch::asm! inside unsafe; prefer a compiler intrinsic (std::arch in Rust) or a portable builtin`;
    return {
      match({ asm, msvc, macroBody }) {
        if (asm) {
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
        } else if (macroBody) {
          const m = ASM_IN_MACRO.exec(macroBody.text);
          if (!m) return;
          const start = macroBody.startIndex + m.index;
          ctx.report({ node: macroBody, range: { start, end: start + m[0].replace(/\s*[({]$/, '').length }, message: message('inline assembly in a macro body') });
        }
      },
    };
  },
});

import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../rule';

// `0` counts as a null pointer only where the file shows a pointer on the other
// side: a pointer declarator, or an identifier the symbol table knows as a pointer.
const ZERO = '(#eq? @zero "0")';

export default defineRule({
  meta: {
    id: 'null-macro',
    title: 'NULL or 0 as a null pointer',
    description: '`NULL`, `__null` or a literal `0` used as a pointer in C++',
    concept: 'Option::None',
    category: 'nullability',
    severity: 'warning',
    languages: ['cpp'],
    weight: 1,
    fixable: true,
  },
  query: `
    (null) @null
    ((identifier) @null (#eq? @null "__null"))
    (init_declarator declarator: (pointer_declarator) value: (number_literal) @zero ${ZERO})
    (optional_parameter_declaration declarator: (pointer_declarator) default_value: (number_literal) @zero ${ZERO})
    (assignment_expression left: (identifier) @ptr operator: "=" right: (number_literal) @zero ${ZERO})
    (binary_expression left: (identifier) @ptr operator: ["==" "!="] right: (number_literal) @zero ${ZERO})
    (binary_expression left: (number_literal) @zero ${ZERO} operator: ["==" "!="] right: (identifier) @ptr)
    (return_statement (number_literal) @zero ${ZERO}) @return
  `,
  create(ctx) {
    return {
      match({ null: nul, zero, ptr, return: ret }) {
        const node = nul ?? zero;
        if (nul && nul.text === 'nullptr') return;
        if (ptr && ctx.symbols.lookup(ptr.text, ptr.startIndex)?.kind !== 'pointer') return;
        if (ret && !returnsPointer(ret)) return;
        report(ctx, node);
      },
    };
  },
});

function report(ctx: RuleContext, node: Node): void {
  const what = node.type === 'number_literal' ? '0 used as a null pointer' : `${node.text} as a null pointer`;
  ctx.report({
    node,
    message: `${what}: in Rust absence is Option::None and references are never null; use nullptr`,
    fix: { title: `Replace ${node.text} with nullptr`, edits: [{ start: node.startIndex, end: node.endIndex, newText: 'nullptr' }] },
  });
}

/** Whether the function around a return statement is declared to return a pointer. */
function returnsPointer(ret: Node): boolean {
  for (let n = ret.parent; n; n = n.parent) {
    if (n.type === 'lambda_expression') return false;
    if (n.type === 'function_definition') {
      const declarator = n.childForFieldName('declarator');
      return declarator?.type === 'pointer_declarator';
    }
  }
  return false;
}

import type { Node } from 'web-tree-sitter';
import { defineRule } from '../rule';
import { Declarations, resolvesToPointer, wordAt, type NameAt } from './util';

// Only identifiers the file declares as pointers: array indexing, smart
// pointers, std::span/string/containers and call results are not this rule.
export default defineRule({
  meta: {
    id: 'pointer-arithmetic',
    title: 'Pointer arithmetic',
    description: '`p + n`, `p - n`, `p++`, `--p`, `p += n` and `p[i]` on a name declared as a pointer',
    concept: 'slices and iterators',
    category: 'bounds',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 4,
    fixable: false,
  },
  // The other operand is read from the tree only for names that are pointers
  // (15k matches in sqlite3.c). The expression is captured: `.parent` walks down
  // from the root in wasm, dearer than a capture on a big file. Where the name
  // is the expression's first child (@first, @binaryFirst), it starts where the
  // expression does: its node is asked for only when needed, a capture less per
  // match. Capture names say which expressions are binary (no `.type` call).
  query: `
    (binary_expression left: (identifier) operator: ["+" "-"]) @binaryFirst
    (binary_expression operator: "+" right: (identifier) @ptr) @binary
    (update_expression argument: (identifier) @ptr) @expr
    (assignment_expression left: (identifier) operator: ["+=" "-="]) @first
    (subscript_expression argument: (identifier)) @first
  `,
  create(ctx) {
    const declarations = new Declarations(ctx.text);
    // The name read from the text: `id.text` asks wasm for the node's end, and most names here are no pointer.
    const isPointer = (id: Node | NameAt) => ctx.symbols.has(wordAt(ctx.text, id.startIndex)) && resolvesToPointer(id, ctx, declarations);
    return {
      match({ ptr, expr, binary, first, binaryFirst }) {
        const leading = first ?? binaryFirst;
        const e = expr ?? binary ?? leading;
        const name: Node | NameAt = ptr ?? { startIndex: leading.startIndex, node: () => leading.firstNamedChild ?? leading };
        if (!isPointer(name)) return;
        // p - q between two pointers is a distance, not a step out of bounds.
        const other = binary || binaryFirst ? otherOperand(e, name.startIndex) : null;
        if (other?.type === 'identifier' && isPointer(other)) return;
        ctx.report({
          node: e,
          message: `pointer arithmetic on ${wordAt(ctx.text, name.startIndex)}: in Rust bounds travel with the data (slices, iterators); use std::span or an index into a container`,
        });
      },
    };
  },
});

function otherOperand(expr: Node, operandStart: number): Node | null {
  const left = expr.childForFieldName('left');
  return left?.startIndex === operandStart ? expr.childForFieldName('right') : left;
}

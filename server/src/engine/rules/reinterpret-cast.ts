import { wordAt } from '../text';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'reinterpret-cast',
    title: 'reinterpret_cast',
    description: 'every reinterpret_cast',
    concept: 'transmute / bytemuck',
    category: 'types',
    severity: 'warning',
    languages: ['cpp'],
    weight: 3,
    fixable: false,
  },
  // One capture: every static_cast and other template call is a candidate; the
  // name is read from the text (an #eq? predicate asked wasm for each one's text).
  query: '(call_expression function: (template_function name: (identifier) @name))',
  create(ctx) {
    return {
      match({ name }) {
        if (wordAt(ctx.text, name.startIndex) !== 'reinterpret_cast') return;
        const type = name.nextNamedSibling;
        const cast = name.parent?.parent;
        if (!type || !cast) return;
        const target = type.text.slice(1, -1).replace(/\s+/g, ' ').trim();
        ctx.report({
          node: cast,
          message: `reinterpret_cast to ${target}: in Rust reinterpreting memory is transmute inside unsafe, or a checked bytemuck cast; use std::bit_cast, memcpy into a value, or a typed conversion`,
        });
      },
    };
  },
});

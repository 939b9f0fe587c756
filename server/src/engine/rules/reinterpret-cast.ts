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
  // Found from the keyword in the text: a pattern matched every template call
  // (static_cast<T>, make_unique<T>) to keep these.
  words: ['reinterpret_cast'],
  create(ctx) {
    return {
      match({ word: name, wordParent: fn }) {
        if (name.type !== 'identifier' || fn?.type !== 'template_function') return;
        const type = name.nextNamedSibling;
        const cast = fn.parent;
        if (!type || cast?.type !== 'call_expression' || !cast.childForFieldName('function')?.equals(fn)) return;
        const target = type.text.slice(1, -1).replace(/\s+/g, ' ').trim();
        ctx.report({
          node: cast,
          message: `reinterpret_cast to ${target}: in Rust reinterpreting memory is transmute inside unsafe, or a checked bytemuck cast; use std::bit_cast, memcpy into a value, or a typed conversion`,
        });
      },
    };
  },
});

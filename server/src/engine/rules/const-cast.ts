import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'const-cast',
    title: 'const_cast',
    description: 'every `const_cast`',
    concept: 'Cell / RefCell or a better API',
    category: 'borrowing',
    severity: 'warning',
    languages: ['cpp'],
    weight: 3,
    fixable: false,
  },
  // Found from the keyword in the text: a pattern matched every template call
  // (static_cast<T>, make_unique<T>) to keep these.
  words: ['const_cast'],
  create(ctx) {
    return {
      match({ word: name, wordParent: fn }) {
        if (name.type !== 'identifier' || fn?.type !== 'template_function') return;
        const cast = fn.parent;
        if (cast?.type !== 'call_expression') return;
        // An argument that does not parse (a macro) leaves the cast itself certain: report on `const_cast<T>`.
        ctx.report({
          node: cast.hasError ? fn : cast,
          message: 'const_cast: in Rust a shared borrow (&T) never becomes &mut T; mutation behind it needs Cell / RefCell. Fix the constness of the API, or make the member `mutable`',
        });
      },
    };
  },
});

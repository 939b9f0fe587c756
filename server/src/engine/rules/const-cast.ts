import { wordAt } from '../text';
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
  // One capture: every template call (static_cast<T>, make_unique<T>) is a candidate; the name
  // is read from the text (an #eq? predicate asked wasm for each candidate's text).
  query: `(template_function name: (identifier) @name)`,
  create(ctx) {
    return {
      match({ name }) {
        if (wordAt(ctx.text, name.startIndex) !== 'const_cast') return;
        const fn = name.parent;
        const cast = fn?.parent;
        if (!fn || cast?.type !== 'call_expression') return;
        // An argument that does not parse (a macro) leaves the cast itself certain: report on `const_cast<T>`.
        ctx.report({
          node: cast.hasError ? fn : cast,
          message: 'const_cast: in Rust a shared borrow (&T) never becomes &mut T; mutation behind it needs Cell / RefCell. Fix the constness of the API, or make the member `mutable`',
        });
      },
    };
  },
});

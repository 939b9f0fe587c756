import { defineRule } from '../rule';
import { wordAt } from '../text';

export default defineRule({
  meta: {
    id: 'exceptions',
    title: 'throw expression',
    description: 'throw expressions, including a bare rethrow',
    concept: 'Result<T, E>',
    category: 'control-flow',
    severity: 'hint',
    languages: ['cpp'],
    weight: 1,
    fixable: false,
  },
  // tree-sitter-cpp parses `throw` only as a statement; in a conditional
  // (`p ? *p : throw E()`) it misparses and leaves the keyword as an identifier,
  // which nothing else may be named, so that keyword is reported.
  query: `
    (throw_statement) @throw
    (conditional_expression
      [(identifier) @keyword
       (ERROR (identifier) @keyword)
       (call_expression function: (qualified_identifier scope: (namespace_identifier) @keyword))])
  `,
  create(ctx) {
    return {
      match({ throw: stmt, keyword }) {
        // (The keyword is read from the text: an #eq? predicate asked wasm for every candidate's text.)
        if (keyword && wordAt(ctx.text, keyword.startIndex) !== 'throw') return;
        const rethrow = !!stmt && stmt.namedChildCount === 0;
        ctx.report({
          node: stmt ?? keyword,
          message: rethrow
            ? 'rethrow: Rust has no exceptions; an error travels up as Result<T, E> with ?, and the cleanup in this handler belongs in a destructor (Drop)'
            : 'throw: Rust has no exceptions; return Result<T, E> and let callers propagate it with ? (std::expected or an error code in C++)',
        });
      },
    };
  },
});

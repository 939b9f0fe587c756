import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'goto',
    title: 'goto statement',
    description: 'every goto statement',
    concept: 'structured control flow + Drop',
    category: 'control-flow',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 3,
    fixable: false,
  },
  // GNU computed goto (`goto *table[i];`) is not in the grammar: it parses as
  // an ERROR holding the `goto` keyword, followed by the expression.
  query: '(goto_statement) @goto (ERROR "goto" @goto)',
  create(ctx) {
    return {
      match({ goto: node }) {
        ctx.report({ node, message: 'goto: Rust has no goto; cleanup paths become Drop and early returns (RAII in C++), loops use labeled break' });
      },
    };
  },
});

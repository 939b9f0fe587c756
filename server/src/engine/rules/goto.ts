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
  query: '(goto_statement) @goto',
  create(ctx) {
    return {
      match({ goto: node }) {
        ctx.report({ node, message: 'goto: Rust has no goto; cleanup paths become Drop and early returns (RAII in C++), loops use labeled break' });
      },
    };
  },
});

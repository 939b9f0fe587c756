import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'raw-delete',
    title: 'Manual delete',
    description: 'every `delete` / `delete[]` expression',
    concept: 'Drop',
    category: 'ownership',
    severity: 'warning',
    languages: ['cpp'],
    weight: 4,
    fixable: false,
  },
  query: '(delete_expression) @delete',
  create(ctx) {
    return {
      match({ delete: node }) {
        ctx.report({ node, message: 'manual delete: in Rust, Drop frees the owner when it goes out of scope; let a std::unique_ptr or container own it' });
      },
    };
  },
});

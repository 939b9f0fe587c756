import { defineRule } from '../rule';
import { isHandedToSmartPointer, isPlacementNew } from './util';
import { makeUniqueFix } from '../fixes/owning-local';

export default defineRule({
  meta: {
    id: 'raw-new',
    title: 'Raw owning pointer from new',
    description: 'a non-array `new` whose result is not handed straight to a smart pointer',
    concept: 'Box<T>',
    category: 'ownership',
    severity: 'warning',
    languages: ['cpp'],
    weight: 5,
    fixable: true,
  },
  query: '(new_expression) @new',
  create(ctx) {
    return {
      match({ new: node }) {
        if (isPlacementNew(node)) return; // placement new constructs, it does not own
        if (node.childForFieldName('declarator')?.type === 'new_declarator') return; // new T[n]: new-array
        if (isHandedToSmartPointer(node, ctx.text)) return;
        ctx.report({
          node,
          message: 'raw owning pointer from new: in Rust this is Box<T>; use std::make_unique',
          fix: () => makeUniqueFix(node, ctx, 'object'),
        });
      },
    };
  },
});

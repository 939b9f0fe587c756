import { defineRule } from '../rule';
import { isHandedToSmartPointer, isPlacementNew } from './util';
import { makeUniqueFix } from '../fixes/owning-local';

export default defineRule({
  meta: {
    id: 'new-array',
    title: 'Array allocated with new[]',
    description: '`new T[n]` not handed straight to a smart pointer',
    concept: 'Vec<T> / Box<[T]>',
    category: 'ownership',
    severity: 'warning',
    languages: ['cpp'],
    weight: 5,
    fixable: true,
  },
  query: '(new_expression declarator: (new_declarator)) @new',
  create(ctx) {
    return {
      match({ new: node }) {
        if (isPlacementNew(node)) return;
        if (isHandedToSmartPointer(node, ctx.text)) return;
        ctx.report({
          node,
          message: 'array from new[]: in Rust this is Vec<T> (or Box<[T]>); use std::vector',
          fix: () => makeUniqueFix(node, ctx, 'array'),
        });
      },
    };
  },
});

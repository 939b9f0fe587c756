import { defineRule } from '../rule';

// Definitions only: `union U u;` and `union U;` use or declare the type, they
// have no body.
export default defineRule({
  meta: {
    id: 'union',
    title: 'union definition',
    description: 'every union definition, named or anonymous',
    concept: 'enum',
    category: 'types',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 3,
    fixable: false,
  },
  query: '(union_specifier body: (field_declaration_list)) @union',
  create(ctx) {
    const instead = ctx.lang === 'cpp' ? 'use std::variant, or a tag kept next to the union' : 'keep a tag next to it that says which member is live';
    return {
      match({ union }) {
        const name = union.childForFieldName('name');
        const head = name ?? union.firstChild ?? union;
        const what = name ? `union ${name.text}` : 'anonymous union';
        ctx.report({
          node: union,
          range: { start: union.startIndex, end: head.endIndex },
          message: `${what}: in Rust a value with alternative shapes is an enum, whose tag says which variant is live; ${instead}`,
        });
      },
    };
  },
});

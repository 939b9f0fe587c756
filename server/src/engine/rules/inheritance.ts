import { defineRule } from '../rule';

// A base clause with a comma has two or more bases; `virtual` marks a virtual base.
// (Commas inside template arguments belong to nested nodes, not to the clause.)
const patterns = ['class_specifier', 'struct_specifier'].flatMap((kind) => [
  `(${kind} name: (_) @name (base_class_clause ",") @bases) @class`,
  `(${kind} name: (_) @name (base_class_clause "virtual") @bases) @class`,
]);

export default defineRule({
  meta: {
    id: 'inheritance',
    title: 'Multiple or virtual inheritance',
    description: 'a class with more than one base class, or a virtual base',
    concept: 'traits and composition',
    category: 'types',
    severity: 'hint',
    languages: ['cpp'],
    weight: 1,
    fixable: false,
  },
  query: patterns.join('\n'),
  create(ctx) {
    return {
      match({ class: cls, name, bases }) {
        let count = 0;
        let virtualBase = false;
        for (const child of bases.children) {
          if (child.type === 'virtual') virtualBase = true;
          else if (child.isNamed && child.type !== 'access_specifier' && child.type !== 'comment') count++;
        }
        const what = count > 1 ? `multiple inheritance (${count} bases${virtualBase ? ', one virtual' : ''})` : 'virtual inheritance';
        // Reported on the class head; the base clause is the node checked for parse
        // errors, so an error elsewhere in a long class body does not hide the finding.
        ctx.report({
          node: bases,
          range: { start: cls.startIndex, end: name.endIndex },
          message: `${what}: Rust has no inheritance of data; shared behaviour becomes traits a type implements, and shared state becomes a field (composition)`,
        });
      },
    };
  },
});

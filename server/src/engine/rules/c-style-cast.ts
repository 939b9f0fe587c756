import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../rule';
import { isArithmeticType } from './util';

export default defineRule({
  meta: {
    id: 'c-style-cast',
    title: 'C-style cast',
    description: '`(T)expr` in C++; `(void)expr` is not flagged',
    concept: '`as` / From',
    category: 'types',
    severity: 'warning',
    languages: ['cpp'],
    weight: 2,
    fixable: true,
  },
  query: '(cast_expression type: (type_descriptor) @type value: (_) @value) @cast',
  create(ctx) {
    let enums: Set<string> | undefined;
    const isEnum = (name: string) => (enums ??= enumNames(ctx.text)).has(name);
    return {
      match({ cast, type, value }) {
        const typeText = type.text.replace(/\s+/g, ' ').trim();
        if (typeText === 'void') return; // (void)x discards a value on purpose
        const safe = isArithmeticType(typeText) || isEnum(typeText.replace(/^(const|enum|volatile)\s+/g, ''));
        ctx.report({
          node: cast,
          message: `C-style cast to ${typeText}: in Rust conversions are explicit and checked (\`as\`, From/TryFrom); use static_cast or a named cast`,
          fix: safe ? staticCastFix(cast, typeText, value, ctx) : undefined,
        });
      },
    };
  },
});

function staticCastFix(cast: Node, typeText: string, value: Node, ctx: RuleContext) {
  // static_cast<T>(e) always parenthesises e, so precedence cannot change;
  // drop a redundant pair of parentheses the cast already had.
  let inner = ctx.text.slice(value.startIndex, value.endIndex);
  if (value.type === 'parenthesized_expression') inner = inner.slice(1, -1);
  return {
    title: `Replace with static_cast<${typeText}>`,
    edits: [{ start: cast.startIndex, end: cast.endIndex, newText: `static_cast<${typeText}>(${inner})` }],
  };
}

function enumNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/\benum\s+(?:class\s+|struct\s+)?(\w+)/g)) names.add(m[1]);
  for (const m of text.matchAll(/\btypedef\s+enum\b[^;]*?\}\s*(\w+)\s*;/g)) names.add(m[1]);
  return names;
}

import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../rule';
import { Declarations, TYPE_KEYWORDS, declarationOf, insideError, isArithmeticType, isPlainDeclarator, typeDeclarationMatches } from './util';

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
  // `(Name)(x)` parses as a call through a parenthesized name; it is a cast
  // when the file declares Name as a type.
  query: `(cast_expression type: (type_descriptor) @type value: (_) @value) @cast
    (call_expression function: (parenthesized_expression (identifier) @type) arguments: (argument_list . (_) @value .)) @cast`,
  scan: TYPE_KEYWORDS,
  create(ctx) {
    let types: FileTypes | undefined;
    const fileTypes = () => (types ??= scanTypes(ctx));
    return {
      match({ cast, type, value }) {
        const typeText = normalize(type.text);
        if (typeText === 'void') return; // (void)x discards a value on purpose
        if (type.type === 'identifier' && !fileTypes().names.has(typeText)) return; // (fp)(x): a call
        ctx.report({
          node: cast,
          message: `C-style cast to ${typeText}: in Rust conversions are explicit and checked (\`as\`, From/TryFrom); use static_cast or a named cast`,
          fix: () => (safeForStaticCast(typeText, value, ctx, fileTypes()) && !insideError(cast) ? staticCastFix(cast, typeText, value, ctx) : undefined),
        });
      },
    };
  },
});

function normalize(t: string): string {
  return t.replace(/\s+/g, ' ').trim();
}

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

/**
 * A C-style cast to an arithmetic or enum type is a static_cast unless its
 * operand is a pointer: then it is a reinterpret_cast, and static_cast does not
 * compile. Only an integer as wide as a pointer can hold one (`(int)p` and
 * `(double)p` do not compile at all), so for those targets the operand must be
 * visibly not a pointer; for the others any operand that compiled is fine.
 */
function safeForStaticCast(typeText: string, value: Node, ctx: RuleContext, types: FileTypes): boolean {
  const bare = typeText.replace(/^(?:const |volatile |enum )+/, '');
  if (types.enums.has(bare)) return true;
  const resolved = types.aliases.get(bare) ?? typeText;
  if (!isArithmeticType(resolved)) return false;
  return !isPointerWide(resolved) || notAPointer(value, ctx, types);
}

const POINTER_WIDE = /\blong\b|(?:^|[^\w])(?:std::)?(?:size_t|ssize_t|u?intptr_t|ptrdiff_t|u?intmax_t|off_t|\w*64_t)$/;

function isPointerWide(type: string): boolean {
  return POINTER_WIDE.test(type);
}

/** Whether the file shows that `e` is not a pointer (or an array, or a function). */
function notAPointer(e: Node, ctx: RuleContext, types: FileTypes): boolean {
  switch (e.type) {
    case 'number_literal':
    case 'char_literal':
    case 'true':
    case 'false':
    case 'sizeof_expression':
    case 'alignof_expression':
      return true;
    case 'parenthesized_expression':
      return !!e.firstNamedChild && notAPointer(e.firstNamedChild, ctx, types);
    case 'unary_expression': { // -p, ~p and !p are never pointers; +p is
      const op = e.childForFieldName('operator')?.type;
      const arg = e.childForFieldName('argument');
      return op !== '+' || (!!arg && notAPointer(arg, ctx, types));
    }
    case 'binary_expression': {
      const op = e.childForFieldName('operator')?.type;
      if (op !== '+' && op !== '-') return true; // comparisons, logic, * / % << >> & | ^ never yield pointers
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      return !!left && !!right && notAPointer(left, ctx, types) && notAPointer(right, ctx, types);
    }
    case 'cast_expression': {
      const inner = normalize(e.childForFieldName('type')?.text ?? '');
      return isArithmeticType(types.aliases.get(inner) ?? inner) || types.enums.has(inner);
    }
    case 'identifier':
      return !ctx.symbols.has(e.text) && declaredAsNumber(e, types);
    default:
      return false; // calls, members, subscripts, `this`, `&x`: their type is not visible here
  }
}

/** Whether the file declares `id`, where it is used, as a plain arithmetic or enum variable. */
function declaredAsNumber(id: Node, types: FileTypes): boolean {
  const declared = types.declarations.resolve(id);
  if (!declared || !isPlainDeclarator(declared)) return false;
  const type = normalize(declarationOf(declared)?.childForFieldName('type')?.text ?? '');
  return isArithmeticType(types.aliases.get(type) ?? type) || types.enums.has(type.replace(/^enum /, ''));
}

interface FileTypes {
  declarations: Declarations;
  /** Every name the file declares as a type (class, struct, union, enum, typedef, using). */
  names: Set<string>;
  enums: Set<string>;
  /** typedef / using names for arithmetic types, with the type they stand for. */
  aliases: Map<string, string>;
}

const ARITHMETIC_WORDS = String.raw`(?:(?:const|volatile|signed|unsigned|short|long|int|char|char8_t|char16_t|char32_t|wchar_t|float|double|bool|_Bool|(?:std::)?\w+_t)\s+)*(?:const|volatile|signed|unsigned|short|long|int|char|char8_t|char16_t|char32_t|wchar_t|float|double|bool|_Bool|(?:std::)?\w+_t)`;

function scanTypes(ctx: RuleContext): FileTypes {
  const text = ctx.text;
  const [enumNames, typedefEnums, typedefAliases, usingAliases, records, typedefs, typedefRecords, usings] = typeDeclarationMatches(
    ctx, [
      /\benum\s+(?:class\s+|struct\s+)?(\w+)/,
      /\btypedef\s+enum\b[^;]*?\}\s*(\w+)\s*;/,
      new RegExp(String.raw`\btypedef\s+(${ARITHMETIC_WORDS})\s+(\w+)\s*;`),
      new RegExp(String.raw`\busing\s+(\w+)\s*=\s*(${ARITHMETIC_WORDS})\s*;`),
      /\b(?:class|struct|union)\s+(?:\[\[[^\]]*\]\]\s*)?(\w+)\s*(?:final\s*)?[{:;]/,
      /\btypedef\b[^;{}]*?(\w+)\s*(?:\[[^\]]*\]\s*)*;/,
      /\btypedef\s+(?:struct|union|enum)\b[^;]*?\}\s*\*?\s*(\w+)\s*;/,
      /\busing\s+(\w+)\s*=/,
    ]);
  const enums = new Set<string>();
  for (const m of enumNames) enums.add(m[1]);
  for (const m of typedefEnums) enums.add(m[1]);
  const aliases = new Map<string, string>();
  for (const m of typedefAliases) addAlias(aliases, m[2], m[1]);
  for (const m of usingAliases) addAlias(aliases, m[1], m[2]);
  const names = new Set<string>([...enums, ...aliases.keys()]);
  for (const m of records) names.add(m[1]);
  for (const m of typedefs) names.add(m[1]);
  for (const m of typedefRecords) names.add(m[1]);
  for (const m of usings) names.add(m[1]);
  return { declarations: new Declarations(text), names, enums, aliases };
}

function addAlias(aliases: Map<string, string>, name: string, type: string): void {
  const t = normalize(type);
  if (isArithmeticType(t)) aliases.set(name, t);
}

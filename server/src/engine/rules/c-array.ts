import type { Node } from 'web-tree-sitter';
import { defineRule, type Fix, type RuleContext } from '../rule';
import { ensureInclude } from '../fixes/includes';

// Every declarator with an array type: locals, members, globals, parameters
// (unnamed ones too: `f(int [])`), typedefs, pointers and references to arrays;
// `a[2][3]` once. Declarations inside `extern "C"` blocks are C interfaces and
// stay C arrays; main's argv cannot be a std::array. The extern "C" ranges come
// from the same query, so the check waits for finish() (match order is not
// document order).
export default defineRule({
  meta: {
    id: 'c-array',
    title: 'C-style array',
    description: 'declarations of C-style arrays (locals, members, globals, parameters)',
    concept: '[T; N] / Vec<T>',
    category: 'bounds',
    severity: 'warning',
    languages: ['cpp'],
    weight: 4,
    fixable: true,
  },
  query: `
    (array_declarator) @array
    (parameter_declaration declarator: [(abstract_array_declarator) @array (abstract_pointer_declarator declarator: (abstract_array_declarator) @array)])
    (linkage_specification value: (string_literal) @linkage) @extern
  `,
  create(ctx) {
    const arrays: Node[] = [];
    const externC: Array<[number, number]> = [];
    return {
      match({ array, extern: block, linkage }) {
        if (block) {
          if (linkage.text === '"C"') externC.push([block.startIndex, block.endIndex]);
        } else if (array.parent?.type !== 'array_declarator' && !(array.type === 'abstract_array_declarator' && isLocalPrototype(array))) {
          arrays.push(array);
        }
      },
      finish() {
        for (const array of arrays) {
          if (externC.some(([s, e]) => array.startIndex >= s && array.endIndex <= e)) continue;
          if (isArgvOfMain(array)) continue;
          const name = declaredName(array);
          ctx.report({
            node: array,
            message: `C array${name ? ` ${name}` : ''}: in Rust an array [T; N] knows its length and indexing is bounds-checked (Vec<T> when it grows); use std::array or std::vector`,
            fix: () => stdArrayFix(array, ctx),
          });
        }
      },
    };
  },
});

function declaredName(array: Node): string | undefined {
  let n: Node | null = array;
  while (n && n.childForFieldName('declarator')) n = n.childForFieldName('declarator');
  if (n?.type === 'parenthesized_declarator') return declaredName(n.namedChildren[0] ?? n);
  return n && /identifier$/.test(n.type) ? n.text : n?.namedChildren.find((c) => /identifier$/.test(c.type))?.text;
}

/**
 * `Nan::Utf8String tk(info[0]);` in a function body parses as a prototype of tk
 * with an unnamed `info []` parameter (C++'s most vexing parse, without the
 * types to resolve it). Real prototypes in a block with unnamed array parameters
 * are rare enough to give up.
 */
function isLocalPrototype(array: Node): boolean {
  let n = array.parent;
  while (n && n.type !== 'declaration' && n.type !== 'field_declaration' && n.type !== 'translation_unit') n = n.parent;
  return n?.type === 'declaration' && n.parent?.type === 'compound_statement';
}

/** `char *argv[]` (or `envp[]`) of main: the signature is fixed by the language. */
function isArgvOfMain(array: Node): boolean {
  let param = array.parent;
  while (param?.type === 'pointer_declarator' || param?.type === 'abstract_pointer_declarator') param = param.parent;
  const fn = param?.type === 'parameter_declaration' ? param.parent?.parent : undefined;
  return fn?.type === 'function_declarator' && fn.childForFieldName('declarator')?.text === 'main';
}

/**
 * `T a[N];` or `T a[N] = {…};`, a local whose every later use is `a[i]`,
 * `sizeof a` or a range-for, becomes `std::array<T, N> a{};` / `a{{…}}`.
 */
function stdArrayFix(array: Node, ctx: RuleContext): Fix | undefined {
  const ident = array.childForFieldName('declarator');
  const size = array.childForFieldName('size');
  if (ident?.type !== 'identifier' || !size || !isConstantSize(size, ctx)) return undefined; // a[2][3], a[], (*p)[N], VLAs
  const init = array.parent?.type === 'init_declarator' ? array.parent : undefined;
  const declarator = init ?? array;
  const declaration = declarator.parent;
  const block = declaration?.parent;
  // A parse error anywhere in the block could hide a use (the engine drops fixes inside ERROR regions itself).
  if (declaration?.type !== 'declaration' || block?.type !== 'compound_statement' || block.hasError) return undefined;
  const type = declaration.childForFieldName('type');
  if (!type || !plainDeclaration(declaration, type, declarator)) return undefined;
  const braces = initializer(init, ident, array, ctx.text);
  if (braces === undefined) return undefined;
  if (!onlyArrayUses(block, declaration, ident.text, ctx.text)) return undefined;
  const edits = [
    { start: type.startIndex, end: type.endIndex, newText: `std::array<${ctx.text.slice(type.startIndex, type.endIndex)}, ${ctx.text.slice(size.startIndex, size.endIndex)}>` },
    { start: declarator.startIndex, end: declarator.endIndex, newText: `${ident.text}${braces}` },
  ];
  const include = ensureInclude(ctx.text, 'array');
  if (include) edits.push(include);
  return { title: `Make ${ident.text} a std::array`, edits };
}

/** One declarator; `static`, `const` and `constexpr` are the only other words (volatile std::array has no operator[]). */
function plainDeclaration(declaration: Node, type: Node, declarator: Node): boolean {
  if (declaration.childrenForFieldName('declarator').length !== 1) return false;
  if (/[{}]/.test(type.text) || type.type === 'placeholder_type_specifier') return false; // struct {…} a[3], auto
  return declaration.namedChildren.every((c) =>
    c.equals(type) || c.equals(declarator) || c.type === 'comment'
    || (c.type === 'storage_class_specifier' && c.text === 'static')
    || (c.type === 'type_qualifier' && (c.text === 'const' || c.text === 'constexpr')));
}

/** The braces after the new name: `{}`, `{{1, 2}}` (std::array wraps one C array), or undefined when unsafe. */
function initializer(init: Node | undefined, ident: Node, array: Node, text: string): string | undefined {
  const value = init?.childForFieldName('value');
  const declaratorEnd = value ? value.startIndex : array.endIndex;
  if (/\/[/*]/.test(text.slice(ident.endIndex, declaratorEnd))) return undefined; // a comment we would drop
  if (!init) return '{}';
  if (value?.type !== 'initializer_list') return undefined; // "abc", a string literal
  const items = value.namedChildren.filter((c) => c.type !== 'comment');
  if (items.some((c) => c.type === 'initializer_pair')) return undefined; // [0] = 1
  if (items.length === 1 && /string_literal|concatenated_string|raw_string_literal/.test(items[0].type)) return undefined; // {"abc"}
  return items.length === 0 ? '{}' : `{${text.slice(value.startIndex, value.endIndex)}}`;
}

const CONSTANT_OPERANDS = new Set(['number_literal', 'char_literal', 'sizeof_expression', 'alignof_expression']);

/** A size that std::array accepts as a template argument; a VLA `int a[n]` is not. */
function isConstantSize(n: Node, ctx: RuleContext): boolean {
  const type = n.type; // (each read is a call into wasm)
  if (CONSTANT_OPERANDS.has(type)) return true;
  if (type === 'parenthesized_expression' || type === 'binary_expression') return n.namedChildren.every((c) => isConstantSize(c, ctx));
  if (type !== 'identifier') return false;
  // Per file and name: each answer reads the whole text up to five times, and a file sizes many arrays alike.
  let known = constantNames.get(ctx);
  if (!known) constantNames.set(ctx, (known = new Map()));
  const name = n.text;
  let constant = known.get(name);
  if (constant === undefined) known.set(name, (constant = isConstantName(name, ctx.text)));
  return constant;
}

const constantNames = new WeakMap<RuleContext, Map<string, boolean>>();

/**
 * Whether the file shows `name` as a compile-time constant: a numeric macro, an
 * enumerator, a constexpr, a const integer initialized with a literal, or a
 * template parameter. File-wide (a local shadowing it is not seen).
 */
function isConstantName(name: string, text: string): boolean {
  // Every definition counts: #if branches may define the name differently.
  const macros = [...text.matchAll(new RegExp(`^[ \\t]*#[ \\t]*define[ \\t]+${name}\\b(?!\\()([^\\n]*)$`, 'gm'))];
  if (macros.length > 0) {
    return macros.every((m) => {
      const body = m[1].replace(/\/\*.*?\*\/|\/\/.*$/g, '');
      return (body.match(/\w+/g) ?? []).every((w) => /^(0x[\da-f]+|\d+)[ul]*$/i.test(w)) && /\d/.test(body);
    });
  }
  return new RegExp(`\\benum\\b[^{};]*\\{[^}]*\\b${name}\\b`).test(text)
    || new RegExp(`\\bconstexpr\\b[^;{}()]*\\b${name}\\s*[={]`).test(text)
    || new RegExp(`\\bconst\\s+(?:(?:unsigned|signed|short|long|int|char|std::size_t|size_t|u?int\\d+_t)\\s+)+${name}\\s*=\\s*\\d+[ul]*\\s*[;,]`, 'i').test(text)
    || new RegExp(`\\btemplate\\s*<[^<>]*\\b(?:int|unsigned|long|short|std::size_t|size_t|auto)\\s+${name}\\b`).test(text);
}

/**
 * Every use of `name` after the declaration is `a[i]`, `sizeof a`, `sizeof(a)`
 * or the range of a range-for: what std::array supports with the same meaning.
 * Uses the tree cannot show (macro bodies, blanked #if branches) prevent the fix.
 */
function onlyArrayUses(block: Node, declaration: Node, name: string, text: string): boolean {
  // Each occurrence in the code after the declaration must be an identifier the tree shows in an
  // array use (a macro argument, a blanked branch or a parse error makes it something else). Found
  // from the text, then looked up: listing every identifier of the block cost a Node each.
  const from = declaration.endIndex;
  const code = blankCommentsAndStrings(text.slice(from, block.endIndex));
  for (const m of code.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
    if (isMemberName(code, m.index)) continue; // `s.name`, `p->name`: a field, not the array
    const at = from + m.index;
    const id = block.descendantForIndex(at, at + name.length);
    if (id?.type !== 'identifier' || id.startIndex !== at || !isArrayUse(id)) return false;
  }
  return !new RegExp(`^[ \\t]*#[ \\t]*define\\b.*\\b${name}\\b`, 'm').test(text);
}

/** Whether the word at `at` follows `.` or `->` (whitespace between). */
function isMemberName(code: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(code[i])) i--;
  return code[i] === '.' || (code[i] === '>' && code[i - 1] === '-');
}

function isArrayUse(id: Node): boolean {
  const parent = id.parent;
  switch (parent?.type) {
    case 'subscript_expression':
      return parent.childForFieldName('argument')?.equals(id) ?? false;
    case 'sizeof_expression':
      return true;
    case 'parenthesized_expression':
      return parent.parent?.type === 'sizeof_expression';
    case 'for_range_loop':
      return parent.childForFieldName('right')?.equals(id) ?? false;
    default:
      return false;
  }
}

/** Comments and string and character literals as spaces, offsets kept. */
function blankCommentsAndStrings(code: string): string {
  return code.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => m.replace(/[^\n]/g, ' '));
}

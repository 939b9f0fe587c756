import type { Node } from 'web-tree-sitter';
import { wordAt } from '../text';
import { defineRule, type Fix, type RuleContext } from '../rule';

// Tokens of a constant expression: literals, operators, parentheses, arithmetic
// type names (for casts), sizeof, and names of other constant macros of the file.
const TOKEN = /\s+|(\.?\d(?:[\w.']|[eEpP][+-])*)|((?:u8|[uUL])?'(?:\\.|[^'\\\n])+')|((?:u8|[uUL])?"(?:\\.|[^"\\\n])*")|([A-Za-z_]\w*)|(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>?:()])/y;
const TYPE_WORDS = new Set([
  'sizeof', 'true', 'false', 'char', 'short', 'int', 'long', 'signed', 'unsigned', 'float', 'double', 'bool', '_Bool',
  'size_t', 'ssize_t', 'ptrdiff_t', 'intptr_t', 'uintptr_t', 'intmax_t', 'uintmax_t',
  'int8_t', 'int16_t', 'int32_t', 'int64_t', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t',
]);
const INT_CONSTANT_MACRO = /^U?INT(?:8|16|32|64|MAX)_C$/;

// A literal constant (the fix's domain): a number, a character or a boolean, optionally signed and parenthesized.
const NUMBER = String.raw`(?:0[xX][\da-fA-F']+|0[bB][01']+|(?:\d[\d']*(?:\.[\d']*)?|\.\d[\d']*)(?:[eE][+-]?\d+)?)[uUlLfFzZ]*`;
const LITERAL = new RegExp(String.raw`^(?:\(\s*[-+]?\s*(?:${NUMBER}|'(?:\\[^']+|[^'\\])'|true|false)\s*\)|[-+]?\s*(?:${NUMBER}|'(?:\\[^']+|[^'\\])'|true|false))$`);
/** Names that can become a variable without clashing with keywords or reserved, configuration-like identifiers. */
const FIXABLE_NAME = /^[A-Z][A-Z0-9_]*$/;

interface ObjectMacro {
  def: Node;
  name: string;
  /** The body without comments and line continuations, trimmed. */
  body: string;
}

export default defineRule({
  meta: {
    id: 'macro',
    title: 'Macro instead of a constant or function',
    description: 'function-like macros and object-like macros whose body is a constant expression',
    concept: 'const / const fn / macro_rules!',
    category: 'types',
    severity: 'hint',
    languages: ['c', 'cpp'],
    weight: 1,
    fixable: true,
  },
  query: `
    (preproc_function_def value: (preproc_arg)) @fnMacro
    (preproc_def name: (identifier) @name value: (preproc_arg) @value) @objMacro
  `,
  create(ctx) {
    const objects: ObjectMacro[] = [];
    return {
      match({ fnMacro, objMacro, name, value }) {
        if (fnMacro) {
          const params = fnMacro.childForFieldName('parameters');
          ctx.report({
            node: fnMacro,
            range: { start: fnMacro.startIndex, end: params?.endIndex ?? fnMacro.startIndex },
            message: 'function-like macro: in Rust a const fn, a generic fn or a macro_rules! macro; in C++ an inline or constexpr function (a template when it is generic)',
          });
          return;
        }
        const body = stripComments(value.text);
        if (body) objects.push({ def: objMacro, name: wordAt(ctx.text, name.startIndex), body });
      },
      // Whether a body is constant may depend on macros defined later in the file.
      finish() {
        if (objects.length === 0) return;
        const constant = constantMacros(objects);
        const guard = includeGuard(ctx.text);
        const file = new FileFacts(ctx.text);
        for (const m of objects) {
          if (!constant.has(m) || m.name === guard) continue;
          const name = m.def.childForFieldName('name');
          ctx.report({
            node: m.def,
            range: { start: m.def.startIndex, end: name?.endIndex ?? m.def.startIndex },
            message: 'constant macro: in Rust a const item with a type; in C++ a constexpr variable, which has a type and a scope',
            fix: ctx.lang === 'cpp' ? () => constexprFix(m, ctx, file) : undefined,
          });
        }
      },
    };
  },
});

function stripComments(body: string): string {
  return body.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ' ').replace(/\\\r?\n/g, ' ').trim();
}

/** Identifiers of a body, or null when it holds a token no constant expression has. */
function identifiers(body: string): string[] | null {
  const ids: string[] = [];
  let sawValue = false;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    const m = TOKEN.exec(body);
    if (!m) return null;
    if (m[1] || m[2] || m[3]) sawValue = true;
    else if (m[4]) {
      if (TYPE_WORDS.has(m[4])) sawValue ||= m[4] === 'true' || m[4] === 'false' || m[4] === 'sizeof';
      else if (!INT_CONSTANT_MACRO.test(m[4])) ids.push(m[4]);
    }
  }
  return sawValue || ids.length ? ids : null;
}

/** The object-like macros whose bodies are constant expressions, resolving references between them. */
function constantMacros(objects: ObjectMacro[]): Set<ObjectMacro> {
  const pending = new Map<ObjectMacro, string[]>();
  for (const m of objects) {
    const ids = identifiers(m.body);
    if (ids) pending.set(m, ids);
  }
  const constant = new Set<ObjectMacro>();
  const constantNames = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const [m, ids] of pending) {
      if (!ids.every((id) => constantNames.has(id))) continue;
      constant.add(m);
      constantNames.add(m.name);
      pending.delete(m);
      changed = true;
    }
  }
  return constant;
}

/** The guard name when the file's first directive is `#ifndef X` or `#if !defined(X)`. */
function includeGuard(text: string): string | undefined {
  const head = text.slice(0, 20000).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ' ');
  const first = /^[ \t]*#.*$/m.exec(head)?.[0] ?? '';
  return /^\s*#\s*(?:ifndef\s+(\w+)|if\s+!\s*defined\s*\(?\s*(\w+))/.exec(first)?.slice(1).find(Boolean);
}

/**
 * What the constexpr fix needs to know about the whole file, computed once and
 * only when a candidate exists: the text without comments and strings, and the
 * preprocessor directives in it.
 */
class FileFacts {
  private computed?: { code: string; directives: Array<{ start: number; end: number; text: string }> };
  private isHeader?: boolean;
  constructor(private readonly text: string) {}

  get(): NonNullable<FileFacts['computed']> {
    if (this.computed) return this.computed;
    // A quote right after a word character is a C++14 digit separator (1'000), not a character literal.
    const code = this.text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|(?<!\w)(?:u8|[uUL])?'(?:\\.|[^'\\\n])*'/g, (s) => s.replace(/[^\n]/g, ' '));
    const directives: Array<{ start: number; end: number; text: string }> = [];
    const re = /^[ \t]*#(?:[^\n]*\\\r?\n)*[^\n]*/gm;
    for (let m; (m = re.exec(code));) directives.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
    this.computed = { code, directives };
    return this.computed;
  }

  /**
   * A header's macros may be tested by the files that include it; a header shared with C cannot
   * hold constexpr. An include guard answers before the text is blanked.
   */
  header(): boolean {
    if (this.isHeader === undefined) {
      this.isHeader = includeGuard(this.text) !== undefined;
      if (!this.isHeader) {
        const { code } = this.get();
        this.isHeader = /^[ \t]*#[ \t]*pragma[ \t]+once\b/m.test(code) || code.includes('__cplusplus');
      }
    }
    return this.isHeader;
  }
}

/**
 * `#define NAME 42` -> `constexpr auto NAME = 42;` when the value is a literal
 * and the file shows nothing the change could break: the name is used only
 * after the definition, inside the same scope, and in no other directive (#if,
 * #undef, a redefinition, another macro's body); no #include follows that the
 * macro could configure; the file is not a header.
 */
function constexprFix(m: ObjectMacro, ctx: RuleContext, file: FileFacts): Fix | undefined {
  if (!FIXABLE_NAME.test(m.name) || !LITERAL.test(m.body)) return undefined;
  const value = m.def.childForFieldName('value');
  if (!value || !value.text.startsWith(m.body)) return undefined; // a comment or continuation inside the body
  const end = value.startIndex + m.body.length;
  if (ctx.text.slice(m.def.startIndex, end).includes('\n')) return undefined;
  const scopeEnd = scopeEndOf(m.def);
  if (scopeEnd === undefined) return undefined;
  if (file.header()) return undefined;
  const { code, directives } = file.get();
  const own = (d: { start: number; end: number }) => d.start <= m.def.startIndex && m.def.startIndex < d.end;
  const word = new RegExp(`\\b${m.name}\\b`);
  if (directives.some((d) => !own(d) && word.test(d.text))) return undefined;
  if (directives.some((d) => d.start > m.def.startIndex && /^\s*#\s*include/.test(d.text))) return undefined;
  const uses = new RegExp(`\\b${m.name}\\b`, 'g');
  const root = m.def.tree.rootNode;
  for (let u; (u = uses.exec(code));) {
    if (u.index >= m.def.startIndex && u.index < m.def.endIndex) continue;
    if (u.index < m.def.endIndex || u.index >= scopeEnd) return undefined;
    if (insideError(root.descendantForIndex(u.index))) return undefined; // the file does not show what the use means
  }
  return {
    title: `Replace the macro ${m.name} with constexpr`,
    edits: [{ start: m.def.startIndex, end, newText: `constexpr auto ${m.name} = ${m.body};` }],
  };
}

function insideError(node: Node | null): boolean {
  for (let n = node; n; n = n.parent) if (n.type === 'ERROR' || n.isMissing) return true;
  return false;
}

/** Where the scope of a constexpr written in place of the #define would end; undefined where one cannot go. */
function scopeEndOf(def: Node): number | undefined {
  const parent = def.parent;
  if (!parent) return undefined;
  switch (parent.type) {
    case 'translation_unit':
      return Infinity;
    case 'declaration_list': // a namespace body; not an extern "C" block
      return parent.parent?.type === 'namespace_definition' ? parent.endIndex : undefined;
    case 'compound_statement': // a block; not a switch body, where a case label would jump over it
      return parent.parent?.type === 'switch_statement' ? undefined : parent.endIndex;
    default:
      return undefined;
  }
}

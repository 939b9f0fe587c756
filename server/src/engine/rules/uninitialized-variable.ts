import type { Node } from 'web-tree-sitter';
import { defineRule, type Fix, type RuleContext } from '../rule';
import { TYPE_KEYWORDS, isArithmeticType, typeDeclarationMatches, wordAt } from './util';

// A declarator that is a bare name, a pointer, or a function pointer has no
// initializer (init_declarator would wrap it). Locals only: the declaration's
// parent must be a block or a case. The parent is captured by a wildcard
// (`(_ (declaration …))` costs the query almost nothing, while
// `(compound_statement (declaration …))` cost ~60 ms on sqlite3.c, and
// `.parent` walks down from the root in wasm: ~2 µs a call on a big file).
// Whether the type is a scalar is decided in match(): primitive types, known
// arithmetic typedefs, pointers, and enums and arithmetic typedefs declared in
// the file. Class types are skipped: their constructors may initialize them.
// The second pattern finds `private:` and friends parsed as statement labels,
// the mark of a class body misparsed as a block (labels are rare: it is cheap;
// with the block as the pattern's parent it cost ~150 ms on sqlite3.c). The
// third, `class EXPORT Name {…}` or `static WSD_MACRO struct Name {…} v;` read
// as a function definition: the declarator is the bare name, with no parameter
// list, which no real function has. (`API int f(void) {…}` misparses too, as
// `int` of type API and a function `f` with the declarator `(void)`: that body
// is real.)
const query = `(_ (declaration
  declarator: [(identifier) @name (pointer_declarator) @var (function_declarator declarator: (parenthesized_declarator (pointer_declarator))) @fnptr]) @decl) @block
  (labeled_statement label: (statement_identifier) @access (#any-of? @access "public" "private" "protected"))
  (function_definition declarator: [(identifier) (type_identifier) (field_identifier)] body: (compound_statement) @classLikeBody)`;
const LOCAL_SCOPES = new Set(['compound_statement', 'case_statement']);

/** After a `#` that starts its line: including a header that defines NULL in C, or defining it. */
const NULL_DIRECTIVE = /[ \t]*(?:include[ \t]*<(?:stddef|stdio|stdlib|string|time|locale|wchar)\.h>|define[ \t]+NULL\b)/y;

const LINE_END = /[\n\r\u2028\u2029]/; // where a multiline `^` matches after

function definesNull(text: string): boolean {
  // From each `#` (a one-character search is fast; a multiline regex took 12 ms on a big file).
  for (let i = text.indexOf('#'); i >= 0; i = text.indexOf('#', i + 1)) {
    let b = i - 1;
    while (b >= 0 && (text[b] === ' ' || text[b] === '\t')) b--;
    if (b >= 0 && !LINE_END.test(text[b])) continue;
    NULL_DIRECTIVE.lastIndex = i + 1;
    if (NULL_DIRECTIVE.test(text)) return true;
  }
  return false;
}

type Kind = 'pointer' | 'integer' | 'float' | 'single' | 'bool' | 'enum';

export default defineRule({
  meta: {
    id: 'uninitialized-variable',
    title: 'Uninitialized local variable',
    description: 'a local scalar or pointer variable declared without an initializer',
    concept: 'Rust requires initialization',
    category: 'types',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 2,
    fixable: true,
  },
  query,
  scan: TYPE_KEYWORDS,
  create(ctx) {
    let fileTypes: Map<string, Kind | null> | undefined;
    let records: Set<string> | undefined;
    let scanned: FileScan | undefined;
    const typeKind = (name: string): Kind | undefined => {
      const declared = (fileTypes ??= declaredScalarTypes((scanned ??= scanFile(ctx)))).get(name);
      if (declared !== undefined) return declared ?? undefined;
      if (!CONVENTIONAL_INTEGERS.has(name)) return undefined;
      return (records ??= recordNames(ctx.text, (scanned ??= scanFile(ctx)))).has(name) ? undefined : 'integer';
    };
    // Per-file answers: each scans a lot of text, and a big C file has thousands of findings.
    let nullDefined: boolean | undefined;
    const hasNull = () => (nullDefined ??= definesNull(ctx.text));
    // Blocks that may be misparsed class bodies, whose members are no locals:
    // `class EXPORT_MACRO Name { int x; };` parses as a function `Name` without a
    // function declarator, and error recovery can let a member function's block
    // swallow the rest of its class (the block then holds `private:` labels,
    // which no real block holds). A label may come after the declarations, so
    // reports wait for finish().
    const classBodies = new Set<number>();
    const pending: Array<{ block: number; report: () => void }> = [];
    const jumpsIn = new Map<number, boolean>();
    const functionHasGoto = (fn: Node) => {
      let v = jumpsIn.get(fn.id);
      if (v === undefined) jumpsIn.set(fn.id, (v = /\bgoto\b/.test(fn.text)));
      return v;
    };
    return {
      match({ decl, name: bareName, var: pointer, fnptr, access, block, classLikeBody }) {
        if (classLikeBody) {
          classBodies.add(classLikeBody.id);
          return;
        }
        if (access) {
          const block = access.parent?.parent;
          if (block) classBodies.add(block.id);
          return;
        }
        if (!LOCAL_SCOPES.has(block.type)) return;
        const isName = !!bareName; // (the capture's name says what the declarator is: no call into wasm)
        const declarator = bareName ?? pointer ?? fnptr;
        const ident = isName ? declarator : pointerName(declarator, !!fnptr);
        const type = isName ? decl.childForFieldName('type') : null;
        const kind = isName ? type && scalarKind(type, ctx.text, typeKind) : ident && 'pointer';
        if (!kind || !ident || !automatic(ctx.text, decl, declarator)) return;
        if (decl.hasError) return; // `int y UNUSED_MACRO;` parses with an ERROR and the macro as the name
        const name = wordAt(ctx.text, ident.startIndex);
        const init = initializer(kind, ctx, hasNull);
        pending.push({ block: block.id, report: () => ctx.report({
          node: declarator,
          message: `${name} is declared without an initializer: Rust requires every variable to be initialized before use; initialize it here (${init.trim()})`,
          fix: () => (safeToInitialize(decl, block, declarator, ctx, functionHasGoto)
            ? { title: `Initialize ${name} (${init.trim()})`, edits: [{ start: declarator.endIndex, end: declarator.endIndex, newText: init }] } satisfies Fix
            : undefined),
        }) });
      },
      finish() {
        for (const p of pending) if (!classBodies.has(p.block)) p.report();
      },
    };
  },
});

// Thousands of declarations match in a big C file, so the checks below read
// words from the text at node offsets (startIndex is free) instead of asking
// wasm for node text and children.

/** Automatic storage: no static, extern or thread_local before the name (register is fine). */
function automatic(text: string, decl: Node, declarator: Node): boolean {
  return !/\b(?:static|extern|thread_local|_Thread_local|__thread)\b/.test(text.slice(decl.startIndex, declarator.startIndex));
}

const NOT_SCALAR = new Set(['void', 'nullptr_t', 'max_align_t']);

function scalarKind(type: Node, text: string, fileType: (name: string) => Kind | undefined): Kind | undefined {
  switch (type.type) {
    case 'primitive_type': {
      const word = wordAt(text, type.startIndex);
      return NOT_SCALAR.has(word) ? undefined : arithmeticKind(word);
    }
    case 'sized_type_specifier':
      return arithmeticKind(type.text.replace(/\s+/g, ' ').trim());
    case 'enum_specifier':
      return 'enum';
    case 'type_identifier':
      return typeNameKind(wordAt(text, type.startIndex), fileType);
    case 'qualified_identifier':
      return typeNameKind(type.text.replace(/\s+/g, ''), fileType);
    default:
      return undefined;
  }
}

/**
 * Integer typedefs so conventional that a header defining them as anything else
 * would surprise every reader (lz4, xxhash, zstd, Windows, the Linux kernel style).
 * The file's own typedefs still win, and a file that declares one as a struct
 * or union is believed.
 */
const CONVENTIONAL_INTEGERS = new Set([
  'U8', 'U16', 'U32', 'U64', 'S8', 'S16', 'S32', 'S64', 'I8', 'I16', 'I32', 'I64',
  'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'i8', 'i16', 'i32', 'i64',
  'BYTE', 'WORD', 'DWORD', 'QWORD', 'UINT', 'ULONG', 'USHORT', 'UCHAR', 'uint', 'ulong', 'ushort', 'uchar',
  'xxh_u8', 'xxh_u32', 'xxh_u64',
]);

function typeNameKind(name: string, fileType: (name: string) => Kind | undefined): Kind | undefined {
  return isArithmeticType(name) ? arithmeticKind(name) : fileType(name);
}

const AFTER_BRACE = /\s*(\w+)\s*[;,]/y;

/** What the type questions need from the whole text, found in one scan for their keywords. */
interface FileScan {
  enums: RegExpExecArray[];
  typedefEnums: RegExpExecArray[];
  typedefs: RegExpExecArray[];
  usings: RegExpExecArray[];
  records: RegExpExecArray[];
}

function scanFile(ctx: RuleContext): FileScan {
  const [enums, typedefEnums, typedefs, usings, records] = typeDeclarationMatches(ctx, [
    /\benum\s+(?:class\s+|struct\s+)?(\w+)/,
    /\btypedef\s+enum\b[^;]*?\}\s*(\w+)\s*;/,
    /\btypedef\s+((?:[\w:]+\s+)*?[\w:]+)\s+(\w+)\s*;/,
    /\busing\s+(\w+)\s*=\s*([\w:\s]+?)\s*;/,
    /\b(?:struct|union|class)\s+(\w+)/,
  ]);
  return { enums, typedefEnums, typedefs, usings, records };
}

/** Names declared as records: `struct U32`, `union U32`, `typedef struct {…} U32;` (one pass over the file). */
function recordNames(text: string, scanned: FileScan): Set<string> {
  const names = new Set<string>();
  for (const m of scanned.records) names.add(m[1]);
  // From each `}` (one regex with both alternatives scanned the file three times slower).
  for (let i = text.indexOf('}'); i >= 0; i = text.indexOf('}', i + 1)) {
    AFTER_BRACE.lastIndex = i + 1;
    const name = AFTER_BRACE.exec(text)?.[1];
    if (name) names.add(name);
  }
  return names;
}

function arithmeticKind(text: string): Kind {
  if (text === 'bool') return 'bool';
  if (text === 'float') return 'single';
  return /\b(float|double)\b/.test(text) ? 'float' : 'integer';
}

/** The name at the end of a chain of `*` (not an array of pointers, not a function returning one). */
function pointerName(declarator: Node, functionPointer: boolean): Node | null {
  let n: Node | null = functionPointer ? declarator.childForFieldName('declarator')?.firstNamedChild ?? null : declarator; // (*fp)
  let type = n?.type; // (each read is a call into wasm)
  while (n && type === 'pointer_declarator') {
    n = n.childForFieldName('declarator');
    type = n?.type;
  }
  return type === 'identifier' ? n : null;
}

function initializer(kind: Kind, ctx: RuleContext, hasNull: () => boolean): string {
  switch (kind) {
    case 'pointer':
      if (ctx.lang === 'cpp') return ' = nullptr';
      return hasNull() ? ' = NULL' : ' = 0';
    case 'bool':
      return ' = false';
    case 'float':
      return ' = 0.0';
    case 'single':
      return ' = 0.0f';
    case 'enum':
      return ctx.lang === 'cpp' ? '{}' : ' = 0'; // C++ enums do not convert from int
    default:
      return ' = 0';
  }
}

/**
 * Adding an initializer is safe unless something follows the declarator that an
 * initializer may not precede (an attribute), or, in C++, a jump may cross the
 * declaration: a `case`/`default` label later in the block, or a goto in the
 * function (C++ forbids jumping past an initialization, C allows it).
 */
const LIST_GOES_ON = /\s*[,;]/y;

function safeToInitialize(decl: Node, block: Node, declarator: Node, ctx: RuleContext, functionHasGoto: (fn: Node) => boolean): boolean {
  // Read from the text (nextSibling costs a walk in wasm): only blanks may sit between the declarator and `,` or `;`.
  LIST_GOES_ON.lastIndex = declarator.endIndex;
  if (!LIST_GOES_ON.test(ctx.text)) return false;
  if (ctx.lang === 'c') return true; // (the engine drops fixes inside ERROR regions)
  if (block.type === 'case_statement') return false;
  if (/\bcase\b|\bdefault\s*:/.test(ctx.text.slice(decl.endIndex, block.endIndex))) return false;
  for (let n: Node | null = block; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda_expression') return !functionHasGoto(n);
  }
  return true;
}

/**
 * Type names the file declares: enums (`enum E`, `enum class E`,
 * `typedef enum {…} E;`) and typedef/using aliases of arithmetic types, and
 * null for aliases of anything else. The
 * whole text is read, inactive #if branches too: a name that one branch makes
 * an integer and another a struct (`typedef struct timespec time_t_;`) is not
 * known to be scalar.
 */
function declaredScalarTypes(scanned: FileScan): Map<string, Kind | null> {
  const types = new Map<string, Kind | null>();
  const conflicting = new Set<string>();
  const define = (name: string, kind: Kind | undefined) => {
    if (!kind || (types.has(name) && types.get(name) !== kind)) conflicting.add(name);
    else types.set(name, kind);
  };
  for (const m of scanned.enums) types.set(m[1], 'enum');
  for (const m of scanned.typedefEnums) define(m[1], 'enum');
  const base = (text: string) => {
    const b = text.replace(/\s+/g, ' ').trim();
    return isArithmeticType(b) ? arithmeticKind(b) : types.get(b) ?? undefined;
  };
  for (const m of scanned.typedefs) define(m[2], base(m[1]));
  for (const m of scanned.usings) define(m[1], base(m[2]));
  for (const name of conflicting) types.set(name, null); // declared, but not (always) a scalar
  return types;
}

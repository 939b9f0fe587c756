import type { Node } from 'web-tree-sitter';
import { defineRule, type Fix, type RuleContext } from '../rule';
import { isArithmeticType } from './util';

// Locals only: the patterns require a declaration directly in a block or a case.
// A declarator that is a bare name, a pointer, or a function pointer has no
// initializer (init_declarator would wrap it). Whether the type is a scalar is
// decided in match(): primitive types, known arithmetic typedefs, pointers, and
// enums and arithmetic typedefs declared in the file. Class types are skipped,
// because their constructors may initialize them.
const DECLARATORS = [
  '(identifier) @var',
  '(pointer_declarator) @var',
  '(function_declarator declarator: (parenthesized_declarator (pointer_declarator))) @var',
];
const query = ['compound_statement', 'case_statement']
  .flatMap((parent) => DECLARATORS.map((d) => `(${parent} (declaration type: (_) @type declarator: ${d}) @decl)`))
  .join('\n');

/** Headers that define NULL in C. */
const NULL_HEADERS = /^[ \t]*#[ \t]*include[ \t]*<(?:stddef|stdio|stdlib|string|time|locale|wchar)\.h>|^[ \t]*#[ \t]*define[ \t]+NULL\b/m;

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
  create(ctx) {
    let fileTypes: Map<string, Kind> | undefined;
    const typeKind = (name: string) => (fileTypes ??= declaredScalarTypes(ctx.text)).get(name);
    return {
      match({ decl, type, var: declarator }) {
        if (!localStorage(decl)) return;
        const kind = declarator.type === 'identifier' ? scalarKind(type, typeKind) : pointerKind(declarator);
        if (!kind) return;
        const name = declaredName(declarator);
        const init = initializer(kind, ctx);
        ctx.report({
          node: declarator,
          message: `${name} is declared without an initializer: Rust requires every variable to be initialized before use; initialize it here (${init.trim()})`,
          fix: safeToInitialize(decl, declarator, ctx) ? { title: `Initialize ${name} (${init.trim()})`, edits: [{ start: declarator.endIndex, end: declarator.endIndex, newText: init }] } satisfies Fix : undefined,
        });
      },
    };
  },
});

/** Automatic storage: no static, extern or thread_local (register is fine). */
function localStorage(decl: Node): boolean {
  return !decl.namedChildren.some((c) => c.type === 'storage_class_specifier' && c.text !== 'register');
}

const NOT_SCALAR = new Set(['void', 'nullptr_t', 'max_align_t']);

function scalarKind(type: Node, fileType: (name: string) => Kind | undefined): Kind | undefined {
  const text = type.text.replace(/\s+/g, ' ').trim();
  switch (type.type) {
    case 'primitive_type':
      return NOT_SCALAR.has(text) ? undefined : arithmeticKind(text);
    case 'sized_type_specifier':
      return arithmeticKind(text);
    case 'enum_specifier':
      return 'enum';
    case 'type_identifier':
    case 'qualified_identifier':
      return isArithmeticType(text) ? arithmeticKind(text) : fileType(text);
    default:
      return undefined;
  }
}

function arithmeticKind(text: string): Kind {
  if (text === 'bool') return 'bool';
  if (text === 'float') return 'single';
  return /\b(float|double)\b/.test(text) ? 'float' : 'integer';
}

/** A chain of `*` that ends at the name (not an array of pointers, not a function returning one). */
function pointerKind(declarator: Node): Kind | undefined {
  let n: Node | null = declarator;
  if (n.type === 'function_declarator') n = n.childForFieldName('declarator')?.namedChildren[0] ?? null; // (*fp)
  while (n?.type === 'pointer_declarator') n = n.childForFieldName('declarator');
  return n?.type === 'identifier' ? 'pointer' : undefined;
}

function declaredName(declarator: Node): string {
  if (declarator.type === 'identifier') return declarator.text;
  return declarator.descendantsOfType('identifier')[0]?.text ?? declarator.text;
}

function initializer(kind: Kind, ctx: RuleContext): string {
  switch (kind) {
    case 'pointer':
      if (ctx.lang === 'cpp') return ' = nullptr';
      return NULL_HEADERS.test(ctx.text) ? ' = NULL' : ' = 0';
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
function safeToInitialize(decl: Node, declarator: Node, ctx: RuleContext): boolean {
  const next = declarator.nextSibling?.type;
  if (next !== ',' && next !== ';') return false;
  const block = decl.parent;
  if (!block || block.hasError || insideError(block)) return false; // never edit around a parse error
  if (ctx.lang === 'c') return true;
  if (block.type === 'case_statement') return false;
  if (/\bcase\b|\bdefault\s*:/.test(ctx.text.slice(decl.endIndex, block.endIndex))) return false;
  for (let n: Node | null = block; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda_expression') return !/\bgoto\b/.test(n.text);
  }
  return true;
}

function insideError(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'ERROR') return true;
  return false;
}

/**
 * Scalar type names the file declares: enums (`enum E`, `enum class E`,
 * `typedef enum {…} E;`) and typedef/using aliases of arithmetic types. The
 * whole text is read, inactive #if branches too: a name that one branch makes
 * an integer and another a struct (`typedef struct timespec time_t_;`) is not
 * known to be scalar.
 */
function declaredScalarTypes(text: string): Map<string, Kind> {
  const types = new Map<string, Kind>();
  const conflicting = new Set<string>();
  const define = (name: string, kind: Kind | undefined) => {
    if (!kind || (types.has(name) && types.get(name) !== kind)) conflicting.add(name);
    else types.set(name, kind);
  };
  for (const m of text.matchAll(/\benum\s+(?:class\s+|struct\s+)?(\w+)/g)) types.set(m[1], 'enum');
  for (const m of text.matchAll(/\btypedef\s+enum\b[^;]*?\}\s*(\w+)\s*;/g)) define(m[1], 'enum');
  const base = (text: string) => {
    const b = text.replace(/\s+/g, ' ').trim();
    return isArithmeticType(b) ? arithmeticKind(b) : types.get(b);
  };
  for (const m of text.matchAll(/\btypedef\s+((?:[\w:]+\s+)*?[\w:]+)\s+(\w+)\s*;/g)) define(m[2], base(m[1]));
  for (const m of text.matchAll(/\busing\s+(\w+)\s*=\s*([\w:\s]+?)\s*;/g)) define(m[1], base(m[2]));
  for (const name of conflicting) types.delete(name);
  return types;
}

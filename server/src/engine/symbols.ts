// Per-file symbol table: names declared as pointers, arrays and references,
// with the scope they are declared in. Built from captures of the combined query
// (no extra walk). Scopes are computed lazily, and only for names a rule asks
// about, because most declarations are never looked up.
//
// Known limit: a non-pointer declaration does not shadow a pointer of the same
// name in an enclosing scope (value declarations are not collected; they would
// triple the capture count on real code).
import type { Node } from 'web-tree-sitter';
import type { FunctionIndex } from './functions';
import { lastAtOrBefore, outermost } from './ranges';
import { wordAt } from './text';

export type SymbolKind = 'pointer' | 'array' | 'reference';
export type ScopeKind = 'global' | 'member' | 'parameter' | 'local';

export interface DeclaredSymbol {
  name: string;
  kind: SymbolKind;
  /** The identifier in its declarator. */
  node: Node;
  scope(): Scope;
  /** The declared base type as written, e.g. "const char" for `const char *p`. */
  typeText(): string;
  /** The declaration, parameter or field node that holds the declarator. */
  declaration(): Node | null;
}

export interface Scope {
  kind: ScopeKind;
  start: number;
  end: number;
}

const DECLARATOR_TYPES = new Set([
  'pointer_declarator', 'array_declarator', 'reference_declarator', 'parenthesized_declarator',
  'init_declarator', 'function_declarator', 'attributed_declarator',
]);
const DECLARATION_TYPES = new Set([
  'declaration', 'parameter_declaration', 'optional_parameter_declaration', 'field_declaration',
  'type_definition', 'for_range_loop', 'condition_clause', 'variadic_parameter_declaration',
]);

/**
 * How many same-named declarations a lookup inspects at most. Real code declares
 * `p` in hundreds of functions; a generated file may declare it 80k times. The
 * nearest declarations decide; past the cap the answer is "unknown", which rules
 * treat as "not a pointer" (precision first).
 */
const LOOKUP_WINDOW = 64;

export class SymbolTable {
  private byName = new Map<string, DeclaredSymbol[]>();
  private sorted = new Set<string>();

  /** `text`: the file's text, for names (reading `node.text` costs a call into wasm, and a big file has 20k symbols). */
  /** `functions`: the file's function definitions (filled from the query before any lookup). */
  constructor(private readonly text: string, private readonly functions?: FunctionIndex) {}

  add(kind: SymbolKind, node: Node): void {
    const sym = new FileSymbol(wordAt(this.text, node.startIndex), kind, node, this.text.length);
    const list = this.byName.get(sym.name);
    if (list) list.push(sym);
    else this.byName.set(sym.name, [sym]);
    this.sorted.delete(sym.name);
  }

  /** Whether any pointer/array/reference named `name` is declared anywhere in the file. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * The declaration `name` refers to at `offset`. Scanning back from the last
   * declaration before the use, the first whose scope contains the use is the
   * innermost (scopes that contain one point nest, and a later declaration in an
   * enclosing scope cannot sit between an inner one and the use). Globals and
   * members may also be declared after the use; members are a fallback for
   * out-of-class member function bodies.
   */
  lookup(name: string, offset: number): DeclaredSymbol | undefined {
    const list = this.inOrder(name);
    if (!list) return undefined;
    const around = this.functions?.around(offset);
    const contains = (sym: DeclaredSymbol) => {
      // Declared in a function other than the one around the use: its scope lies
      // within that function (found without asking the tree for the scope).
      const start = sym.node.startIndex;
      if (!around || start < around.start || start >= around.end) {
        const home = this.functions?.around(start);
        if (home && (offset < home.start || offset >= home.end)) return false;
      }
      const s = sym.scope();
      return offset >= s.start && offset < s.end;
    };
    const last = lastAtOrBefore(list, (sym) => sym.node.startIndex, offset);
    for (let i = last; i >= 0 && i > last - LOOKUP_WINDOW; i--) if (contains(list[i])) return list[i];
    for (let i = last + 1; i < list.length && i <= last + LOOKUP_WINDOW; i++) {
      const kind = list[i].scope().kind;
      if ((kind === 'global' || kind === 'member') && contains(list[i])) return list[i];
    }
    for (let i = 0; i < list.length && i < LOOKUP_WINDOW; i++) if (list[i].scope().kind === 'member') return list[i];
    return undefined;
  }

  all(): DeclaredSymbol[] {
    return [...this.byName.values()].flat();
  }

  /**
   * For each name declared as `kind`, where it can be used: the ranges `where`
   * gives for its declarations' scopes (undefined: leave that declaration out),
   * sorted and merged. For rules that search the text for the file's own names.
   */
  rangesByName(kind: SymbolKind, where: (scope: Scope) => [number, number] | undefined): Map<string, Array<[number, number]>> {
    const byName = new Map<string, Array<[number, number]>>();
    for (const [name, list] of this.byName) {
      const ranges = list.filter((sym) => sym.kind === kind).map((sym) => where(sym.scope())).filter((r) => r !== undefined);
      if (ranges.length > 0) byName.set(name, outermost(ranges));
    }
    return byName;
  }

  private inOrder(name: string): DeclaredSymbol[] | undefined {
    const list = this.byName.get(name);
    if (list && !this.sorted.has(name)) {
      list.sort((a, b) => a.node.startIndex - b.node.startIndex);
      this.sorted.add(name);
    }
    return list;
  }
}

/** A symbol's declaration and scope, computed on first use (a big file has 20k symbols, most never looked up). */
class FileSymbol implements DeclaredSymbol {
  private decl: Node | null | undefined;
  private scopeFound: Scope | undefined;

  constructor(readonly name: string, readonly kind: SymbolKind, readonly node: Node, private readonly fileEnd: number) {}

  declaration(): Node | null {
    if (this.decl === undefined) this.decl = findDeclaration(this.node);
    return this.decl;
  }

  scope(): Scope {
    return (this.scopeFound ??= scopeOf(this.declaration(), this.fileEnd));
  }

  typeText(): string {
    return this.declaration()?.childForFieldName('type')?.text ?? '';
  }
}

function findDeclaration(ident: Node): Node | null {
  let n: Node | null = ident.parent;
  let type = n?.type ?? '';
  while (n && DECLARATOR_TYPES.has(type)) {
    n = n.parent;
    type = n?.type ?? '';
  }
  return n && DECLARATION_TYPES.has(type) ? n : null;
}

function scopeOf(decl: Node | null, fileEnd: number): Scope {
  const global: Scope = { kind: 'global', start: 0, end: fileEnd };
  if (!decl) return global;
  const type = decl.type; // (each read is a call into wasm)
  if (type === 'field_declaration') {
    const body = decl.parent;
    return body ? { kind: 'member', start: body.startIndex, end: body.endIndex } : global;
  }
  if (type.endsWith('parameter_declaration')) {
    // Up to the function definition or lambda that owns the parameter list; a
    // prototype's parameters are scoped to their own parameter list.
    const list = decl.parent;
    for (let n = list?.parent ?? null; n; n = n.parent) {
      const t = n.type;
      if (t === 'function_definition' || t === 'lambda_expression') {
        return { kind: 'parameter', start: n.startIndex, end: n.endIndex };
      }
      if (!DECLARATOR_TYPES.has(t) && t !== 'abstract_function_declarator') break;
    }
    return list ? { kind: 'parameter', start: list.startIndex, end: list.endIndex } : global;
  }
  if (type === 'for_range_loop' || type === 'condition_clause') {
    const owner = type === 'condition_clause' ? decl.parent ?? decl : decl;
    return { kind: 'local', start: owner.startIndex, end: owner.endIndex };
  }
  const parent = decl.parent;
  if (!parent) return global;
  switch (parent.type) {
    case 'compound_statement':
    case 'for_statement':
      return { kind: 'local', start: parent.startIndex, end: parent.endIndex };
    case 'case_statement': { // the switch body is the scope, not the case
      const body = parent.parent ?? parent;
      return { kind: 'local', start: body.startIndex, end: body.endIndex };
    }
    default:
      return global;
  }
}

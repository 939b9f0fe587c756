// Per-file symbol table: names declared as pointers, arrays and references,
// with the scope they are declared in. Built from captures of the combined query
// (no extra walk). Scopes are computed lazily, and only for names a rule asks
// about, because most declarations are never looked up.
//
// Known limit: a non-pointer declaration does not shadow a pointer of the same
// name in an enclosing scope (value declarations are not collected; they would
// triple the capture count on real code).
import type { Node } from 'web-tree-sitter';

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

export class SymbolTable {
  private byName = new Map<string, DeclaredSymbol[]>();

  constructor(private fileEnd: number) {}

  add(kind: SymbolKind, node: Node): void {
    const name = node.text;
    let scope: Scope | undefined;
    let decl: Node | null | undefined;
    const declaration = () => (decl === undefined ? (decl = findDeclaration(node)) : decl);
    const sym: DeclaredSymbol = {
      name,
      kind,
      node,
      scope: () => (scope ??= scopeOf(declaration(), this.fileEnd)),
      typeText: () => declaration()?.childForFieldName('type')?.text ?? '',
      declaration,
    };
    const list = this.byName.get(name);
    if (list) list.push(sym);
    else this.byName.set(name, [sym]);
  }

  /** Whether any pointer/array/reference named `name` is declared anywhere in the file. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * The declaration `name` refers to at `offset`: the innermost enclosing
   * scope's, declared before the use (globals and members may come later).
   * Members are a fallback for out-of-class member function bodies.
   */
  lookup(name: string, offset: number): DeclaredSymbol | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    let best: DeclaredSymbol | undefined;
    let bestSize = Infinity;
    let member: DeclaredSymbol | undefined;
    for (const sym of list) {
      const s = sym.scope();
      if (s.kind === 'member' && !member) member = sym;
      if (offset < s.start || offset >= s.end) continue;
      if ((s.kind === 'local' || s.kind === 'parameter') && sym.node.startIndex > offset) continue;
      const size = s.end - s.start;
      if (size < bestSize) {
        best = sym;
        bestSize = size;
      }
    }
    return best ?? member;
  }

  all(): DeclaredSymbol[] {
    return [...this.byName.values()].flat();
  }
}

function findDeclaration(ident: Node): Node | null {
  let n: Node | null = ident.parent;
  while (n && DECLARATOR_TYPES.has(n.type)) n = n.parent;
  return n && DECLARATION_TYPES.has(n.type) ? n : null;
}

function scopeOf(decl: Node | null, fileEnd: number): Scope {
  const global: Scope = { kind: 'global', start: 0, end: fileEnd };
  if (!decl) return global;
  if (decl.type === 'field_declaration') {
    const body = decl.parent;
    return body ? { kind: 'member', start: body.startIndex, end: body.endIndex } : global;
  }
  if (decl.type.endsWith('parameter_declaration')) {
    // Up to the function definition or lambda that owns the parameter list; a
    // prototype's parameters are scoped to their own parameter list.
    const list = decl.parent;
    for (let n = list?.parent ?? null; n; n = n.parent) {
      if (n.type === 'function_definition' || n.type === 'lambda_expression') {
        return { kind: 'parameter', start: n.startIndex, end: n.endIndex };
      }
      if (!DECLARATOR_TYPES.has(n.type) && n.type !== 'abstract_function_declarator') break;
    }
    return list ? { kind: 'parameter', start: list.startIndex, end: list.endIndex } : global;
  }
  if (decl.type === 'for_range_loop' || decl.type === 'condition_clause') {
    const owner = decl.type === 'condition_clause' ? decl.parent ?? decl : decl;
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

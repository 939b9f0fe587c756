// Small helpers shared by rules. Each one crosses into wasm as little as it can.
import type { Node } from 'web-tree-sitter';
import type { RuleContext } from '../rule';

/** Smart-pointer class names whose constructor or reset() takes ownership of a raw pointer. */
const SMART_POINTER = /\b(unique_ptr|shared_ptr|auto_ptr|scoped_ptr|scoped_array|shared_array|intrusive_ptr|QScopedPointer|QSharedPointer|QScopedArrayPointer|not_null|owner)\b/;

export function isSmartPointerType(text: string): boolean {
  return SMART_POINTER.test(text);
}

/**
 * Placement new (`new (buf) T`) constructs in memory someone else owns. The
 * nothrow form `new (std::nothrow) T` uses the same syntax but allocates, so it
 * is an owning new like any other.
 */
export function isPlacementNew(newExpr: Node): boolean {
  const placement = newExpr.childForFieldName('placement');
  return !!placement && !/^\(\s*(?:::\s*)?(?:std\s*::\s*)?nothrow\s*\)$/.test(placement.text);
}

/**
 * Whether `node` lies inside an ERROR region. Such a node parsed cleanly, so a
 * report about it is trusted, but a fix must not edit code whose surroundings
 * the parser could not make sense of.
 */
export function insideError(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'ERROR') return true;
  return false;
}

/** Skips parentheses upward: the node whose parent gives `node` its meaning. */
export function outerExpression(node: Node): Node {
  let n = node;
  while (n.parent && n.parent.type === 'parenthesized_expression') n = n.parent;
  return n;
}

/**
 * Whether the value of `expr` (a new expression) is handed straight to a smart
 * pointer: `std::unique_ptr<T> p(new T)`, `p{new T}`, `std::shared_ptr<T>(new T)`,
 * `p.reset(new T)`, or a member initializer of a smart-pointer member.
 */
export function isHandedToSmartPointer(expr: Node, text: string): boolean {
  const outer = outerExpression(expr);
  const parent = outer.parent;
  if (!parent) return false;
  if (parent.type === 'argument_list' || parent.type === 'initializer_list') {
    const owner = parent.parent;
    if (!owner) return false;
    switch (owner.type) {
      case 'init_declarator': // T p(new X) / T p{new X}: the declared type decides
        return isSmartPointerType(owner.parent?.childForFieldName('type')?.text ?? '');
      case 'call_expression': {
        const fn = owner.childForFieldName('function');
        if (!fn) return false;
        if (fn.type === 'field_expression') return fn.childForFieldName('field')?.text === 'reset';
        return isSmartPointerType(fn.text);
      }
      case 'compound_literal_expression':
        return isSmartPointerType(owner.childForFieldName('type')?.text ?? '');
      case 'field_initializer': { // Foo() : member_(new T) -- is member_ a smart pointer?
        const member = owner.firstNamedChild?.text;
        return !!member && declaresSmartPointerMember(text, member);
      }
      default:
        return false;
    }
  }
  if (parent.type === 'init_declarator' && parent.childForFieldName('value')?.equals(outer)) {
    // std::unique_ptr<T> p = new T; does not compile, but `auto_ptr<T> p = ...` did.
    return isSmartPointerType(parent.parent?.childForFieldName('type')?.text ?? '');
  }
  return false;
}

function declaresSmartPointerMember(text: string, member: string): boolean {
  // The class body may be in a header we cannot see; look for a declaration in
  // this file. Field initializers taking `new` are rare, so a regex scan is fine.
  const escaped = member.replace(/[^\w]/g, '');
  return new RegExp(`${SMART_POINTER.source}\\s*<[^;{}]*>\\s*${escaped}\\s*[;{=]`).test(text);
}

import { lastAtOrBefore } from '../ranges';
import { matchesAt, wordAt, wordOffsets } from '../text';

export { wordAt };

const SPACE = String.raw`(?:\s|//[^\n]*|/\*[\s\S]*?\*/)*`;
/** A `*` next, after qualifiers and comments: `void *p`, `void const *p` (sticky). */
export const POINTER_FOLLOWS = new RegExp(`${SPACE}(?:(?:const|volatile)\\b${SPACE})*\\*`, 'y');

/** Type names that are arithmetic (integers, floating point, bool, char). */
const ARITHMETIC = /^(?:(?:const|volatile|signed|unsigned|short|long|int|char|char8_t|char16_t|char32_t|wchar_t|float|double|bool|_Bool)\s*)+$|^(?:std::)?(?:u?int(?:_least|_fast)?(?:8|16|32|64)_t|u?intptr_t|u?intmax_t|size_t|ssize_t|ptrdiff_t|off_t)$/;

export function isArithmeticType(typeText: string): boolean {
  return ARITHMETIC.test(typeText.replace(/\s+/g, ' ').trim());
}

const CLASS_TYPES = new Set(['class_specifier', 'struct_specifier', 'union_specifier']);

/**
 * Answers "does this unqualified call `name(...)` call a member function?":
 * inside a class body, or inside an out-of-line member definition `C::f`, a
 * call to a name the class declares as a member function is that member
 * (`Pool::malloc`), not the C library function. Per file; the class index is
 * built on first need, with one search of the tree.
 */
export class MemberFunctions {
  private byClass: Map<string, Set<string>> | undefined;

  isMemberCall(call: Node, name: string): boolean {
    for (let n = call.parent; n; n = n.parent) {
      if (CLASS_TYPES.has(n.type) && memberFunctionNames(n).has(name)) return true;
      if (n.type === 'function_definition') {
        const cls = memberOf(n);
        if (cls && this.index(n).get(cls)?.has(name)) return true;
      }
    }
    return false;
  }

  private index(anyNode: Node): Map<string, Set<string>> {
    if (this.byClass) return this.byClass;
    const byClass = new Map<string, Set<string>>();
    for (const cls of anyNode.tree.rootNode.descendantsOfType([...CLASS_TYPES])) {
      const className = cls.childForFieldName('name')?.text.replace(/<[\s\S]*$/, '').replace(/^.*::/, '');
      if (!className || !cls.childForFieldName('body')) continue;
      const names = byClass.get(className) ?? new Set<string>();
      for (const m of memberFunctionNames(cls)) names.add(m);
      byClass.set(className, names);
    }
    return (this.byClass = byClass);
  }
}

/** The class named by an out-of-line member definition `C::f` / `ns::C<T>::f`. */
function memberOf(fn: Node): string | undefined {
  let d = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const name = d?.childForFieldName('declarator');
  if (name?.type !== 'qualified_identifier') return undefined;
  const scope = name.childForFieldName('scope');
  return scope?.text.replace(/<[\s\S]*$/, '').replace(/^.*::/, '');
}

function memberFunctionNames(cls: Node): Set<string> {
  const names = new Set<string>();
  const body = cls.childForFieldName('body');
  if (!body) return names;
  for (let member of body.namedChildren) {
    if (member.type === 'template_declaration') member = member.namedChildren[member.namedChildCount - 1] ?? member;
    if (!/^(field_declaration|declaration|function_definition)$/.test(member.type)) continue;
    let d = member.childForFieldName('declarator');
    while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
    const name = d?.childForFieldName('declarator');
    if (name && (name.type === 'field_identifier' || name.type === 'identifier')) names.add(name.text);
  }
  return names;
}

const SCOPES = new Set([
  'translation_unit', 'declaration_list', 'field_declaration_list', 'compound_statement', 'case_statement',
  'function_definition', 'lambda_expression', 'for_statement', 'for_range_loop', 'condition_clause', 'catch_clause',
]);
/** Scopes where a name may be used before its declaration (class members). */
const UNORDERED = new Set(['field_declaration_list']);
/** Scopes whose declarations are not simply their children (parameters, loop heads): few, indexed whole. */
const ORDERED_SMALL = new Set(['function_definition', 'lambda_expression', 'catch_clause', 'for_statement', 'for_range_loop', 'condition_clause']);
const WRAPPERS = new Set([
  'init_declarator', 'pointer_declarator', 'array_declarator', 'reference_declarator', 'parenthesized_declarator',
  'attributed_declarator', 'function_declarator',
]);

/**
 * Resolves a name to the declarator that declares it where it is used, from
 * what the file shows: the nearest enclosing block, parameter list, loop or
 * condition, class body (also for out-of-line members `C::f`), namespace and
 * file scope. Any declaration counts, so `int p` in an inner block hides a
 * pointer `p` outside it, and a local `int next` is not the `Node *next`
 * member of another class. Per file; each scope is indexed once, on first use.
 */
export class Declarations {
  /** `text`: the file's text, where names are read (cheaper than asking wasm). */
  constructor(private readonly text: string) {}

  private byScope = new Map<number, Map<string, Node[]>>();
  private seen = new Map<string, { to: number; found: Node[] }>();
  private classBodies: Map<string, Node[]> | undefined;

  /**
   * The identifier in the declarator of `id`'s declaration, or undefined when the
   * file does not show one. With `withinFile` false the file scope is not searched
   * (indexing every top-level declaration of a big file costs tens of ms): for a
   * name already known as a global, only a closer declaration is news.
   */
  resolve(id: Node, withinFile = true): Node | undefined {
    const name = wordAt(this.text, id.startIndex);
    for (let scope = id.parent; scope; scope = scope.parent) {
      if (!SCOPES.has(scope.type) || (!withinFile && scope.type === 'translation_unit')) continue;
      const hit = this.pick(scope, name, id);
      if (hit) return hit;
      const owner = scope.type === 'function_definition' ? memberOf(scope) : undefined;
      if (owner) {
        // Only an out-of-class member function (`T::f`) sees its class's members.
        for (const body of this.bodiesOf(owner, scope)) {
          const member = this.declared(body, name)[0];
          if (member) return member;
        }
      }
    }
    return undefined;
  }

  /** The declaration of `name` in `scope` that `use` sees: the last one before it, or in a class body any. */
  private pick(scope: Node, name: string, use: Node): Node | undefined {
    if (UNORDERED.has(scope.type) || ORDERED_SMALL.has(scope.type)) {
      const found = this.declared(scope, name);
      if (UNORDERED.has(scope.type)) return found[0];
      return lastAtOrBeforeNode(found, use.startIndex);
    }
    return lastAtOrBeforeNode(this.declaredUpTo(scope, name, use.startIndex), use.startIndex);
  }

  /** Every declarator of `name` among the declarations directly in `scope`, in document order. */
  private declared(scope: Node, name: string): Node[] {
    let map = this.byScope.get(scope.id);
    if (!map) {
      map = new Map();
      for (const decl of declarationsIn(scope)) {
        for (const ident of declaredNames(decl)) {
          const list = map.get(ident.text);
          if (list) list.push(ident);
          else map.set(ident.text, [ident]);
        }
      }
      this.byScope.set(scope.id, map);
    }
    return map.get(name) ?? [];
  }

  /**
   * The declarators of `name` directly in a block or file scope, at least those
   * up to `offset`. Found from where the name is written (a text search, resumed
   * on later calls), not by indexing every statement: each statement asked is a
   * call into wasm, and error recovery can make one block of a megabyte
   * (sqlite3.c has blocks of thousands of statements).
   */
  private declaredUpTo(scope: Node, name: string, offset: number): Node[] {
    const key = `${scope.id}:${name}`;
    let seen = this.seen.get(key);
    if (!seen) this.seen.set(key, (seen = { to: scope.startIndex, found: [] }));
    const to = offset + name.length;
    if (to <= seen.to) return seen.found;
    // Resume a little before where the last search stopped, so a word it cut off is found whole.
    const from = Math.max(scope.startIndex, seen.to - name.length);
    for (const at of wordOffsets(this.text, name, from, to)) {
      const child = scope.firstNamedChildForIndex(at); // the statement around it (not all of them: a block can hold thousands)
      const ident = child && child.startIndex <= at ? declaredNames(child).find((n) => n.startIndex === at) : undefined;
      const last = seen.found[seen.found.length - 1];
      if (ident && (!last || last.startIndex < at)) seen.found.push(ident);
    }
    seen.to = to;
    return seen.found;
  }

  /** Whether the file declares member `name` in some class, and as a pointer in every class that has it. */
  isPointerMember(name: string, anyNode: Node): boolean {
    let seen = false;
    for (const bodies of this.allClassBodies(anyNode).values()) {
      for (const body of bodies) {
        for (const d of this.declared(body, name)) {
          if (!isPointerDeclarator(d)) return false;
          seen = true;
        }
      }
    }
    return seen;
  }

  private bodiesOf(className: string, anyNode: Node): Node[] {
    return this.allClassBodies(anyNode).get(className) ?? [];
  }

  /** Every class body of the file by class name: one extra walk, so only when a member question comes up. */
  private allClassBodies(anyNode: Node): Map<string, Node[]> {
    if (!this.classBodies) {
      this.classBodies = new Map();
      for (const cls of anyNode.tree.rootNode.descendantsOfType([...CLASS_TYPES])) {
        const name = cls.childForFieldName('name')?.text.replace(/<[\s\S]*$/, '').replace(/^.*::/, '');
        const body = cls.childForFieldName('body');
        if (!name || !body) continue;
        const list = this.classBodies.get(name);
        if (list) list.push(body);
        else this.classBodies.set(name, [body]);
      }
    }
    return this.classBodies;
  }
}

/** The last of `nodes` (in document order) starting at or before `offset`. */
function lastAtOrBeforeNode(nodes: Node[], offset: number): Node | undefined {
  return nodes[lastAtOrBefore(nodes, startOf, offset)];
}

const startOf = (n: Node) => n.startIndex;

/** The declaration-like children of a scope node. */
function declarationsIn(scope: Node): Node[] {
  switch (scope.type) {
    case 'function_definition': { // parameters, and K&R parameter declarations
      let d = scope.childForFieldName('declarator');
      while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
      const params = d?.childForFieldName('parameters')?.namedChildren ?? [];
      return [...params, ...scope.namedChildren.filter((c) => c.type === 'declaration')];
    }
    case 'lambda_expression':
      return scope.childForFieldName('declarator')?.childForFieldName('parameters')?.namedChildren ?? [];
    case 'catch_clause':
      return scope.childForFieldName('parameters')?.namedChildren ?? [];
    case 'for_statement':
      return scope.childrenForFieldName('initializer');
    case 'for_range_loop':
    case 'condition_clause':
      return [scope];
    default:
      return scope.namedChildren;
  }
}

/** Names a declaration, parameter, field or for-range loop declares. */
function declaredNames(decl: Node): Node[] {
  if (!/declaration$|^function_definition$|^for_range_loop$|^condition_clause$/.test(decl.type)) return [];
  if (decl.type === 'condition_clause') {
    const inner = decl.childForFieldName('value');
    return inner?.type === 'declaration' ? declaredNames(inner) : [];
  }
  const names: Node[] = [];
  for (let d of decl.childrenForFieldName('declarator')) {
    while (d && WRAPPERS.has(d.type)) {
      const next: Node | null = d.childForFieldName('declarator') ?? (d.type === 'reference_declarator' ? d.namedChildren[0] : null);
      if (!next) break;
      d = next;
    }
    if (d && (d.type === 'identifier' || d.type === 'field_identifier')) names.push(d);
  }
  return names;
}

/** Whether a declared identifier (from Declarations.resolve) is declared as a pointer: `T *p`, `T (*p)[N]`. */
export function isPointerDeclarator(ident: Node): boolean {
  let n = ident.parent;
  while (n && (n.type === 'parenthesized_declarator' || n.type === 'attributed_declarator')) n = n.parent;
  return n?.type === 'pointer_declarator';
}

/** The declaration (declaration, parameter, field) that holds a declared identifier. */
export function declarationOf(ident: Node): Node | null {
  let n = ident.parent;
  while (n && WRAPPERS.has(n.type)) n = n.parent;
  return n;
}

/** Whether a declared identifier is a plain variable (no pointer, array, reference or function declarator). */
export function isPlainDeclarator(ident: Node): boolean {
  const p = ident.parent;
  if (!p) return false;
  return p.type === 'init_declarator' || !WRAPPERS.has(p.type);
}

/**
 * Whether identifier `id` names a pointer where it is used: the declaration
 * the file shows for it is a pointer declarator. The symbol table answers the
 * common cases; the scope walk runs only where a closer declaration the table
 * does not hold (a local `int p`) could hide a global or member pointer, and
 * for C++ members used from an out-of-line member function.
 */
export function resolvesToPointer(id: Node | NameAt, ctx: RuleContext, declarations: Declarations): boolean {
  const at = id.startIndex;
  const sym = ctx.symbols.lookup(wordAt(ctx.text, at), at);
  if (!sym) return false;
  const node = () => ('node' in id ? id.node() : id);
  const scope = sym.scope();
  if (scope.start <= at && at < scope.end) {
    // The innermost pointer/array/reference of that name encloses the use; a
    // closer declaration could only be a non-pointer.
    if (sym.kind !== 'pointer') return false;
    // Known limit: an inner-block `int p` hiding a pointer parameter or local is not seen.
    if (scope.kind === 'local' || scope.kind === 'parameter') return true;
    const declared = declarations.resolve(node(), scope.kind !== 'global');
    return declared ? isPointerDeclarator(declared) : true;
  }
  // Only a member of some class matched. C has no member functions, so the
  // field of a struct is never in scope by its bare name.
  if (ctx.lang === 'c') return false;
  const declared = declarations.resolve(node());
  return !!declared && isPointerDeclarator(declared);
}

/** A name known by its offset, whose node is asked for only when needed (a capture less per match). */
export interface NameAt {
  startIndex: number;
  node(): Node;
}

/** The words that start a type declaration; a rule calling typeDeclarationMatches lists them in `scan`. */
export const TYPE_KEYWORDS: readonly string[] = ['enum', 'typedef', 'using', 'struct', 'union', 'class'];

/**
 * The matches in the whole text of `patterns`, each starting with `\b` and a
 * type keyword, tried only where the engine's word search found one.
 */
export function typeDeclarationMatches(ctx: RuleContext, patterns: readonly RegExp[]): RegExpExecArray[][] {
  return matchesAt(ctx.text, ctx.offsetsOf(TYPE_KEYWORDS), patterns);
}

// Small helpers shared by rules. Each one crosses into wasm as little as it can.
import type { Node } from 'web-tree-sitter';

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

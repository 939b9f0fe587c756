import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../rule';
import type { DeclaredSymbol } from '../symbols';

// Functions that take an array by reference (no decay), and macros that only
// measure it (ARRAY_SIZE(a) expands to sizeof arithmetic).
const BY_REFERENCE = new Set([
  'size', 'ssize', 'begin', 'end', 'cbegin', 'cend', 'rbegin', 'rend', 'crbegin', 'crend',
  'data', 'empty', 'move', 'forward', 'swap', 'addressof', 'to_array', 'extent',
]);
const NAME = /[\w$\u0080-\uffff]+/y;
const MEASURING_NAME = /^(?:_?countof|array_?size|arraysize|array_?len(?:gth)?|lengthof|elementsof)$/i;
const CAPS_MACRO = /^[A-Z][A-Z0-9_]*$/;
const MEASURES = /SIZE|COUNT|LEN|ELEM|DIM/;

export default defineRule({
  meta: {
    id: 'array-decay',
    title: 'Array decays to a pointer',
    description: 'an array passed directly as a call argument, decaying to a pointer',
    concept: '&[T]',
    category: 'bounds',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 4,
    fixable: false,
  },
  // One capture: every identifier argument of every call matches (38k in
  // sqlite3.c), and each capture crosses from wasm. The callee is read only for
  // the few arguments that are arrays.
  query: '(call_expression arguments: (argument_list (identifier) @arg))',
  create(ctx) {
    // Names declared as an array somewhere in the file. Most arguments are not,
    // and a scoped lookup of a name like `p`, declared in every function, is not free.
    let arrayNames: Set<string> | undefined;
    const mayBeArray = (name: string) =>
      (arrayNames ??= new Set(ctx.symbols.all().filter((s) => s.kind === 'array').map((s) => s.name))).has(name);
    return {
      match({ arg }) {
        // The name read from the text at the node's offset: no wasm call for the 38k non-arrays.
        NAME.lastIndex = arg.startIndex;
        const name = NAME.exec(ctx.text)?.[0] ?? '';
        if (!mayBeArray(name)) return;
        const sym = ctx.symbols.lookup(name, arg.startIndex);
        if (sym?.kind !== 'array' || !decays(sym, arg, ctx)) return;
        const fn = arg.parent?.parent?.childForFieldName('function');
        if (!fn || takesArrayItself(fn, ctx.lang === 'cpp')) return;
        const decl = sym.node;
        ctx.report({
          node: arg,
          message: `array ${name} decays to a pointer here and its length is lost: in Rust a slice &[T] carries its length; pass std::span (C++20), the array by reference, or the length next to the pointer`,
          related: [{ start: decl.startIndex, end: decl.endIndex, message: `${name} is declared as an array here` }],
        });
      },
    };
  },
});

/**
 * An array parameter (`int a[]`, also a K&R one) already is a pointer: passing it
 * on is no new decay. In C a bare name never refers to a struct member; in C++ a
 * member only from inside a member function.
 */
function decays(sym: DeclaredSymbol, use: Node, ctx: RuleContext): boolean {
  const scope = sym.scope();
  if (scope.kind === 'parameter' || sym.declaration()?.parent?.type === 'function_definition') return false;
  if (scope.kind !== 'member') return true;
  if (ctx.lang === 'c') return false;
  return (use.startIndex >= scope.start && use.endIndex <= scope.end) || inMemberFunction(use);
}

/** Inside an out-of-class member function body, `void Class::f() { … }`. */
function inMemberFunction(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition') {
      let d = n.childForFieldName('declarator');
      while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
      return d?.childForFieldName('declarator')?.type === 'qualified_identifier';
    }
  }
  return false;
}

/** std::size(a) and friends take the array by reference; ARRAY_SIZE(a) only measures it; a cast is no call. */
function takesArrayItself(fn: Node, cpp: boolean): boolean {
  let name = fn;
  let scope: string | undefined;
  if (name.type === 'qualified_identifier') {
    scope = name.childForFieldName('scope')?.text;
    name = name.childForFieldName('name') ?? name;
  }
  if (name.type === 'template_function') {
    name = name.childForFieldName('name') ?? name;
    if (/^(static|reinterpret|const|dynamic)_cast$/.test(name.text)) return true; // a cast, not a call
  }
  if (name.type !== 'identifier') return false;
  if (cpp && (scope === undefined || scope === 'std') && BY_REFERENCE.has(name.text)) return true;
  return scope === undefined && (MEASURING_NAME.test(name.text) || (CAPS_MACRO.test(name.text) && MEASURES.test(name.text)));
}

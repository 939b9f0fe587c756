import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../rule';
import type { DeclaredSymbol } from '../symbols';
import { outermost, overlaps } from '../ranges';
import { IDENTIFIER } from '../text';

// Functions that take an array by reference (no decay), and macros that only
// measure it (ARRAY_SIZE(a) expands to sizeof arithmetic).
const BY_REFERENCE = new Set([
  'size', 'ssize', 'begin', 'end', 'cbegin', 'cend', 'rbegin', 'rend', 'crbegin', 'crend',
  'data', 'empty', 'move', 'forward', 'swap', 'addressof', 'to_array', 'extent',
]);
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
  // No query pattern: `(argument_list (identifier) @arg)` matched every
  // identifier argument of every call (37k in sqlite3.c), each capture crossing
  // from wasm. Instead the array names of the symbol table are searched in the
  // text where they are in scope, where they read like an argument (`(` or `,`
  // on both sides), and only those hits are looked up in the tree.
  create(ctx) {
    const check = (arg: Node, sym: DeclaredSymbol) => { // sym: the array `arg` names
      if (arg.type !== 'identifier' || arg.parent?.type !== 'argument_list') return;
      const call = arg.parent.parent;
      if (call?.type !== 'call_expression' || !decays(sym, arg, ctx)) return;
      const fn = call.childForFieldName('function');
      if (!fn || takesArrayItself(fn, ctx.lang === 'cpp')) return;
      ctx.report({
        node: arg,
        message: `array ${sym.name} decays to a pointer here and its length is lost: in Rust a slice &[T] carries its length; pass std::span (C++20), the array by reference, or the length next to the pointer`,
        related: [{ start: sym.node.startIndex, end: sym.node.endIndex, message: `${sym.name} is declared as an array here` }],
      });
    };
    return {
      match() {},
      finish() {
        const search = arraySearch(ctx);
        if (!search) return;
        for (const [from, to] of search.ranges) {
          search.names.lastIndex = from;
          for (let m = search.names.exec(ctx.text); m && m.index < to; m = search.names.exec(ctx.text)) {
            const name = m[1];
            const at = m.index + m[0].length - name.length;
            const ranges = search.rangesOf.get(name);
            if (!ranges || !overlaps(ranges, at, at + 1)) continue;
            const declared = ctx.symbols.lookup(name, at); // the innermost declaration: a local pointer may hide a global array
            if (declared?.kind !== 'array') continue;
            const arg = ctx.nodeAt(at, at + name.length);
            if (arg?.startIndex === at) check(arg, declared);
          }
        }
      },
    };
  },
});

/**
 * One regex for the names of the file's arrays that can decay, and the ranges
 * where they can be used: the blocks of local arrays, or the whole file for a
 * global (or a C++ member, used from out-of-class member functions too).
 */
function arraySearch(ctx: RuleContext): { names: RegExp; ranges: Array<[number, number]>; rangesOf: Map<string, Array<[number, number]>> } | undefined {
  const rangesOf = ctx.symbols.rangesByName('array', (scope) => {
    if (scope.kind === 'parameter' || (scope.kind === 'member' && ctx.lang === 'c')) return undefined; // never decays anew
    return scope.kind === 'local' ? [scope.start, scope.end] : [0, ctx.text.length];
  });
  if (rangesOf.size === 0) return undefined;
  // Any name at an argument position, then a set lookup: a regex of the names
  // themselves would try each of them at every position (a generated file may
  // declare thousands of arrays). Anchored on the `(` or `,` before an argument
  // (or the `/` ending a comment), so the engine looks for names only there; a
  // backslash may continue a line between them.
  const names = new RegExp(String.raw`[(,/][\s\\]*(${IDENTIFIER})(?=[\s\\]*[),/])`, 'g');
  return { names, ranges: outermost([...rangesOf.values()].flat()), rangesOf };
}

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
  const text = name.text; // (a call into wasm: once)
  if (cpp && (scope === undefined || scope === 'std') && BY_REFERENCE.has(text)) return true;
  return scope === undefined && (MEASURING_NAME.test(text) || (CAPS_MACRO.test(text) && MEASURES.test(text)));
}

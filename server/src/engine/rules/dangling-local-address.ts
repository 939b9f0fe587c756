import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../rule';
import { IDENTIFIER, wordAt } from '../text';
import { overlaps } from '../ranges';

export default defineRule({
  meta: {
    id: 'dangling-local-address',
    title: 'Address of a local escapes',
    description: 'returning the address of / a reference to a local, or a lambda capturing locals by reference',
    concept: 'the borrow checker',
    category: 'borrowing',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 5,
    fixable: false,
  },
  query: {
    c: `
      (return_statement (pointer_expression operator: "&" argument: (_) @target) @expr)`,
    cpp: `
      (return_statement (pointer_expression operator: "&" argument: (_) @target) @expr)
      (function_definition declarator: (reference_declarator (function_declarator)) body: (compound_statement) @refBody)
      (return_statement (lambda_expression captures: (lambda_capture_specifier) @captures) @expr)
      (declaration declarator: (init_declarator declarator: (identifier) @name
        value: (lambda_expression captures: (lambda_capture_specifier) @captures) @lambda))`,
  },
  create(ctx) {
    return {
      match({ target, expr, refBody, captures, name, lambda }) {
        if (target) return addressOf(ctx, expr, target);
        if (refBody) return referenceReturns(ctx, refBody);
        if (captures && name && lambda) return storedLambda(ctx, name, lambda, captures);
        if (captures) return returnedLambda(ctx, expr, expr, captures);
      },
      // `return buf;` of a local array: the file's local array names are searched
      // after `return` in the text, where a pattern matched every `return x;`.
      finish() {
        for (const at of returnedNames(ctx)) {
          const id = ctx.nodeAt(at.start, at.end);
          if (id?.type === 'identifier' && id.parent?.type === 'return_statement') returnedArray(ctx, id);
        }
      },
    };
  },
});

const RUST = "Rust's borrow checker rejects a reference that outlives its owner";

/** `return &x;`, `return &x.f;`, `return &arr[i];` with x / arr a local object of this function. */
function addressOf(ctx: RuleContext, expr: Node, target: Node): void {
  const root = storageRoot(target);
  const local = root && findLocal(root);
  if (!local || local.kind === 'reference') return;
  ctx.report({
    node: expr,
    message: `returns the address of local ${root.text}, which dies when the function returns: ${RUST}; return by value, or let the caller own the storage`,
    related: [declaredHere(local)],
  });
}

const BLANK = String.raw`(?:\s|/\*[\s\S]*?\*/)`;
const RETURNED_NAME = new RegExp(String.raw`\breturn${BLANK}+(${IDENTIFIER})(?=${BLANK}*;)`, 'g');

/** Where a local array's name follows `return` (and is followed by `;`), within the array's block. */
function returnedNames(ctx: RuleContext): Array<{ start: number; end: number }> {
  const scopes = ctx.symbols.rangesByName('array', (scope) => (scope.kind === 'local' ? [scope.start, scope.end] : undefined));
  if (scopes.size === 0) return [];
  // Any name after `return`, then a lookup: a regex of the names would try each at every `return`.
  const found: Array<{ start: number; end: number }> = [];
  for (const m of ctx.text.matchAll(RETURNED_NAME)) {
    const start = m.index + m[0].length - m[1].length;
    const ranges = scopes.get(m[1]);
    if (ranges && overlaps(ranges, start, start + 1)) found.push({ start, end: start + m[1].length });
  }
  return found;
}

/** `return buf;` where buf is a local array: it decays to a pointer to dead storage. */
function returnedArray(ctx: RuleContext, id: Node): void {
  const name = wordAt(ctx.text, id.startIndex); // most returns are `return rc;`: no wasm call for them
  if (!ctx.symbols.has(name) || ctx.symbols.lookup(name, id.startIndex)?.kind !== 'array') return;
  const local = findLocal(id);
  if (local?.kind !== 'array' || local.parameter) return; // an array parameter is a pointer
  // In C an array can only be returned as a pointer; in C++ `std::string f() { char buf[8]; …; return buf; }` copies it.
  if (ctx.lang === 'cpp' && !returnsPointer(id)) return;
  ctx.report({
    node: id,
    message: `returns local array ${id.text}, which dies when the function returns: ${RUST}; return a std::array / std::vector / struct by value, or let the caller pass the buffer`,
    related: [declaredHere(local)],
  });
}

/** Whether the function (or lambda) around `node` returns a pointer (or `auto`, deduced as one). */
function returnsPointer(node: Node): boolean {
  const fn = enclosingFunction(node);
  if (fn?.type === 'lambda_expression') {
    return /->\s*[^{]*\*\s*$/.test(fn.childForFieldName('declarator')?.text ?? ''); // [] () -> char * { … }
  }
  if (fn?.type !== 'function_definition') return false;
  if (fn.childForFieldName('declarator')?.type === 'pointer_declarator') return true;
  return fn.childForFieldName('type')?.type === 'placeholder_type_specifier' && !/->/.test(fn.childForFieldName('declarator')?.text ?? '');
}

/** In a function returning a reference: `return x;` (or x.f, arr[i]) with x a local object. */
function referenceReturns(ctx: RuleContext, body: Node): void {
  const fn = body.parent;
  for (const ret of body.descendantsOfType('return_statement')) {
    const value = ret.namedChildren.find((c) => c.type !== 'comment');
    if (!value || !fn || !enclosingFunction(ret)?.equals(fn)) continue;
    const root = storageRoot(unparen(value));
    const local = root && findLocal(root);
    if (!local || local.kind === 'reference') continue;
    ctx.report({
      node: value,
      message: `returns a reference to local ${root.text}, which dies when the function returns: ${RUST}; return by value`,
      related: [declaredHere(local)],
    });
  }
}

/** `return [&] { … };` / `return [&x] { … };` capturing locals of the function by reference. */
function returnedLambda(ctx: RuleContext, reportOn: Node, lambda: Node, captures: Node, lambdaName?: string): void {
  const captured = capturedByReference(lambda, captures);
  if (captured.length === 0) return;
  const names = captured.map((c) => c.id.text).join(', ');
  ctx.report({
    node: reportOn,
    message: `returns ${lambdaName ? `lambda ${lambdaName}, which captures` : 'a lambda that captures'} local ${names} by reference; ${captured.length > 1 ? 'they die' : 'it dies'} when the function returns: ${RUST}; capture by value (in Rust, a move closure)`,
    related: [
      ...(lambdaName ? [{ start: lambda.startIndex, end: captures.endIndex, message: `lambda ${lambdaName} is created here` }] : []),
      ...captured.map(declaredHere),
    ],
  });
}

/** `auto f = [&] { … }; … return f;` in the same block. */
function storedLambda(ctx: RuleContext, name: Node, lambda: Node, captures: Node): void {
  const block = name.parent?.parent?.parent; // identifier → init_declarator → declaration → block
  if (block?.type !== 'compound_statement' || !/\[\s*&/.test(captures.text)) return;
  for (const ret of block.descendantsOfType('return_statement', name.endPosition)) {
    const value = ret.namedChildren.find((c) => c.type !== 'comment');
    if (value?.type !== 'identifier' || value.text !== name.text) continue;
    if (!enclosingFunction(ret)?.equals(enclosingFunction(lambda) ?? block)) continue;
    returnedLambda(ctx, value, lambda, captures, name.text);
  }
}

function capturedByReference(lambda: Node, captures: Node): Local[] {
  const found = new Map<string, Local>();
  const add = (id: Node) => {
    if (found.has(id.text) || findLocal(id)) return; // already seen, or the lambda's own local or parameter
    const local = findLocal(id, lambda);
    if (local && local.kind !== 'reference') found.set(id.text, local);
  };
  let byReferenceDefault = false;
  const byValue = new Set<string>();
  let previous = '';
  for (let i = 0; i < captures.childCount; i++) {
    const c = captures.child(i);
    if (!c) continue;
    if (c.type === 'lambda_default_capture') byReferenceDefault = c.text === '&';
    else if (c.type === 'identifier') {
      if (previous === '&') add(c);
      else byValue.add(c.text);
    }
    previous = c.type;
  }
  if (byReferenceDefault) {
    const body = lambda.childForFieldName('body');
    for (const id of body?.descendantsOfType('identifier') ?? []) {
      if (!byValue.has(id.text) && !isMemberName(id)) add(id);
    }
  }
  return [...found.values()];
}

function isMemberName(id: Node): boolean {
  const p = id.parent;
  return p?.type === 'qualified_identifier' || (p?.type === 'call_expression' && p.childForFieldName('function')?.equals(id) === true);
}

function declaredHere(local: Local) {
  return { start: local.id.startIndex, end: local.id.endIndex, message: `${local.id.text} is declared here, in the function's frame` };
}

function unparen(n: Node): Node {
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChildren[0];
  return n;
}

/** The variable whose storage `e` lives in: x for x, x.f, x.a[i], arr[i]; none through `->` or `*`. */
function storageRoot(e: Node): Node | undefined {
  e = unparen(e);
  if (e.type === 'identifier') return e;
  if (e.type === 'field_expression' && e.childForFieldName('operator')?.text === '.') {
    const arg = e.childForFieldName('argument');
    return arg ? storageRoot(arg) : undefined;
  }
  if (e.type === 'subscript_expression') {
    // arr[i] lives in arr only when arr is a local array, not a pointer or a member.
    const arg = e.childForFieldName('argument');
    const id = arg && unparen(arg);
    const local = id?.type === 'identifier' ? findLocal(id) : undefined;
    return local?.kind === 'array' && !local.parameter ? id ?? undefined : undefined;
  }
  return undefined;
}

interface Local {
  id: Node;
  kind: 'value' | 'array' | 'pointer' | 'reference';
  parameter: boolean;
}

const FUNCTIONS = new Set(['function_definition', 'lambda_expression']);

function enclosingFunction(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) if (FUNCTIONS.has(n.type)) return n;
  return null;
}

/**
 * The automatic (non-static) local or by-value parameter `id` refers to, in the
 * function around `from` (default: around `id`), declared before it. Statics,
 * externs, globals and names the function does not declare give undefined.
 */
function findLocal(id: Node, from: Node = id): Local | undefined {
  const name = id.text;
  let child = from;
  for (let n = from.parent; n; child = n, n = n.parent) {
    if (n.type === 'compound_statement' || n.type === 'for_statement' || n.type === 'for_range_loop') {
      for (const decl of n.namedChildren) {
        if (decl.startIndex >= child.startIndex) break;
        const found = declared(decl, name);
        if (found) return found;
      }
    }
    if (n.type === 'lambda_expression' || n.type === 'function_definition') {
      // A lambda's frame ends here too: what it captures is not its local.
      const params = parametersOf(n);
      for (const p of params) {
        const found = declared(p, name);
        if (found) return { ...found, parameter: true };
      }
      for (const decl of n.namedChildren) { // K&R parameter declarations
        if (decl.type !== 'declaration' || n.type !== 'function_definition') continue;
        const found = declared(decl, name);
        if (found) return { ...found, parameter: true };
      }
      return undefined;
    }
  }
  return undefined;
}

function parametersOf(fn: Node): Node[] {
  let d = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator' && d.type !== 'abstract_function_declarator') d = d.namedChildren.find((c) => c.type.endsWith('declarator')) ?? null;
  return d?.childForFieldName('parameters')?.namedChildren ?? [];
}

const AUTOMATIC_EXCLUDED = /^(static|extern|thread_local|__thread|_Thread_local)$/;

/** Whether `decl` (a declaration or parameter) declares `name` as an automatic variable, and how. */
function declared(decl: Node, name: string): Local | undefined {
  const isParam = decl.type === 'parameter_declaration' || decl.type === 'optional_parameter_declaration';
  if (decl.type !== 'declaration' && !isParam) return undefined;
  if (!decl.text.includes(name)) return undefined;
  if (decl.namedChildren.some((c) => c.type === 'storage_class_specifier' && AUTOMATIC_EXCLUDED.test(c.text))) return undefined;
  for (const top of decl.childrenForFieldName('declarator')) {
    let d: Node | null = top;
    while (d && d.type !== 'identifier') {
      if (d.type === 'function_declarator') return undefined; // a function prototype
      d = d.type === 'init_declarator' || d.type === 'parenthesized_declarator' || d.type === 'reference_declarator'
        ? d.namedChildren.find((c) => c.type !== 'comment' && c.type !== 'type_qualifier') ?? null
        : d.childForFieldName('declarator');
    }
    if (d?.text !== name) continue;
    return { id: d, kind: innermostKind(d, top), parameter: isParam };
  }
  return undefined;
}

/** The declarator closest to the name decides: `int *a[3]` is an array, `int (*a)[3]` a pointer. */
function innermostKind(id: Node, top: Node): Local['kind'] {
  for (let n = id.parent; n && !n.equals(top.parent ?? top); n = n.parent) {
    if (n.type === 'array_declarator') return 'array';
    if (n.type === 'pointer_declarator') return 'pointer';
    if (n.type === 'reference_declarator') return 'reference';
  }
  return 'value';
}

import type { Node } from 'web-tree-sitter';
import { lastAtOrBefore } from '../ranges';
import { defineRule } from '../rule';

// A parameter of a function definition, declared as a pointer (or in C++ a
// reference). The function's own declarator may be wrapped when it returns a
// pointer or a reference. Functions with pointer parameters are everywhere:
// the query captures what the check needs (captures come from wasm in bulk,
// while each .parent or .childForFieldName is a separate call), and the check
// reads text before it asks the tree anything. The body is not in the pattern:
// a state waiting for it through the parameter list doubled the pattern's cost;
// it is read once per function instead.
function functionPattern(param: string, lang: 'c' | 'cpp'): string {
  const list = `(function_declarator parameters: (parameter_list ${param}))`;
  const wrapped = lang === 'cpp'
    ? `[${list} (pointer_declarator declarator: ${list}) (reference_declarator ${list})]`
    : `[${list} (pointer_declarator declarator: ${list})]`;
  return `(function_definition declarator: ${wrapped})`;
}

export default defineRule({
  meta: {
    id: 'out-parameter',
    title: 'Out-parameter',
    description: 'a non-const pointer or reference parameter that is only ever written through',
    concept: 'return values, tuples, Option',
    category: 'borrowing',
    severity: 'hint',
    languages: ['c', 'cpp'],
    weight: 1,
    fixable: false,
  },
  query: {
    c: `${functionPattern('(parameter_declaration declarator: (pointer_declarator) @decl) @param', 'c')}
        (function_definition (declaration declarator: (pointer_declarator) @decl) @param)`, // K&R
    cpp: functionPattern('(parameter_declaration declarator: [(pointer_declarator) (reference_declarator)] @decl) @param', 'cpp'),
  },
  create(ctx) {
    // A function with several pointer parameters matches once per parameter: read its body once.
    // Comments and strings are blanked only when a check needs it: most parameters
    // are read somewhere, and the raw text already shows that.
    let cachedBody = -1;
    let raw = '';
    let code: string | undefined;
    let marks: CommentMarks | undefined;
    let bodyEnd = 0;
    const rawOf = (body: Node) => {
      if (body.id !== cachedBody) {
        cachedBody = body.id;
        bodyEnd = body.endIndex; // (a call into wasm: once per body)
        raw = ctx.text.slice(body.startIndex, bodyEnd);
        code = undefined;
        marks = undefined;
      }
      return raw;
    };
    let bodyOf: { fn: Node; body: Node | null } | undefined; // of the function the last parameter was in
    const functionAndBody = (param: Node) => {
      const fn = ctx.functionAt(param.startIndex);
      if (!fn) return undefined;
      if (bodyOf?.fn.id !== fn.id) {
        const body = fn.childForFieldName('body');
        bodyOf = { fn, body: body?.type === 'compound_statement' ? body : null };
      }
      return bodyOf.body ? { fn, body: bodyOf.body } : undefined;
    };
    const codeOf = (body: Node) => (code ??= rawOf(body).replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"/g, (m) => ' '.repeat(m.length)));
    const onlyWritten = (body: Node, name: string, reference: boolean) => {
      const first = onlyWrittenText(rawOf(body), name, reference);
      if (first.read) {
        // A read, unless the occurrence, or what the test saw around it, is in a comment or a string.
        // (Blanked #if branches change what the parser saw: there the tree decides.)
        marks ??= commentMarks(raw, ctx.isBlanked(body.startIndex, bodyEnd));
        const inText = (offset: number) => offset >= 0 && !plainCode(raw, marks!, offset)
          && /comment|string|char_literal/.test(body.descendantForIndex(body.startIndex + offset)?.type ?? '');
        if (!inText(first.read.at) && !inText(first.read.before) && !/^\s*\//.test(raw.slice(first.read.at + name.length, first.read.at + name.length + 80))) return undefined;
      } else if (!first.writes) return undefined;
      return onlyWrittenText(codeOf(body), name, reference).writes; // decided on the code alone
    };
    return {
      match({ decl, param }) {
        const target = outTarget(ctx.text, param, decl);
        if (!target) return;
        const { fn, body } = functionAndBody(param) ?? {};
        if (!fn || !body) return;
        const { name, reference } = target;
        const writes = onlyWritten(body, name, reference);
        if (!writes) return;
        // Only fields written through the first parameter: a method changing its receiver
        // (`self` in C, `&mut self` in Rust: a setter, a reset), not a result.
        if (!writes.whole && !param.previousNamedSibling) return;
        if (isInterface(fn) || body.hasError) return; // a use in what did not parse may be a read
        // The tree confirms each occurrence the text found (not every identifier of the body: bodies can be long).
        const uses = writes.at.map((i) => body.descendantForIndex(body.startIndex + i, body.startIndex + i + name.length));
        if (!uses.every((id) => id?.type === 'identifier' && isWriteThrough(id, reference))) return;
        ctx.report({
          node: param,
          message: `out-parameter ${name}: in Rust a function returns its results (a value, a tuple, an Option or Result) instead of writing through a ${reference ? 'reference' : 'pointer'}; return the value`,
        });
      },
    };
  },
});

const DECLARATOR = /^((?:[*&\s]|\b(?:const|volatile|restrict|__restrict)\b)*)([A-Za-z_]\w*)$/;
const DECLARATOR_AT = /((?:[*&\s]|\b(?:const|volatile|restrict|__restrict)\b)*)([A-Za-z_]\w*)(?=\s*[,);])/y;

/**
 * The parameter's name when it is a pointer or lvalue reference to a non-const
 * object, read from the text (`*p`, `**out`, `*const p`, `&r`). In `T *const *p`
 * the object written through the outer `*` is `T *const`: const, not an out-parameter.
 */
function outTarget(text: string, param: Node, decl: Node): { name: string; reference: boolean } | undefined {
  // Where the name is followed by the end of the parameter, the declarator ends with it: no need
  // to ask wasm for the declarator's end (8k parameters in sqlite3.c).
  DECLARATOR_AT.lastIndex = decl.startIndex;
  const m = DECLARATOR_AT.exec(text) ?? DECLARATOR.exec(text.slice(decl.startIndex, decl.endIndex));
  if (!m) return undefined; // arrays, function pointers, attributes
  const [, ops, name] = m;
  const prefix = text.slice(param.startIndex, decl.startIndex);
  if (ops.includes('&')) {
    if (ops.includes('&&') || ops.includes('*') || /\bconst\b/.test(prefix)) return undefined; // T&&, *&, const T&
    return { name, reference: true };
  }
  const levels = ops.split('*');
  const pointee = levels.length > 2 ? levels[levels.length - 2] : prefix;
  if (/\bconst\b/.test(pointee)) return undefined;
  if (levels.length === 2 && /^\s*void\s*$/.test(prefix.replace(/\b(?:volatile|register)\b/g, ''))) return undefined; // void *
  return { name, reference: false };
}

/** Where block comments may open and close in a body's text, and whether it may hold a raw string. */
interface CommentMarks {
  opens: number[];
  closes: number[];
  /** A raw string literal or a blanked branch: the text alone cannot tell. */
  unsure: boolean;
}

function commentMarks(body: string, blanked: boolean): CommentMarks {
  const every = (mark: string) => {
    const at: number[] = [];
    for (let i = body.indexOf(mark); i >= 0; i = body.indexOf(mark, i + 1)) at.push(i);
    return at;
  };
  return { opens: every('/*'), closes: every('*/'), unsure: blanked || body.includes('R"') };
}

/** The last entry of the sorted `list` below `limit`, or -1. */
function lastBelow(list: number[], limit: number): number {
  const i = lastAtOrBefore(list, (x) => x, limit - 1);
  return i < 0 ? -1 : list[i];
}

const DELIMITERS = new Set(['/', '*', '"', "'", '\\']);

/**
 * Whether `at` in a function body's text is surely code, not in a comment, string
 * or character literal, as far as the text alone shows: it is no delimiter, its
 * line holds no quote or `//` before it, no backslash continues the line above,
 * and no block comment is open (none can start before the body's brace). When
 * unsure, false: the caller asks the tree (a walk in wasm, for most parameters).
 */
function plainCode(body: string, marks: CommentMarks, at: number): boolean {
  if (marks.unsure || DELIMITERS.has(body[at])) return false;
  const lineStart = body.lastIndexOf('\n', at - 1) + 1;
  const line = body.slice(lineStart, at);
  if (line.includes('"') || line.includes("'") || line.includes('//')) return false;
  if (lineStart > 0 && /\\\r?\n$/.test(body.slice(Math.max(0, lineStart - 3), lineStart))) return false;
  // Any opener, real or not, is closed by a `*/` that starts two or more past it and ends before `at`.
  const open = lastBelow(marks.opens, at);
  return open < 0 || lastBelow(marks.closes, at - 1) >= open + 2;
}

/** Virtual functions, overrides and operators have a signature someone else chose. */
function isInterface(fn: Node): boolean {
  if (fn.children.some((c) => c.type === 'virtual')) return true;
  const text = fn.childForFieldName('declarator')?.text ?? '';
  return /\)\s*(?:const\s*)?(?:noexcept\s*)?(?:override|final)\b/.test(text) || /\boperator\b/.test(text);
}

// After the name: `*p = …` / `(*p).f = …`, `p->f = …` / `p->a.b = …`, `r = …` / `r.f = …`.
const AFTER_DEREF = /\s*\)?(?:\s*(?:\.|->)\s*\w+)*\s*=(?!=)/y;
const AFTER_ARROW = /\s*->\s*\w+(?:\s*(?:\.|->)\s*\w+)*\s*=(?!=)/y;
const AFTER_REFERENCE = /(?:\s*\.\s*\w+)*\s*=(?!=)/y;
const WHOLE = /\s*=(?!=)/y;

/**
 * Whether every occurrence of `name` in `body` looks like a write through it:
 * `writes` has their offsets, and whether one writes the whole object (`*p = …`,
 * `r = …`) rather than a field. Otherwise `read` is the first occurrence that is
 * not a write (for most parameters the first), and the offset of the character
 * before it that the test read.
 */
function onlyWrittenText(body: string, name: string, reference: boolean): { writes?: { whole: boolean; at: number[] }; read?: { at: number; before: number } } {
  const at: number[] = [];
  let whole = false;
  for (let i = body.indexOf(name); i >= 0; i = body.indexOf(name, i + name.length)) {
    const end = i + name.length;
    if (/\w/.test(body[i - 1] ?? '') || /\w/.test(body[end] ?? '')) continue; // part of a longer name
    let b = i - 1;
    while (b >= 0 && /\s/.test(body[b])) b--;
    const before = body[b] ?? '';
    if (reference) {
      if (/[.>*&]/.test(before) || !test(AFTER_REFERENCE, body, end)) return { read: { at: i, before: b } };
      whole ||= test(WHOLE, body, end);
    } else if (before === '*' && test(AFTER_DEREF, body, end)) {
      whole ||= test(WHOLE, body, end);
    } else if (/[.>*]/.test(before) || !test(AFTER_ARROW, body, end)) {
      return { read: { at: i, before: b } };
    }
    at.push(i);
  }
  return at.length > 0 ? { writes: { whole, at } } : {};
}

function test(sticky: RegExp, text: string, at: number): boolean {
  sticky.lastIndex = at;
  return sticky.test(text);
}

/**
 * `*p = …`, `(*p).f = …`, `p->f = …`, `p->a.b = …`; for a reference `r = …`, `r.f = …`.
 * An element write (`p[i] = …`, `r[i] = …`) fills a buffer: a `&mut [T]` in Rust, not a return value.
 */
function isWriteThrough(id: Node, reference: boolean): boolean {
  let e: Node = id;
  const parent = id.parent;
  if (!parent) return false;
  if (!reference) {
    if (parent.type === 'pointer_expression' && parent.childForFieldName('operator')?.text === '*') e = parent;
    else if (parent.type === 'field_expression' && parent.childForFieldName('operator')?.text === '->' && parent.childForFieldName('argument')?.equals(id)) e = parent;
    else return false;
  }
  for (let p = e.parent; p; e = p, p = p.parent) {
    if (p.type === 'parenthesized_expression') continue;
    if (p.type === 'field_expression' && p.childForFieldName('argument')?.equals(e)) continue;
    break;
  }
  const assign = e.parent;
  return assign?.type === 'assignment_expression' && assign.childForFieldName('operator')?.text === '='
    && !!assign.childForFieldName('left')?.equals(e);
}

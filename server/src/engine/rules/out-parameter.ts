import type { Node } from 'web-tree-sitter';
import { defineRule } from '../rule';

// A parameter of a function definition, declared as a pointer (or in C++ a
// reference). The function's own declarator may be wrapped when it returns a
// pointer or a reference.
function functionPattern(param: string, lang: 'c' | 'cpp'): string {
  const list = `(function_declarator parameters: (parameter_list ${param}))`;
  const wrapped = lang === 'cpp'
    ? `[${list} (pointer_declarator declarator: ${list}) (reference_declarator ${list})]`
    : `[${list} (pointer_declarator declarator: ${list})]`;
  return `(function_definition declarator: ${wrapped} body: (compound_statement) @body) @fn`;
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
        (function_definition (declaration declarator: (pointer_declarator) @decl) @param body: (compound_statement) @body) @fn`, // K&R
    cpp: functionPattern('(parameter_declaration declarator: [(pointer_declarator) (reference_declarator)] @decl) @param', 'cpp'),
  },
  create(ctx) {
    return {
      match({ fn, body, param, decl }) {
        const target = outTarget(param, decl);
        if (!target || isInterface(fn) || body.hasError) return; // a use in what did not parse may be a read
        const { name, reference } = target;
        if (!onlyWrittenText(body.text, name, reference)) return; // cheap text test first
        const uses = body.descendantsOfType('identifier').filter((id) => id.text === name);
        if (uses.length === 0 || !uses.every((id) => isWriteThrough(id, reference))) return;
        ctx.report({
          node: param,
          message: `out-parameter ${name}: in Rust a function returns its results (a value, a tuple, an Option or Result) instead of writing through a ${reference ? 'reference' : 'pointer'}; return the value`,
        });
      },
    };
  },
});

/** The parameter's name when it is a writable pointer or lvalue reference to a non-const object. */
function outTarget(param: Node, decl: Node): { name: string; reference: boolean } | undefined {
  if (decl.type === 'reference_declarator') {
    if (decl.child(0)?.text !== '&' || hasConst(param)) return undefined; // T&& or const T&
    const id = decl.namedChildren.find((c) => c.type === 'identifier');
    return id ? { name: id.text, reference: true } : undefined;
  }
  // T *p, T **p, T *const p: the object written through the outer `*` must not be const.
  const inner = decl.childForFieldName('declarator');
  if (inner?.type === 'identifier') {
    if (hasConst(param) || /^void$/.test(param.childForFieldName('type')?.text ?? '')) return undefined;
    return { name: inner.text, reference: false };
  }
  if (inner?.type === 'pointer_declarator' && !hasConst(inner)) {
    let id: Node | null = inner;
    while (id?.type === 'pointer_declarator') id = id.childForFieldName('declarator');
    return id?.type === 'identifier' ? { name: id.text, reference: false } : undefined;
  }
  return undefined;
}

function hasConst(n: Node): boolean {
  return n.namedChildren.some((c) => c.type === 'type_qualifier' && c.text === 'const');
}

/** Virtual functions, overrides and operators have a signature someone else chose. */
function isInterface(fn: Node): boolean {
  if (fn.children.some((c) => c.type === 'virtual')) return true;
  const text = fn.childForFieldName('declarator')?.text ?? '';
  return /\)\s*(?:const\s*)?(?:noexcept\s*)?(?:override|final)\b/.test(text) || /\boperator\b/.test(text);
}

/** Whether every textual occurrence of `name` in the body looks like a write through it. */
function onlyWrittenText(text: string, name: string, reference: boolean): boolean {
  if (!text.includes(name)) return false;
  const body = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"/g, ' '); // comments and strings
  const all = body.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
  if (all === 0) return false;
  const tail = '(?:\\s*(?:\\.|->)\\s*\\w+)*\\s*=(?!=)';
  const writes = reference
    ? new RegExp(`(?<![\\w.>])\\b${name}${tail}`, 'g')
    : new RegExp(`\\*\\s*${name}\\s*\\)?${tail}|(?<![\\w.>*])\\b${name}\\s*->\\s*\\w+${tail}`, 'g');
  return (body.match(writes)?.length ?? 0) === all;
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

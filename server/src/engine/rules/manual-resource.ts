import type { Node } from 'web-tree-sitter';
import { defineRule } from '../rule';
import { isHandedToSmartPointer } from './util';

/** Handle-returning functions and the call that releases the handle. */
const CLOSER: Record<string, string> = {
  fopen: 'fclose', fdopen: 'fclose', tmpfile: 'fclose', popen: 'pclose', opendir: 'closedir',
};

export default defineRule({
  meta: {
    id: 'manual-resource',
    title: 'Raw FILE* / DIR* handle',
    description: 'a handle from fopen, fdopen, tmpfile, popen, opendir stored in a raw variable',
    concept: 'File / OwnedFd with Drop',
    category: 'ownership',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 4,
    fixable: false,
  },
  // The engine finds these calls by name (`f(…)`, `std::f(…)`); member calls such as log.fopen() are not among them.
  calls: Object.keys(CLOSER),
  create(ctx) {
    let aliases: RegExp | undefined;
    const isSmartAlias = (type: string) => ctx.lang === 'cpp' && (aliases ??= smartPointerAliases(ctx.text)).test(type); // C has no smart pointers
    return {
      match({ call, fn }) {
        if (!storedInVariable(call) || isHandedToSmartPointer(call, ctx.text)) return;
        if (isSmartAlias(declaredType(call))) return; // FilePtr f(fopen(…)) with `using FilePtr = std::unique_ptr<…>`
        const closer = CLOSER[fn.text];
        const step = ctx.lang === 'cpp'
          ? `own it with std::unique_ptr<${fn.text === 'opendir' ? 'DIR' : 'FILE'}, …> and ${closer} as the deleter`
          : `keep ${fn.text} and ${closer} in one owner function, closed on every path`;
        ctx.report({
          node: call,
          message: `handle from ${fn.text} kept in a raw variable: in Rust a File / OwnedFd closes itself when dropped (Drop); ${step}`,
        });
      },
    };
  },
});

/** The declared type of `T x(call)` / `T x{call}`, or '' elsewhere. */
function declaredType(call: Node): string {
  const list = call.parent;
  if (list?.type !== 'argument_list' && list?.type !== 'initializer_list') return '';
  const init = list.parent;
  return init?.type === 'init_declarator' ? init.parent?.childForFieldName('type')?.text ?? '' : '';
}

/** Names the file gives to smart-pointer types (`using FilePtr = std::unique_ptr<…>;`, typedef). */
function smartPointerAliases(text: string): RegExp {
  const names: string[] = [];
  for (const m of text.matchAll(/\busing\s+(\w+)\s*=\s*[^;]*?\b(?:unique_ptr|shared_ptr)\s*</g)) names.push(m[1]);
  for (const m of text.matchAll(/\btypedef\s+[^;]*?\b(?:unique_ptr|shared_ptr)\s*<[^;]*>\s*(\w+)\s*;/g)) names.push(m[1]);
  return names.length ? new RegExp(`^(?:\\w+::)*(?:${names.join('|')})$`) : /(?!)/;
}

/**
 * Whether the call's value goes into a variable or field: `T *f = fopen(…)`,
 * `f = fopen(…)`, `T *f(fopen(…))`, a member initializer `fp_(fopen(…))`.
 * Returned or passed on, the handle is someone else's to store.
 */
function storedInVariable(call: Node): boolean {
  let outer = call;
  while (outer.parent && (outer.parent.type === 'parenthesized_expression' || outer.parent.type === 'cast_expression')) outer = outer.parent;
  const parent = outer.parent;
  switch (parent?.type) {
    case 'init_declarator':
      return true;
    case 'assignment_expression':
      return parent.childForFieldName('right')?.equals(outer) ?? false;
    case 'argument_list':
    case 'initializer_list': {
      const owner = parent.parent?.type;
      return owner === 'init_declarator' || owner === 'field_initializer';
    }
    default:
      return false;
  }
}

import type { Node } from 'web-tree-sitter';
import { defineRule, type Lang } from '../rule';
import { POINTER_FOLLOWS } from './util';

// The anchor is the `void *` context: a parameter or a member of plain type
// `void *` (one level, named or not), found from the word `void` followed by `*`
// (a query pattern with #eq? "void" unmarshalled every primitive-typed pointer).
// Only lists and structs holding one reach the check, which then looks for a
// function pointer beside it. Typedefs and aliases come from the query.
const query = (lang: Lang) => `
  (type_definition declarator: [(function_declarator) @typedef (pointer_declarator declarator: (function_declarator) @typedef)])
  (type_definition declarator: [(type_identifier) @plainType (pointer_declarator declarator: (type_identifier) @plainType)])
  ${lang === 'cpp' ? `(alias_declaration name: (type_identifier) type: (type_descriptor declarator: (abstract_function_declarator))) @alias
  [(type_parameter_declaration (type_identifier) @plainType)
   (optional_type_parameter_declaration name: (type_identifier) @plainType)
   (template_parameter_list (parameter_declaration declarator: (identifier) @plainType))]` : ''}
`;

/** Where a `void *` context may sit, by the list that holds it. */
const CONTEXT_LISTS: Record<string, string> = {
  parameter_declaration: 'parameter_list',
  optional_parameter_declaration: 'parameter_list',
  field_declaration: 'field_declaration_list',
};

/** Names that say "callback" when the typedef is in a header we cannot see: on_event_cb, redisCallbackFn, handler_t. */
const CALLBACK_NAME = /(?:^|_)(?:callback|handler|hook|func|function|proc|fn|cb)(?:_t)?$|[a-z0-9](?:Callback|Handler|Hook|Func|Function|Proc|Fn|Cb)(?:_t)?$|^(?:Callback|Handler|Hook)/i;

/** Typedef'd types seen in the file: function types with their parameters, and other names (plain typedefs, template parameters). */
interface FileTypes {
  fn: Map<string, FnType>;
  plain: Set<string>;
}

/** A function type from a typedef or alias: whether the name is a pointer, and its parameter list. */
interface FnType {
  pointer: boolean;
  params: Node | null;
}

export default defineRule({
  meta: {
    id: 'function-pointer-callback',
    title: 'Callback with a void* context',
    description: 'a parameter list or struct pairing a function pointer with a `void*` context',
    concept: 'closures (Fn traits)',
    category: 'types',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 2,
    fixable: false,
  },
  query: { c: query('c'), cpp: query('cpp') },
  words: ['void'],
  wordsFollowedBy: POINTER_FOLLOWS,
  create(ctx) {
    const types: FileTypes = { fn: new Map(), plain: new Set() };
    const candidates: Array<{ list: Node; ctx: Node; struct: boolean }> = [];
    const seen = new Set<number>();
    return {
      match({ word, wordParent, typedef, alias, plainType }) {
        if (typedef) recordTypedef(typedef, types.fn);
        else if (alias) recordAlias(alias, types.fn);
        else if (plainType) types.plain.add(plainType.text);
        else if (word?.type === 'primitive_type') {
          const context = wordParent;
          const list = context?.parent;
          if (!context || !list || CONTEXT_LISTS[context.type] !== list.type || (context.type === 'optional_parameter_declaration' && ctx.lang !== 'cpp')) return;
          if (context.childForFieldName('type')?.startIndex !== word.startIndex || !isVoidPointer(context)) return;
          if (seen.has(list.startIndex)) return; // one finding per list, however many void* it has
          seen.add(list.startIndex);
          candidates.push({ list, ctx: context, struct: list.type === 'field_declaration_list' });
        }
      },
      // Typedefs may follow their first use in the match order; decide at the end.
      finish() {
        for (const c of candidates) {
          // A const void* is data, not state a callback updates: qsort/bsearch-style
          // comparators (`const void *base`, `int (*cmp)(const void *, const void *)`) are not closures.
          if (isConstPointee(c.ctx)) continue;
          const callback = c.list.namedChildren.find((p) => p && !p.equals(c.ctx) && isCallback(p, types, ctx.lang));
          if (!callback) continue;
          const related = [
            { start: callback.startIndex, end: callback.endIndex, message: 'the function pointer' },
            { start: c.ctx.startIndex, end: c.ctx.endIndex, message: 'its void* context' },
          ];
          if (c.struct) {
            const head = structHead(c.list);
            if (!head) continue;
            ctx.report({
              node: callback,
              range: head,
              related,
              message: 'struct pairs a function pointer with a void* context: in Rust this is a closure that captures its state (Box<dyn Fn…>, or a trait object); in C++ std::function',
            });
          } else {
            ctx.report({
              node: callback,
              related: related.slice(1),
              message: 'callback with a void* context: in Rust a closure (impl FnMut / Box<dyn FnMut>) captures its state with its type; in C++ take std::function or a template callable',
            });
          }
        }
      },
    };
  },
});

/** Whether a parameter or member is a function pointer whose function takes a `void *` (the context). */
function isCallback(decl: Node, types: FileTypes, lang: Lang): boolean {
  if (!/^(?:optional_)?parameter_declaration$|^field_declaration$/.test(decl.type)) return false;
  const declarator = decl.childForFieldName('declarator');
  const fnParams = inlineFunctionPointerParams(declarator);
  if (fnParams) return takesVoidPointer(fnParams);
  const type = decl.childForFieldName('type');
  if (type?.type !== 'type_identifier') return false;
  // `cb_t cb` for a pointer typedef, `cb_fn *cb` for a function-type typedef.
  const declaratorType = declarator?.type; // (each read is a call into wasm)
  const pointerDeclarator = declaratorType === 'pointer_declarator' || declaratorType === 'abstract_pointer_declarator';
  if (pointerDeclarator && declarator?.childForFieldName('declarator')?.type.endsWith('pointer_declarator')) return false;
  const typeName = type.text;
  const known = types.fn.get(typeName);
  if (known) return known.pointer !== pointerDeclarator && !!known.params && takesVoidPointer(known.params);
  if (types.plain.has(typeName)) return false;
  // A type we cannot see: trust a callback-like name. Behind a pointer that is a
  // function-type typedef in C (`redisCallbackFn *fn`), but most likely a class in C++.
  if (pointerDeclarator && lang === 'cpp') return false;
  return CALLBACK_NAME.test(typeName);
}

/** The parameter list of `R (*name)(…)` / `R (*)(…)`, or null when the declarator is something else. */
function inlineFunctionPointerParams(declarator: Node | null): Node | null {
  // `void *(*start)(void *)`: the return type's pointer wraps the function declarator.
  // (Each `.type` is a call into wasm: read once per node.)
  let type = declarator?.type;
  while (declarator && (type === 'pointer_declarator' || type === 'abstract_pointer_declarator')) {
    declarator = declarator.childForFieldName('declarator');
    type = declarator?.type;
  }
  if (!declarator || (type !== 'function_declarator' && type !== 'abstract_function_declarator')) return null;
  const inner = declarator.childForFieldName('declarator');
  const innerType = inner?.type;
  if (!inner || (innerType !== 'parenthesized_declarator' && innerType !== 'abstract_parenthesized_declarator')) return null;
  const ptrType = inner.namedChildren.find((n) => n && !n.type.endsWith('comment'))?.type;
  if (ptrType !== 'pointer_declarator' && ptrType !== 'abstract_pointer_declarator') return null;
  return declarator.childForFieldName('parameters');
}

/** Whether a function type takes a (non-const) `void *`: the slot its context arrives in. */
function takesVoidPointer(params: Node): boolean {
  return params.namedChildren.some((p) => !!p && p.type.endsWith('parameter_declaration') && isVoidPointer(p) && !isConstPointee(p));
}

function isVoidPointer(decl: Node): boolean {
  if (decl.childForFieldName('type')?.text !== 'void') return false;
  const d = decl.childForFieldName('declarator');
  const type = d?.type;
  if (type === 'abstract_pointer_declarator') return !d!.childForFieldName('declarator');
  return type === 'pointer_declarator' && /^(?:identifier|field_identifier)$/.test(d!.childForFieldName('declarator')?.type ?? '');
}

/** `const void *` / `void const *`: the qualifier sits on the declaration, not on the pointer. */
function isConstPointee(decl: Node): boolean {
  return decl.namedChildren.some((n) => n?.type === 'type_qualifier' && n.text === 'const');
}

function recordTypedef(fn: Node, fnTypes: Map<string, FnType>): void {
  let pointer = false;
  let d: Node | null = fn.childForFieldName('declarator');
  while (d && d.type !== 'type_identifier') {
    if (d.type === 'pointer_declarator') pointer = true;
    d = d.type === 'parenthesized_declarator' ? d.namedChildren.find((n) => n && !n.type.endsWith('comment')) ?? null : d.childForFieldName('declarator');
  }
  if (d) fnTypes.set(d.text, { pointer, params: fn.childForFieldName('parameters') });
}

function recordAlias(alias: Node, fnTypes: Map<string, FnType>): void {
  const name = alias.childForFieldName('name')?.text;
  const fn = alias.childForFieldName('type')?.childForFieldName('declarator');
  if (!name || !fn) return;
  const params = inlineFunctionPointerParams(fn);
  fnTypes.set(name, params ? { pointer: true, params } : { pointer: false, params: fn.childForFieldName('parameters') });
}

/** The `struct Name` / `class Name` head of the struct whose member list this is (just the keyword when anonymous). */
function structHead(fields: Node): { start: number; end: number } | undefined {
  const spec = fields.parent;
  if (!spec || !/^(?:struct|class|union)_specifier$/.test(spec.type)) return undefined;
  const name = spec.childForFieldName('name');
  return { start: spec.startIndex, end: name ? name.endIndex : spec.startIndex + (spec.child(0)?.text.length ?? 0) };
}

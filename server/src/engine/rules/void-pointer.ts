import type { Node } from 'web-tree-sitter';
import { defineRule } from '../rule';
import { POINTER_FOLLOWS } from './util';

// `void*` parameters, members and variables. A function returning void*, a
// function pointer, a cast `(void*)x` and a template argument `T<void*>` are
// not variables, so the pointer declarator must lead to a name.
// Found from the word `void` followed by `*` in the text, not by a query pattern:
// a pattern would unmarshal every primitive-typed pointer before an #eq? dropped
// all but the void ones.
const OWNERS = new Set(['parameter_declaration', 'field_declaration', 'declaration']);
const CPP_OWNERS = new Set([...OWNERS, 'optional_parameter_declaration', 'for_range_loop']);

export default defineRule({
  meta: {
    id: 'void-pointer',
    title: 'void* parameter, member or variable',
    description: '`void*` parameters, members and variables',
    concept: 'generics / dyn Trait / Box<dyn Any>',
    category: 'types',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 2,
    fixable: false,
  },
  words: ['void'],
  wordsFollowedBy: POINTER_FOLLOWS,
  create(ctx) {
    const instead = ctx.lang === 'cpp' ? 'use a template, a base class with virtual functions, or std::any' : 'keep the real type where the code can';
    const owners = ctx.lang === 'cpp' ? CPP_OWNERS : OWNERS;
    const check = (decl: Node, owner: Node) => { // owner: decl's parent, known to the caller
      if (!namesAVariable(decl)) return;
      if (owner && owner.type.endsWith('parameter_declaration') && !isFunctionParameter(owner)) return;
      const what = decl.type === 'abstract_pointer_declarator' ? 'void* parameter' : `void ${decl.text.replace(/\s+/g, ' ')}`;
      ctx.report({
        node: decl,
        message: `${what} erases the type: in Rust the type stays known through generics, trait objects (dyn Trait) or Box<dyn Any>; ${instead}`,
      });
    };
    return {
      match({ word, wordParent }) {
        if (word.type !== 'primitive_type') return;
        const owner = wordParent;
        const ownerType = owner?.type; // (each `.type` is a call into wasm: read once)
        if (!owner || !ownerType || !owners.has(ownerType) || owner.childForFieldName('type')?.startIndex !== word.startIndex) return;
        for (const d of owner.childrenForFieldName('declarator')) {
          const init = d.type === 'init_declarator' && ownerType === 'declaration';
          const decl = init ? d.childForFieldName('declarator') : d;
          const declType = decl?.type;
          if (decl && (declType === 'pointer_declarator' || (declType === 'abstract_pointer_declarator' && ownerType === 'parameter_declaration'))) check(decl, init ? d : owner);
        }
      },
    };
  },
});

/** The declarator under a chain of `*`: a name, an array of void*, or (for functions) a function declarator. */
/** The innermost declarator under `decl`'s pointers, with its type (each `.type` is a call into wasm). */
function innermost(decl: Node): { node: Node; type: string } | null {
  let n: Node = decl;
  let type = n.type;
  while (type === 'pointer_declarator' || type === 'abstract_pointer_declarator') {
    const next: Node | null = n.childForFieldName('declarator');
    if (!next) return { node: n, type };
    n = next;
    type = n.type;
  }
  return { node: n, type };
}

function namesAVariable(decl: Node): boolean {
  const inner = innermost(decl);
  if (!inner) return false;
  if (inner.type === 'array_declarator') return true;
  return ['identifier', 'field_identifier', 'qualified_identifier', 'abstract_pointer_declarator'].includes(inner.type);
}

/**
 * A parameter of a function or lambda, not of a function-pointer type (that
 * variable is the function pointer), and not the `void*` that operator new /
 * delete must take by definition.
 */
function isFunctionParameter(param: Node): boolean {
  const owner = param.parent?.parent;
  if (!owner) return false;
  if (owner.type === 'abstract_function_declarator') return owner.parent?.type === 'lambda_expression';
  if (owner.type !== 'function_declarator') return false;
  const callee = owner.childForFieldName('declarator');
  if (!callee || callee.type === 'parenthesized_declarator') return false;
  return !/\boperator\s*(new|delete)\b/.test(callee.text);
}

import { defineRule } from '../rule';
import { MemberFunctions } from './util';

const ALLOCATORS = ['malloc', 'calloc', 'realloc', 'free', 'aligned_alloc', 'strdup', 'strndup'];

export default defineRule({
  meta: {
    id: 'malloc-free',
    title: 'C heap allocation',
    description: 'calls to malloc, calloc, realloc, free, aligned_alloc, strdup, strndup',
    concept: 'Box / Vec with Drop',
    category: 'ownership',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 4,
    fixable: false,
  },
  // A member call such as pool.malloc() has a field_expression callee and does not match.
  calls: ALLOCATORS,
  create(ctx) {
    const members = new MemberFunctions();
    return {
      match({ call, fn }) {
        // Inside class Pool, an unqualified malloc(n) may be Pool::malloc.
        if (ctx.lang === 'cpp' && fn.parent?.type === 'call_expression' && members.isMemberCall(call, fn.text)) return;
        const what = fn.text === 'free' ? 'manual free' : `heap allocation with ${fn.text}`;
        const rust = ctx.lang === 'cpp' ? 'use std::vector, std::string or std::unique_ptr' : 'keep allocation and release in one owner module with a create/destroy pair';
        ctx.report({ node: call, message: `${what}: in Rust, Box / Vec own heap memory and Drop frees it; ${rust}` });
      },
    };
  },
});

import { defineRule } from '../rule';

// Byte-level copies and fills that trust the caller's size. Member calls and
// declarations do not match; std::memcpy and friends do in C++.
const FUNCTIONS = ['memcpy', 'memmove', 'memset'];

export default defineRule({
  meta: {
    id: 'raw-memory-call',
    title: 'Raw memory call',
    description: 'memcpy, memmove, memset',
    concept: 'copy_from_slice / fill',
    category: 'bounds',
    severity: 'hint',
    languages: ['c', 'cpp'],
    weight: 1,
    fixable: false,
  },
  calls: FUNCTIONS,
  create(ctx) {
    const instead = ctx.lang === 'cpp' ? 'use std::copy, std::fill or assignment of typed values' : 'keep the size next to the buffer and check it';
    return {
      match({ call, fn }) {
        const rust = fn.text === 'memset' ? 'fill' : 'copy_from_slice';
        ctx.report({
          node: call,
          message: `${fn.text} copies raw bytes with an unchecked size: in Rust ${rust} works on typed slices whose lengths are checked; ${instead}`,
        });
      },
    };
  },
});

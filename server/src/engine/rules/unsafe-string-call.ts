import { defineRule } from '../rule';

// Calls that write into a buffer without knowing its size. Declarations, member
// calls (obj.strcpy()) and identifiers that merely contain the names do not match.
const FUNCTIONS = ['strcpy', 'strcat', 'sprintf', 'vsprintf', 'gets', 'wcscpy', 'wcscat'];

export default defineRule({
  meta: {
    id: 'unsafe-string-call',
    title: 'Unbounded string call',
    description: 'strcpy, strcat, sprintf, vsprintf, gets, wcscpy, wcscat',
    concept: 'String / copy_from_slice',
    category: 'bounds',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 4,
    fixable: false,
  },
  calls: FUNCTIONS,
  create(ctx) {
    const instead = ctx.lang === 'cpp' ? 'use std::string (or snprintf with the buffer size)' : 'pass the destination size (snprintf, a bounded copy that checks the length)';
    return {
      match({ call, fn }) {
        ctx.report({
          node: call,
          message: `${fn.text} writes without knowing the destination size: in Rust String grows as needed and copy_from_slice checks the bounds; ${instead}`,
        });
      },
    };
  },
});

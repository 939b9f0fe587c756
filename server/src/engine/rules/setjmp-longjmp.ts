import { defineRule } from '../rule';

const JUMPS = ['setjmp', 'longjmp', 'sigsetjmp', 'siglongjmp', '_setjmp', '_longjmp', '__builtin_setjmp', '__builtin_longjmp'];

export default defineRule({
  meta: {
    id: 'setjmp-longjmp',
    title: 'setjmp / longjmp',
    description: 'calls to setjmp, longjmp, sigsetjmp, siglongjmp',
    concept: 'Result / panics',
    category: 'control-flow',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 4,
    fixable: false,
  },
  // A member call such as ctx.longjmp() has a field_expression callee and does not match.
  calls: JUMPS,
  create(ctx) {
    return {
      match({ fn }) {
        // The call is not captured (one capture less to unmarshal for every call in the file).
        const call = fn.parent?.type === 'qualified_identifier' ? fn.parent.parent : fn.parent;
        if (!call) return;
        const jump = /longjmp/.test(fn.text);
        const what = jump ? `${fn.text}: a non-local jump that skips every frame in between` : `${fn.text}: a return point for a non-local jump`;
        const cpp = ctx.lang === 'cpp' ? ' (it also skips C++ destructors; use exceptions or error codes)' : '';
        ctx.report({
          // The call may hold a parse error (a macro argument); then report its name.
          node: call.hasError ? fn : call,
          message: `${what}: Rust has no non-local jumps; errors travel up as Result with ?, and unrecoverable ones panic and unwind with Drop${cpp}`,
        });
      },
    };
  },
});

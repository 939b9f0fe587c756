import type { Node } from 'web-tree-sitter';
import { defineRule } from '../rule';

// va_end is left out on purpose: it closes what the flagged va_start opened.
const VA_MACROS = ['va_start', 'va_arg', 'va_copy', '__builtin_va_start', '__builtin_va_arg', '__builtin_va_copy'];

/** Declarators that may wrap the function declarator of a definition: `char *f(...)`, `T &f(...)`. */
const WRAPPERS = new Set(['pointer_declarator', 'reference_declarator', 'parenthesized_declarator', 'attributed_declarator']);

export default defineRule({
  meta: {
    id: 'varargs',
    title: 'C variadic function',
    description: 'C variadic function definitions (`...`) and va_start / va_arg',
    concept: 'macros or slices',
    category: 'types',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 2,
    fixable: false,
  },
  // C++ spells the C ellipsis as a bare "..." token of the parameter list; a
  // template pack (`Args... args`) is a variadic_parameter_declaration instead.
  query: {
    c: '(parameter_list (variadic_parameter)) @params',
    cpp: '(parameter_list "...") @params',
  },
  calls: VA_MACROS,
  create(ctx) {
    return {
      match({ params, fn, call }) {
        if (fn && call) {
          // va_arg(ap, char *) has a type argument the grammar cannot parse: report the name then.
          ctx.report({
            node: call.hasError ? fn : call,
            message: `${fn.text}: reads untyped variadic arguments; Rust has no C varargs — take a slice, a tuple or a typed enum, or write a macro_rules! macro`,
          });
          return;
        }
        const declarator = params.parent;
        if (!declarator || !isDefinition(declarator)) return; // prototypes, function pointer types, catch (...)
        ctx.report({
          node: declarator,
          message: 'C variadic function: its arguments are untyped and unchecked; in Rust take a slice or a typed enum, or write a macro_rules! macro (a variadic template or std::initializer_list in C++)',
        });
      },
    };
  },
});

/** Whether a function declarator belongs to a function definition or a lambda (not a prototype). */
function isDefinition(declarator: Node): boolean {
  if (declarator.type === 'abstract_function_declarator') return declarator.parent?.type === 'lambda_expression';
  if (declarator.type !== 'function_declarator') return false;
  let n: Node | null = declarator.parent;
  while (n && WRAPPERS.has(n.type)) n = n.parent;
  return n?.type === 'function_definition';
}

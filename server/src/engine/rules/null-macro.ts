import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../rule';
import { Declarations, insideError, outerExpression, resolvesToPointer } from './util';

// `0` counts as a null pointer only where the file shows a pointer on the other
// side: a pointer declarator, or a name (`p`, `s.p`, `this->p`) the symbol
// table knows as a pointer. NULL is always reported; its fix needs the same proof.
// Whether a number is `0` is read from the text in match(): an `(#eq? @zero "0")`
// predicate asked wasm for the text of every number literal in those places.

export default defineRule({
  meta: {
    id: 'null-macro',
    title: 'NULL or 0 as a null pointer',
    description: '`NULL`, `__null` or a literal `0` used as a pointer in C++',
    concept: 'Option::None',
    category: 'nullability',
    severity: 'warning',
    languages: ['cpp'],
    weight: 1,
    fixable: true,
  },
  query: `
    (null) @null
    (init_declarator declarator: (pointer_declarator) value: (number_literal) @zero)
    (optional_parameter_declaration declarator: (pointer_declarator) default_value: (number_literal) @zero)
    (assignment_expression left: [(identifier) (field_expression)] @ptr operator: "=" right: (number_literal) @zero)
    (binary_expression left: [(identifier) (field_expression)] @ptr operator: ["==" "!="] right: (number_literal) @zero)
    (binary_expression left: (number_literal) @zero operator: ["==" "!="] right: [(identifier) (field_expression)] @ptr)
    (return_statement (number_literal) @zero) @return
  `,
  words: ['__null'],
  create(ctx) {
    const declarations = new Declarations(ctx.text);
    const isPointer = (e: Node) => isPointerExpression(e, ctx, declarations);
    return {
      match({ null: literal, word, zero, ptr, return: ret }) {
        if (zero && !isZero(ctx.text, zero.startIndex)) return;
        if (word && word.type !== 'identifier') return;
        const nul = literal ?? word; // word: __null, GCC's NULL
        if (nul && nul.text === 'nullptr') return;
        // `virtual T *f() = 0;` read as a declaration (a macro broke the class head): pure, not null.
        if (zero && zero.parent?.type === 'init_declarator' && zero.parent.childForFieldName('declarator')?.childForFieldName('declarator')?.type === 'function_declarator') return;
        if (ptr && !isPointer(ptr)) return;
        if (ret && !returnsPointer(ret)) return;
        if (nul) report(ctx, nul, inPointerContext(nul, isPointer));
        else report(ctx, zero, true); // each `0` pattern already names its pointer context
      },
    };
  },
});

/** Whether the number literal starting at `at` is exactly `0` (not `0x10`, `0.5`, `0u`, `0'000`). */
function isZero(text: string, at: number): boolean {
  return text[at] === '0' && !/[\w.']/.test(text[at + 1] ?? '');
}

function report(ctx: RuleContext, node: Node, fixable: boolean): void {
  const what = node.type === 'number_literal' ? '0 used as a null pointer' : `${node.text} as a null pointer`;
  ctx.report({
    node,
    message: `${what}: in Rust absence is Option::None and references are never null; use nullptr`,
    fix: fixable
      ? () => (insideError(node) ? undefined : { title: `Replace ${node.text} with nullptr`, edits: [{ start: node.startIndex, end: node.endIndex, newText: 'nullptr' }] })
      : undefined,
  });
}

/** Calls whose argument slot decides nothing about pointers: templates deduce the type from it. */
const DEDUCING_CALLS = /^(?:std::)?(?:make_pair|make_tuple|make_unique|make_shared|forward|move|tie|min|max|swap|exchange|optional|any)$/;
/** C functions whose argument at this index is an int, where NULL is sometimes (wrongly) passed as a zero. */
const INT_ARGUMENTS: Record<string, number> = {
  memset: 1, memchr: 1, strchr: 1, strrchr: 1, wmemset: 1, wmemchr: 1, wcschr: 1, wcsrchr: 1,
  putc: 0, fputc: 0, putchar: 0, ungetc: 0,
};

/**
 * NULL is `0` in disguise, and real code uses it as a zero (`buf[i] = NULL`,
 * `memset(p, NULL, n)`): nullptr does not compile there. So the fix is offered
 * only where the file shows that a pointer is expected.
 */
function inPointerContext(nul: Node, isPointer: (e: Node) => boolean): boolean {
  const outer = outerExpression(nul);
  const parent = outer.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'init_declarator':
    case 'optional_parameter_declaration':
    case 'field_declaration': // struct S { T *p = NULL; }
      return parent.childForFieldName('declarator')?.type === 'pointer_declarator';
    case 'initializer_list': { // T *p{NULL}
      const owner = parent.parent;
      return parent.namedChildCount === 1 && !!owner && /^(init_declarator|field_declaration)$/.test(owner.type)
        && owner.childForFieldName('declarator')?.type === 'pointer_declarator';
    }
    case 'assignment_expression':
      return parent.childForFieldName('right')?.equals(outer) === true && isPointer(parent.childForFieldName('left')!);
    case 'binary_expression': {
      const op = parent.childForFieldName('operator')?.type;
      if (op !== '==' && op !== '!=') return false;
      const left = parent.childForFieldName('left');
      const other = left?.equals(outer) ? parent.childForFieldName('right') : left;
      return !!other && isPointer(other);
    }
    case 'return_statement':
      return returnsPointer(parent);
    case 'cast_expression':
      return /\*\s*$/.test(parent.childForFieldName('type')?.text ?? '');
    case 'argument_list':
      return pointerArgument(parent, outer, isPointer);
    default:
      return false;
  }
}

function pointerArgument(args: Node, arg: Node, isPointer: (e: Node) => boolean): boolean {
  const owner = args.parent;
  if (owner?.type === 'field_initializer') { // Foo() : p_(NULL)
    const member = owner.firstNamedChild;
    return !!member && isPointer(member);
  }
  if (owner?.type !== 'call_expression') return false;
  const fn = owner.childForFieldName('function');
  if (fn?.type === 'template_function') { // static_cast<T *>(NULL)
    return /^(static_cast|reinterpret_cast|const_cast)$/.test(fn.childForFieldName('name')?.text ?? '')
      && /\*\s*>$/.test(fn.childForFieldName('arguments')?.text ?? '');
  }
  // Member calls include containers (v.push_back(NULL) on a vector<int>): unknowable here.
  if (!fn || (fn.type !== 'identifier' && fn.type !== 'qualified_identifier')) return false;
  const name = fn.text.replace(/^::/, '');
  if (DEDUCING_CALLS.test(name)) return false;
  const index = args.namedChildren.filter((c) => c.type !== 'comment').findIndex((c) => c.equals(arg));
  return INT_ARGUMENTS[name.replace(/^std::/, '')] !== index;
}

/**
 * An identifier the file declares as a pointer where it is used, or a member
 * (`this->p`, `s.p`) that every class in the file declaring it declares as a pointer.
 */
function isPointerExpression(e: Node, ctx: RuleContext, declarations: Declarations): boolean {
  // A field_identifier alone is a member initializer's name: `Node() : next(NULL)`.
  if (e.type === 'identifier' || e.type === 'field_identifier') return ctx.symbols.has(e.text) && resolvesToPointer(e, ctx, declarations);
  const field = e.type === 'field_expression' ? e.childForFieldName('field') : null;
  return field?.type === 'field_identifier' && ctx.symbols.has(field.text) && declarations.isPointerMember(field.text, e);
}

/** Whether the function around a return statement is declared to return a pointer. */
function returnsPointer(ret: Node): boolean {
  for (let n = ret.parent; n; n = n.parent) {
    if (n.type === 'lambda_expression') { // [](…) -> T * { … }
      const returnType = n.childForFieldName('declarator')?.namedChildren.find((c) => c.type === 'trailing_return_type');
      return /\*\s*$/.test(returnType?.text ?? '');
    }
    if (n.type === 'function_definition') {
      const declarator = n.childForFieldName('declarator');
      return declarator?.type === 'pointer_declarator';
    }
  }
  return false;
}

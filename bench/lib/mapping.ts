// Which clang-tidy checks stand as the reference for which of our rules, and
// how each side is narrowed to the subset the two can be compared on. Every
// narrowing is a deliberate difference of semantics and is printed with the
// results (see `note`).
import type { Node } from 'web-tree-sitter';
import type { Lang } from '../../server/src/engine';
import type { TidyDiagnostic } from './clang-tidy';

export interface Reference {
  rule: string;
  checks: string[];
  /** Languages in which clang-tidy runs the check at all (most cppcoreguidelines checks are C++ only). */
  langs: Lang[];
  /** Keep a clang-tidy diagnostic only when this holds (message, source line, text at its column). */
  keepTidy?: (d: TidyDiagnostic, src: SourceView) => boolean;
  /** Keep one of our findings only when this holds (the node that starts at the finding). */
  keepOurs?: (node: Node, src: SourceView) => boolean;
  /**
   * Left out of both sides: lines where this clang-query AST matcher binds (bench/lib/clang-query.ts),
   * a kind of code the reference's own matcher cannot see. `what` says which, for the output.
   */
  astLeaveOut?: { matcher: string; what: string };
  /**
   * Checks that flag code this rule deliberately accepts (not part of `checks`' comparison): every finding of ours
   * on the line of one of their diagnostics contradicts the rule's definition and is listed.
   */
  acceptedBy?: string[];
  note?: string;
}

export interface SourceView {
  /** 1-based line text. */
  line(n: number): string;
  /** Text from a 1-based line and column to the end of that line. */
  from(line: number, column: number): string;
}

const NEW = /\bnew\b/;
// `new (std::nothrow) T[n]` is an array new; `new (buffer) T` is placement new, which we do not flag.
const NEW_ARRAY = /\bnew\b\s*(\([^)]*\))?[^;()]*\[/;
const PLACEMENT_NEW = /\bnew\s*\(\s*(?!(std::)?nothrow\b)[^)]*\)\s*[A-Za-z_:]/;
const newAround = (d: TidyDiagnostic, s: SourceView) => s.line(d.line) + s.line(d.line + 1);
/** owning-memory about a `new` that initializes, is assigned or is returned (its "argument" diagnostics are about calls, left out on both sides). */
const tidyNewInit = (d: TidyDiagnostic, s: SourceView) => /^(initializing non-owner '|assigning newly created|returning a newly created)/.test(d.message)
  && !PLACEMENT_NEW.test(newAround(d, s));

/**
 * pointer-arithmetic: clang-tidy puts a binary or postfix operator's diagnostic on the operator,
 * a prefix one on the operator, a subscript on its base. Keep those whose pointer operand is a
 * bare identifier (ours only knows identifiers declared as pointers in the file).
 */
function bareIdentifierArithmetic(d: TidyDiagnostic, s: SourceView): boolean {
  const line = s.line(d.line);
  const at = line.slice(d.column - 1);
  const before = line.slice(0, d.column - 1);
  const bare = /(^|[^\w.>:\])])\s*[A-Za-z_]\w*\s*$/;
  if (/^(\+\+|--)\s*[A-Za-z_]\w*\s*([^\w.(\[-]|-[^>]|$)/.test(at) && !bare.test(before)) return true; // ++p
  if (/^(\+\+|--|[-+]=?)/.test(at)) return bare.test(before); // p++, p + n, p -= n
  return /^[A-Za-z_]\w*\s*\[/.test(at) && !/(\.|->|::)\s*$/.test(before); // p[i]
}

/** raw-delete: owning-memory does not flag deleting a member (`delete m_x`, `delete this->x`); everything else it does. */
function deletesNonMember(n: Node): boolean {
  const operand = /^delete\s*(\[\s*\])?\s*(.*?)\s*;?$/s.exec(n.text)?.[2] ?? '';
  if (/^this\s*->/.test(operand)) return false;
  if (!/^[A-Za-z_]\w*$/.test(operand)) return true;
  let fn: Node | null = n.parent;
  while (fn && fn.type !== 'function_definition' && fn.type !== 'lambda_expression') fn = fn.parent;
  if (!fn) return false;
  // A local or parameter: declared as a pointer earlier in the enclosing function.
  return new RegExp(`[\\w>*&]\\s*\\*\\s*(const\\s+)?${operand}\\s*[=;,)\\[{]`).test(fn.text.slice(0, n.startIndex - fn.startIndex));
}
const startText = (n: Node, s: SourceView) => s.from(n.startPosition.row + 1, n.startPosition.column + 1);
/**
 * owning-memory's 'initializing non-owner' / 'assigning newly created' / 'returning a newly created' cases: a `new`
 * that initializes a variable, is the right side of a plain `=` (to a variable, a member or an element) or is
 * returned; not an argument.
 */
const newInitOrAssign = (n: Node) => {
  const p = n.parent;
  return p?.type === 'init_declarator' || p?.type === 'return_statement'
    || (p?.type === 'assignment_expression' && p.childForFieldName('operator')?.type === '=' && p.childForFieldName('right')?.id === n.id);
};
/**
 * clang-tidy 14's owning-memory matches the `new` as the initializer or the assigned value exactly as it stands
 * in the AST. When clang puts a node in between, it says nothing (llvm/llvm-project#64361): an implicit conversion
 * (`Base *b = new Derived`, `void *p = new T`) or the cleanups of a temporary with a destructor that the
 * constructor call creates (`new Topic(std::string name)` passed by value, a default argument).
 */
const NEW_OWNING_MEMORY_CANNOT_SEE = {
  matcher: 'cxxNewExpr(isExpansionInMainFile(), unless(isInTemplateInstantiation()), hasParent(expr(anyOf(implicitCastExpr(), exprWithCleanups()))))',
  what: 'a `new` clang wraps in an implicit conversion or in cleanups of temporaries (owning-memory does not look through either, llvm-project#64361)',
};
const hasAncestor = (node: Node, types: string[]) => {
  for (let n = node.parent; n; n = n.parent) if (types.includes(n.type)) return true;
  return false;
};

export const REFERENCES: Reference[] = [
  {
    rule: 'raw-new', checks: ['cppcoreguidelines-owning-memory'], acceptedBy: ['modernize-make-unique'], langs: ['cpp'],
    keepTidy: (d, s) => tidyNewInit(d, s)
      && NEW.test(newAround(d, s)) && !NEW_ARRAY.test(newAround(d, s)),
    keepOurs: newInitOrAssign,
    astLeaveOut: NEW_OWNING_MEMORY_CANNOT_SEE,
    note: "compared on a non-array, non-placement `new` that initializes a variable, is assigned with `=` or is returned (owning-memory's "
      + "'initializing non-owner' / 'assigning newly created' / 'returning a newly created' diagnostics), and that clang does not wrap in an "
      + 'implicit conversion or in cleanups, which owning-memory (clang-tidy 14) does not look through. We also flag a `new` passed as an argument. '
      + 'modernize-make-unique flags exactly the smart-pointer cases we accept: it is checked the other way round (none of its lines may be ours).',
  },
  {
    rule: 'new-array', checks: ['cppcoreguidelines-owning-memory'], langs: ['cpp'],
    keepTidy: (d, s) => tidyNewInit(d, s) && NEW_ARRAY.test(newAround(d, s)),
    keepOurs: newInitOrAssign,
    astLeaveOut: NEW_OWNING_MEMORY_CANNOT_SEE,
    note: 'compared on `new T[n]` that initializes a variable or is assigned, as for raw-new (the same AST narrowing).',
  },
  {
    rule: 'raw-delete', checks: ['cppcoreguidelines-owning-memory'], langs: ['cpp'],
    keepTidy: (d) => /^deleting a pointer/.test(d.message),
    keepOurs: deletesNonMember,
    note: "owning-memory's 'deleting a pointer through a type that is not marked owner' diagnostics; it does not flag `delete member_`, "
      + 'so ours leaves out `delete this->x` and `delete x` where x is not declared in the enclosing function.',
  },
  {
    rule: 'malloc-free', checks: ['cppcoreguidelines-no-malloc'], langs: ['cpp'],
    keepOurs: (n, s) => /^(std::)?(malloc|calloc|realloc|free)\b/.test(startText(n, s)),
    note: 'no-malloc runs on C++ only and knows malloc/calloc/realloc/free; our aligned_alloc/strdup/strndup findings are left out.',
  },
  {
    rule: 'null-macro', checks: ['modernize-use-nullptr'], langs: ['cpp'],
  },
  {
    rule: 'c-style-cast', checks: ['cppcoreguidelines-pro-type-cstyle-cast'], langs: ['cpp'],
    // pro-type-cstyle-cast flags casts that would be a reinterpret_cast, a const_cast or a downcast;
    // arithmetic casts such as (int)x are not its business, so only casts to a pointer type are compared.
    keepOurs: (n, s) => /^\(\s*[^()]*\*\s*\)/.test(startText(n, s)) && !/^\(\s*(const\s+)?void\s*\*\s*\)/.test(startText(n, s)),
    note: 'compared on casts to a pointer type other than void*: pro-type-cstyle-cast ignores arithmetic and enum casts (we flag and fix them) '
      + 'and conversions a static_cast could do, such as to void*.',
  },
  {
    rule: 'pointer-arithmetic', checks: ['cppcoreguidelines-pro-bounds-pointer-arithmetic'], langs: ['cpp'],
    // Ours: arithmetic on an identifier declared as a pointer in the file. clang-tidy's: on any pointer expression.
    keepTidy: bareIdentifierArithmetic,
    note: 'clang-tidy diagnostics narrowed to arithmetic on a bare identifier (ours does not flag member expressions, call results or casts).',
  },
  {
    rule: 'c-array', checks: ['cppcoreguidelines-avoid-c-arrays'], langs: ['cpp'],
    keepTidy: (d, s) => !/^[\w:\s*]*\[\s*\]\s*>/.test(s.from(d.line, d.column)),
    note: 'avoid-c-arrays also flags T[] as a template argument (std::unique_ptr<T[]>), which new-array accepts as the fix; left out.',
  },
  {
    rule: 'goto', checks: ['cppcoreguidelines-avoid-goto'], langs: ['cpp'],
    note: 'avoid-goto allows a forward goto out of nested loops; we flag every goto (the difference shows as noise).',
  },
  {
    rule: 'mutable-global', checks: ['cppcoreguidelines-avoid-non-const-global-variables'], langs: ['c', 'cpp'],
    keepTidy: (d, s) => !/provides global access/.test(d.message) && !/^\s*extern\b/.test(s.line(d.line))
      && !/atomic|\b(mutex|once_flag|thread_local|_Thread_local|__thread|\w*_TLS)\b/i.test(s.line(d.line)),
    keepOurs: (n) => !hasAncestor(n, ['function_definition', 'lambda_expression']),
    note: 'clang-tidy does not flag function-local statics (we do): left out. Its second diagnostic on pointers (pointed-to data), '
      + 'extern declarations and atomic-like, mutex and thread-local variables (with a *_TLS macro too) are left out.',
  },
  {
    rule: 'rule-of-five', checks: ['cppcoreguidelines-special-member-functions'], langs: ['cpp'],
    keepTidy: (d) => /defines a non-default destructor/.test(d.message),
    note: "special-member-functions' 'defines a non-default destructor but does not define …' diagnostics only.",
  },
  {
    rule: 'uninitialized-variable', checks: ['cppcoreguidelines-init-variables'], langs: ['c', 'cpp'],
  },
  { rule: 'reinterpret-cast', checks: ['cppcoreguidelines-pro-type-reinterpret-cast'], langs: ['cpp'] },
  { rule: 'const-cast', checks: ['cppcoreguidelines-pro-type-const-cast'], langs: ['cpp'] },
  { rule: 'inline-asm', checks: ['hicpp-no-assembler'], langs: ['c', 'cpp'] },
];

/** A clang-tidy diagnostic inside a #define body: we do not analyze macro bodies. */
export function inMacroDefinition(line: number, src: SourceView): boolean {
  for (let n = line; n >= 1; n--) {
    const text = src.line(n);
    if (n < line && !/\\\s*$/.test(text)) return false;
    if (/^\s*#\s*define\b/.test(text)) return true;
  }
  return false;
}

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
  note?: string;
}

export interface SourceView {
  /** 1-based line text. */
  line(n: number): string;
  /** Text from a 1-based line and column to the end of that line. */
  from(line: number, column: number): string;
}

const NEW = /\bnew\b/;
const NEW_ARRAY = /\bnew\b[^;()]*\[/;
const newAround = (d: TidyDiagnostic, s: SourceView) => s.line(d.line) + s.line(d.line + 1);
const hasAncestor = (node: Node, types: string[]) => {
  for (let n = node.parent; n; n = n.parent) if (types.includes(n.type)) return true;
  return false;
};

export const REFERENCES: Reference[] = [
  {
    rule: 'raw-new', checks: ['cppcoreguidelines-owning-memory', 'modernize-make-unique'], langs: ['cpp'],
    keepTidy: (d, s) => d.check === 'cppcoreguidelines-owning-memory' && /newly created/.test(d.message)
      && NEW.test(newAround(d, s)) && !NEW_ARRAY.test(newAround(d, s)),
    // owning-memory only sees a `new` whose result initializes, is assigned to or is returned as a non-owner.
    keepOurs: (n) => ['init_declarator', 'assignment_expression', 'return_statement', 'field_initializer'].includes(n.parent?.type ?? ''),
    note: "owning-memory's 'newly created' diagnostics on a line with a non-array `new`; ours narrowed to a `new` that initializes, is assigned or returned "
      + "(owning-memory says nothing about `new` passed as an argument). modernize-make-unique flags exactly the smart-pointer cases we accept, so it is not a reference.",
  },
  {
    rule: 'new-array', checks: ['cppcoreguidelines-owning-memory'], langs: ['cpp'],
    keepTidy: (d, s) => /newly created/.test(d.message) && NEW_ARRAY.test(newAround(d, s)),
    keepOurs: (n) => ['init_declarator', 'assignment_expression', 'return_statement', 'field_initializer'].includes(n.parent?.type ?? ''),
    note: "owning-memory's 'newly created' diagnostics on a line with `new T[n]`; ours narrowed as for raw-new.",
  },
  {
    rule: 'raw-delete', checks: ['cppcoreguidelines-owning-memory'], langs: ['cpp'],
    keepTidy: (d) => /^deleting a pointer/.test(d.message),
    note: "owning-memory's 'deleting a pointer through a type that is not marked owner' diagnostics.",
  },
  {
    rule: 'malloc-free', checks: ['cppcoreguidelines-no-malloc'], langs: ['cpp'],
    keepOurs: (n, s) => /^(std::)?(malloc|calloc|realloc|free)\b/.test(s.from(n.startPosition.row + 1, n.startPosition.column + 1)),
    note: 'no-malloc runs on C++ only and knows malloc/calloc/realloc/free; our aligned_alloc/strdup/strndup findings are left out.',
  },
  {
    rule: 'null-macro', checks: ['modernize-use-nullptr'], langs: ['cpp'],
  },
  {
    rule: 'c-style-cast', checks: ['cppcoreguidelines-pro-type-cstyle-cast'], langs: ['cpp'],
    // pro-type-cstyle-cast flags casts that would be a reinterpret_cast, a const_cast or a downcast;
    // arithmetic casts such as (int)x are not its business, so only casts to a pointer type are compared.
    keepOurs: (n, s) => /^\(\s*[^()]*\*\s*\)/.test(s.from(n.startPosition.row + 1, n.startPosition.column + 1)),
    note: 'compared on casts to a pointer type only: pro-type-cstyle-cast ignores arithmetic and enum casts, which we flag (and fix).',
  },
  {
    rule: 'pointer-arithmetic', checks: ['cppcoreguidelines-pro-bounds-pointer-arithmetic'], langs: ['cpp'],
    // Ours: arithmetic on an identifier declared as a pointer in the file. clang-tidy's: on any pointer expression.
    keepTidy: (d, s) => /^(\+\+|--)?\s*[A-Za-z_]\w*\s*(\+\+|--|[-+]=?[^>=]|\[)/.test(s.from(d.line, d.column)),
    note: 'clang-tidy diagnostics narrowed to arithmetic on a bare identifier (ours does not flag member expressions, call results or casts).',
  },
  {
    rule: 'c-array', checks: ['cppcoreguidelines-avoid-c-arrays'], langs: ['cpp'],
  },
  {
    rule: 'goto', checks: ['cppcoreguidelines-avoid-goto'], langs: ['cpp'],
    note: 'avoid-goto allows a forward goto out of nested loops; we flag every goto (the difference shows as noise).',
  },
  {
    rule: 'mutable-global', checks: ['cppcoreguidelines-avoid-non-const-global-variables'], langs: ['c', 'cpp'],
    keepTidy: (d, s) => !/provides global access/.test(d.message) && !/\b(atomic|mutex|once_flag|thread_local)\b/.test(s.line(d.line)),
    keepOurs: (n) => !hasAncestor(n, ['function_definition', 'class_specifier', 'struct_specifier', 'field_declaration_list']),
    note: 'compared on namespace/file-scope variables: clang-tidy does not flag function-local statics and static members (we do); '
      + 'its second diagnostic on pointers (pointed-to data) and std::atomic/mutex/thread_local variables are left out.',
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

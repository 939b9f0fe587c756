import type { Node } from 'web-tree-sitter';
import { overlaps } from '../ranges';
import { defineRule, type Fix, type Lang, type RuleContext } from '../rule';
import { isArithmeticType, wordAt } from './util';

// Statics are found by their `static` specifier, checked in JS from the text:
// a #match? predicate on the declaration read the text of every declaration with
// any storage class (every `static` prototype of a big C file) through wasm.
// Parents are captured (a wildcard parent costs the query little; `.parent`
// walks down from the root in wasm).

export default defineRule({
  meta: {
    id: 'mutable-global',
    title: 'Mutable global or static',
    description: 'non-const variables at namespace/file scope, static data members and function-local statics',
    concept: '`static mut` is unsafe',
    category: 'borrowing',
    severity: 'warning',
    languages: ['c', 'cpp'],
    weight: 3,
    fixable: true,
  },
  // File and namespace scope are read from the unit's children: a pattern with
  // `translation_unit` or `declaration_list` as the parent keeps a query state
  // alive over the whole file (it cost more than all the rule's other patterns).
  query: {
    c: `
      (translation_unit) @unit
      (_ (declaration (storage_class_specifier) @localStorage) @local) @scope`,
    cpp: `
      (translation_unit) @unit
      (_ (declaration (storage_class_specifier) @localStorage) @local) @scope
      (field_declaration (storage_class_specifier) @memberStorage) @member`,
  },
  create(ctx) {
    let defines: Array<[number, number]> | undefined;
    const inDefine = (at: number) => overlaps((defines ??= defineRanges(ctx.text)), at, at + 1);
    const brokenRuns = new Map<number, Set<number>>();
    const afterBrokenCode = (decl: Node, scope: Node) => {
      if (!scope.hasError) return false;
      let run = brokenRuns.get(scope.id);
      if (!run) brokenRuns.set(scope.id, (run = declarationsAfterBrokenCode(scope)));
      return run.has(decl.id);
    };
    const check = ({ global, local, scope, member, storage }: { global?: Node; local?: Node; scope?: Node; member?: Node; storage?: Node }) => {
      if (storage && wordAt(ctx.text, storage.startIndex) !== 'static') return;
      if (local && scope?.type !== 'compound_statement') return; // a file-scope static: found as a global
      const decl = global ?? local ?? member;
      if (!decl || decl.hasError || !isCandidate(decl)) return; // tree-sitter-c misreads `_Thread_local`, for one
      // What tree-sitter misreads as file-scope declarations: the rest of a macro body after a
      // comment in it (tree-sitter-c), members of a class whose head did not parse.
      if (global && (inDefine(decl.startIndex) || afterBrokenCode(decl, scope!))) return;
      const where = member ? 'static data member' : local ? 'function-local static' : 'mutable global';
      const declarators = decl.childrenForFieldName('declarator');
      for (const top of declarators) {
        const variable = mutableVariable(decl, top);
        if (!variable || looksLikePrototype(decl, top)) continue;
        if (variable.type === 'qualified_identifier' && definesMemberOfVisibleClass(variable, ctx.text)) continue;
        ctx.report({
          node: top,
          message: `${where} ${variable.text}: in Rust a \`static mut\` is unsafe to touch, because any thread may be writing it; make it const, pass it as a parameter, or wrap it in a Mutex / atomic`,
          fix: global && declarators.length === 1 ? () => constFix(ctx, decl, top, variable, inDefine) : undefined,
        });
      }
    };
    return {
      match({ unit, localStorage, local, scope, memberStorage, member }) {
        if (unit) for (const { decl, scope: declaredIn } of namespaceScopeVariables(unit, ctx.lang)) check({ global: decl, scope: declaredIn });
        else check({ local, scope, member, storage: localStorage ?? memberStorage });
      },
    };
  },
});

/** Declarators of variables, not of functions (`int f(void);` is the most common file-scope declaration). */
const VARIABLE_DECLARATORS: Record<Lang, Set<string>> = {
  c: new Set(['identifier', 'init_declarator', 'array_declarator', 'pointer_declarator', 'parenthesized_declarator', 'attributed_declarator']),
  cpp: new Set(['identifier', 'init_declarator', 'array_declarator', 'pointer_declarator', 'parenthesized_declarator', 'attributed_declarator', 'qualified_identifier']), // Foo::count
};

/**
 * Declarations of variables at file scope and, in C++, in namespace and
 * `extern "C" { }` bodies (also those an ERROR holds), with the scope each is in
 * (`.parent` would walk down from the root). A few thousand children in a big
 * file, each one call into wasm for its type.
 */
function namespaceScopeVariables(unit: Node, lang: Lang): Array<{ decl: Node; scope: Node }> {
  const found: Array<{ decl: Node; scope: Node }> = [];
  const variables = VARIABLE_DECLARATORS[lang];
  const visit = (scope: Node, declares: boolean) => {
    for (const child of scope.namedChildren) {
      const type = child.type;
      if (type === 'declaration') {
        if (declares && child.childrenForFieldName('declarator').some((d) => variables.has(d.type))) found.push({ decl: child, scope });
      } else if (lang === 'cpp') {
        if (type === 'namespace_definition' || type === 'linkage_specification') {
          const body = child.childForFieldName('body');
          if (body?.type === 'declaration_list') visit(body, true);
        } else if (type === 'declaration_list') visit(child, true);
        else if (type === 'ERROR') visit(child, false);
      }
    }
  };
  visit(unit, true);
  return found;
}

const NOT_SHARED_MUTABLE = /^(extern|thread_local|__thread|_Thread_local|typedef)$/;
// Types that are safe to share as they are: Rust has `static M: Mutex<T>` and atomics without `mut`.
// Project wrappers count too (`port::Mutex`, `rd_atomic32_t`, `SpinLock`).
// (Tested, not matched: no `\w*` around the words, which backtracked quadratically over a long name.)
const SYNC_TYPE = /(?:[Aa]tomic|ATOMIC|[Mm]utex|MUTEX|SpinLock|[Ss]pinlock|RWLock|[Rr]wlock|CondVar|[Oo]nce_?[Ff]lag|condition_variable)|\b(?:counting_semaphore|binary_semaphore|latch|barrier|pthread_(?:once|cond)_t|SRWLOCK|CRITICAL_SECTION|INIT_ONCE)\b/;

function isCandidate(decl: Node): boolean {
  for (const c of decl.namedChildren) {
    const type = c.type; // (each read is a call into wasm)
    if (type === 'storage_class_specifier' && NOT_SHARED_MUTABLE.test(c.text)) return false;
    // `const` is decided per declarator: `const char *p` is still a mutable pointer.
    if (type === 'type_qualifier' && (c.text === 'constexpr' || c.text === '_Atomic')) return false;
  }
  return !SYNC_TYPE.test(decl.childForFieldName('type')?.text ?? '');
}

/**
 * The declared name when `top` declares a variable that is itself mutable:
 * the derived declarator closest to the name decides (`const char *p` is a
 * mutable pointer, `char *const p` is not, `int *a[3]` is an array of mutable
 * pointers). Functions and references give undefined.
 */
function mutableVariable(decl: Node, top: Node): Node | undefined {
  let id: Node | null = top;
  while (id && id.type !== 'identifier' && id.type !== 'field_identifier' && id.type !== 'qualified_identifier') {
    id = id.type === 'parenthesized_declarator' || id.type === 'reference_declarator'
      ? id.namedChildren.find((c) => c.type !== 'comment' && c.type !== 'type_qualifier') ?? null
      : id.childForFieldName('declarator');
  }
  if (!id) return undefined;
  for (let n = id.parent; n && !n.equals(decl); n = n.parent) {
    switch (n.type) {
      case 'array_declarator':
      case 'parenthesized_declarator':
      case 'attributed_declarator':
        continue;
      case 'pointer_declarator':
        return n.namedChildren.some((c) => c.type === 'type_qualifier' && c.text === 'const') ? undefined : id;
      case 'init_declarator':
        continue;
      default: // function_declarator (a prototype), reference_declarator
        return undefined;
    }
  }
  return decl.namedChildren.some((c) => c.type === 'type_qualifier' && c.text === 'const') ? undefined : id;
}

/**
 * `void InitOnce(OnceType *once, void (*init)());` parses in C++ as a variable
 * initialized with arguments (the most vexing parse). A `void` "variable", or
 * arguments that read like parameters (`int n`, `T *p`, `T &r`), make it a prototype.
 */
function looksLikePrototype(decl: Node, top: Node): boolean {
  if (decl.childForFieldName('type')?.text === 'void' && top.type !== 'pointer_declarator') return true;
  const value = top.type === 'init_declarator' ? top.childForFieldName('value') : null;
  if (value?.type !== 'argument_list') return false;
  const args = value.text.slice(1, -1);
  return /\b(?:void|bool|char|short|int|long|float|double|signed|unsigned|const|struct|enum)\b/.test(args) || /\w\s*[*&]+\s*\w+\s*(?:[,)]|$)/.test(args);
}

/**
 * The clean-looking declarations of a scope that follow code that did not
 * parse: the members of a class whose head a macro broke (`class ALIGN_AS(64)
 * Shard {`), where `private:` reads as a label, which no file scope can hold.
 * One pass over the scope's children (a scope is asked about once per
 * declaration in it).
 */
function declarationsAfterBrokenCode(scope: Node): Set<number> {
  const after = new Set<number>();
  let broken = false;
  for (const c of scope.namedChildren) {
    const type = c.type; // (each read is a call into wasm, and a file scope has thousands of children)
    if (type === 'comment') continue;
    if (type === 'declaration' && !c.hasError) {
      if (broken) after.add(c.id);
      continue;
    }
    // A broken declaration, an ERROR or a label starts a run. A namespace or function with
    // errors inside closed properly, and a macro call at file scope (`LIST_HEAD(x);`, an
    // expression statement) is common in C: what follows them is real.
    broken = type === 'ERROR' || type === 'declaration' || type === 'labeled_statement';
  }
  return after;
}

/** `int Foo::count = 0;` when the file also shows `class Foo { static int count; }` (reported there). */
function definesMemberOfVisibleClass(name: Node, text: string): boolean {
  const scope = name.childForFieldName('scope')?.text.replace(/<.*$/s, '').split('::').pop();
  return !!scope && new RegExp(`\\b(?:class|struct)\\s+${scope}\\b[^;{]*\\{`).test(text);
}

const DEFINE_BODY = /[ \t]*define\b(?:[^\n]*\\\r?\n)*[^\n]*/y;

/**
 * The #define directives of the file, continuation lines included. Found from
 * each `#` (a one-character search is fast; the regex alone scanned 9.5 MB in 13
 * ms), which must start its line.
 */
function defineRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let at = text.indexOf('#'); at >= 0; at = text.indexOf('#', at + 1)) {
    let i = at - 1;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
    if (i >= 0 && text[i] !== '\n') continue;
    DEFINE_BODY.lastIndex = at + 1;
    if (!DEFINE_BODY.test(text)) continue;
    ranges.push([i + 1, DEFINE_BODY.lastIndex]);
    at = DEFINE_BODY.lastIndex - 1;
  }
  return ranges;
}

/**
 * A file-scope `static` variable (internal linkage: every use is in this file)
 * that is never written nor has its address taken gets `const` (`constexpr` in
 * C++ for a scalar with a literal initializer).
 */
function constFix(ctx: RuleContext, decl: Node, top: Node, id: Node, inDefine: (at: number) => boolean): Fix | undefined {
  if (!decl.namedChildren.some((c) => c.type === 'storage_class_specifier' && c.text === 'static')) return undefined;
  if (decl.namedChildren.some((c) => c.type === 'type_qualifier' && c.text === 'volatile')) return undefined;
  const value = top.type === 'init_declarator' ? top.childForFieldName('value') : null;
  const type = decl.childForFieldName('type');
  if (!value || !type || id.type !== 'identifier') return undefined;
  const shape = shapeOf(id, top);
  if (ctx.lang === 'cpp' && shape.kind === 'value' && !isArithmeticType(type.text)) return undefined; // a class may have mutable members
  if (ctx.lang === 'cpp' && shape.kind === 'array' && !isArithmeticType(type.text) && !/\bchar\b/.test(type.text)) return undefined;
  if (!neverWritten(ctx, id, shape, inDefine)) return undefined;
  const literal = /^-?\s*(?:[0-9][\w.+-]*|'(?:[^'\\]|\\.)+'|true|false)$/.test(value.text);
  if (pointerNearestName(id, top)) { // `char *const p`, `const char *const names[]`
    return { title: `Make ${id.text} const`, edits: [{ start: id.startIndex, end: id.startIndex, newText: 'const ' }] };
  }
  const constinit = decl.namedChildren.some((c) => c.type === 'type_qualifier' && c.text === 'constinit'); // constinit excludes constexpr
  const keyword = ctx.lang === 'cpp' && shape.kind === 'value' && literal && !constinit ? 'constexpr' : 'const';
  return { title: `Make ${id.text} ${keyword}`, edits: [{ start: type.startIndex, end: type.startIndex, newText: `${keyword} ` }] };
}

interface Shape {
  kind: 'value' | 'array' | 'pointer';
  /** Array dimensions (`int a[2][3]`: 2). */
  dims: number;
}

/** Whether the nearest non-array declarator around the name is a pointer: then `const` goes right before the name. */
function pointerNearestName(id: Node, top: Node): boolean {
  for (let n = id.parent; n && !n.equals(top.parent ?? top); n = n.parent) {
    if (n.type === 'pointer_declarator') return true;
    if (n.type !== 'array_declarator' && n.type !== 'parenthesized_declarator') return false;
  }
  return false;
}

/** What the variable itself is: an array (of anything), a pointer, or a plain value. */
function shapeOf(id: Node, top: Node): Shape {
  let dims = 0;
  for (let n = id.parent; n && !n.equals(top.parent ?? top); n = n.parent) {
    if (n.type === 'array_declarator') dims++;
    else if (n.type === 'pointer_declarator') return { kind: dims ? 'array' : 'pointer', dims };
    else if (n.type !== 'parenthesized_declarator') break;
  }
  return { kind: dims ? 'array' : 'value', dims };
}

/**
 * Whether every use of the name in the file only reads the variable. Works on
 * the text first (uses are rare), then asks the tree about each occurrence.
 * Anything the rule cannot read with certainty (a macro body, an inactive
 * branch, a parse error) counts as a write.
 */
function neverWritten(ctx: RuleContext, id: Node, shape: Shape, inDefine: (at: number) => boolean): boolean {
  const root = rootOf(id);
  for (const m of ctx.text.matchAll(new RegExp(`\\b${id.text}\\b`, 'g'))) {
    const start = m.index;
    const end = start + id.text.length;
    if (start === id.startIndex) continue;
    if (ctx.isBlanked(start, end) || inDefine(start)) return false;
    const node = root.descendantForIndex(start, end);
    switch (node?.type) {
      case 'comment': case 'string_content': case 'string_literal': case 'char_literal': case 'raw_string_literal':
      case 'system_lib_string': case 'field_identifier': case 'type_identifier': case 'namespace_identifier': case 'statement_identifier':
        continue;
      case 'identifier':
        if (!node || isDeclaratorName(node)) continue; // another declaration of the name: its uses are checked as ours
        if (statementOf(node).hasError || !onlyReads(node, shape, ctx.lang)) return false;
        continue;
      default:
        return false;
    }
  }
  return true;
}

/** The statement or declaration a use sits in: if it did not parse, the use is not trusted. */
function statementOf(n: Node): Node {
  let s = n;
  while (s.parent && !s.type.endsWith('_statement') && s.type !== 'declaration' && s.type !== 'field_declaration') s = s.parent;
  return s;
}

function rootOf(n: Node): Node {
  let r = n;
  while (r.parent) r = r.parent;
  return r;
}

function isDeclaratorName(id: Node): boolean {
  const p = id.parent;
  return !!p && (p.type.endsWith('declarator') && p.childForFieldName('declarator')?.equals(id) === true
    || p.type === 'reference_declarator' || p.type.endsWith('parameter_declaration'));
}

/** Whether the expression around one use of the variable only reads it. */
function onlyReads(id: Node, shape: Shape, lang: 'c' | 'cpp'): boolean {
  let e = id;
  for (let p = e.parent; p; e = p, p = p.parent) {
    if (p.type === 'parenthesized_expression') continue;
    const isArgument = p.childForFieldName('argument')?.equals(e) === true;
    if (p.type === 'field_expression' && isArgument) {
      if (p.childForFieldName('operator')?.text === '->') return true; // through a pointer: the pointee may change, the variable does not
      continue; // a member of the variable
    }
    if ((p.type === 'subscript_expression' || (p.type === 'pointer_expression' && p.childForFieldName('operator')?.text === '*')) && isArgument) {
      if (shape.kind === 'pointer' && e.equals(id)) return true; // p[i], *p: the pointee
      continue; // an element of the variable
    }
    break;
  }
  const p = e.parent;
  if (!p) return false;
  const decays = shape.kind === 'array' && e.equals(id); // the array's name becomes a writable pointer
  switch (p.type) {
    case 'assignment_expression':
      return !p.childForFieldName('left')?.equals(e);
    case 'update_expression':
      return false;
    case 'pointer_expression':
      return p.childForFieldName('operator')?.text !== '&';
    case 'call_expression': // calling a function pointer: a read; a C++ member call may mutate
      return lang === 'c' || e.type !== 'field_expression';
    case 'argument_list': // passed by value in C (unless it is an array); C++ may bind a non-const reference
      // a[i] of a one-dimensional array is an element passed by value; of a[i][j], a row that decays.
      return lang === 'c' && (e.equals(id) ? !decays : shape.dims === 1 && e.type === 'subscript_expression' && !!e.childForFieldName('argument')?.equals(id));
    case 'init_declarator':
      return !decays && p.childForFieldName('declarator')?.type !== 'reference_declarator';
    case 'return_statement':
      return !decays && (lang === 'c' || !returnsReference(p));
    case 'binary_expression':
      return !decays && !(lang === 'cpp' && p.childForFieldName('operator')?.text === '>>' && p.childForFieldName('right')?.equals(e));
    case 'cast_expression':
    case 'initializer_list':
    case 'initializer_pair':
      return lang === 'c' && !decays;
    case 'unary_expression': case 'conditional_expression': case 'condition_clause': case 'subscript_argument_list':
    case 'subscript_expression': case 'sizeof_expression': case 'alignof_expression': case 'expression_statement':
    case 'case_statement': case 'if_statement': case 'while_statement': case 'do_statement': case 'for_statement':
    case 'switch_statement':
      return !decays || p.type === 'sizeof_expression' || p.type === 'alignof_expression';
    default:
      return false;
  }
}

function returnsReference(ret: Node): boolean {
  for (let n = ret.parent; n; n = n.parent) {
    if (n.type === 'lambda_expression') return true; // unknown return type: assume the worst
    if (n.type === 'function_definition') return n.childForFieldName('declarator')?.type === 'reference_declarator';
  }
  return false;
}

import type { Node } from 'web-tree-sitter';
import { defineRule, type Fix, type RuleContext } from '../rule';


type Special = 'copy constructor' | 'copy assignment' | 'move constructor' | 'move assignment';
const SPECIALS: readonly Special[] = ['copy constructor', 'copy assignment', 'move constructor', 'move assignment'];

export default defineRule({
  meta: {
    id: 'rule-of-five',
    title: 'Rule of five',
    description: 'a class with a user-written destructor that does not declare all copy and move operations',
    concept: 'moves by default, explicit Clone',
    category: 'ownership',
    severity: 'warning',
    languages: ['cpp'],
    weight: 3,
    fixable: true,
  },
  // Anchored on destructors (rare), not on every class body.
  query: `
    (function_definition declarator: (function_declarator declarator: (destructor_name))) @dtor
    (declaration declarator: (function_declarator declarator: (destructor_name))) @dtor`,
  create(ctx) {
    const seen = new Set<number>();
    let blanked: string | undefined;
    const code = () => (blanked ??= blankCommentsAndStrings(ctx.text));
    let header: boolean | undefined;
    const isHeader = () => (header ??= looksLikeHeader(ctx.text));
    let copySites: CopySites | undefined;
    const sites = () => (copySites ??= new CopySites(code()));
    return {
      match({ dtor }) {
        const body = dtor.parent;
        const cls = body?.parent;
        const name = cls?.childForFieldName('name');
        if (body?.type !== 'field_declaration_list' || !cls || !name || (cls.type !== 'class_specifier' && cls.type !== 'struct_specifier')) return;
        if (seen.has(cls.startIndex)) return; // a class with two destructors (#if branches) matches twice
        seen.add(cls.startIndex);
        const className = baseName(name);
        if (!className || !isUserWritten(dtor, className, ctx.text)) return;
        const members = specialMembers(body, className, ctx.text);
        // A special member may hide in a region that did not parse.
        if (body.hasError) {
          const special = new RegExp(`(?<!~\\s*)\\b${className}\\s*\\(|\\boperator\\s*=`);
          if (body.namedChildren.some((c) => c.hasError && special.test(c.text))) return;
        }
        const missing = SPECIALS.filter((s) => !members.declared.has(s));
        if (missing.length === 0) return;
        ctx.report({
          node: name,
          range: { start: cls.startIndex, end: name.endIndex },
          message: `${className} has a user-written destructor but does not declare its ${list(missing)}: in Rust a type moves by default and copies only through an explicit Clone; declare all five (copy = delete and move = default for a move-only type)`,
          fix: () => fixFor(ctx, isHeader, code, sites, cls, body, name, className, missing, members),
        });
      },
    };
  },
});

function list(items: readonly string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function baseName(name: Node): string | undefined {
  if (name.type === 'type_identifier') return name.text;
  if (name.type === 'template_type') return name.childForFieldName('name')?.text; // a specialization, Foo<int>
  if (name.type === 'qualified_identifier') {
    const inner = name.childForFieldName('name');
    return inner ? baseName(inner) : undefined;
  }
  return undefined;
}

/** A destructor with a body, or declared here and defined elsewhere; `= default` / `= delete` are not user-written. */
function isUserWritten(dtor: Node, className: string, text: string): boolean {
  if (dtor.namedChildren.some((c) => c.type === 'default_method_clause' || c.type === 'delete_method_clause')) return false;
  if (dtor.type === 'declaration') {
    // `~Foo();` here and `Foo::~Foo() = default;` further down is not user-written either.
    return !new RegExp(`\\b${className}\\s*::\\s*~\\s*${className}\\s*\\(\\s*\\)\\s*(?:noexcept\\s*)?=\\s*default`).test(text);
  }
  return true;
}

interface Members {
  declared: Set<Special>;
  /** Special members declared with a body or `= default` (not deleted). */
  usable: Set<Special>;
  /** A declaration the grammar took for a function call: a macro such as DISALLOW_COPY(Foo). */
  hasMacro: boolean;
}

function specialMembers(body: Node, className: string, text: string): Members {
  const members: Members = { declared: new Set(), usable: new Set(), hasMacro: false };
  for (const member of body.namedChildren) {
    const type = member.type; // (each read is a call into wasm)
    if (type !== 'function_definition' && type !== 'declaration' && type !== 'field_declaration') continue;
    // Most members are neither constructors nor assignments: tell from the text before asking the tree.
    const memberText = text.slice(member.startIndex, member.endIndex);
    if (!memberText.includes(className) && !memberText.includes('operator') && !(type === 'declaration' && /^\s*[A-Z_][A-Z0-9_]*\s*\(/.test(memberText))) continue;
    const fd = functionDeclarator(member.childForFieldName('declarator'));
    const fname = fd?.childForFieldName('declarator');
    if (!fd || !fname) continue;
    const fnameType = fname.type;
    const isCtor = fnameType === 'identifier' && fname.text === className;
    const isAssign = fnameType === 'operator_name' && fname.text.replace(/\s+/g, '') === 'operator=';
    if (!isCtor && !isAssign) {
      if (type === 'declaration' && !member.childForFieldName('type') && fnameType === 'identifier') members.hasMacro = true;
      continue;
    }
    const kind = parameterKind(fd, className, isAssign);
    if (!kind) continue;
    const special: Special = `${kind} ${isCtor ? 'constructor' : 'assignment'}`;
    members.declared.add(special);
    if (!member.namedChildren.some((c) => c.type === 'delete_method_clause')) members.usable.add(special);
  }
  return members;
}

function functionDeclarator(n: Node | null): Node | null {
  while (n && (n.type === 'reference_declarator' || n.type === 'pointer_declarator')) {
    n = n.namedChildren.find((c) => c.type.endsWith('declarator')) ?? null;
  }
  return n?.type === 'function_declarator' ? n : null;
}

/** 'copy' for (const) T&, 'move' for T&&; by-value T counts as copy assignment. */
function parameterKind(fd: Node, className: string, isAssign: boolean): 'copy' | 'move' | undefined {
  const params = fd.childForFieldName('parameters')?.namedChildren.filter((p) => p.type !== 'comment') ?? [];
  const [first, ...rest] = params;
  if (first?.type !== 'parameter_declaration') return undefined;
  if (isAssign ? rest.length > 0 : rest.some((p) => p.type !== 'optional_parameter_declaration')) return undefined;
  const type = first.childForFieldName('type');
  if (!type || baseName(type) !== className) return undefined;
  const declarator = first.childForFieldName('declarator');
  if (!declarator) return isAssign ? 'copy' : undefined;
  if (declarator.type !== 'abstract_reference_declarator' && declarator.type !== 'reference_declarator') return undefined;
  return declarator.child(0)?.text === '&&' ? 'move' : 'copy';
}

/**
 * The move-only recipe: copy operations `= delete`, move operations `= default`,
 * inserted before the closing brace in a public section. Only when the file
 * shows no copy of the class, the class declares no copy operation of its own
 * (that would say it is meant to be copied), and nothing in the body is a macro
 * that may already declare some.
 */
function fixFor(ctx: RuleContext, isHeader: () => boolean, code: () => string, sites: () => CopySites, cls: Node, body: Node, name: Node, className: string, missing: Special[], members: Members): Fix | undefined {
  if (name.type !== 'type_identifier' || body.hasError || members.hasMacro) return undefined;
  if (isHeader()) return undefined; // other files use the class, and may copy it: this file cannot show they do not
  if (cls.parent?.childForFieldName('declarator')) return undefined; // struct S {…} s; declares a value
  if (members.usable.has('copy constructor') || members.usable.has('copy assignment')) return undefined;
  if (!showsNoCopy(code(), sites, cls, className)) return undefined;
  const close = body.lastChild;
  if (close?.type !== '}') return undefined;
  const text = ctx.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const decls = declarations(className, ampersandStyle(text));
  const lines = missing.map((s) => decls[s]);
  const lastAccess = body.namedChildren.filter((c) => c.type === 'access_specifier').pop();
  const needsPublic = lastAccess ? lastAccess.text !== 'public' : cls.type === 'class_specifier';
  const closeLineStart = text.lastIndexOf('\n', close.startIndex - 1) + 1;
  const beforeClose = text.slice(closeLineStart, close.startIndex);
  if (beforeClose.trim()) {
    // `struct S { ~S() {} };` on one line: keep it on one line.
    const inline = `${needsPublic ? 'public: ' : ''}${lines.join(' ')} `;
    const pad = /\s$/.test(text.slice(0, close.startIndex)) ? '' : ' ';
    return { title: `Make ${className} move-only (declare the missing special members)`, edits: [{ start: close.startIndex, end: close.startIndex, newText: pad + inline }] };
  }
  const memberIndent = indentOf(text, body.namedChildren.find((c) => c.type !== 'comment' && c.type !== 'access_specifier'), beforeClose + '  ');
  const accessIndent = indentOf(text, lastAccess, beforeClose);
  const block = (needsPublic ? `${accessIndent}public:${eol}` : '') + lines.map((l) => `${memberIndent}${l}${eol}`).join('');
  return {
    title: `Make ${className} move-only (declare the missing special members)`,
    edits: [{ start: closeLineStart, end: closeLineStart, newText: block }],
  };
}

/** An include guard or `#pragma once`: a header, whose classes other files use. */
function looksLikeHeader(text: string): boolean {
  return /^[ \t]*#[ \t]*pragma[ \t]+once\b/m.test(text) || /^[ \t]*#[ \t]*ifndef[ \t]+(\w+)[^\n]*\n[ \t]*#[ \t]*define[ \t]+\1\b/m.test(text);
}

/** `Foo& x` (attached) or `Foo &x` (detached), whichever the file uses more. */
function ampersandStyle(text: string): 'attached' | 'detached' {
  const attached = text.match(/\w&(?!&)[\s),>]/g)?.length ?? 0;
  const detached = text.match(/\w\s+&(?!&)[\w)]/g)?.length ?? 0;
  return detached > attached ? 'detached' : 'attached';
}

function declarations(t: string, style: 'attached' | 'detached'): Record<Special, string> {
  const [ref, rref, ret] = style === 'attached' ? ['&', '&&', `${t}& `] : [' &', ' &&', `${t} &`];
  return {
    'copy constructor': `${t}(const ${t}${ref}) = delete;`,
    'copy assignment': `${ret}operator=(const ${t}${ref}) = delete;`,
    'move constructor': `${t}(${t}${rref}) = default;`,
    'move assignment': `${ret}operator=(${t}${rref}) = default;`,
  };
}

/** The indentation of the line `node` starts, when it starts the line; else `fallback`. */
function indentOf(text: string, node: Node | undefined, fallback: string): string {
  if (!node) return fallback;
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  const before = text.slice(lineStart, node.startIndex);
  return before.trim() ? fallback : before;
}

/**
 * Whether the file shows no copy of the class, conservatively: every mention of
 * its name outside its own members is a pointer, a reference, a smart pointer,
 * a qualified member name or a forward declaration, and nothing copies through
 * those pointers and references (`*p = *q`, `r = x`, `auto c = *p`, a lambda
 * capturing by copy, `*p` passed to a call). Anything else vetoes the fix.
 */
function showsNoCopy(code: string, sites: () => CopySites, cls: Node, name: string): boolean {
  const body = code.slice(cls.startIndex, cls.endIndex);
  if (/\*\s*this\b/.test(body.replace(/\breturn\s+\*\s*this\s*;/g, ''))) return false;
  const pointers: string[] = [];
  const refs: string[] = [];
  const constRefs: string[] = [];
  for (const m of code.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
    const i = m.index;
    const before = code.slice(Math.max(0, i - 60), i);
    const after = code.slice(i + name.length, i + name.length + 60);
    const use = mention(before, after);
    if (use === 'copy') return false;
    let declared = /^\s*(?:<(?:[^<>;{}]|<[^<>;{}]*>)*>)?\s*(?:const\s*)?[*&]+\s*(?:const\s+)?(\w+)/.exec(after)?.[1];
    if (declared === 'operator') declared = undefined; // Foo &operator=(…): a return type
    if (use === 'smart pointer') declared = /^[^;{}()]*?>\s*[*&]*\s*(\w+)/.exec(after)?.[1];
    if (declared && (use === 'pointer' || use === 'smart pointer')) pointers.push(declared);
    if (declared && use === 'reference') refs.push(declared);
    if (declared && use === 'const reference') constRefs.push(declared);
  }
  if (pointers.length + refs.length + constRefs.length === 0) return true;
  const unique = (names: string[]) => [...new Set(names.map(escape))];
  const [p, w, r] = [unique(pointers), unique(refs), unique([...refs, ...constRefs])];
  return !sites().copiesThrough(p, w, r);
}

/**
 * Where the file could copy an object through a name, indexed once per file:
 * `*p = …` / `p[i] = …` (through a pointer), `r = …` (through a reference),
 * `*p` or `r` passed to a call (which may take the object by value; std::move
 * and std::forward are fine), `auto c = *p;` / `auto c = r;`, and lambdas that
 * capture by copy. A class's pointer and reference names are then looked up.
 */
class CopySites {
  readonly derefAssigned = new Set<string>();
  readonly assigned = new Set<string>();
  readonly derefPassed = new Set<string>();
  readonly passed = new Set<string>();
  readonly capturedByCopy = new Set<string>();
  lambdaCopiesAll = false;

  constructor(code: string) {
    for (const m of code.matchAll(/(?:^|[;{}(),:])\s*\*\s*(\w+)\s*=(?!=)|\b(\w+)\s*\[[^\]\n]*\]\s*=(?!=)/gm)) this.derefAssigned.add(m[1] ?? m[2]);
    for (const m of code.matchAll(/\b(\w+)\s*=(?!=)/g)) {
      // not a declaration `Foo &r = …`, a member `x.r = …` or a dereference `*r = …`
      if (!/[&*.>]\s*$/.test(code.slice(Math.max(0, m.index - 8), m.index))) this.assigned.add(m[1]);
    }
    for (const m of code.matchAll(/[(,{]\s*(\*\s*)?(\w+)\s*[,)}]/g)) {
      if (m[0][0] === '(' && /\b(?:move|forward\s*<[^<>]*>)\s*$/.test(code.slice(Math.max(0, m.index - 60), m.index))) continue;
      (m[1] ? this.derefPassed : this.passed).add(m[2]);
    }
    for (const m of code.matchAll(/\bauto\s+\w+\s*(?:=|\(|\{)\s*(\*\s*)?(\w+)\s*[;)}]/g)) (m[1] ? this.derefPassed : this.passed).add(m[2]);
    this.lambdaCopiesAll = /\[\s*=/.test(code);
    for (const m of code.matchAll(/\[([^\[\]]*)\]\s*[({]/g)) {
      for (const c of m[1].split(',')) {
        const name = /^\s*(\w+)\s*$/.exec(c)?.[1];
        if (name) this.capturedByCopy.add(name);
      }
    }
  }

  /** Whether an object may be copied through pointers `p`, writable references `w` or any references `r`. */
  copiesThrough(p: string[], w: string[], r: string[]): boolean {
    if (p.length + r.length > 0 && this.lambdaCopiesAll) return true;
    return p.some((n) => this.derefAssigned.has(n) || this.derefPassed.has(n))
      || w.some((n) => this.assigned.has(n))
      || r.some((n) => this.passed.has(n) || this.capturedByCopy.has(n));
  }
}

type Mention = 'ok' | 'pointer' | 'smart pointer' | 'reference' | 'const reference' | 'copy';

/** How one mention of the class name uses it, judged from the text around it. */
function mention(before: string, after: string): Mention {
  if (/~\s*$/.test(before) || /^\s*::/.test(after)) return 'ok'; // ~Foo, Foo::member
  after = after.replace(/^\s*<(?:[^<>;{}]|<[^<>;{}]*>)*>/, ''); // Foo<int>: judge what follows the arguments
  if (/^\s*\(/.test(after)) {
    // A constructor's name, or Foo(args) / new Foo(args): a copy only when an
    // argument is a Foo lvalue, which is either declared with the name (vetoed
    // there) or a pointer/reference passed on (a hazard below).
    return 'ok';
  }
  if (/\b(?:class|struct)\s+$/.test(before) && /^\s*(?:[;{]|:(?!:)|final\b)/.test(after)) return 'ok'; // head, forward declaration
  if (/\b(?:sizeof|alignof)\s*\(\s*$/.test(before) && /^\s*\)/.test(after)) return 'ok';
  if (/\bnew\s+$/.test(before)) return 'ok';
  if (/\b(?:unique_ptr|shared_ptr|weak_ptr)\s*<\s*$/.test(before) && /^\s*(?:\[\s*\]\s*)?[>,]/.test(after)) return 'smart pointer';
  if (/\bmake_(?:unique|shared)\s*<\s*$/.test(before) && /^\s*>\s*\(/.test(after)) return 'ok';
  if (/^\s*(?:const\s*)?\*/.test(after)) return 'pointer';
  if (/^\s*&&/.test(after)) return 'reference'; // a named rvalue reference is an lvalue
  if (/^\s*(?:const\s*)?&/.test(after)) return /\bconst\s+$/.test(before) || /^\s*const\s*&/.test(after) ? 'const reference' : 'reference';
  return 'copy';
}

function escape(s: string): string {
  return s.replace(/[^\w]/g, '');
}

/** Comments and string/char literals replaced by spaces, offsets kept. */
function blankCommentsAndStrings(text: string): string {
  return text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (m) => m.replace(/[^\n]/g, ' '));
}

// tree-sitter parses text as written, without a preprocessor. Real code puts
// #if/#else branches where the grammar cannot nest them (each branch opening the
// same function, `extern "C" {` under #ifdef __cplusplus), which wrecks error
// recovery: half the lines of real C end up inside ERROR nodes. We keep ONE
// branch of every conditional and blank the rest, together with the conditional
// directive lines themselves, replacing characters by spaces so that every
// offset, line and column still points at the original text.
//
// Kept branch: the first, except `#if 0` (keeps its #else) and, in C,
// `#ifdef __cplusplus` / `#if defined(__cplusplus)` (keeps its #else).
import type { Lang } from './rule';

export interface Blanked {
  text: string;
  /** Sorted, non-overlapping [start, end) offsets of blanked inactive code (not directive lines). */
  inactive: Array<[number, number]>;
}

interface Frame {
  /** Index of the branch we keep (0 = the #if branch). */
  keep: number;
  branch: number;
  /** Whether the enclosing code is kept at all. */
  outerActive: boolean;
}

// `(.*?)\r?$`: a CRLF line still holds its \r, which `.` does not match.
const CONDITIONAL = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)\b(.*?)\r?$/;

export function blankInactiveBranches(text: string, lang: Lang): Blanked {
  if (!text.includes('#')) return { text, inactive: [] };
  const out: string[] = [];
  const inactive: Array<[number, number]> = [];
  const stack: Frame[] = [];
  const active = () => stack.length === 0 || (stack[stack.length - 1].outerActive && stack[stack.length - 1].branch === stack[stack.length - 1].keep);
  let pos = 0;
  let continued = false; // the previous line was a blanked directive ending in a backslash
  let changed = false;
  while (pos <= text.length) { // <=: a final empty line keeps the trailing newline, so lengths match
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const line = text.slice(pos, eol);
    let blank = false;
    if (continued) {
      blank = true;
      continued = line.endsWith('\\') || line.endsWith('\\\r');
    } else {
      const m = CONDITIONAL.exec(line);
      if (m) {
        directive(m[1], m[2], stack, lang, active());
        blank = true;
        continued = line.endsWith('\\') || line.endsWith('\\\r');
      } else if (!active()) {
        blank = true;
        if (line.trim()) {
          const last = inactive[inactive.length - 1];
          if (last && last[1] >= pos - 1) last[1] = eol;
          else inactive.push([pos, eol]);
        }
      }
    }
    if (blank && line.trim()) {
      out.push(line.replace(/[^\r\s]/g, ' '));
      changed = true;
    } else out.push(line);
    pos = eol + 1;
  }
  return changed ? { text: out.join('\n'), inactive } : { text, inactive: [] };
}

function directive(kind: string, rest: string, stack: Frame[], lang: Lang, nowActive: boolean): void {
  const top = stack[stack.length - 1];
  switch (kind) {
    case 'if':
    case 'ifdef':
    case 'ifndef': {
      const cond = rest.replace(/\/\/.*|\/\*.*?\*\//g, '').trim();
      const keepsElse = (kind === 'if' && /^0+$/.test(cond))
        || (lang === 'c' && ((kind === 'ifdef' && cond === '__cplusplus') || (kind === 'if' && /^defined\s*\(?\s*__cplusplus\s*\)?$/.test(cond))));
      stack.push({ keep: keepsElse ? 1 : 0, branch: 0, outerActive: nowActive });
      return;
    }
    case 'endif':
      stack.pop();
      return;
    default: // elif, elifdef, elifndef, else
      if (top) top.branch++;
  }
}

/** .h files are C unless they contain C++ syntax. */
export function detectLanguage(path: string, text: string): Lang {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'c') return 'c';
  if (ext === 'h') return looksLikeCpp(text) ? 'cpp' : 'c';
  return 'cpp';
}

const CPP_SYNTAX = /^[ \t]*(class|namespace|template)\b|\bstd::|\bnullptr\b|^[ \t]*(public|private|protected)[ \t]*:|\bvirtual\b|\bconstexpr\b/m;

function looksLikeCpp(text: string): boolean {
  // `extern "C"` under #ifdef __cplusplus is a C header's courtesy, not C++ code.
  return CPP_SYNTAX.test(text);
}

export const C_CPP_EXTENSIONS = ['.c', '.h', '.cc', '.cpp', '.cxx', '.hpp', '.hh', '.hxx', '.ipp', '.inl'];

// gcc / g++ over corpus files, with the flags from corpus.ts: a syntax check
// (does this text compile?) and the lines the preprocessor skipped (the #if
// branches the compiler did not take). Results are cached by content + flags.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_DIR, xFlag, type CorpusFile } from './corpus';

const compiler = (f: CorpusFile) => (f.lang === 'c' ? 'gcc' : 'g++');

function cached<T>(kind: string, file: CorpusFile, text: string, compute: () => T): T {
  const key = createHash('sha256').update(kind).update('\0').update(text).update('\0').update(file.flags.join(' ')).update(file.lang).digest('hex');
  const dir = path.join(CACHE_DIR, 'gcc');
  const p = path.join(dir, `${key}.json`);
  if (fs.existsSync(p)) return JSON.parse(fs.readFileSync(p, 'utf8')) as T;
  const value = compute();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(p, JSON.stringify(value));
  return value;
}

/**
 * Runs the compiler on `text` as if it were `file` (read from stdin; `-iquote` the
 * file's folder so its own `#include "…"` resolve as they would from disk).
 */
function runCompiler(file: CorpusFile, text: string, mode: string[]) {
  return spawnSync(compiler(file), [...mode, ...xFlag(file.lang), ...file.flags, '-iquote', path.dirname(file.file), '-w', '-'], {
    input: text, encoding: 'utf8', maxBuffer: 1 << 30, cwd: path.dirname(file.file),
  });
}

export interface CompileResult {
  ok: boolean;
  /** First error line, when it does not compile. */
  error?: string;
}

/** `gcc/g++ -fsyntax-only` on `text` (the file's own text by default). */
export function compiles(file: CorpusFile, text = fs.readFileSync(file.file, 'utf8')): CompileResult {
  return cached('syntax', file, text, () => {
    const r = runCompiler(file, text, ['-fsyntax-only']);
    if (r.status === 0) return { ok: true };
    return { ok: false, error: r.stderr.split('\n').find((l) => /error/.test(l))?.trim() ?? `exit ${r.status}` };
  });
}

const DIRECTIVE = /^\s*#/;
const OPENS_BRANCH = /^\s*#\s*(if|ifdef|ifndef|elif|elifdef|elifndef|else)\b/;

/**
 * 1-based lines of `file` inside #if branches the preprocessor skipped. `gcc -E`
 * (same flags) prints every line it keeps at its own line number (linemarkers
 * cover longer gaps); a source line with code whose output line is empty was
 * dropped, and it was skipped by a conditional when, going back over dropped
 * lines and directives, an #if/#else opening a branch comes before any kept
 * line (a multi-line macro call leaves empty lines too, but after its kept first line).
 */
export function skippedLines(file: CorpusFile): Set<number> {
  const text = fs.readFileSync(file.file, 'utf8');
  const lines = cached('skipped-v4', file, text, () => {
    const r = runCompiler(file, text, ['-E']);
    if (r.status !== 0) return [] as number[];
    const source = text.split('\n');
    const kept = new Set<number>();
    let inMain = false;
    let line = 1;
    for (const l of r.stdout.split('\n')) {
      const m = /^# (\d+) "(.*?)"/.exec(l);
      if (m) {
        inMain = m[2] === '<stdin>';
        if (inMain) line = Number(m[1]);
      } else if (inMain) {
        if (l.trim()) kept.add(line);
        line++;
      }
    }
    const dropped = (n: number) => !kept.has(n);
    // A directive goes on over lines ending in a backslash.
    const directive: boolean[] = [];
    source.forEach((code, i) => (directive[i + 1] = DIRECTIVE.test(code) || (!!directive[i] && /\\\s*$/.test(source[i - 1]))));
    const out: number[] = [];
    for (let n = 1; n <= source.length; n++) {
      const code = source[n - 1];
      if (!code.trim() || directive[n] || !dropped(n)) continue;
      let k = n - 1;
      while (k >= 1 && !OPENS_BRANCH.test(source[k - 1]) && (directive[k] || dropped(k) || !source[k - 1].trim())) k--;
      if (k >= 1 && OPENS_BRANCH.test(source[k - 1])) out.push(n);
    }
    return out;
  });
  return new Set(lines);
}

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

const CONDITIONAL = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b/;

/**
 * 1-based lines of `file` inside #if branches the preprocessor skipped. Read from
 * the linemarkers of `gcc -E`: a forward jump over lines that hold a conditional
 * directive is a skipped branch (other jumps are blank lines or multi-line macro calls).
 */
export function skippedLines(file: CorpusFile): Set<number> {
  const text = fs.readFileSync(file.file, 'utf8');
  const ranges = cached('skipped', file, text, () => {
    const r = runCompiler(file, text, ['-E']);
    if (r.status !== 0) return [] as Array<[number, number]>;
    const source = text.split('\n');
    const out: Array<[number, number]> = [];
    let inMain = false;
    let line = 1;
    for (const l of r.stdout.split('\n')) {
      const m = /^# (\d+) "(.*?)"/.exec(l);
      if (!m) {
        if (inMain) line++;
        continue;
      }
      inMain = m[2] === '<stdin>';
      if (!inMain) continue;
      const to = Number(m[1]);
      if (to > line && source.slice(line - 1, to - 1).some((s) => CONDITIONAL.test(s))) out.push([line, to - 1]);
      line = to;
    }
    return out;
  });
  const lines = new Set<number>();
  for (const [a, b] of ranges) for (let l = a; l <= b; l++) lines.add(l);
  return lines;
}

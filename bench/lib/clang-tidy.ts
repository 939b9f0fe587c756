// Runs clang-tidy over corpus files, two processes at a time, and caches each
// file's diagnostics by file content + flags + check list + clang-tidy version,
// so a rerun of the accuracy benchmark is fast. Only diagnostics in the file
// itself are kept (no header diagnostics); a file with a compiler error is
// recorded as unparseable.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_DIR, xFlag, type CorpusFile } from './corpus';

export interface TidyDiagnostic {
  line: number; // 1-based, as clang-tidy prints
  column: number;
  message: string;
  check: string;
  /** The macro whose expansion the diagnostic points into (clang's "expanded from macro" note). */
  macro?: string;
}

export interface TidyResult {
  /** Compiler errors: the file is left out of the comparison when there is any. */
  errors: string[];
  diagnostics: TidyDiagnostic[];
  /** Wall time of the clang-tidy process for this file, when it ran (not from cache). */
  ms: number;
}

export function clangTidyVersion(): string {
  const out = execFileSync('clang-tidy', ['--version'], { encoding: 'utf8' });
  return /version\s+([\d.]+)/.exec(out)?.[1] ?? out.trim();
}

const LINE = /^(.*?):(\d+):(\d+): (warning|error|fatal error|note): (.*?)(?: \[([\w.,-]+)\])?$/;
/** Bumped when the parsed form changes, so old cache entries are not read. */
const CACHE_FORMAT = '2';

export function parseTidyOutput(output: string, file: string): Omit<TidyResult, 'ms'> {
  const errors: string[] = [];
  const diagnostics: TidyDiagnostic[] = [];
  let last: TidyDiagnostic[] = [];
  for (const text of output.split('\n')) {
    const m = LINE.exec(text);
    if (!m) continue;
    const [, where, line, column, kind, message, check = ''] = m;
    if (kind === 'note') {
      const macro = /^expanded from macro '(\w+)'/.exec(message)?.[1];
      // The notes go from the innermost expansion out; the warning sits at the outermost one.
      if (macro) for (const d of last) d.macro = macro;
      continue;
    }
    last = [];
    if (kind !== 'warning' || check.startsWith('clang-diagnostic')) {
      if (kind !== 'warning') errors.push(`${path.basename(where)}:${line}: ${message}`);
      continue;
    }
    if (path.resolve(where) !== file) continue;
    last = check.split(',').map((c) => ({ line: Number(line), column: Number(column), message, check: c }));
    diagnostics.push(...last);
  }
  return { errors, diagnostics };
}

function cacheKey(file: CorpusFile, checks: string, version: string): string {
  return createHash('sha256').update(fs.readFileSync(file.file)).update('\0').update(file.flags.join(' '))
    .update('\0').update(checks).update('\0').update(version).update(CACHE_FORMAT).digest('hex');
}

const tidyArgs = (file: CorpusFile, checks: string) => ['--quiet', `-checks=${checks}`, file.file, '--', ...xFlag(file.lang), ...file.flags, '-Wno-everything'];

/**
 * CPU time (user + sys) of one clang-tidy run, from bash's `times`: unlike wall
 * time it does not grow when other processes load the machine. Not cached.
 */
export function clangTidyCpuMs(file: CorpusFile, checks: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', 'clang-tidy "$@" >/dev/null 2>&1; times', 'bash', ...tidyArgs(file, checks)], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', () => {
      // Second line: the children's user and system time, e.g. "0m3.210s 0m0.200s".
      const t = [...(out.trim().split('\n')[1] ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      if (t.length === 2) resolve((t[0] + t[1]) * 1000);
      else reject(new Error(`cannot read the CPU time of clang-tidy: ${out}`));
    });
  });
}

function runOne(file: CorpusFile, checks: string): Promise<TidyResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const args = tidyArgs(file, checks);
    const child = spawn('clang-tidy', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', () => resolve({ ...parseTidyOutput(out, file.file), ms: performance.now() - started }));
  });
}

export interface TidyRun {
  results: Map<CorpusFile, TidyResult>;
  /** Files actually run now (not from the cache), and the wall time of the whole run. */
  ran: number;
  wallMs: number;
}

/** clang-tidy over every file, `concurrency` processes at a time, with the cache. */
export async function runClangTidy(files: CorpusFile[], checks: string, concurrency = 2, progress?: (done: number, total: number) => void): Promise<TidyRun> {
  const version = clangTidyVersion();
  const dir = path.join(CACHE_DIR, 'clang-tidy');
  fs.mkdirSync(dir, { recursive: true });
  const results = new Map<CorpusFile, TidyResult>();
  const todo: Array<{ file: CorpusFile; cacheFile: string }> = [];
  for (const file of files) {
    const cacheFile = path.join(dir, `${cacheKey(file, checks, version)}.json`);
    if (fs.existsSync(cacheFile)) results.set(file, JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as TidyResult);
    else todo.push({ file, cacheFile });
  }
  const started = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < todo.length) {
      const { file, cacheFile } = todo[next++];
      const result = await runOne(file, checks);
      fs.writeFileSync(cacheFile, JSON.stringify(result));
      results.set(file, result);
      progress?.(++done, todo.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { results, ran: todo.length, wallMs: performance.now() - started };
}

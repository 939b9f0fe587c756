// clang-query (clang-tools-14, which clang-tidy-14 depends on) over corpus
// files: the 1-based lines of the file itself where an AST matcher binds.
// The accuracy benchmark uses it to narrow a comparison by what the compiler's
// AST says (e.g. a `new` clang-tidy's matcher cannot see through an implicit
// conversion). Cached by file content + flags + matcher + version, like clang-tidy.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_DIR, xFlag, type CorpusFile } from './corpus';

const CLANG_QUERY = 'clang-query-14';

function version(): string {
  return /version\s+([\d.]+)/.exec(execFileSync(CLANG_QUERY, ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';
}

/** `file:line:col: note: "root" binds here` lines, for the file itself only. */
export function parseQueryOutput(output: string, file: string): number[] {
  const lines: number[] = [];
  for (const m of output.matchAll(/^(.*?):(\d+):\d+: note: "root" binds here$/gm)) {
    if (path.resolve(m[1]) === file) lines.push(Number(m[2]));
  }
  return lines;
}

function runOne(file: CorpusFile, matcher: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const args = ['-c', 'set output diag', '-c', `match ${matcher}`, file.file, '--', ...xFlag(file.lang), ...file.flags, '-Wno-everything'];
    const child = spawn(CLANG_QUERY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', () => {
      // A matcher that does not parse prints its error and no count: better to stop than to narrow by nothing.
      if (!/^\d+ match(es)?\.$/m.test(out)) reject(new Error(`clang-query failed on ${file.display}: ${(err || out).slice(0, 300)}`));
      else resolve(parseQueryOutput(out, file.file));
    });
  });
}

/** Lines where `matcher` binds in each file, `concurrency` processes at a time, cached. */
export async function clangQueryLines(files: CorpusFile[], matcher: string, concurrency = 2): Promise<Map<CorpusFile, Set<number>>> {
  const v = version();
  const dir = path.join(CACHE_DIR, 'clang-query');
  fs.mkdirSync(dir, { recursive: true });
  const results = new Map<CorpusFile, Set<number>>();
  const todo = [...files];
  const worker = async () => {
    for (let file = todo.shift(); file; file = todo.shift()) {
      const key = createHash('sha256').update(fs.readFileSync(file.file)).update('\0').update(file.flags.join(' '))
        .update('\0').update(matcher).update('\0').update(v).digest('hex');
      const cacheFile = path.join(dir, `${key}.json`);
      let lines: number[];
      if (fs.existsSync(cacheFile)) lines = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as number[];
      else {
        lines = await runOne(file, matcher);
        fs.writeFileSync(cacheFile, JSON.stringify(lines));
      }
      results.set(file, new Set(lines));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

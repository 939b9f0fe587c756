// Proof that fixes compile (issue 4): every rule fixture that is not named
// *-errors.* must compile with a real compiler; its `.fixed` twin must compile
// too, and so must the result of fix-all over ALL rules. That result must not
// add parse errors, and fix-all must be idempotent: fix-all of the result is
// the result, re-analysis offers no fix, and no rule finds more than before.
//
// Compiler: g++ -std=c++17 / gcc -std=c11 with -fsyntax-only (from Debian, via
// scripts/ensure-apt.sh). Fixtures also cover C++20 and GNU C (asm, sigjmp_buf),
// so an original that fails under the default standard is tried once more
// with -std=c++20 / -std=gnu11; its fixed versions are compiled with the
// standard that worked. A fixture may also ask for flags with a comment
// `compile-flags: ...` (appended after the standard).
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Engine, type Lang } from '../server/src/engine';
import { applyFixAll } from '../server/src/engine/fixes/fix-all';
import { loadEngine, ROOT } from './helpers';

const FIXTURES = path.join(ROOT, 'test/fixtures');
const SOURCE = /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|ipp|inl)$/;
const CONCURRENCY = 2;

/** Fixtures with deliberate syntax errors: `*-errors.<ext>` (or `errors.<ext>`). */
export function isErrorsFixture(file: string): boolean {
  return /(^|-)errors\.\w+$/.test(path.basename(file));
}

function fixtureFiles(): string[] {
  const files: string[] = [];
  for (const dir of fs.readdirSync(FIXTURES).sort()) {
    const full = path.join(FIXTURES, dir);
    if (!fs.statSync(full).isDirectory()) continue;
    for (const f of fs.readdirSync(full).sort()) {
      if (SOURCE.test(f) && !f.includes('.fixed.')) files.push(path.join(full, f));
    }
  }
  return files;
}

interface Compiled {
  ok: boolean;
  output: string;
}

const STANDARDS: Record<Lang, string[]> = { c: ['-std=c11', '-std=gnu11'], cpp: ['-std=c++17', '-std=c++20'] };

/** Compiles `text` as if it were `file` (same name, so `#include "sibling.h"` resolves through -I). */
function compile(text: string, file: string, lang: Lang, std: string, scratch: string): Promise<Compiled> {
  const isHeader = /\.(h|hh|hpp|hxx|inl|ipp)$/.test(file);
  const [cc, kind] = lang === 'c' ? ['gcc', 'c'] : ['g++', 'c++'];
  const extra = /compile-flags:[ \t]*(.+)$/m.exec(text)?.[1].replace(/\*\/.*$/, '').trim().split(/\s+/) ?? [];
  const dir = fs.mkdtempSync(path.join(scratch, 'c-'));
  const copy = path.join(dir, path.basename(file));
  fs.writeFileSync(copy, text);
  const args = ['-fsyntax-only', '-w', std, ...extra, '-I', path.dirname(file), '-x', isHeader ? `${kind}-header` : kind, copy];
  return new Promise((resolve) => {
    execFile(cc, args, { timeout: 120_000 }, (error, stdout, stderr) => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ ok: !error, output: `${cc} ${args.join(' ')}\n${stderr}${stdout}`.slice(0, 2000) });
    });
  });
}

/** The original under the default standard, else the fallback one; `std` is the one to use for its fixes. */
async function compileOriginal(text: string, file: string, lang: Lang, scratch: string): Promise<Compiled & { std: string }> {
  const [first, fallback] = STANDARDS[lang];
  const result = await compile(text, file, lang, first, scratch);
  if (result.ok) return { ...result, std: first };
  const retry = await compile(text, file, lang, fallback, scratch);
  return retry.ok ? { ...retry, std: fallback } : { ...result, std: first };
}

/** Runs jobs at most `limit` at a time (the machine has two cores). */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}


function countByRule(engine: Engine, text: string, file: string): { counts: Map<string, number>; fixable: string[] } {
  const analysis = engine.analyze(text, file);
  analysis.tree.delete();
  const counts = new Map<string, number>();
  for (const f of analysis.findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  const fixable = analysis.findings.filter((f) => f.fix).map((f) => `${f.ruleId} at line ${f.startPos.line + 1}`);
  return { counts, fixable };
}

interface Outcome {
  rel: string;
  lang: Lang;
  original: Compiled & { std: string };
  /** Fix-all over all rules; undefined when the original does not compile. */
  fixed?: { text: string; applied: number; compiled: Compiled };
  twin?: { file: string; compiled: Compiled };
}

describe('fixtures compile, and so does every fix (issue 4)', function () {
  const files = fixtureFiles();
  const outcomes = new Map<string, Outcome>();
  let engine: Engine;
  let scratch: string;

  before(async function () {
    this.timeout(20 * 60_000); // installing g++ on a fresh machine, then ~200 compiler runs
    execFileSync(path.join(ROOT, 'scripts/ensure-apt.sh'), ['g++', 'gcc'], { stdio: 'inherit' });
    engine = await loadEngine();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-compile-'));
    const candidates = files.filter((f) => !isErrorsFixture(f));
    const texts = new Map(candidates.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const langs = new Map(candidates.map((f) => [f, engine.detectLanguage(f, texts.get(f)!)]));
    const originals = await pool(candidates.map((f) => () => compileOriginal(texts.get(f)!, f, langs.get(f)!, scratch)), CONCURRENCY);
    candidates.forEach((f, i) => outcomes.set(f, { rel: path.relative(ROOT, f), lang: langs.get(f)!, original: originals[i] }));

    // The same text compiles the same way: compile each distinct fixed text once.
    const cache = new Map<string, Promise<Compiled>>();
    const compileOnce = (text: string, file: string, o: Outcome) => () => {
      const key = `${o.original.std}\0${file}\0${text}`;
      if (text === texts.get(file)) return Promise.resolve(o.original);
      if (!cache.has(key)) cache.set(key, compile(text, file, o.lang, o.original.std, scratch));
      return cache.get(key)!;
    };
    const jobs: Array<() => Promise<void>> = [];
    for (const f of candidates) {
      const outcome = outcomes.get(f)!;
      if (!outcome.original.ok) continue;
      const { text, applied } = applyFixAll(engine, texts.get(f)!, f);
      jobs.push(async () => {
        outcome.fixed = { text, applied, compiled: await compileOnce(text, f, outcome)() };
      });
      const twin = f.replace(/\.(\w+)$/, '.fixed.$1');
      if (fs.existsSync(twin)) {
        jobs.push(async () => {
          outcome.twin = { file: path.relative(ROOT, twin), compiled: await compileOnce(fs.readFileSync(twin, 'utf8'), f, outcome)() };
        });
      }
    }
    await pool(jobs, CONCURRENCY);
  });

  after(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    const all = [...outcomes.values()];
    const compiling = all.filter((o) => o.original.ok);
    const fallback = compiling.filter((o) => o.original.std !== STANDARDS[o.lang][0]).length;
    const fixed = compiling.filter((o) => o.fixed && o.fixed.applied > 0);
    const fixes = fixed.reduce((n, o) => n + o.fixed!.applied, 0);
    console.log(`      ${compiling.length}/${all.length} fixtures compile (${fallback} with -std=c++20/gnu11); fix-all applied ${fixes} fixes to ${fixed.length} of them, ${fixed.filter((o) => o.fixed!.compiled.ok).length} still compile; ${all.filter((o) => o.twin).length} .fixed twins checked`);
  });

  it('finds fixtures to compile, most of them compilable', () => {
    const compiling = [...outcomes.values()].filter((o) => o.original.ok).length;
    assert.ok(files.length > 0, 'no fixtures under test/fixtures');
    assert.ok(compiling > files.length / 2, `only ${compiling} of ${files.length} fixtures compile`);
  });

  for (const file of files) {
    const rel = path.relative(ROOT, file);
    if (isErrorsFixture(file)) continue;
    describe(rel, () => {
      it('compiles (name it *-errors.* if it must not)', () => {
        const o = outcomes.get(file)!;
        assert.ok(o.original.ok, `${rel} does not compile:\n${o.original.output}`);
      });

      // When the original does not compile, the test above fails, and these
      // two have nothing to compare against.
      const twin = file.replace(/\.(\w+)$/, '.fixed.$1');
      if (fs.existsSync(twin)) {
        it('its .fixed twin compiles', () => {
          const o = outcomes.get(file)!;
          if (!o.original.ok) return;
          assert.ok(o.twin!.compiled.ok, `${o.twin!.file} does not compile although ${rel} does:\n${o.twin!.compiled.output}`);
        });
      }

      it('fix-all (all rules) compiles, adds no parse errors and is idempotent', () => {
        const o = outcomes.get(file)!;
        if (!o.original.ok) return;
        const original = fs.readFileSync(file, 'utf8');
        const fixed = o.fixed!;
        assert.ok(fixed.compiled.ok, `fix-all of ${rel} (${fixed.applied} fixes) does not compile:\n${fixed.compiled.output}\n--- fixed text ---\n${fixed.text}`);
        const before = engine.parseErrors(original, o.lang);
        const after = engine.parseErrors(fixed.text, o.lang);
        assert.ok(after <= before, `fix-all of ${rel} adds parse errors: ${before} ERROR/MISSING nodes before, ${after} after`);
        assert.equal(applyFixAll(engine, fixed.text, file).text, fixed.text, `fix-all of ${rel} is not idempotent`);
        const was = countByRule(engine, original, file);
        const now = countByRule(engine, fixed.text, file);
        assert.deepEqual(now.fixable, [], `after fix-all of ${rel}, fixes are still offered`);
        const grown = [...now.counts].filter(([id, n]) => n > (was.counts.get(id) ?? 0)).map(([id, n]) => `${id}: ${was.counts.get(id) ?? 0} -> ${n}`);
        assert.deepEqual(grown, [], `fix-all of ${rel} made new findings: ${grown.join(', ')}`);
      });
    });
  }
});

// `npm run bench:fix`: fix-all on every file of the accuracy corpus (issue 4's
// corpus proof). Prints the fixes applied, ERROR nodes before/after, and how
// many files compiled before and after (gcc/g++ -fsyntax-only, corpus flags).
// Floor: 100% of the files that compiled before still compile.
// Options: --only=<text> (corpus files whose package/path contains it).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORPUS, loadCorpus, summarize } from './lib/corpus';
import { ensureApt, fmt, loadEngine, verdict } from './lib/engine';
import { checkFixAll, type FixCheck } from './lib/fix-check';

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

async function main(): Promise<void> {
  ensureApt('gcc', 'g++', 'libcairo2-dev', 'libpango1.0-dev');
  const files = loadCorpus(CORPUS, (s) => console.error(s)).filter((f) => !only || f.display.includes(only));
  console.log(`# fix-all on the corpus\n\n${summarize(files)}\n`);
  const engine = await loadEngine();
  const started = performance.now();
  const results: FixCheck[] = [];
  for (const [i, f] of files.entries()) {
    results.push(checkFixAll(engine, f));
    if ((i + 1) % 50 === 0) console.error(`fix-all ${i + 1}/${files.length}`);
  }
  const changed = results.filter((r) => r.fixed !== fs.readFileSync(r.file.file, 'utf8'));
  const byRule: Record<string, number> = {};
  for (const r of results) for (const [rule, n] of Object.entries(r.fixableByRule)) byRule[rule] = (byRule[rule] ?? 0) + n;
  const compiledBefore = results.filter((r) => r.compiledBefore.ok);
  const broken = results.filter((r) => r.compiledBefore.ok && r.compiledAfter && !r.compiledAfter.ok);
  const newErrors = results.filter((r) => r.errorsAfter > r.errorsBefore);
  const stillCompiling = compiledBefore.length - broken.length;

  console.log(`fixes applied: ${results.reduce((n, r) => n + r.applied, 0)} in ${changed.length} of ${results.length} files (${fmt((performance.now() - started) / 1000, 1)} s)`);
  console.log(`fixable findings in the originals, by rule: ${Object.entries(byRule).sort().map(([r, n]) => `${r} ${n}`).join(', ') || 'none'}`);
  console.log(`reparse: ${newErrors.length} files with new ERROR/MISSING nodes  ${verdict(newErrors.length === 0)}`);
  for (const r of newErrors.slice(0, 10)) console.log(`  ${r.file.display}: ${r.errorsBefore} → ${r.errorsAfter}`);
  console.log(`compiled before: ${compiledBefore.length} of ${results.length} files; after fix-all: ${stillCompiling} of those still compile `
    + `(${fmt((stillCompiling / Math.max(1, compiledBefore.length)) * 100, 1)}%)  ${verdict(broken.length === 0)} (floor 100%)`);
  if (broken.length) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-broken-'));
    for (const r of broken) {
      const out = path.join(dir, path.basename(r.file.file));
      fs.writeFileSync(out, r.fixed);
      console.log(`  ${r.file.display}: ${r.compiledAfter!.error}\n    fixed text: ${out}`);
    }
  }
  const notCompiling = results.filter((r) => !r.compiledBefore.ok);
  console.log(`not compiling before (left out of the compile check): ${notCompiling.length}`);
  for (const r of notCompiling.slice(0, 5)) console.log(`  ${r.file.display}: ${r.compiledBefore.error?.slice(0, 120)}`);
  if (broken.length || newErrors.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

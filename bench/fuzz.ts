// The long fuzz run (issue 7): at least 10,000 mutated cases over the fixtures,
// the samples and, when cached, the real-code corpus. Prints cases/s, every
// failure (none allowed) and the slowest cases. A failing input is written to
// test/fuzz/regressions/ so that it becomes a regression case of the CI slice.
//   npm run bench:fuzz -- [--cases N] [--seed S]
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { extremeCases, mutatedCases, seedFiles, type Case } from '../test/fuzz/mutate';
import { checkCase, timed } from '../test/fuzz/properties';
import { corpusCached, loadCorpus } from './lib/corpus';
import { fmt, loadEngine, ROOT, verdict } from './lib/engine';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } } });
  const count = Number(values.cases);
  const seed = Number(values.seed);
  const engine = await loadEngine();
  const seeds: Case[] = seedFiles([path.join(ROOT, 'test/fixtures'), path.join(ROOT, 'samples')]);
  if (corpusCached()) {
    for (const f of loadCorpus()) {
      const text = fs.readFileSync(f.file, 'utf8');
      if (text.length < 400_000) seeds.push({ name: f.file, text, ext: path.extname(f.file) });
    }
  } else console.log('corpus not cached (npm run bench:corpus fetches it): fixtures and samples only');
  console.log(`${seeds.length} seed files, ${count} mutated cases, seed ${seed}`);

  const failures: string[] = [];
  const slowest: Array<[number, string]> = [];
  let parse = 0;
  let rules = 0;
  const [, total] = timed(() => {
    let n = 0;
    for (const c of [...extremeCases(), ...mutatedCases(seeds, count, seed)]) {
      const [r, ms] = timed(() => checkCase(engine, c, { maxFixes: c.text.length > 1_000_000 ? 1 : 5 }));
      parse += r.parseMs;
      rules += r.rulesMs;
      slowest.push([ms, `${c.name} (${c.text.length} chars, rules ${fmt(r.rulesMs)} ms vs parse ${fmt(r.parseMs)} ms)`]);
      if (r.failures.length) {
        failures.push(...r.failures.map((f) => `${c.name}: ${f}`));
        keepAsRegression(c);
      }
      if (++n % 1000 === 0) process.stdout.write(`  ${n} cases\r`);
    }
    return n;
  });
  const cases = count + extremeCases().length;
  slowest.sort((a, b) => b[0] - a[0]);
  console.log(`\ncases: ${cases} in ${fmt(total / 1000, 1)} s = ${fmt(cases / (total / 1000), 1)} cases/s`);
  console.log(`rules vs parse over all cases: ${fmt(rules)} ms vs ${fmt(parse)} ms (${fmt(rules / parse, 2)}x)`);
  console.log('slowest cases:');
  for (const [ms, name] of slowest.slice(0, 10)) console.log(`  ${fmt(ms)} ms  ${name}`);
  console.log(`failures: ${failures.length}  ${verdict(failures.length === 0)}`);
  for (const f of failures.slice(0, 50)) console.log(`  ${f}`);
  if (failures.length) process.exitCode = 1;
}

function keepAsRegression(c: Case): void {
  const dir = path.join(ROOT, 'test/fuzz/regressions');
  const file = path.join(dir, `found-${createHash('sha1').update(c.text).digest('hex').slice(0, 12)}${c.ext}`);
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, c.text);
    console.log(`  kept the failing input as ${path.relative(ROOT, file)}: commit it`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});

// The fixed-seed CI slice of the engine fuzzer (the long run is bench/fuzz.ts).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadEngine, ROOT } from './helpers';
import { extremeCases, mutatedCases, seedFiles } from './fuzz/mutate';
import { checkCase } from './fuzz/properties';

const SEED = 20261125;
const CASES = 600;

describe('engine fuzzing (fixed seed)', function () {
  this.timeout(300_000);

  it(`holds every property on ${CASES} mutated cases and the extreme inputs`, async () => {
    const engine = await loadEngine();
    const seeds = seedFiles([path.join(ROOT, 'test/fixtures'), path.join(ROOT, 'samples')]);
    assert.ok(seeds.length > 10, 'the fixtures are the seeds');
    const failures: string[] = [];
    let parse = 0;
    let rules = 0;
    let n = 0;
    const regressions = seedFiles([path.join(ROOT, 'test/fuzz/regressions')]);
    assert.ok(regressions.length > 0, 'every failure the fuzzer found is kept as a regression case');
    for (const c of [...regressions, ...extremeCases(), ...mutatedCases(seeds, CASES, SEED)]) {
      // Re-analyzing a 5 MB file once per fix is the slow part; one fix proves the point.
      const r = checkCase(engine, c, { maxFixes: c.text.length > 1_000_000 ? 1 : 5 });
      parse += r.parseMs;
      rules += r.rulesMs;
      n++;
      failures.push(...r.failures.map((f) => `${c.name}: ${f}`));
    }
    assert.deepEqual(failures, [], failures.slice(0, 20).join('\n'));
    assert.ok(n >= 500);
    // Rules cost a fraction of the parse; 10x would mean a runaway rule.
    assert.ok(rules < 10 * parse, `rules ${rules.toFixed(0)} ms vs parse ${parse.toFixed(0)} ms`);
  });
});

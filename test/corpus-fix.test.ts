// Issue 4's corpus proof on a fixed slice of real code: fix-all on 40 files of
// the accuracy corpus (npm tarballs, see bench/lib/corpus.ts). Each result must
// reparse with no new ERROR/MISSING nodes, and still compile where the original
// compiled (gcc/g++ -fsyntax-only, the corpus flags). The whole corpus is
// `npm run bench:fix`. Runs when the corpus is already cached, or under CI=true,
// where it fetches the corpus itself with `npm pack` (a few seconds).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { CORPUS, corpusCached, loadCorpus } from '../bench/lib/corpus';
import { checkFixAll, stableSlice, type FixCheck } from '../bench/lib/fix-check';
import { ROOT, loadEngine } from './helpers';

const SLICE = 40;
const available = corpusCached() || process.env.CI === 'true';

if (available) {
  describe('fix-all on real code (corpus slice)', function () {
    this.timeout(15 * 60_000);
    let results: FixCheck[];

    before(async () => {
      execFileSync('bash', [path.join(ROOT, 'scripts/ensure-apt.sh'), 'gcc', 'g++'], { stdio: 'inherit' });
      const engine = await loadEngine();
      results = stableSlice(loadCorpus(CORPUS), SLICE).map((f) => checkFixAll(engine, f));
    });

    it('applies fixes somewhere in the slice (else it proves nothing)', () => {
      assert.ok(results.reduce((n, r) => n + r.applied, 0) > 0);
    });

    it('leaves no new ERROR or MISSING node', () => {
      const worse = results.filter((r) => r.errorsAfter > r.errorsBefore).map((r) => `${r.file.display}: ${r.errorsBefore} → ${r.errorsAfter}`);
      assert.deepEqual(worse, []);
    });

    it('keeps every originally compiling file compiling', () => {
      assert.ok(results.some((r) => r.compiledBefore.ok), 'no file of the slice compiles: the compiler flags are broken');
      const broken = results.filter((r) => r.compiledAfter && !r.compiledAfter.ok).map((r) => `${r.file.display}: ${r.compiledAfter!.error}`);
      assert.deepEqual(broken, []);
    });
  });
}

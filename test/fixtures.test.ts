// Rule fixtures: test/fixtures/<rule-id>/*.{c,cpp,h,...}. A line that must be
// flagged by the folder's rule carries `expect: <rule-id>` in a comment (the
// finding must start on that line); every other line must stay clean for that
// rule. A `<name>.fixed.<ext>` twin holds the text after "fix all <rule-id>".
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyFixAll } from '../server/src/engine/fixes/fix-all';
import { loadEngine, ROOT } from './helpers';

const FIXTURES = path.join(ROOT, 'test/fixtures');

export function expectedLines(text: string, ruleId: string): number[] {
  const lines: number[] = [];
  const re = new RegExp(`expect:[^\\n]*\\b${ruleId.replace(/-/g, '\\-')}\\b`);
  text.split('\n').forEach((line, i) => {
    if (re.test(line)) lines.push(i);
  });
  return lines;
}

function fixtureFiles(ruleId: string): string[] {
  const dir = path.join(FIXTURES, ruleId);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => !f.includes('.fixed.') && /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|ipp|inl)$/.test(f)).map((f) => path.join(dir, f));
}

describe('rule fixtures', () => {
  for (const ruleId of fs.readdirSync(FIXTURES).sort()) {
    describe(ruleId, () => {
      for (const file of fixtureFiles(ruleId)) {
        it(path.basename(file), async () => {
          const engine = await loadEngine();
          const text = fs.readFileSync(file, 'utf8');
          const analysis = engine.analyze(text, file);
          analysis.tree.delete();
          const got = analysis.findings.filter((f) => f.ruleId === ruleId).map((f) => f.startPos.line);
          const want = expectedLines(text, ruleId);
          const rel = path.relative(ROOT, file);
          const noisy = [...new Set(got)].filter((l) => !want.includes(l)).map((l) => `noisy (false positive) at ${rel}:${l + 1}`);
          const missing = want.filter((l) => !got.includes(l)).map((l) => `missing (false negative) at ${rel}:${l + 1}`);
          assert.deepEqual([...noisy, ...missing], [], [...noisy, ...missing].join('\n'));

          const twin = file.replace(/\.(\w+)$/, '.fixed.$1');
          if (fs.existsSync(twin)) {
            const fixed = applyFixAll(engine, text, file, { rules: [ruleId] }).text;
            assert.equal(fixed, fs.readFileSync(twin, 'utf8'), `fix-all ${ruleId} on ${rel} differs from its .fixed twin`);
          }
        });
      }
    });
  }
});

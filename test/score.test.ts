// The readiness score's documented properties (docs/scoring.md): bounds,
// monotonicity, stability, per-KLOC normalisation with a floor, an exact
// explanation, line-weighted aggregation, and function scores.
import * as assert from 'node:assert/strict';
import { RULES } from '../server/src/engine';
import {
  FLOOR_LINES, HALF_LIFE, aggregateScores, apportion, band, functionRanges, functionScores, scoreFindings, weightsOf,
  type Score, type ScoredFinding,
} from '../server/src/engine/score';
import { loadEngine } from './helpers';
import { rng as prng } from './fuzz/mutate';

const weights = weightsOf(RULES.map((r) => r.meta));
const IDS = ['raw-new', 'goto', 'pointer-arithmetic'];
const ALL_IDS = RULES.map((r) => r.meta.id);


function randomFindings(rand: () => number, max: number): ScoredFinding[] {
  const n = Math.floor(rand() * max);
  return Array.from({ length: n }, () => ({ ruleId: ALL_IDS[Math.floor(rand() * ALL_IDS.length)] }));
}

const of = (...ids: string[]): ScoredFinding[] => ids.map((ruleId) => ({ ruleId }));
const w = (id: string) => RULES.find((r) => r.meta.id === id)!.meta.weight;
const pointsSum = (s: Score) => s.costs.reduce((t, c) => t + c.points, 0);

describe('score', () => {
  it('the rules used here exist and weigh ownership above control flow', () => {
    for (const id of IDS) assert.ok(weights.has(id), id);
    assert.ok(w('raw-new') > w('goto'));
  });

  it('catalog weights: positive, blockers (ownership, borrowing, bounds) weigh most, hints least', () => {
    const metas = RULES.map((r) => r.meta);
    for (const m of metas) assert.ok(Number.isFinite(m.weight) && m.weight > 0, `${m.id}: weight ${m.weight}`);
    const blockers = metas.filter((m) => ['ownership', 'borrowing', 'bounds'].includes(m.category) && m.severity !== 'hint');
    const hints = metas.filter((m) => m.severity === 'hint');
    const lightestBlocker = Math.min(...blockers.map((m) => m.weight));
    for (const h of hints) assert.ok(h.weight < lightestBlocker, `hint ${h.id} (${h.weight}) must weigh less than every blocker (${lightestBlocker})`);
    const heaviest = Math.max(...metas.map((m) => m.weight));
    assert.ok(blockers.some((m) => m.weight === heaviest), 'the heaviest weight belongs to a blocker');
  });

  it('is an integer in 0..100 for random finding sets and sizes', () => {
    const rand = prng(1);
    for (let i = 0; i < 500; i++) {
      const s = scoreFindings(randomFindings(rand, 200), Math.floor(rand() * 5000), weights);
      assert.ok(Number.isInteger(s.score) && s.score >= 0 && s.score <= 100, `score ${s.score}`);
      assert.ok(s.exact >= 0 && s.exact <= 100);
    }
  });

  it('gives 100 to a clean file of any size, and reaches 0 under a flood of findings', () => {
    for (const lines of [0, 1, 10, 100_000]) assert.equal(scoreFindings([], lines, weights).score, 100);
    assert.equal(scoreFindings(of(...Array(200).fill('raw-new')), 100, weights).score, 0);
  });

  it('is monotone: adding a finding never raises the score', () => {
    const rand = prng(2);
    for (let i = 0; i < 500; i++) {
      const lines = 1 + Math.floor(rand() * 3000);
      const base = randomFindings(rand, 60);
      const more = [...base, ...randomFindings(rand, 5), { ruleId: ALL_IDS[Math.floor(rand() * ALL_IDS.length)] }];
      const a = scoreFindings(base, lines, weights);
      const b = scoreFindings(more, lines, weights);
      assert.ok(b.score <= a.score && b.exact < a.exact, `${a.score} -> ${b.score} at ${lines} lines`);
    }
  });

  it('a finding of an unknown rule still costs, and a bad weight cannot raise the score', () => {
    const odd = new Map([['neg', -5], ['nan', Number.NaN]]);
    assert.ok(scoreFindings(of('not-a-rule'), 100, weights).score < 100);
    assert.equal(scoreFindings(of('neg', 'nan'), 100, odd).score, 100);
  });

  it('is stable: the same findings in any order give the same score and explanation', () => {
    const rand = prng(3);
    for (let i = 0; i < 100; i++) {
      const findings = randomFindings(rand, 80);
      const shuffled = [...findings].sort(() => rand() - 0.5);
      assert.deepEqual(scoreFindings(shuffled, 700, weights), scoreFindings(findings, 700, weights));
    }
  });

  it('normalises per KLOC: the same density gives the same score', () => {
    const rand = prng(4);
    for (let i = 0; i < 100; i++) {
      const findings = randomFindings(rand, 30);
      const lines = FLOOR_LINES + Math.floor(rand() * 2000);
      const a = scoreFindings(findings, lines, weights);
      const b = scoreFindings([...findings, ...findings, ...findings], lines * 3, weights);
      assert.equal(a.score, b.score);
      assert.ok(Math.abs(a.exact - b.exact) < 1e-9);
    }
  });

  it('does not punish a big clean file, and floors small files at FLOOR_LINES', () => {
    const big = scoreFindings(of('goto'), 20_000, weights);
    assert.ok(big.score >= 99, `one goto in 20k lines: ${big.score}`);
    const tiny = scoreFindings(of('raw-new'), 10, weights);
    assert.deepEqual(tiny, scoreFindings(of('raw-new'), FLOOR_LINES, weights));
    assert.equal(tiny.score, Math.round(100 * 2 ** (-(w('raw-new') * 1000 / FLOOR_LINES) / HALF_LIFE)));
    assert.ok(tiny.score >= 40, `one finding in a 10-line file is not annihilated: ${tiny.score}`);
    // Beyond the floor, more lines with the same findings score higher.
    assert.ok(scoreFindings(of('raw-new'), 400, weights).score > tiny.score);
  });

  it('halves the score every HALF_LIFE weighted points per KLOC', () => {
    const n = HALF_LIFE / w('raw-new');
    assert.ok(Number.isInteger(n), 'HALF_LIFE is a multiple of the raw-new weight');
    assert.equal(scoreFindings(of(...Array(n).fill('raw-new')), 1000, weights).score, 50);
    assert.equal(scoreFindings(of(...Array(2 * n).fill('raw-new')), 1000, weights).score, 25);
  });

  it('explains exactly: the rule costs are integers that sum to 100 - score', () => {
    const rand = prng(5);
    for (let i = 0; i < 500; i++) {
      const findings = randomFindings(rand, 100);
      const s = scoreFindings(findings, 1 + Math.floor(rand() * 4000), weights);
      assert.equal(pointsSum(s), 100 - s.score);
      assert.ok(s.costs.every((c) => Number.isInteger(c.points) && c.points >= 0));
      assert.equal(s.costs.reduce((t, c) => t + c.count, 0), findings.length);
      const exactSum = s.costs.reduce((t, c) => t + c.exactPoints, 0);
      assert.ok(Math.abs(exactSum - (100 - s.exact)) < 1e-9);
      // Each rule's integer cost is its exact share, rounded up or down.
      for (const c of s.costs) assert.ok(Math.abs(c.points - c.exactPoints * (100 - s.score) / (100 - s.exact || 1)) < 1);
    }
  });

  it('charges each rule in proportion to its weighted share', () => {
    const s = scoreFindings(of('raw-new', 'goto', 'goto'), 200, weights);
    const cost = (id: string) => s.costs.find((c) => c.ruleId === id)!.exactPoints;
    assert.ok(Math.abs(cost('raw-new') / cost('goto') - w('raw-new') / (2 * w('goto'))) < 1e-9);
    assert.deepEqual(s.costs.map((c) => c.ruleId), cost('raw-new') >= cost('goto') ? ['raw-new', 'goto'] : ['goto', 'raw-new']);
  });
});

describe('score aggregation', () => {
  it('weights files by lines', () => {
    const a = scoreFindings(of('raw-new', 'raw-new'), 1000, weights);
    const b = scoreFindings(of('goto'), 3000, weights);
    const folder = aggregateScores([{ lines: 1000, score: a }, { lines: 3000, score: b }]);
    assert.ok(Math.abs(folder.exact - (a.exact * 1000 + b.exact * 3000) / 4000) < 1e-9);
    assert.equal(folder.score, Math.round(folder.exact));
    assert.equal(pointsSum(folder), 100 - folder.score);
    assert.deepEqual(folder.costs.map((c) => [c.ruleId, c.count]).sort(), [['goto', 1], ['raw-new', 2]]);
  });

  it('is monotone, explained exactly and order-independent over random folders', () => {
    const rand = prng(6);
    for (let i = 0; i < 200; i++) {
      const parts = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => {
        const lines = Math.floor(rand() * 2000);
        return { lines, findings: randomFindings(rand, 40) };
      });
      const score = (ps: typeof parts) => aggregateScores(ps.map((p) => ({ lines: p.lines, score: scoreFindings(p.findings, p.lines, weights) })));
      const s = score(parts);
      assert.equal(pointsSum(s), 100 - s.score);
      assert.deepEqual(score([...parts].reverse()).score, s.score);
      const worse = parts.map((p, j) => (j === 0 ? { ...p, findings: [...p.findings, { ruleId: 'goto' }] } : p));
      assert.ok(score(worse).exact < s.exact);
    }
  });

  it('scores an empty folder 100', () => {
    assert.equal(aggregateScores([]).score, 100);
  });
});

describe('apportion', () => {
  it('splits an integer total exactly, by largest remainder, deterministically', () => {
    assert.deepEqual(apportion([1, 1, 1], 10), [4, 3, 3]);
    assert.deepEqual(apportion([0, 0], 5), [0, 0]);
    assert.deepEqual(apportion([2, 1], 0), [0, 0]);
    const rand = prng(7);
    for (let i = 0; i < 200; i++) {
      const values = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => rand() * 10);
      const total = Math.floor(rand() * 100);
      const parts = apportion(values, total);
      assert.equal(parts.reduce((s, p) => s + p, 0), total);
    }
  });
});

describe('band', () => {
  it('splits ready, partial and blocked at 80 and 50', () => {
    assert.deepEqual([100, 80, 79, 50, 49, 0].map(band), ['ready', 'ready', 'partial', 'partial', 'blocked', 'blocked']);
  });
});

describe('function scores', () => {
  const cpp = [
    'int *(*pick(int n))(void) {',         // 0
    '  return nullptr;',                     // 1
    '}',                                     // 2
    'namespace ns {',                        // 3
    'void Widget::build(int n) {',           // 4
    '  int *p = new int(n);',                // 5
    '  goto done;',                          // 6
    'done:;',                                // 7
    '}',                                     // 8
    '}',                                     // 9
    'struct S { operator bool() const { return true; } int& at(int i) { return v[i]; } int v[3]; };', // 10
  ].join('\n');

  it('finds every function definition with its name and lines, from the engine\'s query', async () => {
    const engine = await loadEngine();
    const { tree, functions } = engine.analyze(cpp, 'f.cpp');
    try {
      assert.deepEqual(functionRanges(functions), [
        { name: 'pick', startLine: 0, endLine: 2 },
        { name: 'Widget::build', startLine: 4, endLine: 8 },
        { name: 'operator bool', startLine: 10, endLine: 10 },
        { name: 'at', startLine: 10, endLine: 10 },
      ]);
    } finally {
      tree.delete();
    }
  });

  it('scores each function from the findings inside it', async () => {
    const engine = await loadEngine();
    const analysis = engine.analyze(cpp, 'f.cpp');
    try {
      const fns = functionScores(analysis.findings, functionRanges(analysis.functions), weights);
      const build = fns.find((f) => f.name === 'Widget::build')!;
      assert.deepEqual(build.score.costs.map((c) => c.ruleId).sort(), ['goto', 'raw-new']);
      assert.equal(build.lines, 5);
      assert.deepEqual(build.score, scoreFindings(of('raw-new', 'goto'), 5, weights));
      assert.equal(fns.find((f) => f.name === 'pick')!.score.score, 100);
    } finally {
      analysis.tree.delete();
    }
  });

  it('counts a finding in every function whose lines hold it (nested definitions)', () => {
    const fns = functionScores([{ ruleId: 'goto', startPos: { line: 5 } }, { ruleId: 'goto', startPos: { line: 40 } }],
      [{ name: 'outer', startLine: 0, endLine: 20 }, { name: 'inner', startLine: 4, endLine: 6 }, { name: 'far', startLine: 30, endLine: 39 }], weights);
    assert.deepEqual(fns.map((f) => f.score.costs.reduce((t, c) => t + c.count, 0)), [1, 1, 0]);
  });
});

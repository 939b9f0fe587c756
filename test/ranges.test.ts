import * as assert from 'node:assert/strict';
import { lastAtOrBefore, outermost, overlaps } from '../server/src/engine/ranges';
import { rng } from './fuzz/mutate';

/** The definition the binary search must agree with. */
const naive = (ranges: Array<[number, number]>, start: number, end: number) =>
  ranges.some(([s, e]) => start < e && end > s);

describe('offset ranges (engine/ranges.ts)', () => {
  it('an insertion overlaps only a range it is strictly inside; a span overlaps any range it shares a character with', () => {
    const ranges: Array<[number, number]> = [[10, 20], [20, 30], [40, 41]];
    assert.equal(overlaps(ranges, 10, 10), false); // at the start edge
    assert.equal(overlaps(ranges, 15, 15), true);
    assert.equal(overlaps(ranges, 20, 20), false); // between two touching ranges
    assert.equal(overlaps(ranges, 30, 40), false);
    assert.equal(overlaps(ranges, 29, 40), true);
    assert.equal(overlaps(ranges, 35, 45), true);
    assert.equal(overlaps(ranges, 41, 50), false);
    assert.equal(overlaps([], 0, 5), false);
  });

  it('agrees with a linear scan on random sorted, disjoint ranges', () => {
    const random = rng(7);
    for (let round = 0; round < 300; round++) {
      const ranges: Array<[number, number]> = [];
      for (let at = Math.floor(random() * 5); at < 200; ) {
        const len = 1 + Math.floor(random() * 10);
        ranges.push([at, at + len]);
        at += len + Math.floor(random() * 12); // 0: touching ranges
      }
      for (let q = 0; q < 50; q++) {
        const start = Math.floor(random() * 210);
        const end = start + (random() < 0.3 ? 0 : Math.floor(random() * 15));
        assert.equal(overlaps(ranges, start, end), naive(ranges, start, end), `[${start}, ${end}) in ${JSON.stringify(ranges)}`);
      }
    }
  });

  it('keeps the outermost of nested ERROR ranges, in document order', () => {
    assert.deepEqual(outermost([[50, 60], [0, 40], [5, 10], [10, 20], [40, 45]]), [[0, 40], [40, 45], [50, 60]]);
  });

  it('finds the last item at or before an offset as a linear scan does, repeated offsets included', () => {
    const next = rng(7);
    for (let round = 0; round < 200; round++) {
      const items = Array.from({ length: Math.floor(next() * 12) }, () => Math.floor(next() * 30)).sort((a, b) => a - b);
      for (let offset = -1; offset <= 31; offset++) {
        let expected = -1;
        for (let i = 0; i < items.length; i++) if (items[i] <= offset) expected = i;
        assert.equal(lastAtOrBefore(items, (x) => x, offset), expected, `${JSON.stringify(items)} @ ${offset}`);
      }
    }
  });
});

// Minimal line edits between two texts, so a fix-all replaces only the lines it
// changed instead of the whole document (cursor, folds and markers elsewhere stay).
// Myers' O(ND) diff over lines; past MAX_D differences it falls back to one edit
// spanning the changed region.
import type { TextEdit } from '../engine';

const MAX_D = 500;

export function minimalEdits(oldText: string, newText: string): TextEdit[] {
  if (oldText === newText) return [];
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const hunks = diffLines(midA, midB) ?? [[0, midA.length, 0, midB.length]];
  const offsets = lineOffsets(a);
  return hunks.map(([aStart, aEnd, bStart, bEnd]) => ({
    start: offsets[head + aStart],
    end: offsets[head + aEnd],
    newText: midB.slice(bStart, bEnd).join(''),
  }));
}

/** Lines with their terminators, so joining them gives the text back. */
function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

function lineOffsets(lines: readonly string[]): number[] {
  const offsets = [0];
  for (const line of lines) offsets.push(offsets[offsets.length - 1] + line.length);
  return offsets;
}

type Hunk = [aStart: number, aEnd: number, bStart: number, bEnd: number];

/** Hunks replacing a[aStart, aEnd) by b[bStart, bEnd), or undefined past MAX_D differences. */
function diffLines(a: readonly string[], b: readonly string[]): Hunk[] | undefined {
  const n = a.length;
  const m = b.length;
  const maxD = Math.min(MAX_D, n + m);
  const off = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return hunksFrom(matchedPairs(trace, off, n, m), n, m);
    }
  }
  return undefined;
}

/** Walks the trace back from (n, m) and returns the equal line pairs, in order. */
function matchedPairs(trace: Int32Array[], off: number, n: number, m: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : v[off + prevK];
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) pairs.push([--x, --y]);
    x = prevX;
    y = prevY;
  }
  return pairs.reverse();
}

function hunksFrom(pairs: Array<[number, number]>, n: number, m: number): Hunk[] {
  const hunks: Hunk[] = [];
  let a = 0;
  let b = 0;
  for (const [x, y] of [...pairs, [n, m] as [number, number]]) {
    if (x > a || y > b) hunks.push([a, x, b, y]);
    a = x + 1;
    b = y + 1;
  }
  return hunks;
}

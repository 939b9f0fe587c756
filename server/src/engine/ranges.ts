// Sorted offsets and ranges (blanked branches, ERROR regions, nodes in document
// order) and the binary searches asked of them for every finding and fix.

/** The index of the last of `items` (sorted by `offsetOf`) whose offset is at most `offset`, or -1. */
export function lastAtOrBefore<T>(items: ArrayLike<T>, offsetOf: (item: T) => number, offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offsetOf(items[mid]) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Whether [start, end) overlaps one of `ranges` (sorted, disjoint); an empty
 * range (an insertion) overlaps only a range it is strictly inside. Binary
 * search: a big file has thousands of ranges and of fixes.
 */
export function overlaps(ranges: ReadonlyArray<readonly [number, number]>, start: number, end: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) { // lo: the first range that ends after `start`
    const mid = (lo + hi) >> 1;
    if (ranges[mid][1] <= start) lo = mid + 1;
    else hi = mid - 1;
  }
  return lo < ranges.length && ranges[lo][0] < end && start < ranges[lo][1] && (start < end || ranges[lo][0] < start);
}

/**
 * Sorted, disjoint ranges covering the same offsets: nested ones (ERROR nodes
 * inside ERROR nodes) fold into the outermost, overlapping ones merge. Ranges
 * that only touch stay apart: an insertion between them is inside neither.
 */
export function outermost(ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const r of [...ranges].sort((a, b) => a[0] - b[0] || b[1] - a[1])) {
    const last = out[out.length - 1];
    if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

// Applying fixes to text: one fix's edits together, several fixes without
// overlap (a fix that would overlap an earlier one waits for the next round).
import type { Fix, TextEdit } from '../rule';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = dedupeEdits(edits).sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit || e.start < 0 || e.end > text.length || e.start > e.end) throw new Error(`overlapping or out-of-range edit at ${e.start}`);
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** Identical edits (two fixes adding the same #include) apply once. */
function dedupeEdits(edits: readonly TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.start}:${e.end}:${e.newText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Chooses fixes whose edits do not overlap each other (identical inserts may repeat). */
export function nonOverlapping(fixes: readonly Fix[]): Fix[] {
  const taken: TextEdit[] = [];
  const chosen: Fix[] = [];
  const clash = (a: TextEdit, b: TextEdit) =>
    !(a.start === b.start && a.end === b.end && a.newText === b.newText) &&
    (a.start < b.end && b.start < a.end || (a.start === a.end && a.start === b.start) || (b.start === b.end && b.start === a.start));
  for (const fix of fixes) {
    if (fix.edits.some((e) => taken.some((t) => clash(e, t)))) continue;
    chosen.push(fix);
    taken.push(...fix.edits);
  }
  return chosen;
}

// The readiness score (docs/scoring.md is the specification; keep them in step).
//
//   weighted  = Σ weight(rule of finding)                  over the findings in scope
//   density   = weighted / max(lines, FLOOR_LINES) × 1000   weighted points per KLOC
//   exact     = 100 × 2^(−density / HALF_LIFE)             every HALF_LIFE points per KLOC halve it
//   score     = round(exact)
//
// Folders and the workspace average their files' exact scores weighted by lines.
// Every score carries its explanation: the points each rule costs, integers that
// sum to exactly 100 − score.
import type { Node } from 'web-tree-sitter';
import type { RuleMeta } from './rule';

/** Size below which a file or function counts as this many lines (a small file is not annihilated by one finding). */
export const FLOOR_LINES = 100;
/** Weighted points per KLOC that halve the score. */
export const HALF_LIFE = 100;
/** Weight of a finding whose rule has no metadata (a rule removed since a cached scan, say). */
export const DEFAULT_WEIGHT = 1;

export interface RuleCost {
  ruleId: string;
  /** Findings of this rule in scope. */
  count: number;
  /** Points of the score this rule costs, an integer; the costs of a score sum to 100 − score. */
  points: number;
  /** The unrounded cost; the exact costs sum to 100 − exact. Aggregates add these up. */
  exactPoints: number;
}

export interface Score {
  /** 0–100, an integer. */
  score: number;
  /** The unrounded score; aggregation uses it so rounding does not accumulate. */
  exact: number;
  /** Weighted points per KLOC (for an aggregate: the line-weighted mean of its parts). */
  density: number;
  /** Sorted by points, then count, then rule id; rules with no findings are left out. */
  costs: RuleCost[];
}

export type Weights = ReadonlyMap<string, number>;

export interface ScoredFinding {
  ruleId: string;
}

export function weightsOf(rules: readonly RuleMeta[]): Weights {
  return new Map(rules.map((r) => [r.id, r.weight]));
}

function weightOf(weights: Weights, ruleId: string): number {
  // A negative or non-finite weight would let a finding raise the score.
  const w = weights.get(ruleId) ?? DEFAULT_WEIGHT;
  return Number.isFinite(w) && w > 0 ? w : 0;
}

/** The score of one file or function of `lines` lines holding `findings`. */
export function scoreFindings(findings: readonly ScoredFinding[], lines: number, weights: Weights): Score {
  const perRule = new Map<string, { count: number; weighted: number }>();
  let weighted = 0;
  for (const f of findings) {
    const w = weightOf(weights, f.ruleId);
    const entry = perRule.get(f.ruleId) ?? { count: 0, weighted: 0 };
    entry.count++;
    entry.weighted += w;
    perRule.set(f.ruleId, entry);
    weighted += w;
  }
  const density = (weighted / Math.max(lines, FLOOR_LINES)) * 1000;
  const exact = 100 * Math.pow(2, -density / HALF_LIFE);
  // Each rule's share of the deduction is its share of the weighted points.
  const shares = [...perRule].map(([ruleId, e]) => ({
    ruleId, count: e.count, exactPoints: weighted > 0 ? ((100 - exact) * e.weighted) / weighted : 0,
  }));
  return finish(exact, density, shares);
}

export interface ScoredPart {
  lines: number;
  score: Score;
}

/**
 * A folder's or the workspace's score: the mean of its parts' exact scores
 * weighted by lines (a part counts as at least one line), so a 10-line header
 * cannot outweigh a 5000-line source file.
 */
export function aggregateScores(parts: readonly ScoredPart[]): Score {
  const total = parts.reduce((sum, p) => sum + lineWeight(p.lines), 0);
  if (total === 0) return finish(100, 0, []);
  let exact = 0;
  let density = 0;
  const perRule = new Map<string, { count: number; exactPoints: number }>();
  for (const { lines, score } of parts) {
    const share = lineWeight(lines) / total;
    exact += share * score.exact;
    density += share * score.density;
    for (const c of score.costs) {
      const entry = perRule.get(c.ruleId) ?? { count: 0, exactPoints: 0 };
      entry.count += c.count;
      entry.exactPoints += share * c.exactPoints;
      perRule.set(c.ruleId, entry);
    }
  }
  return finish(exact, density, [...perRule].map(([ruleId, e]) => ({ ruleId, ...e })));
}

function lineWeight(lines: number): number {
  return Math.max(1, lines);
}

function finish(exact: number, density: number, shares: Array<{ ruleId: string; count: number; exactPoints: number }>): Score {
  const clamped = Math.min(100, Math.max(0, exact));
  const score = Math.round(clamped);
  // Apportion in rule-id order so the result does not depend on finding order.
  const sorted = [...shares].sort((a, b) => compareIds(a.ruleId, b.ruleId));
  const points = apportion(sorted.map((s) => s.exactPoints), 100 - score);
  const costs = sorted.map((s, i): RuleCost => ({ ruleId: s.ruleId, count: s.count, points: points[i], exactPoints: s.exactPoints }));
  costs.sort((a, b) => b.points - a.points || b.count - a.count || compareIds(a.ruleId, b.ruleId));
  return { score, exact: clamped, density, costs };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Splits the integer `total` in proportion to `values` (largest remainder), so
 * the parts are integers that sum to exactly `total`. Ties go to the earlier
 * value, and callers pass values in a deterministic order.
 */
export function apportion(values: readonly number[], total: number): number[] {
  const sum = values.reduce((s, v) => s + v, 0);
  if (total <= 0 || sum <= 0) return values.map(() => 0);
  const quotas = values.map((v) => (v / sum) * total);
  const parts = quotas.map(Math.floor);
  let left = total - parts.reduce((s, p) => s + p, 0);
  const order = quotas.map((q, i) => ({ i, rem: q - parts[i] })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]++;
    left--;
  }
  return parts;
}

export type Band = 'ready' | 'partial' | 'blocked';

/** Colour bands for the panel and reports: ready ≥ 80, partial ≥ 50, blocked below. */
export function band(score: number): Band {
  return score >= 80 ? 'ready' : score >= 50 ? 'partial' : 'blocked';
}

/** A function's extent in 0-based lines (as `Position.line`), both ends inclusive. */
export interface FunctionRange {
  name: string;
  startLine: number;
  endLine: number;
}

export interface FunctionScore extends FunctionRange {
  lines: number;
  score: Score;
}

export interface LocatedFinding extends ScoredFinding {
  startPos: { line: number };
}

/**
 * Scores each function from the findings that start inside its lines. A nested
 * function (a method of a local class) also counts in its enclosing function,
 * whose text holds it.
 */
export function functionScores(findings: readonly LocatedFinding[], functions: readonly FunctionRange[], weights: Weights): FunctionScore[] {
  const byLine = [...findings].sort((a, b) => a.startPos.line - b.startPos.line);
  const lines = byLine.map((f) => f.startPos.line);
  return functions.map((fn) => {
    const inside = byLine.slice(lowerBound(lines, fn.startLine), lowerBound(lines, fn.endLine + 1));
    const count = fn.endLine - fn.startLine + 1;
    return { ...fn, lines: count, score: scoreFindings(inside, count, weights) };
  });
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The extents of function definitions (`Analysis.functions`: the engine's query
 * found them), named as written (`ns::Cls::method`).
 */
export function functionRanges(functions: readonly Node[]): FunctionRange[] {
  return functions.map((node) => ({
    name: functionName(node),
    startLine: node.startPosition.row,
    endLine: node.endPosition.row,
  }));
}

// The name is the declarator of the innermost function_declarator, under any
// pointer, reference or parenthesised declarators: `int (*f(int))(void)` is f.
function functionName(fn: Node): string {
  let name: Node | null = null;
  for (let d = fn.childForFieldName('declarator'); d; d = innerDeclarator(d)) {
    if (d.type === 'function_declarator') name = d.childForFieldName('declarator');
  }
  // No function_declarator: a conversion operator (`operator bool() const`).
  const text = name?.text ?? fn.childForFieldName('declarator')?.text.split('(')[0] ?? '';
  return text.replace(/\s+/g, ' ').trim() || '(anonymous)';
}

function innerDeclarator(d: Node): Node | null {
  return d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c?.type.endsWith('declarator')) ?? null;
}

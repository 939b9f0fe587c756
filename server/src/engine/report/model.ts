// The workspace report: everything the panel, the report webview and the
// exports show, built once from per-file findings. Plain JSON-serialisable data
// in a deterministic order (sorted by code-unit comparison, never by locale),
// so the same scan always gives byte-identical exports.
import * as posix from 'node:path/posix';
import type { Position } from '../lines';
import type { RuleMeta, Severity } from '../rule';
import {
  DEFAULT_WEIGHT, aggregateScores, band, functionScores, scoreFindings, weightsOf,
  type Band, type FunctionRange, type FunctionScore, type RuleCost, type Score,
} from '../score';

export const REPORT_SCHEMA_VERSION = 1;
/** How many findings of each worst file the Markdown and HTML reports list. */
export const FINDINGS_PER_FILE = 20;
/** Files or folders below this score are never migration candidates. */
export const CANDIDATE_MIN_SCORE = 70;

export interface ReportFinding {
  ruleId: string;
  severity: Exclude<Severity, 'off'>;
  message: string;
  /** 0-based, columns in UTF-16 code units (as LSP). */
  start: Position;
  end: Position;
  fixable?: boolean;
}

export interface ReportFileInput {
  path: string;
  lines: number;
  language: string;
  findings: readonly ReportFinding[];
  /** The source, to find its `#include "…"` lines; or give `includes` instead. */
  text?: string;
  /** The `#include "…"` targets as written. */
  includes?: readonly string[];
  /** Function extents (see functionRanges in ../score), for per-function scores. */
  functions?: readonly FunctionRange[];
}

export interface ReportOptions {
  /** Folders are built below this directory; default: the files' deepest common directory. */
  root?: string;
  /** Length of the top-rules, worst-files, most-ready and candidate lists (default 10). */
  top?: number;
}

/** A score and its explanation, as carried by every file, folder and the workspace. */
export interface Scored {
  score: number;
  exact: number;
  density: number;
  band: Band;
  costs: RuleCost[];
}

export interface FileReport extends Scored {
  path: string;
  lines: number;
  language: string;
  findings: ReportFinding[];
  /** Findings per rule id, keys sorted. */
  ruleCounts: Record<string, number>;
  /** Other scanned files this file includes with `#include "…"`. */
  projectIncludes: string[];
  functions?: Array<FunctionScore & { band: Band }>;
}

export interface FolderReport extends Scored {
  path: string;
  /** The enclosing folder, or null for a top-level folder. */
  parent: string | null;
  /** Files below it, at any depth. */
  files: number;
  lines: number;
  findings: number;
  /** Distinct scanned files outside the folder that its files include. */
  projectIncludes: number;
}

export interface RuleSummary {
  id: string;
  title: string;
  concept: string;
  category: string;
  weight: number;
  count: number;
  /** Files with at least one finding of the rule. */
  files: number;
  /** Points of the workspace score this rule costs. */
  points: number;
}

export interface GroupSummary {
  /** The Rust concept or the category. */
  key: string;
  count: number;
  points: number;
  rules: string[];
}

export interface FileRef {
  path: string;
  score: number;
  lines: number;
  findings: number;
}

export interface Candidate {
  kind: 'file' | 'folder';
  path: string;
  score: number;
  lines: number;
  files: number;
  projectIncludes: number;
  /** score / (1 + projectIncludes): see docs/scoring.md. */
  value: number;
}

export interface HistogramBucket {
  /** Inclusive bounds. */
  from: number;
  to: number;
  count: number;
}

export interface WorkspaceReport {
  schemaVersion: number;
  root: string;
  summary: Scored & {
    files: number;
    lines: number;
    findings: number;
    bySeverity: Record<Exclude<Severity, 'off'>, number>;
  };
  /** Rules with findings, by points, then count, then id. */
  rules: RuleSummary[];
  concepts: GroupSummary[];
  categories: GroupSummary[];
  topRules: RuleSummary[];
  worstFiles: FileRef[];
  mostReadyFiles: FileRef[];
  candidates: Candidate[];
  histogram: HistogramBucket[];
  folders: FolderReport[];
  files: FileReport[];
}

export function buildReport(inputs: readonly ReportFileInput[], rules: readonly RuleMeta[], options: ReportOptions = {}): WorkspaceReport {
  const top = options.top ?? 10;
  const weights = weightsOf(rules);
  const normalized = inputs.map((f) => ({ ...f, path: toSlash(f.path) })).sort((a, b) => compare(a.path, b.path));
  const resolver = new IncludeResolver(normalized.map((f) => f.path));
  const files = normalized.map((f) => fileReport(f, resolver, weights));
  const root = options.root !== undefined ? trimSlash(toSlash(options.root)) : commonDir(files.map((f) => f.path));
  const workspace = aggregateScores(files.map(asPart));
  const ruleSummaries = summarizeRules(files, workspace, rules);
  const folders = folderReports(files, root);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    root,
    summary: {
      ...scored(workspace),
      files: files.length,
      lines: sum(files.map((f) => f.lines)),
      findings: sum(files.map((f) => f.findings.length)),
      bySeverity: countSeverities(files),
    },
    rules: ruleSummaries,
    concepts: groupBy(ruleSummaries, (r) => r.concept),
    categories: groupBy(ruleSummaries, (r) => r.category),
    topRules: ruleSummaries.slice(0, top),
    worstFiles: files.filter((f) => f.findings.length > 0)
      .sort((a, b) => a.exact - b.exact || b.findings.length - a.findings.length || compare(a.path, b.path))
      .slice(0, top).map(fileRef),
    mostReadyFiles: [...files]
      .sort((a, b) => b.exact - a.exact || b.lines - a.lines || compare(a.path, b.path))
      .slice(0, top).map(fileRef),
    candidates: migrationCandidates(files, folders).slice(0, top),
    histogram: histogram(files.map((f) => f.score)),
    folders,
    files,
  };
}

/** The engine's findings in report shape. */
export function toReportFinding(f: { ruleId: string; severity: ReportFinding['severity']; message: string; startPos: Position; endPos: Position; fix?: unknown }): ReportFinding {
  return { ruleId: f.ruleId, severity: f.severity, message: f.message, start: f.startPos, end: f.endPos, fixable: !!f.fix };
}

/** `#include "…"` targets as written; system `<…>` includes are not project files. */
export function quotedIncludes(text: string): string[] {
  // indexOf finds the candidates natively; a multiline ^-anchored regex over the
  // whole text was the slowest part of building a report from sources.
  const out: string[] = [];
  let from = 0;
  for (let i = text.indexOf('include'); i >= 0; i = text.indexOf('include', from)) {
    const end = lineEnd(text, i);
    const m = INCLUDE_LINE.exec(text.slice(text.lastIndexOf('\n', i) + 1, end));
    if (m) out.push(m[1]);
    from = m ? end : i + 7; // `#include "include.h"`: one line, one include
  }
  return out;
}

const INCLUDE_LINE = /^[ \t]*#[ \t]*include[ \t]*"([^"]+)"/;

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

function fileReport(f: ReportFileInput, resolver: IncludeResolver, weights: ReturnType<typeof weightsOf>): FileReport {
  const findings = [...f.findings].sort((a, b) =>
    a.start.line - b.start.line || a.start.character - b.start.character || compare(a.ruleId, b.ruleId));
  const score = scoreFindings(findings, f.lines, weights);
  const counts: Record<string, number> = {};
  for (const id of findings.map((x) => x.ruleId).sort(compare)) counts[id] = (counts[id] ?? 0) + 1;
  const report: FileReport = {
    path: f.path,
    lines: f.lines,
    language: f.language,
    ...scored(score),
    findings: findings.map((x) => ({ ...x })),
    ruleCounts: counts,
    projectIncludes: resolver.resolveAll(f.path, f.includes ?? (f.text !== undefined ? quotedIncludes(f.text) : [])),
  };
  if (f.functions) {
    const located = findings.map((x) => ({ ruleId: x.ruleId, startPos: x.start }));
    report.functions = functionScores(located, f.functions, weights).map((fn) => ({ ...fn, band: band(fn.score.score) }));
  }
  return report;
}

function scored(s: Score): Scored {
  return { score: s.score, exact: s.exact, density: s.density, band: band(s.score), costs: s.costs };
}

function asPart(f: FileReport) {
  return { lines: f.lines, score: { score: f.score, exact: f.exact, density: f.density, costs: f.costs } };
}

/**
 * Resolves `#include "x"` the way a compiler tries first (next to the including
 * file), then by path suffix anywhere in the scanned set (include directories
 * are unknown without a build); a suffix matching several files picks the first
 * by path so the result is deterministic.
 */
class IncludeResolver {
  private readonly paths: ReadonlySet<string>;
  private readonly byBase = new Map<string, string[]>();

  constructor(sortedPaths: readonly string[]) {
    this.paths = new Set(sortedPaths);
    for (const p of sortedPaths) {
      const base = posix.basename(p);
      const list = this.byBase.get(base) ?? [];
      list.push(p);
      this.byBase.set(base, list);
    }
  }

  resolveAll(from: string, includes: readonly string[]): string[] {
    const out = new Set<string>();
    for (const inc of includes) {
      const target = this.resolve(from, inc);
      if (target && target !== from) out.add(target);
    }
    return [...out].sort(compare);
  }

  private readonly cache = new Map<string, string | undefined>();

  // Files of one folder include the same headers: resolve each (folder, include) once.
  private resolve(from: string, include: string): string | undefined {
    const key = `${posix.dirname(from)}\0${include}`;
    if (!this.cache.has(key)) this.cache.set(key, this.resolveUncached(from, include));
    return this.cache.get(key);
  }

  private resolveUncached(from: string, include: string): string | undefined {
    const written = posix.normalize(toSlash(include));
    const sibling = posix.join(posix.dirname(from), written);
    if (this.paths.has(sibling)) return sibling;
    const tail = '/' + written.replace(/^(\.\.?\/)+/, '');
    return this.byBase.get(posix.basename(written))?.find((p) => p.endsWith(tail) || p === tail.slice(1));
  }
}

function summarizeRules(files: readonly FileReport[], workspace: Score, rules: readonly RuleMeta[]): RuleSummary[] {
  const metas = new Map(rules.map((r) => [r.id, r]));
  const points = new Map(workspace.costs.map((c) => [c.ruleId, c.points]));
  const byRule = new Map<string, { count: number; files: number }>();
  for (const f of files) {
    for (const [id, n] of Object.entries(f.ruleCounts)) {
      const e = byRule.get(id) ?? { count: 0, files: 0 };
      e.count += n;
      e.files++;
      byRule.set(id, e);
    }
  }
  return [...byRule].map(([id, e]): RuleSummary => {
    const m = metas.get(id);
    return {
      id, title: m?.title ?? id, concept: m?.concept ?? 'unknown', category: m?.category ?? 'unknown',
      weight: m?.weight ?? DEFAULT_WEIGHT, count: e.count, files: e.files, points: points.get(id) ?? 0,
    };
  }).sort((a, b) => b.points - a.points || b.count - a.count || compare(a.id, b.id));
}

function groupBy(rules: readonly RuleSummary[], key: (r: RuleSummary) => string): GroupSummary[] {
  const groups = new Map<string, GroupSummary>();
  for (const r of rules) {
    const g = groups.get(key(r)) ?? { key: key(r), count: 0, points: 0, rules: [] };
    g.count += r.count;
    g.points += r.points;
    g.rules.push(r.id);
    groups.set(g.key, g);
  }
  for (const g of groups.values()) g.rules.sort(compare);
  return [...groups.values()].sort((a, b) => b.points - a.points || b.count - a.count || compare(a.key, b.key));
}

/** Every folder below `root` that holds a file, at any depth, aggregated over all files below it. */
function folderReports(files: readonly FileReport[], root: string): FolderReport[] {
  const members = new Map<string, FileReport[]>();
  for (const f of files) {
    for (let dir = posix.dirname(f.path); isBelow(dir, root); dir = posix.dirname(dir)) {
      const list = members.get(dir) ?? [];
      list.push(f);
      members.set(dir, list);
    }
  }
  return [...members].sort(([a], [b]) => compare(a, b)).map(([dir, list]): FolderReport => {
    const parent = posix.dirname(dir);
    const outside = new Set(list.flatMap((f) => f.projectIncludes).filter((p) => !isBelow(p, dir)));
    return {
      path: dir,
      parent: isBelow(parent, root) ? parent : null,
      files: list.length,
      lines: sum(list.map((f) => f.lines)),
      findings: sum(list.map((f) => f.findings.length)),
      ...scored(aggregateScores(list.map(asPart))),
      projectIncludes: outside.size,
    };
  });
}

/**
 * Files and folders scoring at least CANDIDATE_MIN_SCORE, ranked by
 * score / (1 + dependencies), then by size (a bigger ready component is worth
 * more), then path. A file's dependencies are its project includes except its
 * own header (same folder and stem: foo.c with foo.h), which moves with it.
 * Headers are not candidates on their own: declarations alone are trivially
 * "ready" and move with their sources. A folder holding a single file repeats
 * that file, and a folder whose files all sit in one subfolder repeats that
 * subfolder: both are left out.
 */
function migrationCandidates(files: readonly FileReport[], folders: readonly FolderReport[]): Candidate[] {
  // A folder whose files all sit in one subfolder (vendor/ holding only vendor/lib/) repeats it.
  const byPath = new Map(folders.map((d) => [d.path, d]));
  const wrappers = new Set(folders.filter((d) => d.parent && byPath.get(d.parent)?.files === d.files).map((d) => d.parent!));
  const all: Candidate[] = [
    ...files.filter((f) => !isHeader(f.path))
      .map((f) => candidate('file', f.path, f.score, f.lines, 1, f.projectIncludes.filter((p) => !isOwnHeader(f.path, p)).length)),
    ...folders.filter((d) => d.files > 1 && !wrappers.has(d.path)).map((d) => candidate('folder', d.path, d.score, d.lines, d.files, d.projectIncludes)),
  ];
  return all.filter((c) => c.score >= CANDIDATE_MIN_SCORE)
    .sort((a, b) => b.value - a.value || b.lines - a.lines || compare(a.path, b.path));
}

const HEADER = /\.(h|hh|hpp|hxx|inl|ipp)$/i;

function isHeader(p: string): boolean {
  return HEADER.test(p);
}

function isOwnHeader(source: string, header: string): boolean {
  const stem = (p: string) => p.slice(0, p.length - posix.extname(p).length);
  return isHeader(header) && stem(source) === stem(header);
}

function candidate(kind: Candidate['kind'], path: string, score: number, lines: number, files: number, projectIncludes: number): Candidate {
  return { kind, path, score, lines, files, projectIncludes, value: Math.round((score / (1 + projectIncludes)) * 100) / 100 };
}

/** Buckets 0–9, 10–19, …, 90–99, and 100 on its own: clean files are the bucket people look for. */
function histogram(scores: readonly number[]): HistogramBucket[] {
  const buckets: HistogramBucket[] = [];
  for (let from = 0; from < 100; from += 10) buckets.push({ from, to: from + 9, count: 0 });
  buckets.push({ from: 100, to: 100, count: 0 });
  for (const s of scores) buckets[Math.min(10, Math.floor(s / 10))].count++;
  return buckets;
}

function countSeverities(files: readonly FileReport[]): Record<Exclude<Severity, 'off'>, number> {
  const out = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of files) for (const x of f.findings) out[x.severity]++;
  return out;
}

function fileRef(f: FileReport): FileRef {
  return { path: f.path, score: f.score, lines: f.lines, findings: f.findings.length };
}

function commonDir(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let dir = posix.dirname(paths[0]);
  while (!paths.every((p) => isBelow(p, dir))) {
    const up = posix.dirname(dir);
    if (up === dir) return '';
    dir = up;
  }
  return dir;
}

/** True when `p` lies strictly inside `dir` ('' and '.' hold every relative path). */
function isBelow(p: string, dir: string): boolean {
  if (p === dir) return false;
  if (dir === '' || dir === '.') return p !== '' && p !== '.' && !p.startsWith('/') && !p.startsWith('../');
  return p.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

function toSlash(p: string): string {
  return p.replace(/\\/g, '/');
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A path as the reports print it: relative to the report root when below it. */
export function displayPath(report: Pick<WorkspaceReport, 'root'>, p: string): string {
  const { root } = report;
  if (root === '' || root === '.') return p;
  const prefix = root.endsWith('/') ? root : root + '/';
  return p.startsWith(prefix) ? p.slice(prefix.length) : p;
}

/** 24336 → "24,336", independent of the machine's locale so exports are byte-stable. */
export function formatInt(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

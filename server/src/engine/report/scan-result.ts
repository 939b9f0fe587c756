// The result of scanning files from disk (the CLI's `scan`), shared by the text,
// JSON and SARIF writers: per-file findings, the files skipped and why, and a
// summary. Paths are display paths: relative to `base`, with '/' separators.
import type { Finding } from '../engine';
import type { SkippedFile, SkipReason } from '../files';
import type { Lang, Severity } from '../rule';

export type FindingSeverity = Exclude<Severity, 'off'>;
export const FINDING_SEVERITIES: readonly FindingSeverity[] = ['error', 'warning', 'information', 'hint'];

export interface ScannedFile {
  path: string;
  language: Lang;
  findings: readonly Finding[];
}

export interface ScanResult {
  /** Absolute folder the display paths are relative to (the CLI's working directory). */
  base: string;
  files: readonly ScannedFile[];
  skipped: readonly SkippedFile[];
}

export interface ScanSummary {
  filesScanned: number;
  filesSkipped: number;
  /** Skipped files per reason; only reasons that occurred. */
  skippedByReason: Partial<Record<SkipReason, number>>;
  findings: number;
  /** Findings with a safe fix that `rust-readiness fix` applies. */
  fixable: number;
  bySeverity: Record<FindingSeverity, number>;
  /** Findings per rule id, keys sorted. */
  byRule: Record<string, number>;
}

export function summarize(result: ScanResult): ScanSummary {
  const bySeverity: Record<FindingSeverity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  const byRule = new Map<string, number>();
  const skippedByReason: Partial<Record<SkipReason, number>> = {};
  let findings = 0;
  let fixable = 0;
  for (const file of result.files) {
    for (const f of file.findings) {
      findings++;
      if (f.fix) fixable++;
      bySeverity[f.severity]++;
      byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    }
  }
  for (const s of result.skipped) skippedByReason[s.reason] = (skippedByReason[s.reason] ?? 0) + 1;
  const sortedRules = [...byRule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    filesScanned: result.files.length,
    filesSkipped: result.skipped.length,
    skippedByReason,
    findings,
    fixable,
    bySeverity,
    byRule: Object.fromEntries(sortedRules),
  };
}

/** Severity rank for --fail-on comparisons: higher is worse. */
export function severityRank(s: FindingSeverity): number {
  return FINDING_SEVERITIES.length - FINDING_SEVERITIES.indexOf(s);
}

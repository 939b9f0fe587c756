// The JSON report of `rust-readiness scan --format json`: a stable, documented
// shape (docs/cli.md). Bump JSON_REPORT_VERSION when a field changes meaning or
// goes away; adding a field is not a breaking change.
import type { SkippedFile } from '../files';
import type { Lang } from '../rule';
import { summarize, type FindingSeverity, type ScanResult, type ScanSummary } from './scan-result';

export const JSON_REPORT_VERSION = 1;

export interface JsonFinding {
  ruleId: string;
  severity: FindingSeverity;
  message: string;
  /** 1-based; columns count UTF-16 code units; the end is exclusive. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** `rust-readiness fix` has a safe fix for it. */
  fixable: boolean;
}

export interface JsonReport {
  version: number;
  tool: { name: string; version: string };
  files: Array<{ path: string; language: Lang; findings: JsonFinding[] }>;
  skipped: SkippedFile[];
  summary: ScanSummary;
}

export function toJsonReport(result: ScanResult, toolVersion: string): JsonReport {
  return {
    version: JSON_REPORT_VERSION,
    tool: { name: 'rust-readiness', version: toolVersion },
    files: result.files.map((file) => ({
      path: file.path,
      language: file.language,
      findings: file.findings.map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        line: f.startPos.line + 1,
        column: f.startPos.character + 1,
        endLine: f.endPos.line + 1,
        endColumn: f.endPos.character + 1,
        fixable: !!f.fix,
      })),
    })),
    skipped: result.skipped.map((s) => ({ path: s.path, reason: s.reason, detail: s.detail })),
    summary: summarize(result),
  };
}

export function formatJson(result: ScanResult, toolVersion: string): string {
  return JSON.stringify(toJsonReport(result, toolVersion), null, 2) + '\n';
}

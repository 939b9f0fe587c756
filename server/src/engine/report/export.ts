// The workspace report written to a file: Markdown, self-contained HTML, JSON or
// SARIF. One entry point for the CLI's `report` command and the editor's
// "Export report", so both write the same bytes for the same scan.
import * as path from 'node:path';
import type { Finding } from '../engine';
import type { SkippedFile } from '../files';
import type { Lang, RuleMeta } from '../rule';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import type { WorkspaceReport } from './model';
import { formatSarif } from './sarif';

export type ReportFormat = 'markdown' | 'html' | 'json' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['markdown', 'html', 'json', 'sarif'];

/** Bump when a field of the JSON export changes meaning or goes away. */
export const REPORT_JSON_VERSION = 1;

export interface ReportExport {
  report: WorkspaceReport;
  skipped: readonly SkippedFile[];
}

export interface ExportOptions {
  toolVersion: string;
  rules: readonly RuleMeta[];
  /** The folder SARIF locations are relative to (default: the report root). */
  base?: string;
}

export function renderReport(format: ReportFormat, input: ReportExport, options: ExportOptions): string {
  switch (format) {
    case 'markdown': return renderMarkdown(input.report);
    case 'html': return renderHtml(input.report);
    case 'json': return JSON.stringify({
      version: REPORT_JSON_VERSION,
      tool: { name: 'rust-readiness', version: options.toolVersion },
      ...input.report,
      skipped: input.skipped,
    }, null, 2) + '\n';
    case 'sarif': return toSarifText(input, options);
  }
}

/** The format a file name asks for by its extension, if any. */
export function formatOfFile(fileName: string): ReportFormat | undefined {
  switch (path.extname(fileName).toLowerCase()) {
    case '.md': case '.markdown': return 'markdown';
    case '.html': case '.htm': return 'html';
    case '.json': return 'json';
    case '.sarif': return 'sarif';
    default: return undefined;
  }
}

export const FILE_EXTENSION: Record<ReportFormat, string> = { markdown: 'md', html: 'html', json: 'json', sarif: 'sarif' };

/** SARIF through the scan writer: report findings carry positions and a fixable flag, which is all it reads. */
function toSarifText(input: ReportExport, options: ExportOptions): string {
  const base = options.base ?? input.report.root;
  const relative = (p: string) => {
    const rel = base ? path.relative(base, p) : p;
    return (path.isAbsolute(rel) ? rel : rel.split(path.sep).join('/')) || path.basename(p);
  };
  const files = input.report.files.map((f) => ({
    path: relative(f.path),
    language: f.language as Lang,
    findings: f.findings.map((x): Finding => ({
      ruleId: x.ruleId, severity: x.severity, message: x.message, start: 0, end: 0, startPos: x.start, endPos: x.end,
      fix: x.fixable ? FIXABLE : undefined,
    })),
  }));
  const skipped = input.skipped.map((s) => ({ ...s, path: relative(s.path) }));
  return formatSarif({ base: path.resolve(base || '.'), files, skipped }, options.rules, { toolVersion: options.toolVersion });
}

/** Stands for "has a fix" (the report keeps the flag, not the edits). */
const FIXABLE = { title: '', edits: [] };

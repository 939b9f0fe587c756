// Messages between the report webview (webview/report.ts, a browser bundle) and
// the extension (reportView.ts), typed once for both. The page receives only
// this view data, never HTML: it renders every string with textContent.
import type { Band } from '../../../server/src/engine/score';
import type { Candidate, FileRef, GroupSummary, HistogramBucket, RuleSummary, WorkspaceReport } from '../../../server/src/engine/report/model';
import type { WorkspaceReportResult } from '../../../server/src/protocol';

export interface ReportViewData {
  root: string;
  summary: {
    score: number;
    band: Band;
    files: number;
    lines: number;
    findings: number;
    /** Rules by points lost. */
    costs: Array<{ ruleId: string; points: number }>;
  };
  histogram: HistogramBucket[];
  concepts: GroupSummary[];
  topRules: RuleSummary[];
  worstFiles: FileRef[];
  mostReadyFiles: FileRef[];
  candidates: Candidate[];
  skipped: number;
  /** The scan was cancelled: the report covers part of the workspace. */
  partial: boolean;
}

export type ToWebview = { type: 'report'; data: ReportViewData } | { type: 'scanning' };

export type FromWebview =
  | { type: 'ready' }
  /** Open a file of the report (the extension checks that it is one). */
  | { type: 'open'; path: string }
  | { type: 'rescan' }
  | { type: 'export' };

/** The page's part of the report: the summary, charts and lists, without every finding. */
export function toReportViewData(result: WorkspaceReportResult): ReportViewData {
  const r: WorkspaceReport = result.report;
  return {
    root: r.root,
    summary: {
      score: r.summary.score, band: r.summary.band, files: r.summary.files, lines: r.summary.lines, findings: r.summary.findings,
      costs: r.summary.costs.filter((c) => c.points > 0).map((c) => ({ ruleId: c.ruleId, points: c.points })),
    },
    histogram: r.histogram,
    concepts: r.concepts,
    topRules: r.topRules,
    worstFiles: r.worstFiles,
    mostReadyFiles: r.mostReadyFiles,
    candidates: r.candidates,
    skipped: result.skipped.length,
    partial: result.stats.cancelled,
  };
}

/** Messages from the page are checked before use: it renders untrusted file names. */
export function parseFromWebview(m: unknown): FromWebview | undefined {
  const msg = m as { type?: unknown; path?: unknown } | null;
  switch (msg?.type) {
    case 'ready': case 'rescan': case 'export': return { type: msg.type };
    case 'open': return typeof msg.path === 'string' ? { type: 'open', path: msg.path } : undefined;
    default: return undefined;
  }
}

// Custom requests and notifications between the Rust Readiness client and server,
// typed once here and imported by both sides (as vscode-eslint's customMessages.ts
// and rust-analyzer's lsp_ext.ts do). Nothing stringly-typed crosses the wire.
import { NotificationType, RequestType, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { SkippedFile } from './engine/files';
import type { ReportFormat } from './engine/report/export';
import type { WorkspaceReport } from './engine/report/model';

/** The configuration section the server pulls (`rustReadiness.*`). */
export const SETTINGS_SECTION = 'rustReadiness';

/** The code action kind of "fix all auto-fixable findings" (editor.codeActionsOnSave). */
export const FIX_ALL_KIND = 'source.fixAll.rustReadiness';

/** Client-side commands the server's code actions refer to. */
export const Commands = {
  /** Arguments: [ruleId: string]. Opens docs/rules/<id>.md. */
  showDocs: 'rustReadiness.showDocs',
  restartServer: 'rustReadiness.restartServer',
  /** Scans the workspace (from the cache where files did not change) and shows the panel. */
  scanWorkspace: 'rustReadiness.scanWorkspace',
  rescan: 'rustReadiness.rescan',
  /** Writes the report as Markdown, HTML, JSON or SARIF to a file the user picks. */
  exportReport: 'rustReadiness.exportReport',
  showReport: 'rustReadiness.showReport',
  /** Panel: group by folder, or by Rust concept and rule. */
  toggleGrouping: 'rustReadiness.toggleGrouping',
} as const;

export interface DebugDocumentStateParams {
  uri: string;
}

/** The server's view of an open document, so tests can prove it matches the client's. */
export interface DebugDocumentState {
  uri: string;
  version: number;
  /** sha256 (hex) of the server's text of the document, as UTF-8. */
  textHash: string;
  /** Length in UTF-16 code units. */
  length: number;
  /**
   * sha256 over the node types, offsets and positions of the document's current
   * syntax tree; absent when it has none (not analyzed yet, skipped, or edited in
   * a way that needs a full reparse). Equal digests mean equal trees.
   */
  treeDigest?: string;
}

/** Returns null when the server has no open document with that URI. */
export const DebugDocumentStateRequest = new RequestType<DebugDocumentStateParams, DebugDocumentState | null, void>('rustReadiness/debugDocumentState');

export interface DebugMemoryParams {
  /** Collect garbage first (only when the server runs with node --expose-gc). */
  gc?: boolean;
}

/** The server's memory, for tests and benchmarks: process.memoryUsage() (bytes) and its open documents. */
export interface DebugMemory {
  rss: number;
  heapUsed: number;
  openDocuments: number;
  /** Open documents that keep a syntax tree for incremental reparses. */
  documentsWithTree: number;
}

export const DebugMemoryRequest = new RequestType<DebugMemoryParams, DebugMemory, void>('rustReadiness/debugMemory');

// The workspace report (issue 5), used by the panel, the status item, the report
// webview and the export.

/**
 * With a workDoneToken the scan reports its progress to that token and stops when
 * the request is cancelled (the client shows a cancellable notification); without
 * one the server creates its own progress (window/workDoneProgress/create), which
 * window/workDoneProgress/cancel stops.
 */
export interface WorkspaceReportParams extends WorkDoneProgressParams {
  /** Scan again (unchanged files come from the cache). Without it, the current report, scanning first if there is none. */
  rescan?: boolean;
}

export interface WorkspaceScanStats {
  /** 'scan': a full scan of the workspace folders; 'update': files changed since, updated one by one. */
  kind: 'scan' | 'update';
  /** Files whose result came from the cache (unchanged size and mtime, or unchanged content hash). */
  fromCache: number;
  /** Files parsed and analyzed. */
  analyzed: number;
  /** Worker threads started (0: everything came from the cache, or was few enough files for the server's own engine). */
  workers: number;
  durationMs: number;
  /** The user cancelled the scan: the report holds only the files scanned until then. */
  cancelled: boolean;
}

export interface WorkspaceReportResult {
  /** Grows with every change of the report, so the client can tell an old answer from a new one. */
  version: number;
  report: WorkspaceReport;
  /** C/C++ files that were not analyzed, with the reason (binary, too large, unreadable, …). */
  skipped: SkippedFile[];
  stats: WorkspaceScanStats;
}

export const WorkspaceReportRequest = new RequestType<WorkspaceReportParams, WorkspaceReportResult, void>('rustReadiness/workspaceReport');

export interface WorkspaceReportChangedParams {
  version: number;
}

/** Sent by the server whenever the workspace report changes (a scan ended, a watched file changed). */
export const WorkspaceReportChangedNotification = new NotificationType<WorkspaceReportChangedParams>('rustReadiness/workspaceReportChanged');


export interface RenderReportParams {
  format: ReportFormat;
}

/** The current workspace report (scanning first if there is none) as a file's text, rendered by the server's engine. */
export const RenderReportRequest = new RequestType<RenderReportParams, { text: string }, void>('rustReadiness/renderReport');

// The workspace report on the client side: one store per extension that asks the
// server for rustReadiness/workspaceReport, follows its report-changed
// notifications, and feeds the panel, the status item and the report webview.
// Commands: rustReadiness.scanWorkspace and rustReadiness.rescan.
// The server is looked up when needed (ctx.server.client), and the notification
// handler is set again on every (re)start, so nothing talks to a dead client.
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { Commands, WorkspaceReportChangedNotification, WorkspaceReportRequest, type WorkspaceReportResult } from '../../server/src/protocol';
import type { FeatureContext } from './context';

/** Set while a report exists; package.json's viewsWelcome and menus read it. */
const SCANNED_CONTEXT = 'rustReadiness.scanned';
/** Remembered per workspace: once scanned, later sessions load the report (mostly from the cache) at start. */
const SCANNED_BEFORE = 'rustReadiness.scannedBefore';
export const PANEL_VIEW = 'rustReadiness.panel';

export class ReportStore implements vscode.Disposable {
  private current: WorkspaceReportResult | undefined;
  private readonly changed = new vscode.EventEmitter<WorkspaceReportResult | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: FeatureContext) {}

  get result(): WorkspaceReportResult | undefined {
    return this.current;
  }

  /**
   * Scans (or rescans) with a cancellable progress notification, or in the status
   * bar when `quiet` (loading a workspace scanned before, at start); undefined when
   * the server is down or the scan failed.
   */
  async scan(rescan: boolean, quiet = false): Promise<WorkspaceReportResult | undefined> {
    const client = this.client();
    if (!client) return undefined;
    return vscode.window.withProgress({
      location: quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
      title: 'Rust Readiness',
      cancellable: true,
    }, async (progress, cancel) => {
      const workDoneToken = `rustReadiness/scan/${++scans}`;
      let last = 0;
      const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const percentage = value.percentage ?? last;
        progress.report({ message: value.message, increment: Math.max(0, percentage - last) });
        last = percentage;
      });
      try {
        return this.accept(client, await client.sendRequest(WorkspaceReportRequest, { rescan, workDoneToken }, cancel));
      } catch (e) {
        if (!cancel.isCancellationRequested) this.fail(e);
        return undefined;
      } finally {
        listening.dispose();
      }
    });
  }

  /** The server's current report, after it said the report changed. */
  async fetch(): Promise<void> {
    const client = this.client();
    if (!client) return;
    try {
      this.accept(client, await client.sendRequest(WorkspaceReportRequest, {}));
    } catch (e) {
      this.fail(e);
    }
  }

  /** A new server starts without a report: versions count from 1 again. */
  reset(): void {
    this.latestVersion = 0;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private latestVersion = 0;

  private accept(client: LanguageClient, result: WorkspaceReportResult): WorkspaceReportResult {
    // Answers can cross: never replace a newer report with an older one of the same server.
    if (client !== this.ctx.server.client || result.version < this.latestVersion) return this.current ?? result;
    this.latestVersion = result.version;
    this.current = result;
    void vscode.commands.executeCommand('setContext', SCANNED_CONTEXT, true);
    void this.ctx.extension.workspaceState.update(SCANNED_BEFORE, true);
    this.changed.fire(result);
    return result;
  }

  private client(): LanguageClient | undefined {
    const client = this.ctx.server.client;
    if (!client) void vscode.window.showWarningMessage('Rust Readiness: the language server is not running. Run "Rust Readiness: Restart Language Server".');
    return client;
  }

  private fail(e: unknown): void {
    this.ctx.output.error(`workspace report failed: ${(e as Error)?.message ?? e}`);
    void vscode.window.showErrorMessage(`Rust Readiness: the workspace scan failed: ${(e as Error)?.message ?? e}`);
  }
}

let scans = 0;

const stores = new WeakMap<FeatureContext, ReportStore>();

/** The one report store of this extension context, shared by the panel, status item, webview and export. */
export function reportStore(ctx: FeatureContext): ReportStore {
  let store = stores.get(ctx);
  if (!store) {
    store = new ReportStore(ctx);
    stores.set(ctx, store);
    ctx.extension.subscriptions.push(store);
  }
  return store;
}

export function activate(ctx: FeatureContext): void {
  const store = reportStore(ctx);
  void vscode.commands.executeCommand('setContext', SCANNED_CONTEXT, false);
  ctx.extension.subscriptions.push(
    // Like rescan, it answers with the report (undefined if the scan failed), so callers and tests can use it.
    vscode.commands.registerCommand(Commands.scanWorkspace, async () => {
      await vscode.commands.executeCommand(`${PANEL_VIEW}.focus`);
      return store.scan(false);
    }),
    vscode.commands.registerCommand(Commands.rescan, () => store.scan(true)),
    ctx.server.onDidStart((client) => {
      store.reset();
      ctx.extension.subscriptions.push(client.onNotification(WorkspaceReportChangedNotification, () => void store.fetch()));
      if (store.result || ctx.extension.workspaceState.get<boolean>(SCANNED_BEFORE)) void store.scan(false, true);
    }),
  );
}

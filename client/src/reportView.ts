// The "Rust Readiness Report" webview (rustReadiness.showReport): overall score,
// histogram of file scores, findings by Rust concept, top rules, the worst and
// most ready files, migration candidates. The HTML is a fixed shell
// (reportHtml.ts); the data arrives by typed postMessage and is refreshed
// whenever the workspace report changes.
import * as vscode from 'vscode';
import { Commands } from '../../server/src/protocol';
import type { FeatureContext } from './context';
import { reportShellHtml } from './reportHtml';
import { parseFromWebview, toReportViewData, type ToWebview } from './webview/protocol';
import { reportStore } from './workspaceReport';

const VIEW_TYPE = 'rustReadiness.report';

export function activate(ctx: FeatureContext): void {
  const store = reportStore(ctx);
  let panel: vscode.WebviewPanel | undefined;

  const post = (message: ToWebview) => void panel?.webview.postMessage(message);
  const postReport = () => {
    if (store.result) post({ type: 'report', data: toReportViewData(store.result) });
  };

  const open = async () => {
    if (panel) return panel.reveal();
    const dist = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist');
    panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Rust Readiness Report', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [dist],
    });
    const webview = panel.webview;
    webview.html = reportShellHtml({ cspSource: webview.cspSource, scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString() });
    webview.onDidReceiveMessage(async (raw: unknown) => {
      const message = parseFromWebview(raw);
      if (!message) return;
      switch (message.type) {
        case 'ready': return postReport();
        case 'rescan': return void await store.scan(true);
        case 'export': return void await vscode.commands.executeCommand(Commands.exportReport);
        case 'open': {
          // Only files of the report: the page shows untrusted names, it does not choose what to open.
          const known = store.result?.report.files.some((f) => f.path === message.path);
          if (known) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(message.path));
        }
      }
    });
    panel.onDidDispose(() => (panel = undefined));
    if (!store.result) {
      post({ type: 'scanning' });
      await store.scan(false);
    }
  };

  ctx.extension.subscriptions.push(
    vscode.commands.registerCommand(Commands.showReport, open),
    store.onDidChange(postReport),
    { dispose: () => panel?.dispose() },
  );
}

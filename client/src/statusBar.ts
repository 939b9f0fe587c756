// The status item: the active file's readiness score and the workspace score,
// both from the workspace report. Clicking it opens the panel; before the first
// scan it offers the scan instead.
import * as vscode from 'vscode';
import type { FileReport } from '../../server/src/engine/report/model';
import { Commands } from '../../server/src/protocol';
import type { FeatureContext } from './context';
import { PANEL_VIEW, reportStore } from './workspaceReport';

const C_CPP = new Set(['c', 'cpp']);

export function activate(ctx: FeatureContext): void {
  const store = reportStore(ctx);
  const item = vscode.window.createStatusBarItem('rustReadiness.score', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Rust Readiness Score';
  let byPath = new Map<string, FileReport>();
  const update = () => {
    const result = store.result;
    const editor = vscode.window.activeTextEditor;
    const isSource = !!editor && C_CPP.has(editor.document.languageId);
    if (!result) {
      item.text = '$(checklist) Rust: not scanned';
      item.tooltip = 'Rust Readiness: scan the workspace for its readiness score';
      item.command = Commands.scanWorkspace;
      if (isSource) item.show();
      else item.hide();
      return;
    }
    const ws = result.report.summary;
    const file = isSource ? byPath.get(normalize(editor.document.uri.fsPath)) : undefined;
    item.text = file ? `$(checklist) ${file.score} · ${ws.score}` : `$(checklist) ${ws.score}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.appendText('Rust Readiness\n\n');
    if (file) tooltip.appendText(`This file: ${file.score}/100 (${file.band}), ${file.findings.length} findings\n\n`);
    else if (isSource) tooltip.appendText('This file is not in the workspace report (excluded, skipped or new)\n\n');
    tooltip.appendText(`Workspace: ${ws.score}/100 (${ws.band}), ${ws.files} files, ${ws.findings} findings`);
    item.tooltip = tooltip;
    item.command = { command: `${PANEL_VIEW}.focus`, title: 'Show the Rust Readiness panel' };
    item.show();
  };
  ctx.extension.subscriptions.push(
    item,
    store.onDidChange((result) => {
      byPath = new Map((result?.report.files ?? []).map((f) => [normalize(f.path), f]));
      update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
  update();
}

/** The report uses '/' separators (see buildReport). */
function normalize(p: string): string {
  return p.replace(/\\/g, '/');
}

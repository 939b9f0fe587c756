// rustReadiness.exportReport: writes the workspace report as Markdown, HTML
// (self-contained), JSON or SARIF to a file the user picks. The server renders
// it with the engine's writers, the same ones as `rust-readiness report`.
import * as vscode from 'vscode';
import type { ReportFormat } from '../../server/src/engine/report/export';
import { Commands, RenderReportRequest } from '../../server/src/protocol';
import type { FeatureContext } from './context';

const FILTERS: Record<string, string[]> = {
  'HTML (self-contained)': ['html'],
  Markdown: ['md'],
  JSON: ['json'],
  SARIF: ['sarif'],
};

export function formatOfExtension(fileName: string): ReportFormat | undefined {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  switch (ext) {
    case 'md': case 'markdown': return 'markdown';
    case 'html': case 'htm': return 'html';
    case 'json': return 'json';
    case 'sarif': return 'sarif';
    default: return undefined;
  }
}

export function activate(ctx: FeatureContext): void {
  ctx.extension.subscriptions.push(vscode.commands.registerCommand(Commands.exportReport, async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Export the Rust Readiness report',
      defaultUri: folder && vscode.Uri.joinPath(folder, 'rust-readiness-report.html'),
      filters: FILTERS,
    });
    if (!target) return;
    const format = formatOfExtension(target.path) ?? await pickFormat();
    if (!format) return;
    const client = ctx.server.client;
    if (!client) {
      void vscode.window.showWarningMessage('Rust Readiness: the language server is not running.');
      return;
    }
    try {
      const { text } = await client.sendRequest(RenderReportRequest, { format });
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    } catch (e) {
      ctx.output.error(`export failed: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`Rust Readiness: could not export the report: ${(e as Error).message}`);
      return;
    }
    const open = await vscode.window.showInformationMessage(`Rust Readiness: report written to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
    if (open) await vscode.commands.executeCommand('vscode.open', target);
  }));
}

async function pickFormat(): Promise<ReportFormat | undefined> {
  const picked = await vscode.window.showQuickPick(
    [{ label: 'HTML', format: 'html' as const }, { label: 'Markdown', format: 'markdown' as const }, { label: 'JSON', format: 'json' as const }, { label: 'SARIF', format: 'sarif' as const }],
    { placeHolder: 'Report format' },
  );
  return picked?.format;
}

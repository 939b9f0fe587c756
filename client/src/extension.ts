// The Rust Readiness extension: wires the client features to the language server.
// Each feature lives in its own file and exports activate(ctx).
import * as vscode from 'vscode';
import type { FeatureContext } from './context';
import { ServerHandle } from './languageServer';
import * as restartServer from './restartServer';
import * as showDocs from './showDocs';
import * as workspaceReport from './workspaceReport';
import * as panel from './panel';
import * as statusBar from './statusBar';
import * as reportView from './reportView';
import * as exportReport from './exportReport';

let server: ServerHandle | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Rust Readiness', { log: true });
  extension.subscriptions.push(output);
  server = new ServerHandle(extension, output);
  const ctx: FeatureContext = { extension, output, server };
  for (const feature of [showDocs, restartServer, workspaceReport, panel, statusBar, reportView, exportReport]) feature.activate(ctx);
  try {
    await server.start();
  } catch (e) {
    output.error(`the language server did not start: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(`Rust Readiness: the language server did not start: ${(e as Error).message}`);
  }
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}

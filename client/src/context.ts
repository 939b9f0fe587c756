// What every client feature receives in activate(ctx): the extension context, the
// shared output channel, and the handle of the language server. Features reach the
// server through `server.client` at the time they need it, so a restarted server
// is used, never a dead client.
import type * as vscode from 'vscode';
import type { ServerHandle } from './languageServer';

export interface FeatureContext {
  extension: vscode.ExtensionContext;
  output: vscode.LogOutputChannel;
  server: ServerHandle;
}

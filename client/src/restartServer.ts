// rustReadiness.restartServer: stops and starts the language server.
import * as vscode from 'vscode';
import { Commands } from '../../server/src/protocol';
import type { FeatureContext } from './context';

export function activate(ctx: FeatureContext): void {
  ctx.extension.subscriptions.push(vscode.commands.registerCommand(Commands.restartServer, async () => {
    try {
      await ctx.server.restart();
    } catch (e) {
      ctx.output.error(`restart failed: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`Rust Readiness: the language server did not restart: ${(e as Error).message}`);
    }
  }));
}

// rustReadiness.showDocs [ruleId]: opens docs/rules/<id>.md in the Markdown
// preview. The code action "Show documentation for <rule>" passes the id; from the
// command palette a quick pick lists the rule pages.
import * as vscode from 'vscode';
import { Commands } from '../../server/src/protocol';
import type { FeatureContext } from './context';

export function activate(ctx: FeatureContext): void {
  ctx.extension.subscriptions.push(vscode.commands.registerCommand(Commands.showDocs, async (ruleId?: unknown) => {
    const id = typeof ruleId === 'string' ? ruleId : await pickRule(ctx);
    if (id) await showDocs(ctx, id);
  }));
}

function docsFolder(ctx: FeatureContext): vscode.Uri {
  return vscode.Uri.joinPath(ctx.extension.extensionUri, 'docs', 'rules');
}

async function showDocs(ctx: FeatureContext, id: string): Promise<void> {
  if (!/^[a-z0-9-]+$/.test(id)) return; // a rule id, never a path
  const page = vscode.Uri.joinPath(docsFolder(ctx), `${id}.md`);
  try {
    await vscode.workspace.fs.stat(page);
  } catch {
    void vscode.window.showWarningMessage(`Rust Readiness: there is no documentation page for ${id} yet.`);
    return;
  }
  try {
    await vscode.commands.executeCommand('markdown.showPreview', page);
  } catch (e) {
    ctx.output.warn(`markdown preview unavailable (${(e as Error).message}); opening ${page.fsPath} as text`);
    await vscode.commands.executeCommand('vscode.open', page);
  }
}

async function pickRule(ctx: FeatureContext): Promise<string | undefined> {
  let entries: Array<[string, vscode.FileType]> = [];
  try {
    entries = await vscode.workspace.fs.readDirectory(docsFolder(ctx));
  } catch {
    // no pages shipped
  }
  const ids = entries.filter(([name]) => name.endsWith('.md')).map(([name]) => name.slice(0, -3)).sort();
  return vscode.window.showQuickPick(ids, { placeHolder: 'Rust Readiness rule' });
}

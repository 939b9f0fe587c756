// Helpers of the extension-host suite: the extension under test, its diagnostics,
// `expect:` comments, scratch files, and waits with deadlines.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { processes } from '../editor/processes';
import { waitFor } from '../editor/wait';

export { waitFor };
export const EXTENSION_ID = 'rust-readiness.rust-readiness';
export const SOURCE = 'rust-readiness';
/** Generous: the machine running CI is shared and often loaded. */
export const DEADLINE_MS = 30_000;

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext;
}

export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder');
  return folder.uri.fsPath;
}

export function workspaceUri(relative: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceFolder(), relative));
}

/** Our diagnostics of a document. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function ruleId(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Waits until the document's diagnostics satisfy `accept`, and returns them. */
export function waitForDiagnostics(uri: vscode.Uri, accept: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = DEADLINE_MS): Promise<vscode.Diagnostic[]> {
  return waitFor(() => {
    const ds = ours(uri);
    return accept(ds) ? ds : undefined;
  }, timeoutMs, () => `${what}; diagnostics of ${path.basename(uri.fsPath)} now: ${listDiagnostics(ours(uri))}`);
}

export function listDiagnostics(ds: readonly vscode.Diagnostic[]): string {
  return ds.map((d) => `${ruleId(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`).join(', ') || 'none';
}

/** `line (0-based) → rule ids` from the `expect: a, b` comments of a text. */
export function expectations(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  text.split('\n').forEach((line, i) => {
    const m = /expect: ([a-z0-9-]+(?:, *[a-z0-9-]+)*)/.exec(line);
    if (m) out.set(i, m[1].split(',').map((s) => s.trim()).sort());
  });
  return out;
}

/** `line → rule ids` of diagnostics, in the same shape as expectations(). */
export function byLine(ds: readonly vscode.Diagnostic[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const d of ds) out.set(d.range.start.line, [...(out.get(d.range.start.line) ?? []), ruleId(d)].sort());
  return out;
}

export function sameMap(a: Map<number, string[]>, b: Map<number, string[]>): boolean {
  return a.size === b.size && [...a].every(([line, ids]) => JSON.stringify(b.get(line)) === JSON.stringify(ids));
}

export async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

let scratchCount = 0;

/** Writes a new file under scratch/ in the workspace and opens it. */
export async function scratch(name: string, text: string): Promise<vscode.TextEditor> {
  const file = path.join(workspaceFolder(), 'scratch', `${++scratchCount}-${name}`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return open(vscode.Uri.file(file));
}

/** Closes the editor of `doc`, dropping unsaved changes (no save prompt). */
export async function closeWithoutSaving(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** Replaces the whole text of the document (unsaved). */
export async function setText(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  const ok = await editor.edit((b) => b.replace(all, text));
  if (!ok) throw new Error('the edit was not applied');
}

/** The position of the `occurrence`-th match of `needle` in the document. */
export function positionOf(doc: vscode.TextDocument, needle: string, occurrence = 1): vscode.Position {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = doc.getText().indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (#${occurrence}) is not in ${doc.uri.fsPath}`);
  }
  return doc.positionAt(at);
}

export function rangeOf(doc: vscode.TextDocument, needle: string, occurrence = 1): vscode.Range {
  const start = positionOf(doc, needle, occurrence);
  return new vscode.Range(start, start.translate(0, needle.length));
}

/** The pids of our language servers: children of this extension host running dist/server.js. */
export function serverPids(): number[] {
  return processes().filter((p) => p.ppid === process.pid && p.state !== 'Z' && commandLine(p.pid).includes('dist/server.js')).map((p) => p.pid);
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Sets a user setting for the test and gives back a function that restores it. */
export async function withSetting(section: string, key: string, value: unknown): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration(section);
  const before = config.inspect(key)?.globalValue;
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  return () => Promise.resolve(vscode.workspace.getConfiguration(section).update(key, before, vscode.ConfigurationTarget.Global));
}

/** The severity a rule has by default, from the installed extension's manifest. */
export function defaultSeverity(rule: string): vscode.DiagnosticSeverity {
  const rules = (extension().packageJSON as Manifest).contributes.configuration.properties['rustReadiness.rules'].properties;
  const name = rules[rule]?.default;
  const map: Record<string, vscode.DiagnosticSeverity> = {
    error: vscode.DiagnosticSeverity.Error,
    warning: vscode.DiagnosticSeverity.Warning,
    information: vscode.DiagnosticSeverity.Information,
    hint: vscode.DiagnosticSeverity.Hint,
  };
  if (!name || !(name in map)) throw new Error(`no default severity for ${rule} in the manifest`);
  return map[name];
}

interface Manifest {
  contributes: { configuration: { properties: Record<string, { properties: Record<string, { default?: string }> }> } };
}

/** A rule's doc page in the installed extension. */
export function docPage(rule: string): string {
  return path.join(extension().extensionPath, 'docs', 'rules', `${rule}.md`);
}

/** The Rust concept a doc page names (`**Rust concept:** `Box<T>``) and its first Rust snippet. */
export function docFacts(rule: string): { concept: string; rustSnippet: string } {
  const text = fs.readFileSync(docPage(rule), 'utf8');
  const concept = /\*\*Rust concept:\*\* `([^`]+)`/.exec(text)?.[1];
  const rustSnippet = /```rust\n([\s\S]*?)```/.exec(text)?.[1]?.trim();
  if (!concept || !rustSnippet) throw new Error(`${docPage(rule)} names no Rust concept or has no Rust snippet`);
  return { concept, rustSnippet };
}

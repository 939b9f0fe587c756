// Code actions, as vscode-eslint offers them. For each finding under the range:
// its quick fix (preferred), "Fix all <rule> in this file", "Suppress <rule> on
// this line", "Suppress <rule> in this file" and "Show documentation for <rule>".
// Once per file, when asked for source actions: "Fix all auto-fixable
// Rust-readiness findings" (source.fixAll.rustReadiness), a versioned edit so
// editor.codeActionsOnSave works. Fix-all edits are costly (they re-analyze until
// no fix is left), so with a resolving client they are computed on resolve.
import {
  CodeActionKind, TextDocumentEdit,
  type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit,
} from 'vscode-languageserver';
import { applyFixAll } from '../engine/fixes/fix-all';
import type { Engine, Finding, RuleMeta, TextEdit } from '../engine';
import { Commands, FIX_ALL_KIND } from '../protocol';
import type { CurrentAnalysis } from './analyzer';
import { pathOf } from './analyzer';
import type { OpenDocument } from './documents';
import { minimalEdits } from './textDiff';

export interface CodeActionContext {
  engine: Engine;
  meta(ruleId: string): RuleMeta | undefined;
  diagnostic(finding: Finding, uri: string): Diagnostic;
  /** The client applies TextDocumentEdits (versioned); otherwise plain `changes`. */
  documentChanges: boolean;
  /** The client resolves code actions lazily (codeAction/resolve with `edit`). */
  resolveEdits: boolean;
}

/** What a lazily computed fix-all action needs to compute its edit on resolve. */
export interface FixAllData {
  uri: string;
  /** Undefined: every rule (source.fixAll). */
  ruleId?: string;
}

export const FIX_ALL_TITLE = 'Fix all auto-fixable Rust-readiness findings';

export function codeActions(params: CodeActionParams, doc: OpenDocument, analysis: CurrentAnalysis, ctx: CodeActionContext): CodeAction[] {
  const only = params.context?.only;
  const wants = (kind: string) => !only || only.length === 0 || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) actions.push(...findingActions(params, doc, analysis, ctx));
  // Source actions only on request (the Source Action menu, codeActionsOnSave), as vscode-eslint does.
  if (only?.length && wants(FIX_ALL_KIND) && analysis.findings.some((f) => f.fix)) {
    actions.push({
      title: FIX_ALL_TITLE,
      kind: FIX_ALL_KIND,
      edit: fixAllEdit(doc, analysis, ctx, undefined),
    });
  }
  return actions;
}

/** Fills in the edit of a fix-all action returned without one. */
export function resolveCodeAction(action: CodeAction, doc: OpenDocument | undefined, analysis: CurrentAnalysis | undefined, ctx: CodeActionContext): CodeAction {
  const data = action.data as FixAllData | undefined;
  if (action.edit || !doc || !analysis || !data || data.uri !== doc.uri) return action;
  return { ...action, edit: fixAllEdit(doc, analysis, ctx, data.ruleId) };
}

function findingActions(params: CodeActionParams, doc: OpenDocument, analysis: CurrentAnalysis, ctx: CodeActionContext): CodeAction[] {
  const from = doc.offsetAt(params.range.start);
  const to = doc.offsetAt(params.range.end);
  const under = analysis.findings.filter((f) => f.start <= Math.max(from, to) && f.end >= Math.min(from, to));
  const fixes: CodeAction[] = [];
  const perRule: CodeAction[] = [];
  const seen = new Set<string>();
  const once = (key: string) => !seen.has(key) && !!seen.add(key);
  for (const finding of under) {
    const id = finding.ruleId;
    const diagnostic = ctx.diagnostic(finding, doc.uri);
    if (finding.fix) {
      fixes.push({
        title: finding.fix.title,
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: [diagnostic],
        edit: workspaceEdit(doc, finding.fix.edits, ctx),
      });
    }
    if (once(`fixall:${id}`) && analysis.findings.some((f) => f.ruleId === id && f.fix)) {
      const data: FixAllData = { uri: doc.uri, ruleId: id };
      perRule.push({
        title: `Fix all ${id} in this file`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(ctx.resolveEdits ? { data } : { edit: fixAllEdit(doc, analysis, ctx, id) }),
      });
    }
    if (once(`line:${id}:${finding.startPos.line}`)) {
      perRule.push({
        title: `Suppress ${id} on this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: workspaceEdit(doc, [suppressLineEdit(doc, finding.startPos.line, id)], ctx),
      });
    }
    if (once(`file:${id}`)) {
      perRule.push({
        title: `Suppress ${id} in this file`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: workspaceEdit(doc, [suppressFileEdit(doc.text, id)], ctx),
      });
    }
    if (once(`docs:${id}`)) {
      const title = `Show documentation for ${id}`;
      perRule.push({ title, kind: CodeActionKind.QuickFix, command: { title, command: Commands.showDocs, arguments: [id] } });
    }
  }
  return [...fixes, ...perRule];
}

function fixAllEdit(doc: OpenDocument, analysis: CurrentAnalysis, ctx: CodeActionContext, ruleId: string | undefined): WorkspaceEdit {
  const text = doc.text;
  const fixed = applyFixAll(ctx.engine, text, pathOf(doc.uri), { config: analysis.config, rules: ruleId ? [ruleId] : undefined, lang: analysis.lang });
  return workspaceEdit(doc, minimalEdits(text, fixed.text), ctx);
}

function workspaceEdit(doc: OpenDocument, edits: readonly TextEdit[], ctx: CodeActionContext): WorkspaceEdit {
  const unique = new Map(edits.map((e) => [`${e.start}:${e.end}:${e.newText}`, e]));
  const lspEdits: LspTextEdit[] = [...unique.values()]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText }));
  if (ctx.documentChanges) return { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, lspEdits)] };
  return { changes: { [doc.uri]: lspEdits } };
}

const LINE_SUPPRESSION = /(?:\/\/|\/\*)[ \t]*NORUST\(([^)\n]*)\)/;
const FILE_SUPPRESSION = /(?:\/\/|\/\*)[ \t]*NORUSTFILE\(([^)\n]*)\)/;

/** Adds the rule to the line's NORUST(...) list, or appends a NORUST comment. */
export function suppressLineEdit(doc: OpenDocument, line: number, ruleId: string): TextEdit {
  const start = doc.offsetAt({ line, character: 0 });
  const text = doc.text;
  let end = doc.offsetAt({ line: line + 1, character: 0 });
  if (end > start && text[end - 1] === '\n') end--;
  if (end > start && text[end - 1] === '\r') end--;
  const content = text.slice(start, end);
  const existing = addToList(LINE_SUPPRESSION, content, ruleId);
  if (existing) return { ...existing, start: start + existing.start, end: start + existing.end };
  // A line continued with a backslash (a macro body) cannot take a // comment.
  const continued = /\\[ \t]*$/.exec(content);
  if (continued) return { start: start + continued.index, end: start + continued.index, newText: `/* NORUST(${ruleId}) */ ` };
  const trimmed = content.replace(/[ \t]+$/, '').length;
  return { start: start + trimmed, end: start + trimmed, newText: ` // NORUST(${ruleId})` };
}

/** Adds the rule to the file's NORUSTFILE(...) list, or inserts one on the first line. */
export function suppressFileEdit(text: string, ruleId: string): TextEdit {
  const existing = addToList(FILE_SUPPRESSION, text, ruleId);
  if (existing) return existing;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { start: 0, end: 0, newText: `// NORUSTFILE(${ruleId})${eol}` };
}

/** The edit that appends `ruleId` to the first `pattern` list in `text`, if there is one. */
function addToList(pattern: RegExp, text: string, ruleId: string): TextEdit | undefined {
  const m = pattern.exec(text);
  if (!m) return undefined;
  const close = m.index + m[0].length - 1;
  const newText = m[1].trim() ? `, ${ruleId}` : ruleId;
  return { start: close, end: close, newText };
}

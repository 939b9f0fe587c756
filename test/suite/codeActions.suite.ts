// Code actions through VS Code's own commands: the fix, the suppressions and the
// docs for a finding; applying the fix; source.fixAll on save; and the hover.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { closeWithoutSaving, DEADLINE_MS, docFacts, positionOf, rangeOf, ruleId, scratch, waitFor, waitForDiagnostics, withSetting } from './helpers';

const FIXABLE = `#include <memory>

struct Widget {
  explicit Widget(int n) : n(n) {}
  int n;
};

int area(int n) {
  Widget *w = new Widget(n);
  int s = w->n;
  delete w;
  return s;
}

int narrow(double d) {
  int *p = NULL;
  return (int)d + (p ? 1 : 0);
}
`;

/** FIXABLE after the raw-new fix alone: make_unique, and the delete it makes redundant goes. */
const RAW_NEW_FIXED = FIXABLE.replace('Widget *w = new Widget(n);', 'auto w = std::make_unique<Widget>(n);').replace('  delete w;\n', '');

/** FIXABLE after fixing everything that can be fixed. */
const ALL_FIXED = RAW_NEW_FIXED.replace('int *p = NULL;', 'int *p = nullptr;').replace('return (int)d', 'return static_cast<int>(d)');

async function actionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
}

describe('code actions and hover', function () {
  it('offer the fix (preferred), fix-all, both suppressions and the docs for a finding', async function () {
    const editor = await scratch('actions.cpp', FIXABLE);
    const doc = editor.document;
    try {
      await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => ruleId(d) === 'raw-new'), 'raw-new not reported');
      const actions = await actionsAt(doc.uri, rangeOf(doc, 'new Widget(n)'));
      const titles = actions.map((a) => a.title);
      const preferred = actions.filter((a) => a.isPreferred);
      assert.equal(preferred.length, 1, `preferred actions: ${titles.join(' | ')}`);
      assert.match(preferred[0].title, /make_unique/);
      assert.equal(preferred[0].kind?.value, vscode.CodeActionKind.QuickFix.value);
      for (const title of ['Fix all raw-new in this file', 'Suppress raw-new on this line', 'Suppress raw-new in this file', 'Show documentation for raw-new']) {
        assert.ok(titles.includes(title), `"${title}" is not offered: ${titles.join(' | ')}`);
      }
      const docs = actions.find((a) => a.title === 'Show documentation for raw-new');
      assert.equal(docs?.command?.command, 'rustReadiness.showDocs');
      assert.deepEqual(docs?.command?.arguments, ['raw-new']);
    } finally {
      await closeWithoutSaving(doc);
    }
  });

  it('applies the fix: the text changes as expected and the finding goes', async function () {
    const editor = await scratch('apply-fix.cpp', FIXABLE);
    const doc = editor.document;
    try {
      await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => ruleId(d) === 'raw-new'), 'raw-new not reported');
      const fix = (await actionsAt(doc.uri, rangeOf(doc, 'new Widget(n)'))).find((a) => a.isPreferred);
      assert.ok(fix?.edit, 'no preferred fix with an edit');
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'VS Code refused the fix');
      assert.equal(doc.getText(), RAW_NEW_FIXED);
      await waitForDiagnostics(doc.uri, (ds) => !ds.some((d) => ['raw-new', 'raw-delete'].includes(ruleId(d))), 'raw-new / raw-delete still reported after the fix');
    } finally {
      await closeWithoutSaving(doc);
    }
  });

  it('applies "Suppress on this line": the finding goes, a NORUST comment is written', async function () {
    const editor = await scratch('suppress-action.cpp', FIXABLE);
    const doc = editor.document;
    try {
      await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => ruleId(d) === 'null-macro'), 'null-macro not reported');
      const line = positionOf(doc, 'int *p = NULL;').line;
      const suppress = (await actionsAt(doc.uri, rangeOf(doc, 'NULL'))).find((a) => a.title === 'Suppress null-macro on this line');
      assert.ok(suppress?.edit, 'no line suppression');
      assert.ok(await vscode.workspace.applyEdit(suppress.edit));
      assert.match(doc.lineAt(line).text, /int \*p = NULL; \/\/ NORUST\(null-macro\)/);
      await waitForDiagnostics(doc.uri, (ds) => !ds.some((d) => ruleId(d) === 'null-macro') && ds.some((d) => ruleId(d) === 'raw-new'), 'null-macro still reported (or everything vanished)');
    } finally {
      await closeWithoutSaving(doc);
    }
  });

  it('opens the rule page from "Show documentation"', async function () {
    await vscode.commands.executeCommand('rustReadiness.showDocs', 'raw-new');
    await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label.includes('raw-new')), DEADLINE_MS, 'no tab shows the raw-new page');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('fixes everything on save with editor.codeActionsOnSave source.fixAll', async function () {
    const restore = await withSetting('editor', 'codeActionsOnSave', { 'source.fixAll.rustReadiness': 'explicit' });
    const editor = await scratch('fix-on-save.cpp', FIXABLE);
    const doc = editor.document;
    try {
      await waitForDiagnostics(doc.uri, (ds) => ds.filter((d) => ['raw-new', 'null-macro', 'c-style-cast'].includes(ruleId(d))).length === 3, 'the fixable findings were not reported');
      // A save only runs the participants when there is something to save.
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// saved\n'));
      assert.ok(await doc.save(), 'the save failed');
      await waitFor(() => fs.readFileSync(doc.uri.fsPath, 'utf8') === `// saved\n${ALL_FIXED}`, DEADLINE_MS,
        () => `the saved file is not fixed:\n${fs.readFileSync(doc.uri.fsPath, 'utf8')}`);
      await waitForDiagnostics(doc.uri, (ds) => !ds.some((d) => ['raw-new', 'null-macro', 'c-style-cast'].includes(ruleId(d))), 'fixed findings still reported');
    } finally {
      await restore();
      await closeWithoutSaving(doc);
    }
  });

  it('hovers with the Rust concept and the Rust snippet of the rule page', async function () {
    const editor = await scratch('hover.cpp', FIXABLE);
    const doc = editor.document;
    try {
      await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => ruleId(d) === 'raw-new'), 'raw-new not reported');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'Widget(n);').translate(0, 2));
      const text = (hovers ?? []).flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
      const { concept, rustSnippet } = docFacts('raw-new');
      assert.ok(text.includes(concept), `the hover does not name ${concept}:\n${text}`);
      assert.ok(text.includes(rustSnippet), `the hover does not show the Rust snippet:\n${text}`);
      assert.ok(text.includes('raw-new'), 'the hover does not name the rule');
    } finally {
      await closeWithoutSaving(doc);
    }
  });
});

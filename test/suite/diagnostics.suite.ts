// Diagnostics as VS Code holds them: rule ids on the right lines, exact ranges,
// links to the installed rule pages, default severities; and how they follow
// edits, settings and suppression comments.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  byLine, closeWithoutSaving, defaultSeverity, docPage, expectations, open, rangeOf, ruleId, sameMap, scratch,
  setText, waitForDiagnostics, withSetting, workspaceUri,
} from './helpers';

const CAST = `int narrow(double d) {
  return (int)d;
}
`;

describe('diagnostics', function () {
  let cpp: vscode.TextDocument;
  let c: vscode.TextDocument;
  const cppDiagnostics = () => vscode.languages.getDiagnostics(cpp.uri).filter((d) => d.source === 'rust-readiness');

  before(async function () {
    cpp = (await open(workspaceUri('widget.cpp'))).document;
    c = (await open(workspaceUri('buffer.c'))).document;
  });

  for (const name of ['widget.cpp', 'buffer.c']) {
    it(`reports the expected rule ids on the expected lines (${name})`, async function () {
      const doc = name === 'widget.cpp' ? cpp : c;
      const expected = expectations(doc.getText());
      assert.ok(expected.size >= 3, `${name} lost its expect: comments`);
      await waitForDiagnostics(doc.uri, (ds) => sameMap(byLine(ds), expected), `${name}: the findings do not match its expect: comments`);
    });
  }

  it('gives each finding the exact range of its construct', async function () {
    await waitForDiagnostics(cpp.uri, (ds) => ds.length > 0, 'no diagnostics');
    const expectedRanges: Record<string, vscode.Range> = {
      'raw-new': rangeOf(cpp, 'new Widget(n)'),
      'raw-delete': rangeOf(cpp, 'delete w'),
      'c-style-cast': rangeOf(cpp, '(int)d'),
    };
    for (const [rule, range] of Object.entries(expectedRanges)) {
      const d = cppDiagnostics().find((x) => ruleId(x) === rule);
      assert.ok(d, `no ${rule} diagnostic`);
      assert.deepEqual([d.range.start, d.range.end].map((p) => [p.line, p.character]), [range.start, range.end].map((p) => [p.line, p.character]), `${rule} range`);
    }
    const malloc = vscode.languages.getDiagnostics(c.uri).find((d) => ruleId(d) === 'malloc-free');
    assert.ok(malloc, 'no malloc-free diagnostic in buffer.c');
    assert.equal(malloc.range.start.line, rangeOf(c, 'malloc(').start.line);
    assert.equal(malloc.range.start.character, rangeOf(c, 'malloc(').start.character);
  });

  it('links every finding to its rule page in the installed extension', async function () {
    for (const doc of [cpp, c]) {
      const ds = await waitForDiagnostics(doc.uri, (x) => x.length > 0, 'no diagnostics');
      for (const d of ds) {
        const target = typeof d.code === 'object' ? d.code.target : undefined;
        assert.ok(target, `${ruleId(d)} has no codeDescription`);
        assert.equal(target.scheme, 'file');
        assert.equal(target.fsPath, docPage(ruleId(d)), `${ruleId(d)} links ${target.toString()}`);
        assert.ok(fs.existsSync(target.fsPath), `${target.fsPath} is not in the installed extension`);
      }
    }
  });

  it('uses each rule\'s default severity (hint, warning)', async function () {
    const ds = await waitForDiagnostics(cpp.uri, (x) => x.length >= 4, 'no diagnostics');
    const severities = new Set<vscode.DiagnosticSeverity>();
    for (const d of ds) {
      assert.equal(d.severity, defaultSeverity(ruleId(d)), `${ruleId(d)} severity`);
      severities.add(d.severity);
    }
    // widget.cpp has a hint (exceptions) and warnings: both mappings are exercised.
    assert.deepEqual([...severities].sort(), [vscode.DiagnosticSeverity.Warning, vscode.DiagnosticSeverity.Hint].sort());
  });

  it('follows edits: a new finding appears, a removed one goes', async function () {
    const editor = await scratch('edits.cpp', CAST);
    const uri = editor.document.uri;
    try {
      await waitForDiagnostics(uri, (ds) => ds.length === 1 && ruleId(ds[0]) === 'c-style-cast', 'the cast was not reported');
      const added = CAST.replace('return (int)d;', 'int *p = NULL;\n  return (int)d + (p ? 1 : 0);');
      await setText(editor, added);
      const ds = await waitForDiagnostics(uri, (x) => x.length === 2, 'the added NULL was not reported');
      assert.deepEqual(ds.map((d) => `${ruleId(d)}@${d.range.start.line}`).sort(), ['c-style-cast@2', 'null-macro@1']);
      await setText(editor, 'int narrow(double d) {\n  return static_cast<int>(d);\n}\n');
      await waitForDiagnostics(uri, (x) => x.length === 0, 'the findings did not go away after the edit');
    } finally {
      await closeWithoutSaving(editor.document);
    }
  });

  it('applies a severity set in the settings, and "off"', async function () {
    const editor = await scratch('settings.cpp', CAST);
    const uri = editor.document.uri;
    const cast = (ds: vscode.Diagnostic[]) => ds.find((d) => ruleId(d) === 'c-style-cast');
    const restore = await withSetting('rustReadiness', 'rules', { 'c-style-cast': 'error' });
    try {
      await waitForDiagnostics(uri, (ds) => cast(ds)?.severity === vscode.DiagnosticSeverity.Error, 'the severity did not become error');
      await vscode.workspace.getConfiguration('rustReadiness').update('rules', { 'c-style-cast': 'information' }, vscode.ConfigurationTarget.Global);
      await waitForDiagnostics(uri, (ds) => cast(ds)?.severity === vscode.DiagnosticSeverity.Information, 'the severity did not become information');
      await vscode.workspace.getConfiguration('rustReadiness').update('rules', { 'c-style-cast': 'off' }, vscode.ConfigurationTarget.Global);
      await waitForDiagnostics(uri, (ds) => !cast(ds), '"off" did not remove the finding');
    } finally {
      await restore();
    }
    await waitForDiagnostics(uri, (ds) => cast(ds)?.severity === defaultSeverity('c-style-cast'), 'the default severity did not come back');
    await closeWithoutSaving(editor.document);
  });

  it('drops a finding a suppression comment covers, and only that one', async function () {
    const text = 'int narrow(double d, double e) {\n  int a = (int)d;\n  return a + (int)e;\n}\n';
    const editor = await scratch('suppress.cpp', text);
    const uri = editor.document.uri;
    try {
      await waitForDiagnostics(uri, (ds) => ds.length === 2, 'the two casts were not reported');
      await setText(editor, text.replace('int a = (int)d;', 'int a = (int)d; // NORUST(c-style-cast): the API takes int'));
      const ds = await waitForDiagnostics(uri, (x) => x.length === 1, 'the suppressed cast is still reported');
      assert.equal(ds[0].range.start.line, 2, 'the wrong finding was suppressed');
      const both = text
        .replace('int a = (int)d;', 'int a = (int)d; // NORUST(c-style-cast): the API takes int')
        .replace('  return a', '  // NORUSTNEXTLINE(c-style-cast)\n  return a');
      await setText(editor, both);
      await waitForDiagnostics(uri, (x) => x.length === 0, 'NORUSTNEXTLINE did not cover the next line');
    } finally {
      await closeWithoutSaving(editor.document);
    }
  });
});

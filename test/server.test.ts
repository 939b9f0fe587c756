// The language server, driven over LSP through the real process (test/lsp-client.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeActionRequest, CodeActionResolveRequest, DiagnosticSeverity, HoverRequest,
  type CodeAction, type Diagnostic, type MarkupContent, type PublishDiagnosticsParams, type TextDocumentEdit, type TextEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyFixAll } from '../server/src/engine/fixes/fix-all';
import { DebugDocumentStateRequest, FIX_ALL_KIND } from '../server/src/protocol';
import { minimalEdits } from '../server/src/lsp/textDiff';
import { applyEdits } from '../server/src/engine';
import { loadEngine, ROOT, SAMPLE } from './helpers';
import { fileUri, LspClient } from './lsp-client';


/** Line and column range of the first occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string) {
  const doc = TextDocument.create('x', 'cpp', 0, text);
  const start = text.indexOf(needle);
  assert.ok(start >= 0, `${needle} is in the text`);
  return { start: doc.positionAt(start), end: doc.positionAt(start + needle.length) };
}

const ofRule = (p: PublishDiagnosticsParams, rule: string): Diagnostic[] => p.diagnostics.filter((d) => d.code === rule);
const summary = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();

function applyLspEdits(text: string, edits: TextDocumentEdit['edits']): string {
  assert.ok(edits.every((e) => 'newText' in e), 'plain text edits, no snippets');
  return TextDocument.applyEdits(TextDocument.create('x', 'cpp', 0, text), edits as TextEdit[]);
}

function mkWorkspace(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rr-lsp-'));
}

describe('language server over LSP', function () {
  let workspace: string;
  let client: LspClient;
  let settings: Record<string, unknown>;
  let n = 0;
  const newUri = (ext = 'cpp') => fileUri(path.join(workspace, `doc${++n}.${ext}`));

  before(async () => {
    workspace = mkWorkspace();
    settings = {};
    client = await LspClient.start({ workspaceFolder: workspace, settings: () => settings });
  });

  after(async () => {
    await client?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('announces incremental sync, hover and code actions with fix-all', () => {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', FIX_ALL_KIND]);
  });

  it('publishes diagnostics with the exact range, rule id, doc link, source and severity', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    const published = await client.waitForDiagnostics(uri, 1);
    const [d] = ofRule(published, 'raw-new');
    assert.ok(d, `a raw-new diagnostic among ${summary(published)}`);
    assert.deepEqual(d.range, rangeOf(SAMPLE, 'new Widget(n)'));
    assert.equal(d.source, 'rust-readiness');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.equal(d.codeDescription?.href, fileUri(path.join(ROOT, 'docs/rules/raw-new.md')));
    assert.ok(fs.existsSync(new URL(d.codeDescription!.href)), 'the doc link points at an existing page');
    assert.match(d.message as string, /Box<T>/);
  });

  it('updates diagnostics after an incremental edit adds a finding, and after it is removed', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    await client.waitForDiagnostics(uri, 1);
    const line = '  int *extra = new int(7);\n';
    const at = { line: 10, character: 0 };
    client.change(uri, [{ range: { start: at, end: at }, text: line }]);
    const added = await client.waitForDiagnostics(uri, 2);
    assert.deepEqual(ofRule(added, 'raw-new').map((d) => d.range), [rangeOf(SAMPLE, 'new Widget(n)'), rangeOf(client.text(uri), 'new int(7)')]);
    client.change(uri, [{ range: { start: at, end: { line: 11, character: 0 } }, text: '' }]);
    const removed = await client.waitForDiagnostics(uri, 3);
    assert.equal(client.text(uri), SAMPLE);
    assert.deepEqual(ofRule(removed, 'raw-new').map((d) => d.range), [rangeOf(SAMPLE, 'new Widget(n)')]);
  });

  it('an incremental reparse (UTF-16 columns, CRLF, #if edits) gives the same findings as a fresh analysis', async () => {
    const uri = newUri();
    const text = [
      '#include <cstdlib>',
      'void f(int n) {',
      '  const char *s = "h\u00e9llo \ud83d\ude00 \u4e2d"; int *a = new int(1);',
      '#if FEATURE',
      '  int *b = new int(2);',
      '#else',
      '  int *c = (int *)malloc(4);',
      '#endif',
      '  goto done;',
      'done:',
      '  return;',
      '}',
      '',
    ].join('\r\n');
    client.open(uri, 'cpp', text);
    await client.waitForDiagnostics(uri, 1);
    const edits: Array<[string, string]> = [
      // [needle to replace, replacement]; each edit is sent as one ranged change
      ['\ud83d\ude00 ', '\ud83d\ude00\ud83d\ude00 x '],
      ['int *a', 'long *a'],
      ['new int(1)', 'new int(1); char *z = new char(3)'],
      ['#if FEATURE', '#if 0'],
      ['  goto done;\r\n', '  goto done;\r\n  int *d = new int[n];\r\n'],
      ['\u4e2d', ''],
      ['{\r\n  const', '{ const'],
    ];
    const state = (u: string) => client.connection.sendRequest(DebugDocumentStateRequest, { uri: u });
    for (const [needle, replacement] of edits) {
      client.change(uri, [{ range: rangeOf(client.text(uri), needle), text: replacement }]);
      const incremental = await client.waitForDiagnostics(uri);
      const fresh = newUri();
      client.open(fresh, 'cpp', client.text(uri));
      const full = await client.waitForDiagnostics(fresh, 1);
      assert.deepEqual(summary(incremental), summary(full), `findings after replacing ${JSON.stringify(needle)}`);
      const [a, b] = [await state(uri), await state(fresh)];
      assert.ok(a?.treeDigest && b?.treeDigest, 'both documents have a tree');
      assert.equal(a.treeDigest, b.treeDigest, `incremental tree equals a fresh parse after replacing ${JSON.stringify(needle)}`);
      client.close(fresh);
    }
    const final = await client.waitForDiagnostics(uri);
    assert.ok(final.diagnostics.length >= 4, `findings survive the edits: ${summary(final)}`);
    assert.deepEqual(ofRule(final, 'raw-new').map((d) => d.range.start), [
      rangeOf(client.text(uri), 'new int(1)').start, rangeOf(client.text(uri), 'new char(3)').start,
    ], '#if 0 now keeps the #else branch: new int(2) is inactive');
  });

  it('publishes only the latest version after several quick edits', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    await client.waitForDiagnostics(uri, 1);
    const before = client.publicationsFor(uri).length;
    let version = 1;
    for (let i = 0; i < 5; i++) {
      const end = { line: 9, character: 0 };
      version = client.change(uri, [{ range: { start: end, end }, text: `  int *p${i} = new int(${i});\n` }]);
    }
    const last = await client.waitForDiagnostics(uri, version);
    const burst = client.publicationsFor(uri).slice(before);
    assert.deepEqual(burst.map((p) => p.version), [version], 'one publication, for the latest version');
    assert.equal(ofRule(last, 'raw-new').length, 6);
    const state = await client.connection.sendRequest(DebugDocumentStateRequest, { uri });
    assert.deepEqual({ ...state, treeDigest: undefined }, { uri, version, textHash: client.textHash(uri), length: client.text(uri).length, treeDigest: undefined });
  });

  it('hover on a finding names the Rust concept and links the doc', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    await client.waitForDiagnostics(uri, 1);
    const pos = rangeOf(SAMPLE, 'Widget(n);').start;
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: pos });
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /Rust: \*\*Box<T>\*\*/);
    assert.ok(value.includes(fileUri(path.join(ROOT, 'docs/rules/raw-new.md'))));
    const none = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 2 } });
    assert.equal(none, null);
  });

  it('applies rule severities from settings after didChangeConfiguration', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    assert.equal(ofRule(await client.waitForDiagnostics(uri, 1), 'raw-new').length, 1);
    const count = client.publicationsFor(uri).length;
    try {
      settings = { rules: { 'raw-new': 'off' } };
      client.configurationChanged();
      const off = await client.waitFor('re-published diagnostics', () => client.publicationsFor(uri)[count]);
      assert.deepEqual(ofRule(off, 'raw-new'), []);
      assert.ok(client.configurationRequests.includes(uri), 'settings are pulled for the document itself');
      settings = { rules: { 'raw-new': 'error' } };
      client.configurationChanged();
      const error = await client.waitFor('re-published diagnostics', () => client.publicationsFor(uri)[count + 1]);
      assert.deepEqual(ofRule(error, 'raw-new').map((d) => d.severity), [DiagnosticSeverity.Error]);
    } finally {
      settings = {};
      client.configurationChanged();
    }
  });

  it('does not analyze files matching an exclude glob', async () => {
    const uri = fileUri(path.join(workspace, 'third_party', 'lib', 'x.cpp'));
    settings = { exclude: ['third_party'] };
    try {
      client.configurationChanged();
      client.open(uri, 'cpp', SAMPLE);
      assert.deepEqual((await client.waitForDiagnostics(uri, 1)).diagnostics, []);
    } finally {
      settings = {};
      client.configurationChanged();
    }
    assert.ok(ofRule(await client.waitFor('diagnostics once no longer excluded', () => client.publicationsFor(uri)[1]), 'raw-new').length === 1);
  });

  it('a suppression comment removes the finding', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    await client.waitForDiagnostics(uri, 1);
    const lineEnd = rangeOf(SAMPLE, 'new Widget(n);').end;
    client.change(uri, [{ range: { start: lineEnd, end: lineEnd }, text: ' // NORUST(raw-new): owned by the arena' }]);
    assert.deepEqual(ofRule(await client.waitForDiagnostics(uri, 2), 'raw-new'), []);
  });

  it('skips binary and oversized documents with one log line each', async () => {
    const binary = newUri();
    client.open(binary, 'cpp', 'int *p = new int(1);\0\0\0');
    assert.deepEqual((await client.waitForDiagnostics(binary, 1)).diagnostics, []);
    const binaryLog = await client.waitFor('skip log', () => client.logs.find((l) => l.message.includes(binary)));
    assert.match(binaryLog.message, /skipped .*NUL/);

    const big = newUri();
    settings = { maxFileSize: 100 };
    try {
      client.configurationChanged();
      client.open(big, 'cpp', SAMPLE);
      assert.deepEqual((await client.waitForDiagnostics(big, 1)).diagnostics, []);
      client.change(big, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// more\n' }]);
      await client.waitForDiagnostics(big, 2);
      const logs = client.logs.filter((l) => l.message.includes(big));
      assert.equal(logs.length, 1, 'one log line, not one per edit');
      assert.match(logs[0].message, /over the 100-byte limit/);
    } finally {
      settings = {};
      client.configurationChanged();
    }
  });

  it('offers fix, fix-all, suppressions and docs for a raw-new finding', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    const published = await client.waitForDiagnostics(uri, 1);
    const [diagnostic] = ofRule(published, 'raw-new');
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] },
    }) as CodeAction[];
    const byTitle = new Map(actions.map((a) => [a.title, a]));
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, `a preferred fix among ${[...byTitle.keys()].join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics?.map((d) => d.code), ['raw-new']);
    for (const title of ['Fix all raw-new in this file', 'Suppress raw-new on this line', 'Suppress raw-new in this file', 'Show documentation for raw-new']) {
      assert.ok(byTitle.has(title), `"${title}" among ${[...byTitle.keys()].join(' | ')}`);
    }
    assert.deepEqual(byTitle.get('Show documentation for raw-new')!.command, { title: 'Show documentation for raw-new', command: 'rustReadiness.showDocs', arguments: ['raw-new'] });

    const edited = (a: CodeAction) => {
      const change = a.edit!.documentChanges![0] as TextDocumentEdit;
      assert.equal(change.textDocument.version, 1);
      return applyLspEdits(SAMPLE, change.edits);
    };
    const fixed = edited(fix);
    assert.match(fixed, /auto w = std::make_unique<Widget>\(n\);/);
    assert.match(fixed, /#include <memory>/);
    assert.doesNotMatch(fixed, /delete w;/);
    assert.match(edited(byTitle.get('Suppress raw-new on this line')!), /new Widget\(n\); \/\/ NORUST\(raw-new\)\n/);
    assert.ok(edited(byTitle.get('Suppress raw-new in this file')!).startsWith('// NORUSTFILE(raw-new)\n#include <cstdio>'));

    // Fix-all is computed on resolve: the client announced resolveSupport for `edit`.
    const lazy = byTitle.get('Fix all raw-new in this file')!;
    assert.equal(lazy.edit, undefined);
    const resolved = await client.connection.sendRequest(CodeActionResolveRequest.type, lazy);
    const engine = await loadEngine();
    assert.equal(edited(resolved), applyFixAll(engine, SAMPLE, 'x.cpp', { rules: ['raw-new'] }).text);

    // Suppressing on a line that already has a NORUST list adds to that list.
    const eol = rangeOf(SAMPLE, 'new Widget(n);').end;
    client.change(uri, [{ range: { start: eol, end: eol }, text: ' // NORUST(raw-delete)' }]);
    const again = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [] },
    }) as CodeAction[];
    const suppress = again.find((a) => a.title === 'Suppress raw-new on this line')!;
    const change = suppress.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(change.textDocument.version, 2, 'actions are computed on the current version');
    assert.match(applyLspEdits(client.text(uri), change.edits), /\/\/ NORUST\(raw-delete, raw-new\)/);
  });

  it('source.fixAll returns a versioned edit whose application gives the fix-all text', async () => {
    const uri = newUri();
    const text = `${SAMPLE}\nint twice() {\n  int *p = new int(2);\n  int v = *p;\n  delete p;\n  return v;\n}\n`;
    client.open(uri, 'cpp', text);
    await client.waitForDiagnostics(uri, 1);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] },
    }) as CodeAction[];
    assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Fix all auto-fixable Rust-readiness findings', FIX_ALL_KIND]]);
    const [change] = actions[0].edit!.documentChanges! as TextDocumentEdit[];
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    const engine = await loadEngine();
    const expected = applyFixAll(engine, text, 'x.cpp').text;
    assert.notEqual(expected, text);
    assert.equal(applyLspEdits(text, change.edits), expected);
    assert.ok(change.edits.length > 1, 'minimal edits, not one whole-document replacement');

    const none = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['quickfix'] },
    }) as CodeAction[];
    assert.ok(!none.some((a) => a.kind === FIX_ALL_KIND), 'source actions only on request');
  });

  it("keeps the server's text equal to the client's through clamped and multi-change edits", async () => {
    const uri = newUri();
    client.open(uri, 'cpp', 'int a;\r\nint b; // \u00e9\ud83d\ude00\r\n');
    client.change(uri, [
      { range: { start: { line: 1, character: 11 }, end: { line: 1, character: 12 } }, text: '\u4e2d' }, // inside the surrogate pair's line
      { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 99 } }, text: ' x = 0;' }, // past the end of the line
      { range: { start: { line: 40, character: 0 }, end: { line: 50, character: 3 } }, text: 'int *tail = new int(1);' }, // past the end of the document
    ]);
    client.change(uri, [{ text: client.text(uri) + 'int z;\n' }]); // full replacement
    client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#define Q 1\n' }]);
    const version = client.version(uri);
    const published = await client.waitForDiagnostics(uri, version);
    const state = await client.connection.sendRequest(DebugDocumentStateRequest, { uri });
    assert.deepEqual({ ...state, treeDigest: undefined }, { uri, version, textHash: client.textHash(uri), length: client.text(uri).length, treeDigest: undefined });
    assert.deepEqual(ofRule(published, 'raw-new').map((d) => d.range), [rangeOf(client.text(uri), 'new int(1)')]);
  });

  it('clears diagnostics on close and answers null for unknown documents', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    await client.waitForDiagnostics(uri, 1);
    const count = client.publicationsFor(uri).length;
    client.close(uri);
    const cleared = await client.waitFor('cleared diagnostics', () => client.publicationsFor(uri)[count]);
    assert.deepEqual(cleared.diagnostics, []);
    assert.equal(await client.connection.sendRequest(DebugDocumentStateRequest, { uri }), null);
  });
});

describe('language server configuration file', function () {
  let workspace: string;
  let client: LspClient | undefined;

  beforeEach(() => {
    workspace = mkWorkspace();
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('a malformed .rust-readiness.json gives one error naming the file, and analysis goes on with defaults', async () => {
    const configFile = path.join(workspace, '.rust-readiness.json');
    fs.writeFileSync(configFile, '{ "rules": { "raw-new": "off" }, }');
    client = await LspClient.start({ workspaceFolder: workspace });
    const uri = fileUri(path.join(workspace, 'a.cpp'));
    client.open(uri, 'cpp', SAMPLE);
    assert.equal(ofRule(await client.waitForDiagnostics(uri, 1), 'raw-new').length, 1, 'defaults apply');
    // More events that re-read or re-apply the configuration must not repeat the message.
    client.watchedFilesChanged([{ uri: fileUri(configFile), type: 2 }]);
    client.configurationChanged();
    client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    await client.waitForDiagnostics(uri, 2);
    const errors = client.messages.filter((m) => m.type === 1);
    assert.equal(errors.length, 1, JSON.stringify(client.messages));
    assert.ok(errors[0].message.includes(configFile), errors[0].message);
    assert.match(errors[0].message, /invalid JSON/);
  });

  it('applies .rust-readiness.json, and re-analyzes when the watched file changes', async () => {
    const configFile = path.join(workspace, '.rust-readiness.json');
    fs.writeFileSync(configFile, JSON.stringify({ rules: { 'raw-new': 'off' } }));
    // Settings win over the file: they raise raw-delete to error.
    client = await LspClient.start({ workspaceFolder: workspace, settings: () => ({ rules: { 'raw-delete': 'error' } }) });
    const uri = fileUri(path.join(workspace, 'a.cpp'));
    client.open(uri, 'cpp', SAMPLE);
    const first = await client.waitForDiagnostics(uri, 1);
    assert.deepEqual(ofRule(first, 'raw-new'), []);
    const count = client.publicationsFor(uri).length;
    fs.writeFileSync(configFile, JSON.stringify({ rules: { 'raw-new': 'hint', 'raw-delete': 'hint' } }));
    client.watchedFilesChanged([{ uri: fileUri(configFile), type: 2 }]);
    const second = await client.waitFor('re-published diagnostics', () => client!.publicationsFor(uri)[count]);
    assert.deepEqual(ofRule(second, 'raw-new').map((d) => d.severity), [DiagnosticSeverity.Hint]);
    if (ofRule(second, 'raw-delete').length) assert.deepEqual(ofRule(second, 'raw-delete').map((d) => d.severity), [DiagnosticSeverity.Error]);
    assert.deepEqual(client.messages.filter((m) => m.type === 1), []);
  });
});

describe('minimal edits for fix-all', () => {
  it('turns a text change into small line edits that reproduce the new text', () => {
    const oldText = Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join('');
    const lines = oldText.split('\n');
    lines.splice(150, 1, 'changed 150');
    lines.splice(3, 0, 'inserted');
    lines.splice(100, 2);
    const newText = lines.join('\n');
    const edits = minimalEdits(oldText, newText);
    assert.equal(applyEdits(oldText, edits), newText);
    assert.equal(edits.length, 3);
    assert.ok(edits.every((e) => e.end - e.start < 30), JSON.stringify(edits));
    assert.deepEqual(minimalEdits('same', 'same'), []);
    assert.equal(applyEdits('a\nb', minimalEdits('a\nb', 'x\na\nb\ny')), 'x\na\nb\ny');
    assert.equal(applyEdits('abc', minimalEdits('abc', '')), '');
  });
});

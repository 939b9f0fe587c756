// The language server under hostile LSP traffic (issue 7), through the real
// process (dist/server.js): ranges past the end, unknown documents and URIs, bursts
// of 1,000 edits, didClose during analysis, requests against stale versions and
// garbage params for every method. After each, the server is alive and analyzes.
// Everything waits for events with deadlines; nothing sleeps.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeActionRequest, CodeActionResolveRequest, HoverRequest,
  type CodeAction, type Diagnostic, type PublishDiagnosticsParams, type Range, type TextDocumentEdit, type TextEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyFixAll } from '../server/src/engine/fixes/fix-all';
import { DebugDocumentStateRequest, type DebugDocumentState } from '../server/src/protocol';
import { bigCppSource } from './big-source';
import { rng } from './fuzz/mutate';
import { loadEngine, SAMPLE } from './helpers';
import { fileUri, LspClient, type Change } from './lsp-client';


/** Deterministic integers in [0, n), so every run sends the same traffic. */
function random(seed: number): (n: number) => number {
  const next = rng(seed);
  return (n) => Math.floor(next() * n);
}

function rangeOf(text: string, needle: string): Range {
  const doc = TextDocument.create('x', 'cpp', 0, text);
  const start = text.indexOf(needle);
  assert.ok(start >= 0, `${needle} is in the text`);
  return { start: doc.positionAt(start), end: doc.positionAt(start + needle.length) };
}

const summary = (p: { diagnostics: Diagnostic[] }) =>
  p.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();

function applyLspEdits(text: string, edits: TextDocumentEdit['edits']): string {
  return TextDocument.applyEdits(TextDocument.create('x', 'cpp', 0, text), edits as TextEdit[]);
}

describe('language server under hostile traffic', function () {
  this.timeout(180_000);
  let workspace: string;
  let client: LspClient;
  let n = 0;
  const newUri = (ext = 'cpp') => fileUri(path.join(workspace, `doc${++n}.${ext}`));

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-hostile-'));
    // No debounce: analyses run between the messages of a burst, the most interleaving there can be.
    client = await LspClient.start({ workspaceFolder: workspace, initializationOptions: { debounceMs: 0, storagePath: path.join(workspace, '.storage') } });
  });

  after(async () => {
    await client?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  const state = (uri: string) => client.connection.sendRequest(DebugDocumentStateRequest, { uri });

  /** The process lives, and a fresh document gets its diagnostics and a hover on its finding. */
  async function assertAlive(after: string): Promise<void> {
    assert.equal(client.exitCode, undefined, `the server exited after ${after}`);
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    const published = await client.waitForDiagnostics(uri, 1);
    assert.ok(published.diagnostics.some((d) => d.code === 'raw-new'), `diagnostics after ${after}: ${summary(published)}`);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: rangeOf(SAMPLE, 'new Widget').start });
    assert.ok(hover, `a hover after ${after}`);
    client.close(uri);
  }

  /** The server's version, text hash and length of `uri` are the client's. */
  async function assertInSync(uri: string): Promise<DebugDocumentState> {
    const s = await state(uri);
    assert.ok(s, `the server has ${uri} open`);
    assert.deepEqual(
      { version: s.version, textHash: s.textHash, length: s.length },
      { version: client.version(uri), textHash: client.textHash(uri), length: client.text(uri).length },
      'the server holds exactly the client\'s text',
    );
    return s;
  }

  /**
   * Waits for the diagnostics of the client's latest version, lets the server answer
   * one more request (any publication already under way is out by then), and checks
   * that the last publication is that latest version's and that versions never went back.
   */
  async function lastPublication(uri: string, since: number): Promise<PublishDiagnosticsParams> {
    const version = client.version(uri);
    await client.waitForDiagnostics(uri, version, 60_000);
    await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
    const published = client.publicationsFor(uri).slice(since);
    const versions = published.map((p) => p.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'publications never go back to an older version');
    const last = published[published.length - 1];
    assert.equal(last.version, version, 'the diagnostics published last belong to the latest version');
    return last;
  }

  /** Diagnostics and syntax tree equal those of a fresh document with the same text. */
  async function assertLikeFresh(uri: string, published: PublishDiagnosticsParams): Promise<void> {
    const fresh = newUri();
    client.open(fresh, 'cpp', client.text(uri));
    assert.deepEqual(summary(published), summary(await client.waitForDiagnostics(fresh, 1)), 'the same findings as a fresh analysis');
    const [a, b] = [await state(uri), await state(fresh)];
    assert.ok(a?.treeDigest && b?.treeDigest, 'both documents have a tree');
    assert.equal(a.treeDigest, b.treeDigest, 'the incrementally parsed tree equals a fresh parse');
    client.close(fresh);
  }

  /** Every diagnostic range lies inside the client's current text. */
  function assertInside(uri: string, published: PublishDiagnosticsParams): void {
    const doc = client.doc(uri);
    for (const d of published.diagnostics) {
      for (const p of [d.range.start, d.range.end]) {
        assert.deepEqual(doc.positionAt(doc.offsetAt(p)), p, `${d.code} at ${JSON.stringify(d.range)} lies inside the document`);
      }
    }
  }

  it('clamps didChange ranges past the end of the document (and reversed or negative ones)', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    await client.waitForDiagnostics(uri, 1);
    const since = client.publicationsFor(uri).length;
    const far = 2 ** 31;
    const changes: Change[][] = [
      [{ range: { start: { line: 13, character: 1 }, end: { line: far, character: 0 } }, text: '\n' }], // from inside the document to far past its end
      [{ range: { start: { line: 500, character: 0 }, end: { line: 900, character: 4 } }, text: 'int *tail1 = new int(1);\n' }],
      [{ range: { start: { line: 3, character: far }, end: { line: 3, character: far } }, text: ' // past the end of line 3' }],
      [{ range: { start: { line: far, character: far }, end: { line: Number.MAX_SAFE_INTEGER, character: 0 } }, text: 'int *tail2 = new int(2);\n' }],
      [{ range: { start: { line: 2, character: 0 }, end: { line: 1, character: 0 } }, text: '' }], // reversed
      [{ range: { start: { line: -5, character: -5 }, end: { line: 0, character: -1 } }, text: '// negative\n' }],
      [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// first\n' },
        { range: { start: { line: 10_000, character: 0 }, end: { line: 10_001, character: 0 } }, text: 'int *tail3 = new int(3);\n' },
        { range: { start: { line: 1, character: 400 }, end: { line: 0, character: 3 } }, text: 'x' },
      ],
    ];
    for (const change of changes) {
      client.change(uri, change);
      await assertInSync(uri);
    }
    const last = await lastPublication(uri, since);
    assertInside(uri, last);
    // The three tails and the original allocation, all appended or kept where clamping puts them.
    assert.equal(last.diagnostics.filter((d) => d.code === 'raw-new').length, 4, `${summary(last).join(' ')}\n${client.text(uri)}`);
    await assertLikeFresh(uri, last);
    await assertAlive('ranges past the end');
  });

  it('ignores didChange, didClose and requests for documents never opened, and odd URIs', async () => {
    const uris = [
      newUri(), '', 'not a uri', 'file://', 'file:///%E0%A4%A', 'untitled:Untitled-1', 'file:///nul\u0000byte.cpp',
      `file:///${'a'.repeat(100_000)}.cpp`, 'https://example.invalid/x.cpp', 'file:///C:/Windows/../x.cpp',
    ];
    for (const uri of uris) {
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 7 }, contentChanges: [{ text: 'int *p = new int;' }] });
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 8 }, contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: 'x' }],
      });
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      const position = { line: 0, character: 0 };
      assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), null, `hover on ${uri.slice(0, 40)}`);
      const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } });
      assert.deepEqual(actions, [], `code actions on ${uri.slice(0, 40)}`);
      assert.equal(await state(uri), null, `${uri.slice(0, 40)} was not opened by a didChange`);
    }
    // Many distinct unknown URIs: one log line each at most, and the server stays responsive.
    const logsBefore = client.logs.length;
    for (let i = 0; i < 2000; i++) {
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: `file:///unknown/${i}.c`, version: 1 }, contentChanges: [{ text: 'x' }] });
    }
    await assertAlive('didChange for unknown documents');
    assert.ok(client.logs.length - logsBefore <= 2000 + 10, `${client.logs.length - logsBefore} log lines for 2000 unknown documents`);

    // Documents with odd URIs can be opened and are analyzed like any other.
    for (const uri of ['untitled:Untitled-1', 'file:///%E0%A4%A.cpp', 'vscode-notebook-cell:/x.ipynb#W0', 'file:///nul\u0000byte.cpp']) {
      client.open(uri, 'cpp', SAMPLE);
      const published = await client.waitForDiagnostics(uri, 1);
      assert.ok(published.diagnostics.some((d) => d.code === 'raw-new'), `${uri}: ${summary(published)}`);
      client.close(uri);
    }
  });

  it('keeps the text in step through a burst of 1,000 arbitrary edits', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE.repeat(4));
    await client.waitForDiagnostics(uri, 1);
    const since = client.publicationsFor(uri).length;
    const next = random(7);
    const tokens = [
      '', 'x', ' ', '\n', '\r\n', '\r', '{', '}', '(', ')', ';', '"', "'", '/*', '*/', '//', '\\\n', '#if 0\n', '#endif\n', '#define Q(a) a\n',
      'int *p = new int(1);\n', 'delete p;', 'NULL', '\u00e9', '\ud83d', '\ude00', '\ud83d\ude00', '\t', 'template <typename T>', '\u0000',
    ];
    for (let i = 0; i < 1000; i++) {
      const text = client.text(uri);
      const doc = client.doc(uri);
      const at = () => {
        const r = next(20);
        if (r === 0) return { line: doc.lineCount + next(5), character: next(100) }; // past the end
        return doc.positionAt(next(text.length + 1));
      };
      const edit = (): Change => {
        const start = at();
        return { range: { start, end: next(3) ? at() : start }, text: tokens[next(tokens.length)] + (next(4) ? '' : tokens[next(tokens.length)]) };
      };
      const r = next(100);
      if (r === 0) client.change(uri, [{ text: text.slice(0, next(text.length + 1)) + tokens[next(tokens.length)] }]); // full sync
      else if (r < 10) client.change(uri, [edit(), edit(), edit()]);
      else client.change(uri, [edit()]);
    }
    assert.equal(client.version(uri), 1001);
    const last = await lastPublication(uri, since);
    await assertInSync(uri);
    assertInside(uri, last);
    await assertAlive('1,000 arbitrary edits');
  });

  it('after a burst of 1,000 typing edits, text, diagnostics and tree equal a fresh analysis of the same text', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    await client.waitForDiagnostics(uri, 1);
    const since = client.publicationsFor(uri).length;
    const next = random(11);
    const statements = ['int *q = new int(4);', 'char buf[8] = {0};', 'w = nullptr;', 'int v = (int)s;', '// \u00e9t\u00e9 \ud83d\ude00', 'if (s > 2) { s -= 1; }'];
    let sent = 0;
    const send = (changes: Change[]) => {
      client.change(uri, changes);
      sent++;
    };
    /** Positions of body lines of `leaky` (after its first line, before its closing brace). */
    const bodyLine = () => {
      const lines = client.text(uri).split('\n');
      const first = lines.findIndex((l) => l.startsWith('int leaky'));
      const last = lines.indexOf('}', first);
      return first + 1 + next(last - first);
    };
    while (sent < 1000) {
      const left = 1000 - sent;
      const op = left <= 40 ? 0 : next(6); // a typed statement takes up to 40 edits
      if (op === 0) {
        // a whole function appended with a range far past the end
        send([{ range: { start: { line: 1e6, character: 0 }, end: { line: 1e6, character: 5 } }, text: `int extra${sent}() { return ${sent}; }\n` }]);
      } else if (op === 1) {
        // type a statement into the body, one to three characters at a time
        const line = bodyLine();
        const statement = `  ${statements[next(statements.length)]}\n`;
        let column = 0;
        for (let i = 0; i < statement.length;) {
          const piece = statement.slice(i, i + 1 + next(3));
          send([{ range: { start: { line, character: column }, end: { line, character: column } }, text: piece }]);
          const newline = piece.lastIndexOf('\n');
          column = newline >= 0 ? 0 : column + piece.length;
          i += piece.length;
        }
      } else if (op === 2) {
        // delete a line that was typed in
        const lines = client.text(uri).split('\n');
        const typed = lines.map((l, i) => (statements.some((s) => l === `  ${s}`) ? i : -1)).filter((i) => i >= 0);
        if (typed.length === 0) continue;
        const line = typed[next(typed.length)];
        send([{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' }]);
      } else if (op === 3) {
        // backspace a character, then type it again
        const text = client.text(uri);
        const offset = next(text.length);
        if (text[offset] === '\r' || text[offset] === '\n') continue;
        const doc = client.doc(uri);
        const range = { start: doc.positionAt(offset), end: doc.positionAt(offset + 1) };
        const char = text[offset];
        send([{ range, text: '' }]);
        send([{ range: { start: range.start, end: range.start }, text: char }]);
      } else if (op === 4) {
        // two changes in one notification: a CRLF blank line and a comment line
        const a = bodyLine();
        send([
          { range: { start: { line: a, character: 0 }, end: { line: a, character: 0 } }, text: '\r\n' },
          { range: { start: { line: a, character: 0 }, end: { line: a, character: 0 } }, text: '  // two at once\n' },
        ]);
      } else {
        // an emoji typed as its two UTF-16 halves, in a comment
        const line = bodyLine();
        send([{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '  // \ud83d' }]);
        send([{ range: { start: { line, character: 6 }, end: { line, character: 6 } }, text: '\ude00\n' }]);
      }
    }
    assert.equal(client.version(uri), 1001);
    const last = await lastPublication(uri, since);
    await assertInSync(uri);
    assert.ok(last.diagnostics.some((d) => d.code === 'raw-new'), summary(last).join(' '));
    await assertLikeFresh(uri, last);
  });

  it('didClose while a large document is analyzed: the last word is an empty publication, and a reopen wins', async () => {
    const big = bigCppSource(400_000);
    // Closed right after opening (the analysis waits for the settings, pulled from the client).
    const a = newUri();
    client.open(a, 'cpp', big);
    client.close(a);
    // Closed right after a change, while the analysis of the opening may run.
    const b = newUri();
    client.open(b, 'cpp', big);
    client.change(b, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// changed\n' }]);
    client.close(b);
    // Closed during an analysis, then reopened with other text under the same URI and version.
    const c = newUri();
    client.open(c, 'cpp', big);
    await client.waitFor('the server to start on the large document', () => client.configurationRequests.includes(c));
    client.change(c, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// changed\n' }]);
    client.close(c);
    client.open(c, 'cpp', SAMPLE);
    // Analyses run one at a time in the order documents were scheduled: once a document
    // opened after all of these has its diagnostics, none of theirs is still under way.
    await assertAlive('didClose during analysis');
    for (const uri of [a, b]) {
      const published = client.publicationsFor(uri);
      const last = published[published.length - 1];
      assert.ok(last, `${uri} got its diagnostics cleared`);
      assert.deepEqual(last.diagnostics, [], `the last publication for ${uri} is the clearing one`);
      assert.equal(await state(uri), null);
    }
    const published = client.publicationsFor(c);
    const fresh = newUri();
    client.open(fresh, 'cpp', SAMPLE);
    assert.deepEqual(summary(published[published.length - 1]), summary(await client.waitForDiagnostics(fresh, 1)), 'the reopened text is what was published last');
    client.close(fresh);
    client.close(c);
  });

  it('answers requests against stale versions from the current version', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE);
    const v1 = await client.waitForDiagnostics(uri, 1);
    const stale = v1.diagnostics.find((d) => d.code === 'raw-new')!;
    // Three lines inserted above: the stale range now points at other code.
    client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// a\n// b\n// c\n' }]);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: stale.range, context: { diagnostics: [stale] } }) as CodeAction[];
    const v2 = await client.waitForDiagnostics(uri, 2);
    const current = new Set(summary(v2));
    for (const action of actions) {
      for (const d of action.diagnostics ?? []) assert.ok(current.has(summary({ diagnostics: [d] })[0]), `${action.title} is about a finding of version 2`);
      for (const change of (action.edit?.documentChanges ?? []) as TextDocumentEdit[]) assert.equal(change.textDocument.version, 2, action.title);
    }
    // The finding's current range gets its fix, versioned 2, applying to the current text.
    const now = v2.diagnostics.find((d) => d.code === 'raw-new')!;
    const fresh = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: now.range, context: { diagnostics: [now] } }) as CodeAction[];
    const fix = fresh.find((a) => a.isPreferred)!;
    const edit = fix.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(edit.textDocument.version, 2);
    assert.match(applyLspEdits(client.text(uri), edit.edits), /auto w = std::make_unique<Widget>\(n\);/);
    // A lazy fix-all resolved after another change is computed on the text of that change.
    const lazy = fresh.find((a) => a.title === 'Fix all raw-new in this file')!;
    assert.ok(lazy.data && !lazy.edit);
    client.change(uri, [{ range: { start: { line: 1e6, character: 0 }, end: { line: 1e6, character: 0 } }, text: 'int *more() { return new int(3); }\n' }]);
    const resolved = await client.connection.sendRequest(CodeActionResolveRequest.type, lazy);
    const resolvedEdit = resolved.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(resolvedEdit.textDocument.version, 3);
    const engine = await loadEngine();
    assert.equal(applyLspEdits(client.text(uri), resolvedEdit.edits), applyFixAll(engine, client.text(uri), 'x.cpp', { rules: ['raw-new'] }).text);
    // A hover at a stale position answers for the current text.
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: stale.range.start });
    const v3 = await client.waitForDiagnostics(uri, 3);
    if (hover) assert.ok(v3.diagnostics.some((d) => JSON.stringify(d.range) === JSON.stringify(hover.range)), 'a hover shows a current finding');
    // Resolving after the document closed gives the action back without an edit.
    client.close(uri);
    const orphan = await client.connection.sendRequest(CodeActionResolveRequest.type, lazy);
    assert.equal(orphan.edit, undefined);
    await assertAlive('stale requests');
  });

  it('a didChange that repeats or lowers the version number still gets its own analysis', async () => {
    const uri = newUri();
    client.open(uri, 'cpp', SAMPLE, 5);
    await client.waitForDiagnostics(uri, 5);
    const count = () => client.publicationsFor(uri).length;
    for (const version of [5, 5, 2]) {
      const before = count();
      client.change(uri, [{ range: { start: { line: 1e6, character: 0 }, end: { line: 1e6, character: 0 } }, text: `int *again${before} = new int(1);\n` }], version);
      const published = await client.waitFor(`diagnostics after a change to version ${version}`, () => client.publicationsFor(uri)[before]);
      assert.equal(published.version, version);
      await assertInSync(uri);
      const fresh = newUri();
      client.open(fresh, 'cpp', client.text(uri));
      assert.deepEqual(summary(published), summary(await client.waitForDiagnostics(fresh, 1)), `the findings of the text sent with version ${version}`);
      client.close(fresh);
    }
  });

  describe('invalid JSON-RPC params', () => {
    const REQUESTS = [
      'initialize', 'textDocument/hover', 'textDocument/codeAction', 'codeAction/resolve', 'rustReadiness/debugDocumentState',
      'rustReadiness/workspaceReport', 'rustReadiness/renderReport',
      // not requests of ours: answered with MethodNotFound
      'textDocument/didOpen', 'rustReadiness/noSuchRequest',
    ];
    const NOTIFICATIONS = [
      'initialized', 'textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'workspace/didChangeConfiguration',
      'workspace/didChangeWatchedFiles', 'workspace/didChangeWorkspaceFolders', '$/cancelRequest', '$/setTrace', '$/progress',
      'window/workDoneProgress/cancel', 'textDocument/hover', 'rustReadiness/noSuchNotification',
    ];
    // JSON-RPC error codes a request with garbage params may get; InternalError (-32603) means a handler failed unexpectedly.
    const EXPECTED_ERRORS = new Set([-32602 /* InvalidParams */, -32600 /* InvalidRequest */, -32601 /* MethodNotFound */]);
    // Except for initialize: vscode-languageserver reads params.capabilities before the server's
    // handler runs (which refuses a second initialize), and answers its own TypeError as InternalError.
    const libraryInitializeError = (method: string, error: { code: number; message: string }) =>
      method === 'initialize' && error.code === -32603 && error.message.startsWith('Request initialize failed with message: Cannot read properties of');

    /** Params of every wrong shape, aimed at the open document `uri`. */
    function garbage(uri: string): unknown[] {
      const zero = { line: 0, character: 0 };
      const range = { start: zero, end: { line: 1, character: 0 } };
      const nested: unknown[] = [];
      let deep: unknown[] = nested;
      for (let i = 0; i < 2000; i++) deep = [deep];
      return [
        undefined, null, 0, -1, 1.5, 1e308, '', 'text', true, [], [null], [1, 'a', {}], {}, deep,
        { textDocument: null }, { textDocument: 42 }, { textDocument: { uri: 42 } }, { textDocument: { uri: null } }, { textDocument: { uri: {} } },
        { textDocument: { uri } }, { textDocument: { uri, version: 'x', text: 42, languageId: {} } },
        { textDocument: { uri }, position: null }, { textDocument: { uri }, position: { line: 'a', character: [] } },
        { textDocument: { uri }, position: { line: -1, character: 1e308 } }, { textDocument: { uri }, position: { line: 0.5, character: 0.5 } },
        { textDocument: { uri }, range: { start: null, end: 5 } }, { textDocument: { uri }, range, context: null },
        { textDocument: { uri }, range, context: { diagnostics: 'x', only: 5 } },
        { textDocument: { uri }, range, context: { diagnostics: [null, 5, { range: null, code: {} }], only: [null, 5, {}] } },
        { textDocument: { uri, version: 1 }, contentChanges: 'x' }, { textDocument: { uri }, contentChanges: [null] },
        { textDocument: { uri }, contentChanges: [{ text: 5 }] }, { textDocument: { uri }, contentChanges: [{ range: 'x', text: '' }] },
        { textDocument: { uri }, contentChanges: [{ range: { start: { line: 'a' } }, text: '' }] },
        { settings: null }, { settings: 5 }, { settings: { rustReadiness: 5 } },
        { settings: { rustReadiness: { rules: 'x', exclude: 5, maxFileSize: -1, enable: 'yes', analysisTimeBudgetMs: 'fast' } } },
        { settings: { rustReadiness: { rules: { 'raw-new': 'loud', 'no-such-rule': 'off' }, exclude: [5, null] } } },
        { changes: 'x' }, { changes: [null, 5, { uri: 5 }, { uri: 'file:///x.c', type: 99 }, { uri: fileUri(path.join(workspace, '.rust-readiness.json')), type: 'x' }] },
        { event: null }, { event: { added: null, removed: 5 } }, { event: { added: [null, { uri: 5 }], removed: [{}] } },
        { uri: 5 }, { uri: null }, { uri: `${uri}x` },
        { format: 'exe' }, { format: null }, { rescan: 'yes', workDoneToken: {} }, { rescan: 1, workDoneToken: [1] },
        { id: {} }, { id: null }, { value: 'loud' }, { value: null }, { token: {} }, { token: null, value: 5 },
        { title: 'x', kind: 5, data: 5 }, { title: 5, data: { uri, ruleId: 5 } }, { title: 'x', data: { uri, ruleId: 'no-such-rule' } }, { edit: 5, data: { uri } },
        { processId: 1e9, capabilities: 5, rootUri: 5, workspaceFolders: 'x', initializationOptions: { debounceMs: -1 } },
        JSON.parse(`{"__proto__": {"polluted": 1}, "textDocument": {"uri": ${JSON.stringify(uri)}}}`),
        { constructor: { prototype: { polluted: 1 } }, textDocument: { uri, __proto__: { polluted: 1 } } },
        { textDocument: { uri }, position: zero, junk: 'x'.repeat(2_000_000) },
      ];
    }

    /**
     * Log lines since `from` that show one of the server's handlers failing unexpectedly (the guard
     * caught it, but unvalidated input got through), or an exception that escaped every handler.
     * (vscode-jsonrpc's own 'Processing message queue failed' when it logs an invalid message is not ours.)
     */
    const unexpected = (from: number) => client.logs.slice(from).map((m) => m.message.split('\n    at ')[0])
      .filter((m) => /^(uncaught exception|unhandled rejection)|^[\w/$]+ failed: (TypeError|RangeError|ReferenceError|SyntaxError)/.test(m));

    for (const method of REQUESTS) {
      it(`request ${method}: every garbage params gets an answer, and the server lives`, async () => {
        const uri = newUri();
        client.open(uri, 'cpp', SAMPLE);
        await client.waitForDiagnostics(uri, 1);
        const logs = client.logs.length;
        const wrong: string[] = [];
        for (const params of garbage(uri)) {
          const response = await client.requestRaw(method, params);
          if (response.error && !EXPECTED_ERRORS.has(response.error.code) && !libraryInitializeError(method, response.error)) wrong.push(`${JSON.stringify(params)?.slice(0, 120)} -> ${response.error.code} ${response.error.message.slice(0, 200)}`);
        }
        assert.deepEqual(wrong, [], 'errors other than InvalidParams, InvalidRequest or MethodNotFound');
        assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
        await assertAlive(`garbage ${method} requests`);
        assert.deepEqual(unexpected(logs), []);
      });
    }

    for (const method of NOTIFICATIONS) {
      it(`notification ${method}: garbage params are dropped, and the server lives`, async () => {
        const uri = newUri();
        client.open(uri, 'cpp', SAMPLE);
        await client.waitForDiagnostics(uri, 1);
        const logs = client.logs.length;
        for (const params of garbage(uri)) client.notifyRaw(method, params);
        await assertAlive(`garbage ${method} notifications`);
        assert.deepEqual(unexpected(logs), []);
      });
    }

    it('malformed messages (not JSON, not JSON-RPC, invalid UTF-8, stray responses) leave the server alive', async () => {
      const open = (text: Buffer) => Buffer.concat([
        Buffer.from('{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///bad-utf8.c","languageId":"c","version":1,"text":"'),
        text,
        Buffer.from('"}}}'),
      ]);
      const frames: Array<string | Buffer> = [
        '{"jsonrpc":"2.0","method":', 'not json at all', '', '[]', '42', '"x"', 'null', 'true', '{}',
        '{"jsonrpc":"1.0","id":"v1","method":"textDocument/hover","params":{}}',
        '{"jsonrpc":"2.0","id":{},"method":"textDocument/hover","params":{}}',
        '{"jsonrpc":"2.0","id":null,"method":"textDocument/hover"}',
        '[{"jsonrpc":"2.0","method":"initialized","params":{}},{"jsonrpc":"2.0","id":1,"method":"shutdown"}]',
        `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
        open(Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82])),
        '{"jsonrpc":"2.0","id":12345,"result":null}',
        '{"jsonrpc":"2.0","id":"nope","error":{"code":1,"message":"x"}}',
      ];
      const logs = client.logs.length;
      for (const frame of frames) {
        client.sendRaw(frame);
        await assertAlive(`the frame ${String(frame).slice(0, 60)}`);
      }
      assert.deepEqual(unexpected(logs), []);
    });

    it('a second initialize is refused, and the first session goes on', async () => {
      const response = await client.requestRaw('initialize', { processId: null, capabilities: {}, rootUri: null });
      assert.equal(response.error?.code, -32600, JSON.stringify(response));
      // Settings are still pulled from the client, as its first initialize announced.
      const uri = newUri();
      client.open(uri, 'cpp', SAMPLE);
      await client.waitForDiagnostics(uri, 1);
      assert.ok(client.configurationRequests.includes(uri));
      client.close(uri);
    });
  });
});

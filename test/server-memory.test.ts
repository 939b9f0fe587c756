// The language server's memory (issue 7), through the real process. A leak shows
// as retained memory that grows with the rounds: the server runs with --expose-gc
// and reports RSS after a full garbage collection (rustReadiness/debugMemory), so
// garbage not yet collected does not count as growth. The limit on many open
// documents is on the RSS as it is, garbage included. bench/memory.ts prints the
// same figures. The 1 MB document is generated once.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugMemory } from '../server/src/protocol';
import { sparseCppSource } from './big-source';
import { LspClient } from './lsp-client';
import { editRounds, MB, mb, openCloseRounds, openMany, retainedMemory, serverMemory } from './memory-scenarios';

const GROWTH_LIMIT = 50 * MB;
const MANY_LIMIT = 600 * MB;

describe('language server memory', function () {
  this.timeout(600_000);
  const document = sparseCppSource(MB);
  let dir: string;
  let client: LspClient | undefined;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-memory-'));
    client = await LspClient.start({
      workspaceFolder: dir, initializationOptions: { debounceMs: 0, storagePath: path.join(dir, '.storage') }, execArgv: ['--expose-gc'],
    });
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const growth = (first: DebugMemory, last: DebugMemory) =>
    `retained RSS ${mb(first.rss)} → ${mb(last.rss)} MB, JS heap ${mb(first.heapUsed)} → ${mb(last.heapUsed)} MB`;

  it('open and close a 1 MB document 200 times: RSS stays within 50 MB of its level after the first round', async () => {
    const c = client!;
    let first: DebugMemory | undefined;
    let findings = 0;
    await openCloseRounds(c, dir, document, 200, async (round, n) => {
      if (round === 1) first = await retainedMemory(c);
      findings = n;
    });
    const last = await retainedMemory(c);
    assert.ok(findings > 1000, `the document was analyzed each time (${findings} diagnostics)`);
    assert.ok(last.rss - first!.rss <= GROWTH_LIMIT, growth(first!, last));
    assert.ok(last.heapUsed - first!.heapUsed <= 10 * MB, `JS heap: ${growth(first!, last)}`);
    assert.deepEqual([last.openDocuments, last.documentsWithTree], [0, 0], 'nothing is left of the closed document');
  });

  it('edit an open document 2,000 times: RSS stays within 50 MB of its level after the first edit', async () => {
    const c = client!;
    let first: DebugMemory | undefined;
    await editRounds(c, dir, sparseCppSource(16 * 1024), 2000, async (edit) => {
      if (edit === 1) first = await retainedMemory(c);
    });
    const last = await retainedMemory(c);
    assert.ok(last.rss - first!.rss <= GROWTH_LIMIT, growth(first!, last));
    assert.ok(last.heapUsed - first!.heapUsed <= 10 * MB, `JS heap: ${growth(first!, last)}`);
  });

  it('50 open 1 MB documents stay under 600 MB RSS', async () => {
    const c = client!;
    const { memory, uris } = await openMany(c, dir, document, 50);
    assert.equal(memory.openDocuments, 50);
    assert.ok(memory.rss < MANY_LIMIT, `RSS ${mb(memory.rss)} MB with 50 documents open (JS heap ${mb(memory.heapUsed)} MB)`);
    // Only the most recently analyzed documents keep a tree; the others are parsed
    // afresh when needed. A request on the first document opened re-analyzes it.
    assert.ok(memory.documentsWithTree <= 2, `${memory.documentsWithTree} documents keep a tree`);
    const count = c.publicationsFor(uris[0]).length;
    const actions = await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uris[0] }, range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } }, context: { diagnostics: [] },
    }) as unknown[];
    assert.ok(actions.length > 0, 'code actions for a document whose tree was dropped');
    assert.equal(c.publicationsFor(uris[0]).length, count + 1, 'it was analyzed again');
    assert.ok((await serverMemory(c)).rss < MANY_LIMIT);
  });
});

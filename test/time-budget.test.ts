// The per-file time budget (issue 7): the engine stops parsing or running rules
// past it and says so (`truncated`), the setting is validated like every other,
// and the language server publishes what it has with one log line.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { RULES, validateConfig, type Engine, type Finding } from '../server/src/engine';
import { configSchema } from '../scripts/catalog';
import { bigCppSource } from './big-source';
import { loadEngine } from './helpers';
import { fileUri, LspClient } from './lsp-client';

const SMALL = 'int *p = new int(1);\nvoid f() { char b[3]; b[0] = 0; }\n';
const key = (f: Finding) => `${f.ruleId}@${f.start}-${f.end}`;

describe('analysis time budget', function () {
  this.timeout(240_000);
  let engine: Engine;
  let big: string;

  before(async () => {
    engine = await loadEngine();
    big = bigCppSource(1_000_000);
  });

  it('a tiny budget stops the parse of a large file: truncated, no tree, no findings, and quickly', () => {
    const started = performance.now();
    const a = engine.analyze(big, 'big.cpp', { timeBudgetMs: 1 });
    const elapsed = performance.now() - started;
    assert.equal(a.truncated, true);
    assert.equal(a.tree, undefined, 'the parse was cut');
    assert.deepEqual(a.findings, []);
    // A full analysis of this input takes seconds; blanking alone takes a few ms.
    assert.ok(elapsed < 500, `stopped after ${Math.round(elapsed)} ms`);
  });

  it('after a cut parse the next analysis starts afresh (no resumed parse of the other text)', () => {
    const before = engine.analyze(SMALL, 'small.cpp');
    const expected = { tree: before.tree.rootNode.toString(), findings: before.findings.map(key) };
    before.tree.delete();
    assert.equal(engine.analyze(big, 'big.cpp', { timeBudgetMs: 1 }).truncated, true);
    const after = engine.analyze(SMALL, 'small.cpp');
    assert.deepEqual({ tree: after.tree.rootNode.toString(), findings: after.findings.map(key) }, expected);
    after.tree.delete();
  });

  it('a budget the analysis fits in changes nothing', () => {
    const plain = engine.analyze(SMALL, 'small.cpp');
    const budgeted = engine.analyze(SMALL, 'small.cpp', { timeBudgetMs: 60_000 });
    assert.equal(budgeted.truncated, undefined);
    assert.ok(budgeted.tree);
    assert.deepEqual(budgeted.findings.map(key), plain.findings.map(key));
    assert.ok(plain.findings.length >= 2);
    plain.tree.delete();
    budgeted.tree.delete();
  });

  it('a budget that runs out during the rules returns the findings reported so far', () => {
    const full = engine.analyze(big, 'big.cpp');
    const all = new Set(full.findings.map(key));
    // Reparsing an unchanged tree is quick, so the budget goes to the rules. How much
    // of it they use depends on the machine: try growing budgets until one cuts them.
    const tried: string[] = [];
    let partial: Finding[] | undefined;
    try {
      for (let budget = 100; budget <= 6400 && !partial; budget *= 2) {
        const started = performance.now();
        const a = engine.analyze(big, 'big.cpp', { timeBudgetMs: budget, oldTree: full.tree });
        const elapsed = performance.now() - started;
        a.tree?.delete();
        tried.push(`${budget} ms: ${a.truncated ? 'truncated' : 'complete'}, ${a.findings.length} findings, ${Math.round(elapsed)} ms`);
        if (!a.truncated) continue;
        assert.ok(elapsed < budget * 1.5 + 300, `budget ${budget} ms, took ${Math.round(elapsed)} ms`);
        const extra = a.findings.filter((f) => !all.has(key(f)));
        assert.deepEqual(extra.map(key), [], 'a truncated analysis reports nothing a complete one does not');
        if (a.findings.length > 0) partial = a.findings;
      }
    } finally {
      full.tree.delete();
    }
    assert.ok(partial, `no budget gave partial findings:\n${tried.join('\n')}`);
    assert.ok(partial.length < all.size, `${partial.length} of ${all.size} findings`);
    // What was checked is the start of the file (rules that decide in finish() report nothing).
    assert.ok(partial[0].start < big.length / 100, `the first finding is at ${partial[0].start}`);
  });

  it('the setting is validated by validateConfig and the generated schema alike', () => {
    const known = new Set(RULES.map((r) => r.meta.id));
    assert.deepEqual(validateConfig({ analysisTimeBudgetMs: 500 }, known), { analysisTimeBudgetMs: 500 });
    const validate = new Ajv({ strict: false }).compile(configSchema(RULES) as object);
    for (const value of [500, 0.5, 0, -1, '2s', null, Infinity]) {
      let accepted = true;
      try {
        validateConfig({ analysisTimeBudgetMs: value }, known);
      } catch {
        accepted = false;
      }
      assert.equal(accepted, typeof value === 'number' && Number.isFinite(value) && value > 0, `validateConfig on ${value}`);
      // JSON has no Infinity: the schema sees what a config file can hold.
      if (value !== Infinity) assert.equal(validate({ analysisTimeBudgetMs: value }), accepted, `the schema on ${value}`);
    }
  });
});

describe('analysis time budget in the language server', function () {
  this.timeout(240_000);
  let workspace: string;
  let client: LspClient;
  let settings: Record<string, unknown>;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-budget-'));
    settings = { analysisTimeBudgetMs: 120_000 };
    client = await LspClient.start({
      workspaceFolder: workspace,
      settings: () => settings,
      initializationOptions: { debounceMs: 0, storagePath: path.join(workspace, '.storage') },
    });
  });

  after(async () => {
    await client?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  const truncationLogs = (uri: string) => client.logs.filter((l) => l.message.startsWith(`analysis of ${uri} stopped after`));

  it('publishes partial diagnostics and logs one line when the budget runs out', async () => {
    const uri = fileUri(path.join(workspace, 'big.cpp'));
    client.open(uri, 'cpp', bigCppSource(1_000_000));
    const complete = (await client.waitForDiagnostics(uri, 1, 120_000)).diagnostics.length;
    assert.ok(complete > 1000, `${complete} diagnostics`);
    assert.deepEqual(truncationLogs(uri), [], 'a generous budget is not reached');
    // A lower budget re-analyzes the unchanged document: the reparse is quick and the
    // rules run out of time. Lower it until they do, as the machine's speed decides.
    let partial: number | undefined;
    const seen: number[] = [];
    for (let budget = 200; budget <= 6400 && partial === undefined; budget *= 2) {
      const count = client.publicationsFor(uri).length;
      settings = { analysisTimeBudgetMs: budget };
      client.configurationChanged();
      const published = await client.waitFor(`diagnostics under a ${budget} ms budget`, () => client.publicationsFor(uri)[count], 60_000);
      assert.equal(published.version, 1);
      seen.push(published.diagnostics.length);
      if (published.diagnostics.length > 0 && published.diagnostics.length < complete) partial = published.diagnostics.length;
    }
    assert.ok(partial !== undefined, `no budget gave partial diagnostics (counts ${seen.join(', ')} of ${complete})`);
    const logs = truncationLogs(uri);
    assert.equal(logs.length, 1, `one line for a run of cut analyses: ${JSON.stringify(logs)}`);
    assert.match(logs[0].message, /^analysis of \S+ stopped after \d+ ms \(budget \d+ ms\); (results are partial|no results)/);
    client.close(uri);
  });

  it('a document whose analysis runs out of time does not hold up the others', async () => {
    const unboundedUri = fileUri(path.join(workspace, 'big2.cpp'));
    const bigUri = fileUri(path.join(workspace, 'big3.cpp'));
    const smallUri = fileUri(path.join(workspace, 'small.cpp'));
    const text = bigCppSource(1_000_000);
    // Measure what the big document costs without a budget…
    settings = { analysisTimeBudgetMs: 120_000 };
    client.configurationChanged();
    let started = performance.now();
    client.open(unboundedUri, 'cpp', text);
    await client.waitForDiagnostics(unboundedUri, 1, 120_000);
    const unbounded = performance.now() - started;
    client.close(unboundedUri);
    // …then open it again under a small budget, with a small document right behind it.
    settings = { analysisTimeBudgetMs: 100 };
    client.configurationChanged();
    started = performance.now();
    client.open(bigUri, 'cpp', text);
    client.open(smallUri, 'cpp', SMALL);
    const small = await client.waitForDiagnostics(smallUri, 1, 60_000);
    const latency = performance.now() - started;
    assert.ok(small.diagnostics.length >= 2, 'the small document is analyzed completely');
    assert.ok(latency < unbounded / 2, `the small document waited ${Math.round(latency)} ms; the big one alone takes ${Math.round(unbounded)} ms`);
    await client.waitForDiagnostics(bigUri, 1, 60_000);
    assert.equal(truncationLogs(bigUri).length, 1);
    client.close(bigUri);
    client.close(smallUri);
  });
});

// The workspace report request (rustReadiness/workspaceReport) against the real
// server process: discovery with every kind of skip, counts and scores equal to
// an in-process scan, work-done progress, the on-disk cache, cancellation, and
// the update of single files from workspace/didChangeWatchedFiles.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CancellationTokenSource, ConfigurationRequest, ErrorCodes, FileChangeType, LSPErrorCodes, ResponseError, WorkDoneProgress, WorkDoneProgressCancelNotification, WorkDoneProgressCreateRequest,
  type ProgressToken, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import { defaultConfig, RULES } from '../server/src/engine';
import { buildReport } from '../server/src/engine/report/model';
import { RenderReportRequest, WorkspaceReportChangedNotification, WorkspaceReportRequest, type WorkspaceReportResult } from '../server/src/protocol';
import { analyzeFile, type FileResult } from '../server/src/workspace/analyze-file';
import { expandBraces } from '../server/src/lsp/workspaceScan';
import { loadEngine, ROOT } from './helpers';
import { fileUri, LspClient } from './lsp-client';

const FIXTURE = path.join(ROOT, 'test/fixtures-workspace');
/** The files a scan must list, relative to the workspace. */
const SCANNED = ['src/app/clean.cpp', 'src/app/main.cpp', 'src/app/widget.hpp', 'src/core/buffer.c', 'src/core/buffer.h', 'tools/gen.c'];

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** A client that records work-done progress per token and report-changed notifications. */
class ScanClient {
  readonly progress = new Map<ProgressToken, Progress[]>();
  readonly changed: number[] = [];
  private readonly waiting = new Set<() => void>();
  /** Called with each new token's begin message. */
  onBegin: (token: ProgressToken) => void = () => {};

  private constructor(readonly lsp: LspClient) {
    const c = lsp.connection;
    c.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      this.progress.set(token, []);
      c.onProgress(WorkDoneProgress.type, token, (value) => {
        this.progress.get(token)!.push(value);
        if (value.kind === 'begin') this.onBegin(token);
      });
    });
    // `files.exclude` as VS Code would answer it, braces and a disabled glob included.
    c.onRequest(ConfigurationRequest.type, (p) => p.items.map((item) =>
      item.section === 'files' ? { exclude: { '**/*.gen.{c,cpp}': true, '**/skipme.c': false } } : item.section === 'rustReadiness' ? { exclude: ['excluded/'] } : null));
    c.onNotification(WorkspaceReportChangedNotification, (p) => {
      this.changed.push(p.version);
      for (const wake of [...this.waiting]) wake();
    });
  }

  static async start(workspace: string, storage: string, options: Record<string, unknown> = {}): Promise<ScanClient> {
    const initializationOptions = { storagePath: storage, scanWorkers: 1, ...options };
    return new ScanClient(await LspClient.start({ workspaceFolder: workspace, initializationOptions }));
  }

  report(rescan: boolean): Promise<WorkspaceReportResult> {
    return this.lsp.connection.sendRequest(WorkspaceReportRequest, { rescan });
  }

  /** The first report-changed notification with a version above `after` (lsp.waitFor only wakes on the messages it records). */
  waitForChange(after: number, timeoutMs = 20_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = this.changed.find((x) => x > after);
        if (v === undefined) return;
        done();
        resolve(v);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for workspace report version > ${after}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(check);
      };
      this.waiting.add(check);
      check();
    });
  }
}

function makeWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-ws-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  const write = (rel: string, text: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const leak = 'void leak() { int *p = new int(1); }\n';
  write('node_modules/dep/dep.c', leak); // default skip
  write('third_party/lib/lib.cpp', leak); // default skip
  write('build/gen.cpp', leak); // default skip
  write('.gitignore', 'generated/\n');
  write('generated/out.cpp', leak); // .gitignore
  write('excluded/old.cpp', leak); // rustReadiness.exclude
  write('src/app/table.gen.cpp', leak); // files.exclude, with braces
  write('src/app/skipme.c', 'int skipme(void) { return 0; }\n'); // files.exclude set to false: scanned
  write('src/app/logo.c', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])); // binary: skipped with a reason
  return dir;
}

const rel = (result: WorkspaceReportResult, p: string) => path.relative(result.report.root, p).split(path.sep).join('/');
const paths = (result: WorkspaceReportResult) => result.report.files.map((f) => rel(result, f.path));
const fileOf = (result: WorkspaceReportResult, relPath: string) => result.report.files.find((f) => rel(result, f.path) === relPath);

describe('workspace report over LSP', function () {
  let workspace: string;
  let storage: string;
  let client: ScanClient;
  const clients: ScanClient[] = [];
  const start = async (options: Record<string, unknown> = {}) => {
    const c = await ScanClient.start(workspace, storage, options);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    workspace = makeWorkspace();
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-store-'));
    client = await start();
  });

  afterEach(async () => {
    if (process.env.RR_DEBUG) for (const c of clients) console.log(c.lsp.logs.map((l) => l.message).join('\n'), c.lsp.stderr);
    for (const c of clients.splice(0)) await c.lsp.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('scans every C/C++ file that no skip, exclude or .gitignore removes, on workers, with scores equal to an in-process scan', async () => {
    await client.lsp.stop();
    client = await start({ inProcessMaxFiles: 0 }); // workers even for a few files
    const result = await client.report(false);
    assert.equal(result.report.root, workspace);
    assert.deepEqual(paths(result), [...SCANNED, 'src/app/skipme.c'].sort());
    assert.deepEqual(result.skipped.map((s) => [rel(result, s.path), s.reason]), [['src/app/logo.c', 'binary']]);
    assert.deepEqual(result.stats, { ...result.stats, kind: 'scan', analyzed: 7, fromCache: 0, workers: 1, cancelled: false });
    assert.deepEqual(result.report.files.find((f) => f.path.endsWith('buffer.c'))?.functions?.map((f) => [f.name, f.score.score < 100]),
      [['buffer_new', true], ['buffer_free', true], ['buffer_at', true]]);

    // Counts and scores: the same as building the report from an in-process analysis.
    const engine = await loadEngine();
    const expected = buildReport(result.report.files.map((f) => {
      const outcome = analyzeFile(engine, f.path, defaultConfig());
      assert.ok('ok' in outcome);
      return outcome.ok as FileResult;
    }), RULES.map((r) => r.meta), { root: workspace });
    assert.deepEqual(result.report, expected);
    const summary = result.report.summary;
    assert.equal(summary.files, 7);
    assert.equal(summary.findings, 10);
    assert.deepEqual(Object.fromEntries(result.report.rules.map((r) => [r.id, r.count])),
      { goto: 1, 'malloc-free': 4, 'pointer-arithmetic': 2, 'raw-delete': 1, 'raw-new': 1, 'uninitialized-variable': 1 });
    assert.ok(summary.score > 0 && summary.score < 100, `workspace score ${summary.score}`);
    assert.equal(fileOf(result, 'src/app/clean.cpp')?.score, 100);
    assert.ok(fileOf(result, 'src/core/buffer.c')!.score < fileOf(result, 'src/app/main.cpp')!.score);
    assert.deepEqual(fileOf(result, 'src/app/main.cpp')?.projectIncludes.map((p) => rel(result, p)), ['src/app/widget.hpp', 'src/core/buffer.h']);
  });

  it('reports work-done progress as files done of total, and announces the new report', async () => {
    const result = await client.report(true);
    assert.equal(client.progress.size, 1);
    const [events] = [...client.progress.values()];
    await client.lsp.waitFor('progress end', () => events.at(-1)?.kind === 'end');
    assert.equal(events[0].kind, 'begin');
    assert.equal((events[0] as WorkDoneProgressBegin).cancellable, true);
    const reports = events.filter((e): e is WorkDoneProgressReport => e.kind === 'report');
    assert.ok(reports.length >= 1);
    assert.equal(reports.at(-1)!.message, '8/8 files'); // logo.c too, skipped when read
    assert.equal(reports.at(-1)!.percentage, 100);
    await client.waitForChange(result.version - 1);
  });

  it('rescans an unchanged workspace from the cache alone, also after a server restart', async () => {
    const cold = await client.report(true);
    assert.deepEqual([cold.stats.workers, cold.stats.analyzed], [0, 7], "a few files: the server's own engine");
    const warm = await client.report(true);
    // 7 results and the binary file's skip: nothing is read but the cache.
    assert.deepEqual([warm.stats.fromCache, warm.stats.analyzed, warm.stats.workers], [8, 0, 0]);
    assert.deepEqual(warm.skipped, cold.skipped);
    assert.deepEqual(warm.report, cold.report);
    assert.ok(warm.version > cold.version);

    const second = await start();
    const restarted = await second.report(true);
    assert.deepEqual([restarted.stats.fromCache, restarted.stats.analyzed], [8, 0]);
    assert.deepEqual(restarted.report, cold.report);
  });

  it('updates just the changed, created and deleted files from watched-file events', async () => {
    const first = await client.report(true);
    const main = path.join(workspace, 'src/app/main.cpp');
    fs.writeFileSync(main, 'int main() { int *p = new int[4]; int *q = new int(1); delete q; delete[] p; return 0; }\n');
    fs.writeFileSync(path.join(workspace, 'src/app/extra.cpp'), 'void extra() { goto done; done: ; }\n');
    fs.mkdirSync(path.join(workspace, 'node_modules/dep2'));
    fs.writeFileSync(path.join(workspace, 'node_modules/dep2/x.c'), 'void x(void) { goto y; y: ; }\n');
    client.lsp.watchedFilesChanged([
      { uri: fileUri(main), type: FileChangeType.Changed },
      { uri: fileUri(path.join(workspace, 'src/app/extra.cpp')), type: FileChangeType.Created },
      { uri: fileUri(path.join(workspace, 'node_modules/dep2/x.c')), type: FileChangeType.Created },
    ]);
    await client.waitForChange(first.version);
    const updated = await client.report(false);
    assert.equal(updated.stats.kind, 'update');
    assert.equal(updated.stats.analyzed, 2);
    assert.deepEqual(paths(updated), [...SCANNED, 'src/app/extra.cpp', 'src/app/skipme.c'].sort());
    assert.deepEqual(fileOf(updated, 'src/app/main.cpp')!.ruleCounts, { 'new-array': 1, 'raw-delete': 2, 'raw-new': 1 });
    assert.deepEqual(fileOf(updated, 'src/app/extra.cpp')!.ruleCounts, { goto: 1 });
    assert.ok(updated.report.summary.findings > first.report.summary.findings);

    // A deleted folder comes as one event for the folder.
    fs.rmSync(path.join(workspace, 'src/core'), { recursive: true });
    client.lsp.watchedFilesChanged([{ uri: fileUri(path.join(workspace, 'src/core')), type: FileChangeType.Deleted }]);
    await client.waitForChange(updated.version);
    const removed = await client.report(false);
    assert.ok(!paths(removed).some((p) => p.startsWith('src/core/')));
    assert.equal(removed.report.summary.files, 6);

    // The updates reached the on-disk cache (written when quiet, or at shutdown): a new server analyzes nothing.
    await client.lsp.stop();
    const next = await start();
    const fromDisk = await next.report(true);
    assert.deepEqual([fromDisk.stats.fromCache, fromDisk.stats.analyzed], [7, 0]);
    assert.deepEqual(fromDisk.report, removed.report);
  });

  it('stops when the user cancels the progress, keeping the files scanned so far', async () => {
    client.onBegin = (token) => void client.lsp.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token });
    const result = await client.report(true);
    assert.equal(result.stats.cancelled, true);
    assert.ok(result.report.files.length < 7, `${result.report.files.length} files scanned before the cancel`);
    const [events] = [...client.progress.values()];
    await client.lsp.waitFor('progress end', () => events.at(-1)?.kind === 'end');
    client.onBegin = () => {};
    const full = await client.report(true);
    assert.equal(full.stats.cancelled, false);
    assert.equal(full.report.files.length, 7);
  });

  it("reports to the client's workDoneToken, and stops when the client cancels the request", async () => {
    const events: Progress[] = [];
    const source = new CancellationTokenSource();
    const c = client.lsp.connection;
    c.onProgress(WorkDoneProgress.type, 'client-token', (value) => {
      events.push(value);
      if (value.kind === 'begin') source.cancel();
    });
    const answer = await c.sendRequest(WorkspaceReportRequest, { rescan: true, workDoneToken: 'client-token' }, source.token)
      .catch((e: ResponseError<unknown>) => e);
    // jsonrpc may answer a cancelled request with its result or with RequestCancelled; either way the scan stopped.
    if (answer instanceof ResponseError) assert.equal(answer.code, LSPErrorCodes.RequestCancelled);
    else assert.equal(answer.stats.cancelled, true);
    assert.equal(client.progress.size, 0, 'no server-created progress when the client gave a token');
    assert.equal(events[0]?.kind, 'begin');
    await client.lsp.waitFor('progress end', () => events.at(-1)?.kind === 'end');
    const after = await client.report(false);
    assert.equal(after.stats.cancelled, true);
    assert.ok(after.report.files.length < 7);
  });

  it('renders the report for export in every format, and refuses an unknown one', async () => {
    const { report } = await client.report(false);
    const render = (format: string) => client.lsp.connection.sendRequest(RenderReportRequest, { format } as never);
    assert.ok((await render('markdown')).text.startsWith(`# Rust Readiness report\n\n**Workspace score: ${report.summary.score} / 100**`));
    assert.match((await render('html')).text, /^<!DOCTYPE html>/);
    assert.equal(JSON.parse((await render('json')).text).summary.score, report.summary.score);
    const sarifLog = JSON.parse((await render('sarif')).text);
    assert.equal(sarifLog.runs[0].results.length, report.summary.findings);
    assert.ok(sarifLog.runs[0].results.every((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) =>
      !r.locations[0].physicalLocation.artifactLocation.uri.startsWith('/')), 'paths relative to the workspace folder');
    await assert.rejects(render('pdf'), (e: ResponseError<unknown>) => e.code === ErrorCodes.InvalidParams);
  });
});

describe('files.exclude globs', () => {
  it('expands braces, which gitignore syntax lacks', () => {
    assert.deepEqual(expandBraces('**/*.{c,cpp}'), ['**/*.c', '**/*.cpp']);
    assert.deepEqual(expandBraces('{a,b}/x.{h,hpp}'), ['a/x.h', 'a/x.hpp', 'b/x.h', 'b/x.hpp']);
    assert.deepEqual(expandBraces('**/.git'), ['**/.git']);
  });
});


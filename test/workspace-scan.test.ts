// The workspace scan on worker threads, with its on-disk cache.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig, mergeConfig } from '../server/src/engine';
import { ScanCache } from '../server/src/workspace/cache';
import { ScanPool } from '../server/src/workspace/pool';
import { loadEngine, ROOT } from './helpers';

describe('workspace scan', () => {
  let dir: string;
  let storage: string;
  const pool = new ScanPool(path.join(ROOT, 'dist/scan-worker.js'), { grammarDir: path.join(ROOT, 'grammars'), runtimeDir: path.join(ROOT, 'dist') });
  const files = () => fs.readdirSync(dir).map((f) => path.join(dir, f)).sort();
  const scan = (config = defaultConfig()) => pool.scan(files(), { config, cache: ScanCache.load(storage, dir, config), workers: 2 });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-scan-'));
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-store-'));
    fs.writeFileSync(path.join(dir, 'a.cpp'), 'void f() { int *p = new int(1); delete p; }\n');
    fs.writeFileSync(path.join(dir, 'b.c'), 'void g(char *s) { s++; goto out; out: ; }\n');
    fs.writeFileSync(path.join(dir, 'clean.cpp'), 'int add(int a, int b) { return a + b; }\n');
    fs.writeFileSync(path.join(dir, 'image.c'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('analyzes every file on workers and skips binary content with a reason', async () => {
    const r = await scan();
    assert.deepEqual(r.files.map((f) => path.basename(f.path)), ['a.cpp', 'b.c', 'clean.cpp']);
    assert.deepEqual(r.skipped.map((s) => [path.basename(s.path), s.reason]), [['image.c', 'binary']]);
    const a = r.files[0];
    assert.deepEqual(a.findings.map((f) => f.ruleId).sort(), ['raw-delete', 'raw-new']);
    assert.equal(a.language, 'cpp');
    assert.equal(r.files[1].language, 'c');
    assert.deepEqual(r.files[1].findings.map((f) => f.ruleId).sort(), ['goto', 'pointer-arithmetic']);
    assert.equal(r.analyzed, 3);
    assert.equal(r.workers, 2);
    assert.deepEqual(a.functions, [{ name: 'f', startLine: 0, endLine: 0 }]);
  });

  it('replaces a worker after a big file and still analyzes every file once', async () => {
    const config = defaultConfig();
    const plain = await pool.scan(files(), { config, workers: 1 });
    const recycled = await pool.scan(files(), { config, workers: 1, recycleAfterBytes: 40 }); // all but clean.cpp and image.c
    assert.deepEqual(recycled, plain);
  });

  it('takes huge files one at a time, replacing a retired worker only when enough is left, and still analyzes every file once', async () => {
    const config = defaultConfig();
    fs.writeFileSync(path.join(dir, 'more.c'), 'int g;\nvoid h(int *p) { p++; }\n');
    const plain = await pool.scan(files(), { config, workers: 1 });
    // Every file is huge: one at a time over two workers, each retired after its file and replaced while files are left.
    const allHuge = await pool.scan(files(), { config, workers: 2, recycleAfterBytes: 1 });
    assert.deepEqual(allHuge, { ...plain, workers: 2 });
    // Huge files never worth a replacement: the worker still running takes what is left, or a new one when none is.
    const noReplacement = await pool.scan(files(), { config, workers: 2, recycleAfterBytes: 40, replaceMinBytes: 1e9 });
    assert.deepEqual(noReplacement, { ...plain, workers: 2 });
  });

  it('analyzes a few files with an engine at hand in-process, with the same results as the workers', async () => {
    const config = defaultConfig();
    const onWorkers = await pool.scan(files(), { config, workers: 1 });
    const inProcess = await pool.scan(files(), { config, engine: await loadEngine() });
    assert.equal(inProcess.workers, 0);
    assert.deepEqual(inProcess, { ...onWorkers, workers: 0 });
  });

  it('rescans an unchanged workspace from the cache alone, and updates just a changed file', async () => {
    await scan();
    const warm = await scan();
    assert.equal(warm.fromCache, 4, 'three results and the skip of the binary file');
    assert.equal(warm.analyzed, 0);
    assert.equal(warm.workers, 0);
    assert.deepEqual(warm.skipped.map((s) => [path.basename(s.path), s.reason]), [['image.c', 'binary']]);

    const b = path.join(dir, 'b.c');
    fs.writeFileSync(b, 'void g(void) { }\n');
    const changed = await scan();
    assert.equal(changed.analyzed, 1);
    assert.deepEqual(changed.files.find((f) => f.path === b)?.findings, []);

    // Only the mtime moves: the content hash recognises the file.
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(b, later, later);
    const touched = await scan();
    assert.equal(touched.analyzed, 0);
    assert.equal(touched.fromCache, 4);

    // The documented limit of the stat fast path: new content with the same size and mtime is not seen.
    const stamp = fs.statSync(b);
    fs.writeFileSync(b, 'void h(void) { }\n'); // as long as the previous text
    fs.utimesSync(b, stamp.atime, stamp.mtime);
    const sameStamp = await scan();
    assert.equal(sameStamp.analyzed, 0);
    assert.deepEqual(sameStamp.files.find((f) => f.path === b)?.functions.map((f) => f.name), ['g'], 'the cached result, of the previous text');

    fs.rmSync(b);
    const removed = await scan();
    assert.deepEqual(removed.files.map((f) => path.basename(f.path)), ['a.cpp', 'clean.cpp']);
  });

  it('drops the cache when the rule configuration changes', async () => {
    await scan();
    const config = mergeConfig({ rules: { goto: 'off' } });
    const r = await scan(config);
    assert.equal(r.fromCache, 0);
    assert.deepEqual(r.files.find((f) => f.path.endsWith('b.c'))?.findings.map((f) => f.ruleId), ['pointer-arithmetic']);
  });

  it('stops when cancelled and says so', async () => {
    let calls = 0;
    const r = await pool.scan(files(), { config: defaultConfig(), workers: 1, isCancelled: () => ++calls > 1 });
    assert.equal(r.cancelled, true);
    assert.ok(r.files.length + r.skipped.length < 4);
  });
});

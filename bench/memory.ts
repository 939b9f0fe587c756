// `npm run bench:memory`: the language server's memory (issue 7), measured through
// dist/server.js (run with --expose-gc) with its rustReadiness/debugMemory request.
// Prints figures and PASS/FAIL against the limits; test/server-memory.test.ts
// asserts the same.
//   1. open and close a 1 MB document 200 times;
//   2. edit an open document 2,000 times, waiting for the diagnostics of each edit.
//      For both: RSS as the process runs (garbage included: after the first round,
//      after the last, peak), and what the server retains (RSS and JS heap after a
//      full garbage collection) after the first round and after the last. The limit
//      is on the retained RSS: at most 50 MB more after the last round.
//   3. 50 open 1 MB documents: RSS as the process runs (limit 600 MB), and retained.
// Options: --rounds=N (200), --edits=N (2000), --docs=N (50), --size=BYTES (1 MiB),
// --edit-size=BYTES (size of the edited document, 64 KiB), --dense (a finding on
// every other line instead of the sparse mix), --only=open-close|edits|many.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugMemory } from '../server/src/protocol';
import { bigCppSource, sparseCppSource } from '../test/big-source';
import { LspClient } from '../test/lsp-client';
import { editRounds, MB, mb, openCloseRounds, openMany, retainedMemory, serverMemory } from '../test/memory-scenarios';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROUNDS = Number(arg('rounds') ?? 200);
const EDITS = Number(arg('edits') ?? 2000);
const DOCS = Number(arg('docs') ?? 50);
const SIZE = Number(arg('size') ?? MB);
const EDIT_SIZE = Number(arg('edit-size') ?? 64 * 1024);
const source = process.argv.includes('--dense') ? bigCppSource : sparseCppSource;
const ONLY = arg('only');
const run = (scenario: string) => !ONLY || ONLY === scenario;

const GROWTH_LIMIT_MB = 50;
const MANY_LIMIT_MB = 600;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const signed = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mb(bytes)} MB`;

async function withServer<T>(work: (client: LspClient, dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-bench-memory-'));
  const client = await LspClient.start({
    workspaceFolder: dir, initializationOptions: { debounceMs: 0, storagePath: path.join(dir, '.storage') }, execArgv: ['--expose-gc'],
  });
  try {
    return await work(client, dir);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Samples the running RSS every round and the retained memory after the first and the last. */
class Growth {
  readonly running: number[] = [];
  first?: DebugMemory;
  last?: DebugMemory;
  private readonly started = performance.now();

  constructor(private readonly what: string, private readonly rounds: number) {}

  async sample(client: LspClient, round: number): Promise<void> {
    const now = await serverMemory(client);
    this.running.push(now.rss);
    if (round % Math.max(1, Math.floor(this.rounds / 8)) === 0) console.log(`  ${round}: RSS ${mb(now.rss)} MB, JS heap ${mb(now.heapUsed)} MB`);
    if (round === 1) this.first = await retainedMemory(client);
    if (round === this.rounds) this.last = await retainedMemory(client);
  }

  report(): boolean {
    const { first, last, running } = this;
    if (!first || !last) throw new Error('no samples');
    const ok = last.rss - first.rss <= GROWTH_LIMIT_MB * MB;
    console.log(`${this.what} (${((performance.now() - this.started) / 1000).toFixed(1)} s):`);
    console.log(`  running RSS: ${mb(running[0])} MB after the first, ${mb(running[running.length - 1])} MB after the last, peak ${mb(Math.max(...running))} MB`);
    console.log(`  retained RSS: ${mb(first.rss)} MB after the first, ${mb(last.rss)} MB after the last: ${signed(last.rss - first.rss)}  ` +
      `${verdict(ok)} (limit +${GROWTH_LIMIT_MB} MB); JS heap ${mb(first.heapUsed)} → ${mb(last.heapUsed)} MB\n`);
    return ok;
  }
}

async function main(): Promise<void> {
  const text = source(SIZE);
  console.log(`# Server memory (${os.cpus().length} cores, node ${process.version}); documents: ${source.name}, ${(SIZE / MB).toFixed(2)} MiB\n`);
  const results: boolean[] = [];

  if (run('open-close')) await withServer(async (client, dir) => {
    const idle = await retainedMemory(client);
    console.log(`idle server: RSS ${mb(idle.rss)} MB, JS heap ${mb(idle.heapUsed)} MB`);
    const growth = new Growth(`open/close ${ROUNDS}× a ${(SIZE / MB).toFixed(2)} MiB document`, ROUNDS);
    let findings = 0;
    await openCloseRounds(client, dir, text, ROUNDS, async (round, n) => {
      findings = n;
      await growth.sample(client, round);
    });
    console.log(`(${findings} diagnostics per round)`);
    results.push(growth.report());
  });

  if (run('edits')) await withServer(async (client, dir) => {
    const growth = new Growth(`${EDITS} edits of a ${Math.round(EDIT_SIZE / 1024)} KiB document`, EDITS);
    await editRounds(client, dir, source(EDIT_SIZE), EDITS, (edit) => growth.sample(client, edit));
    results.push(growth.report());
  });

  if (run('many')) await withServer(async (client, dir) => {
    const started = performance.now();
    const { memory } = await openMany(client, dir, text, DOCS);
    const ok = memory.rss < MANY_LIMIT_MB * MB;
    const retained = await retainedMemory(client);
    console.log(`${DOCS} open ${(SIZE / MB).toFixed(2)} MiB documents (${((performance.now() - started) / 1000).toFixed(1)} s, ${memory.documentsWithTree} keep a tree):`);
    console.log(`  running RSS ${mb(memory.rss)} MB (JS heap ${mb(memory.heapUsed)} MB)  ${verdict(ok)} (limit ${MANY_LIMIT_MB} MB)`);
    console.log(`  retained RSS ${mb(retained.rss)} MB (JS heap ${mb(retained.heapUsed)} MB)\n`);
    results.push(ok);
  });

  process.exitCode = results.every(Boolean) ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});

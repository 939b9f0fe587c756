// `npm run bench`: speed of the engine on real code and of the real language
// server. Prints figures and PASS/FAIL against the floors of issue 2; it is not
// a test. Options: --iterations=<n> (default 7), --edits=<n> (default 60),
// --skip-server (engine figures only).
//   1. sqlite3.c (better-sqlite3's amalgamation, 9.5 MB): full parse + analysis,
//      MB/s, rules time as a ratio of parse time (runs after the first), peak
//      RSS (median of n runs).
//   2. The whole accuracy corpus: parse and rules time, lines/s, after one
//      warm-up pass.
//   Analysis as the language server runs it: findings, with each quick fix
//   built when the editor asks for it (the corpus line also shows the CLI's
//   way, every fix built and verified up front).
//   3. Edit-to-diagnostics latency through dist/server.js over stdio, with the
//      debounce set to 0 (initializationOptions.debounceMs): one-character edits
//      in a ~5k-line C++ file and in sqlite3.c, from didChange to the
//      publishDiagnostics of that version.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { DidChangeTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { LineIndex, type Engine } from '../server/src/engine';
import { LspClient, fileUri } from '../test/lsp-client';
import { CORPUS, SQLITE, loadCorpus, type CorpusFile } from './lib/corpus';
import { fmt, loadEngine, median, peakRssMb, percentile, verdict } from './lib/engine';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ITERATIONS = Number(arg('iterations') ?? 7);
const EDITS = Number(arg('edits') ?? 60);

const FLOOR_RULES_RATIO = 0.5;
const FLOOR_SQLITE_MS = 3000;
const FLOOR_EDIT_P95_MS = 50;

function benchSqlite(engine: Engine, sqlite: CorpusFile): void {
  const text = fs.readFileSync(sqlite.file, 'utf8');
  const mb = sqlite.bytes / 1e6;
  console.log(`## sqlite3.c (${sqlite.display}, ${fmt(mb, 1)} MB, ${sqlite.lines} lines), ${ITERATIONS} runs, ${engine.rules.length} rules\n`);
  const runs: Array<{ total: number; cpu: number; parse: number; rules: number; findings: number }> = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const a = engine.analyze(text, sqlite.file, { lang: 'c', lazyFixes: true });
    const total = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    runs.push({ total, cpu: (cpu.user + cpu.system) / 1000, parse: a.timing.parse, rules: a.timing.rules, findings: a.findings.length });
    a.tree.delete();
  }
  const total = median(runs.map((r) => r.total));
  const parse = median(runs.map((r) => r.parse));
  const rules = median(runs.map((r) => r.rules));
  // The first run also compiles the rules' code (JIT); a running server is past that.
  const warm = runs.length > 1 ? runs.slice(1) : runs;
  const ratio = median(warm.map((r) => r.rules / r.parse));
  console.log(`full parse + analysis: ${fmt(total)} ms median (runs: ${runs.map((r) => fmt(r.total)).join(', ')})  ${verdict(total <= FLOOR_SQLITE_MS)} (floor ≤ ${FLOOR_SQLITE_MS} ms)`);
  // CPU time of the process (the engine is single-threaded; GC helpers add a little): a busy machine inflates it far less than wall time.
  console.log(`  CPU time: ${fmt(median(runs.map((r) => r.cpu)))} ms median; load average when it ran: ${os.loadavg().map((l) => fmt(l, 1)).join(' ')}`);
  console.log(`throughput: ${fmt(mb / (total / 1000), 2)} MB/s, ${fmt(sqlite.lines / (total / 1000))} lines/s`);
  console.log(`parse (with #if blanking): ${fmt(parse)} ms, rules: ${fmt(rules)} ms (medians of all runs)`);
  console.log(`rules/parse: ${fmt(ratio * 100)}% (median of runs 2–${runs.length}; the first, rules not yet compiled: ${fmt((runs[0].rules / runs[0].parse) * 100)}%)  ${verdict(ratio <= FLOOR_RULES_RATIO)} (floor ≤ ${FLOOR_RULES_RATIO * 100}%)`);
  console.log(`  per run, rules: ${runs.map((r) => fmt(r.rules)).join(', ')} ms; parse: ${runs.map((r) => fmt(r.parse)).join(', ')} ms`);
  console.log(`findings: ${runs[0].findings}`);
  console.log(`peak RSS of this process: ${fmt(process.resourceUsage().maxRSS / 1024)} MB\n`);
}

function benchCorpus(engine: Engine, files: CorpusFile[]): void {
  const pass = (lazyFixes: boolean) => {
    const sum = { parse: 0, rules: 0, lines: 0, findings: 0, wall: 0 };
    const t0 = performance.now();
    for (const f of files) {
      const a = engine.analyze(fs.readFileSync(f.file, 'utf8'), f.file, { lang: f.lang, lazyFixes });
      sum.parse += a.timing.parse;
      sum.rules += a.timing.rules;
      sum.lines += f.lines;
      sum.findings += a.findings.length;
      a.tree.delete();
    }
    sum.wall = performance.now() - t0;
    return sum;
  };
  // The first pass compiles the rules' code (JIT); a running server is past that.
  const cold = pass(true);
  const warm = pass(true);
  const eagerCold = pass(false); // compiles the fix builders
  const eager = pass(false);
  console.log(`## accuracy corpus (${files.length} files, ${warm.lines} lines, one thread)\n`);
  console.log(`wall (read + analyze): ${fmt(warm.wall)} ms, ${fmt(warm.lines / (warm.wall / 1000))} lines/s; findings: ${warm.findings}`);
  console.log(`parse: ${fmt(warm.parse)} ms, rules: ${fmt(warm.rules)} ms, rules/parse: ${fmt((warm.rules / warm.parse) * 100)}%  ${verdict(warm.rules / warm.parse <= FLOOR_RULES_RATIO)} (floor ≤ ${FLOOR_RULES_RATIO * 100}%)`);
  console.log(`  first pass (rules' code not yet compiled): ${fmt((cold.rules / cold.parse) * 100)}%; every quick fix built up front (as the CLI does): ${fmt((eager.rules / eager.parse) * 100)}% (the first such pass, fix builders not yet compiled: ${fmt((eagerCold.rules / eagerCold.parse) * 100)}%)`);
  console.log(`peak RSS of this process: ${fmt(process.resourceUsage().maxRSS / 1024)} MB\n`);
}

/** A full garbage collection between two measurements (V8's gc, exposed for this process only). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** A deterministic pseudo-random sequence (no Math.random: figures must be reproducible). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Offsets of a character inside an identifier on code lines (not comments or directives). */
function editPoints(text: string, count: number): number[] {
  const candidates: number[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trimStart();
    const m = /[A-Za-z_]\w{2,}/.exec(line);
    if (m && !/^(#|\/\/|\/\*|\*)/.test(trimmed)) candidates.push(offset + m.index + 1);
    offset += line.length + 1;
  }
  const next = lcg(42);
  return Array.from({ length: count }, () => candidates[Math.floor(next() * candidates.length)]);
}

interface Latency {
  open: number;
  edits: number[];
  serverPeakMb: number;
}

/** Types one character into an identifier, then deletes it, and so on; waits for each version's diagnostics. */
async function editLatency(filePath: string, languageId: string, text: string, edits: number): Promise<Latency> {
  const client = await LspClient.start({
    initializationOptions: { debounceMs: 0 },
    settings: () => ({ maxFileSize: 64 * 1024 * 1024 }),
  });
  try {
    const uri = fileUri(filePath);
    const published = (version: number) => () => client.diagnostics.some((d) => d.uri === uri && d.version === version);
    const t0 = performance.now();
    client.open(uri, languageId, text);
    await client.waitFor('diagnostics of the opened file', published(1), 120_000);
    const open = performance.now() - t0;
    // Positions come from the original text: every second edit undoes the one before.
    // didChange is sent directly, so the client's own copy of a 9.5 MB document is not
    // re-indexed inside the measured time.
    const lines = new LineIndex(text);
    const points = editPoints(text, Math.ceil(edits / 2)).map((o) => lines.position(o));
    const latencies: number[] = [];
    for (let i = 0, version = 1; i < edits; i++) {
      const at = points[i >> 1];
      const range = i % 2 === 0 ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
      const sent = performance.now();
      void client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: ++version }, contentChanges: [{ range, text: i % 2 === 0 ? 'x' : '' }],
      });
      await client.waitFor(`diagnostics of version ${version}`, published(version), 60_000);
      latencies.push(performance.now() - sent);
    }
    return { open, edits: latencies, serverPeakMb: peakRssMb(client.process.pid) };
  } finally {
    await client.stop();
  }
}

/** A ~5k-line real C++ file: whole corpus files concatenated until there are 5000 lines. */
function fiveKLineCpp(corpus: CorpusFile[]): { text: string; from: string[] } {
  const picks = ['canvas@3.2.3/src/CanvasRenderingContext2d.cc', '@nxtedition/rocksdb@12.2.12/deps/rocksdb/rocksdb/util/compression.h'];
  const files = picks.map((p) => corpus.find((f) => f.display === p)).filter((f): f is CorpusFile => !!f);
  return { text: files.map((f) => fs.readFileSync(f.file, 'utf8')).join('\n'), from: files.map((f) => f.display) };
}

function printLatency(title: string, lines: number, l: Latency, floor?: number): void {
  const p50 = percentile(l.edits, 50);
  const p95 = percentile(l.edits, 95);
  console.log(`${title} (${lines} lines): open → diagnostics ${fmt(l.open)} ms; ${l.edits.length} one-character edits: `
    + `p50 ${fmt(p50, 1)} ms, p95 ${fmt(p95, 1)} ms, max ${fmt(Math.max(...l.edits), 1)} ms`
    + (floor === undefined ? '' : `  ${verdict(p95 <= floor)} (floor p95 ≤ ${floor} ms)`));
  console.log(`  server peak RSS: ${fmt(l.serverPeakMb)} MB`);
}

async function main(): Promise<void> {
  const [sqlite] = loadCorpus([SQLITE], (s) => console.error(s));
  const corpus = loadCorpus(CORPUS, (s) => console.error(s));
  const engine = await loadEngine();
  benchSqlite(engine, sqlite);
  collectGarbage(); // the sqlite3.c runs' garbage is not the corpus's to collect
  benchCorpus(engine, corpus);
  if (process.argv.includes('--skip-server')) return;

  console.log(`## edit → diagnostics through the real server (dist/server.js, stdio, debounce 0)\n`);
  const cpp = fiveKLineCpp(corpus);
  const cppPath = path.join(path.dirname(sqlite.file), 'bench-5k.cpp'); // in the cache, never written: the server gets the text
  printLatency(`C++ file (${cpp.from.join(' + ')})`, cpp.text.split('\n').length, await editLatency(cppPath, 'cpp', cpp.text, EDITS), FLOOR_EDIT_P95_MS);
  const sqliteText = fs.readFileSync(sqlite.file, 'utf8');
  printLatency('sqlite3.c', sqlite.lines, await editLatency(sqlite.file, 'c', sqliteText, Math.min(EDITS, 20)));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// Workspace scan on worker threads (one per core minus one for the editor, at
// least one), with an on-disk cache. Engine-level: no LSP types, so the server
// and the CLI both use it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Config, Engine } from '../engine';
import type { SkippedFile } from '../engine/files';
import { runScanTask, type FileOutcome, type FileResult } from './analyze-file';
import type { ScanCache } from './cache';

export interface WorkerInit {
  grammarDir: string;
  runtimeDir: string;
}

export interface ScanTask {
  id: number;
  path: string;
  config: Config;
  knownHash?: string;
  /** Bytes on disk when the scan started (main thread only: decides the worker's recycling). */
  size?: number;
}

export type ScanReply = { id: number; outcome: FileOutcome } | { id: number; unchanged: { size: number; mtimeMs: number } };

/**
 * A worker loads its own engine first, which takes a second or two (compiling
 * the rule queries); up to this many files are cheaper to analyze in-process,
 * when the caller has an engine at hand.
 */
export const IN_PROCESS_MAX_FILES = 24;

/**
 * A worker's wasm memory never shrinks: after a file this big (sqlite3.c takes
 * about 400 MB) the worker ends and a fresh one takes its place, so the rest of
 * the scan does not carry that memory. With the biggest files first, that is early.
 */
export const RECYCLE_AFTER_BYTES = 2 * 1024 * 1024;

/**
 * A new worker costs about 0.7 s of CPU before it runs at full speed (0.2 s to
 * create its engine, 0.5 s of JIT warm-up on its first files), about what a warm
 * worker analyzes in 3 MB. A recycled worker is replaced only when more than
 * this is left to hand out (or no other worker is left): below it, the workers
 * still running finish sooner than a fresh one would be ready.
 */
export const REPLACE_MIN_BYTES = 4 * 1024 * 1024;

/**
 * V8's young generation per worker. Node's default (about 48 MB) is filled and
 * kept by each busy worker; 16 MB lowered the scan's peak RSS by about 40 MB
 * (median of six runs on the benchmark corpus) at no measurable CPU cost.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** Tasks sent ahead to each worker, so it never waits for the main thread between files. */
const IN_FLIGHT = 2;

export interface ScanOptions {
  config: Config;
  cache?: ScanCache;
  /** Called after each file, from the main thread. */
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
  workers?: number;
  /** An engine already loaded on this thread: used instead of workers for a few files. */
  engine?: Engine;
  /** At most this many files to analyze go to `engine` rather than to workers (default IN_PROCESS_MAX_FILES). */
  inProcessMaxFiles?: number;
  /** A worker is retired after a file of at least this many bytes (default RECYCLE_AFTER_BYTES). */
  recycleAfterBytes?: number;
  /** The caller writes the cache itself (the server does it after answering); by default the scan writes it at the end. */
  deferSave?: boolean;
  /** A retired worker is replaced only when at least this many bytes are left to hand out (default REPLACE_MIN_BYTES). */
  replaceMinBytes?: number;
}

export interface ScanResult {
  files: FileResult[];
  skipped: SkippedFile[];
  fromCache: number;
  analyzed: number;
  cancelled: boolean;
  /** Worker threads started: 0 when everything came from the cache or was analyzed in-process. */
  workers: number;
}

export function defaultWorkerCount(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

export class ScanPool {
  constructor(private readonly workerScript: string, private readonly init: WorkerInit) {}

  async scan(paths: readonly string[], options: ScanOptions): Promise<ScanResult> {
    const { cache, config } = options;
    const result: ScanResult = { files: [], skipped: [], fromCache: 0, analyzed: 0, cancelled: false, workers: 0 };
    const pending: Array<{ path: string; size: number }> = [];
    let done = 0;
    const total = paths.length;
    for (const p of paths) {
      const st = statOf(p);
      const hit = cache && st && fromCache(cache, p, st);
      if (hit) {
        if ('ok' in hit) result.files.push(hit.ok);
        else result.skipped.push(hit.skip);
        result.fromCache++;
        options.onProgress?.(++done, total);
      } else {
        pending.push({ path: p, size: st?.size ?? 0 });
      }
    }
    // Biggest files first: the workers end together instead of one finishing a huge
    // file alone, and the memory a huge file takes is needed before results pile up.
    pending.sort((a, b) => b.size - a.size || compare(a.path, b.path));
    const todo = pending.map((p, id): ScanTask => ({ id, path: p.path, config, knownHash: cache?.hashOf(p.path), size: p.size }));
    const onReply = (task: ScanTask, reply: ScanReply) => {
      if ('unchanged' in reply) {
        const updated = { ...cache!.entryOf(task.path)!, ...reply.unchanged };
        cache!.set(updated);
        result.files.push(updated);
        result.fromCache++;
      } else if ('ok' in reply.outcome) {
        cache?.set(reply.outcome.ok);
        result.files.push(reply.outcome.ok);
        result.analyzed++;
      } else {
        cache?.setSkip(reply.outcome.skip, statOf(task.path));
        result.skipped.push(reply.outcome.skip);
      }
      options.onProgress?.(++done, total);
    };
    if (todo.length > 0 && options.engine && todo.length <= (options.inProcessMaxFiles ?? IN_PROCESS_MAX_FILES)) {
      await this.runInProcess(todo, options.engine, options, onReply, result);
    } else if (todo.length > 0) {
      result.workers = Math.min(options.workers ?? defaultWorkerCount(), todo.length);
      await this.runWorkers(todo, result.workers, options, onReply, result);
    }
    cache?.retain(new Set(paths));
    if (!options.deferSave) cache?.save();
    result.files.sort((a, b) => compare(a.path, b.path));
    result.skipped.sort((a, b) => compare(a.path, b.path));
    return result;
  }

  /** One file per event-loop turn, so a server stays responsive in between. */
  private async runInProcess(
    todo: ScanTask[], engine: Engine, options: ScanOptions,
    onReply: (task: ScanTask, reply: ScanReply) => void, result: ScanResult,
  ): Promise<void> {
    for (const task of todo) {
      if (options.isCancelled?.()) {
        result.cancelled = true;
        return;
      }
      onReply(task, runScanTask(engine, task));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Feeds tasks to `count` workers, IN_FLIGHT at a time each, biggest first. A
   * huge file (recycleAfterBytes or more) goes to a worker with nothing else in
   * flight, one huge file at a time in the whole pool, so memory holds at most one
   * such tree; that worker is retired after it (see RECYCLE_AFTER_BYTES). A worker
   * that finds only a huge file it may not take yet ends. A worker that dies (a
   * crash in wasm, out of memory) costs only the file it was on, reported as
   * skipped; its other tasks go back to the queue and a new worker takes its place.
   */
  private runWorkers(
    todo: ScanTask[], count: number, options: ScanOptions,
    onReply: (task: ScanTask, reply: ScanReply) => void, result: ScanResult,
  ): Promise<void> {
    const isHuge = (t: ScanTask) => (t.size ?? 0) >= (options.recycleAfterBytes ?? RECYCLE_AFTER_BYTES);
    const huge = todo.filter(isHuge);
    const small = todo.filter((t) => !isHuge(t));
    let queuedBytes = todo.reduce((n, t) => n + (t.size ?? 0), 0);
    let hugeInFlight = false;
    let live = 0;
    const queued = () => huge.length + small.length > 0 && !result.cancelled;
    /** The next task for a worker with `busy` tasks in flight, if it may take one. */
    const take = (busy: number): ScanTask | undefined => {
      if (options.isCancelled?.()) result.cancelled = true;
      if (result.cancelled) return undefined;
      const task = busy === 0 && !hugeInFlight && huge.length > 0 ? huge.shift() : small.shift();
      if (task && isHuge(task)) hugeInFlight = true;
      queuedBytes -= task?.size ?? 0;
      return task;
    };
    const giveBack = (tasks: ScanTask[]) => {
      for (const t of tasks) (isHuge(t) ? huge : small).unshift(t);
      queuedBytes += tasks.reduce((n, t) => n + (t.size ?? 0), 0);
    };
    return new Promise((resolve) => {
      const stopped = () => {
        if (--live === 0) resolve();
      };
      const startSlot = () => {
        live++;
        const worker = new Worker(this.workerScript, { workerData: this.init, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
        const inFlight: ScanTask[] = [];
        let retiring = false;
        const fill = () => {
          while (!retiring && inFlight.length < IN_FLIGHT) {
            const task = take(inFlight.length);
            if (!task) break;
            inFlight.push(task);
            worker.postMessage(task);
            retiring = isHuge(task);
          }
          if (inFlight.length === 0) {
            void worker.terminate();
            stopped();
          }
        };
        const replace = () => {
          live--;
          startSlot();
        };
        worker.on('message', (reply: ScanReply) => {
          onReply(inFlight.shift()!, reply); // a worker answers in the order it was asked
          if (!retiring) return fill();
          hugeInFlight = false;
          void worker.terminate();
          const worthIt = queuedBytes >= (options.replaceMinBytes ?? REPLACE_MIN_BYTES) || live === 1;
          if (queued() && worthIt) replace();
          else stopped();
        });
        worker.on('error', (e) => {
          const [current, ...rest] = inFlight.splice(0);
          if (current) onReply(current, { id: current.id, outcome: { skip: { path: current.path, reason: 'analysis-error', detail: `worker failed: ${e.message}` } } });
          if (retiring) hugeInFlight = false;
          giveBack(rest);
          if (queued()) replace();
          else stopped();
        });
        fill();
      };
      for (let i = 0; i < count; i++) startSlot();
    });
  }
}

function fromCache(cache: ScanCache, p: string, st: fs.Stats): FileOutcome | undefined {
  const ok = cache.fresh(p, st);
  if (ok) return { ok };
  const skip = cache.freshSkip(p, st);
  return skip ? { skip } : undefined;
}

function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

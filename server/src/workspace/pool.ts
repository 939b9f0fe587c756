// Workspace scan on worker threads (one per core minus one for the editor, at
// least one), with an on-disk cache. Engine-level: no LSP types, so the server
// and the CLI both use it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Config } from '../engine';
import type { FileOutcome, FileResult, FileSkip } from './analyze-file';
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
}

export type ScanReply = { id: number; outcome: FileOutcome } | { id: number; unchanged: { size: number; mtimeMs: number } };

export interface ScanOptions {
  config: Config;
  cache?: ScanCache;
  /** Called after each file, from the main thread. */
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
  workers?: number;
}

export interface ScanResult {
  files: FileResult[];
  skipped: FileSkip[];
  fromCache: number;
  analyzed: number;
  cancelled: boolean;
}

export function defaultWorkerCount(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

export class ScanPool {
  constructor(private readonly workerScript: string, private readonly init: WorkerInit) {}

  async scan(paths: readonly string[], options: ScanOptions): Promise<ScanResult> {
    const { cache, config } = options;
    const result: ScanResult = { files: [], skipped: [], fromCache: 0, analyzed: 0, cancelled: false };
    const todo: ScanTask[] = [];
    let done = 0;
    const total = paths.length;
    for (const p of paths) {
      const hit = cache && freshFromCache(cache, p);
      if (hit) {
        result.files.push(hit);
        result.fromCache++;
        options.onProgress?.(++done, total);
      } else {
        todo.push({ id: todo.length, path: p, config, knownHash: cache?.hashOf(p) });
      }
    }
    if (todo.length > 0) {
      const count = Math.min(options.workers ?? defaultWorkerCount(), todo.length);
      await this.runWorkers(todo, count, options, (task, reply) => {
        if ('unchanged' in reply) {
          const old = cache!.entryOf(task.path)!;
          const updated = { ...old, ...reply.unchanged };
          cache!.set(updated);
          result.files.push(updated);
          result.fromCache++;
        } else if ('ok' in reply.outcome) {
          cache?.set(reply.outcome.ok);
          result.files.push(reply.outcome.ok);
          result.analyzed++;
        } else {
          cache?.delete(task.path);
          result.skipped.push(reply.outcome.skip);
        }
        options.onProgress?.(++done, total);
      }, result);
    }
    cache?.retain(new Set(paths));
    cache?.save();
    result.files.sort((a, b) => a.path.localeCompare(b.path));
    return result;
  }

  /**
   * Feeds tasks to `count` workers, one task at a time each. A worker that dies
   * (a crash in wasm, out of memory) costs only its current file, which is
   * reported as skipped; a new worker takes its place.
   */
  private runWorkers(
    todo: ScanTask[], count: number, options: ScanOptions,
    onReply: (task: ScanTask, reply: ScanReply) => void, result: ScanResult,
  ): Promise<void> {
    let next = 0;
    let live = 0;
    return new Promise((resolve) => {
      const startSlot = () => {
        live++;
        const worker = new Worker(this.workerScript, { workerData: this.init });
        let current: ScanTask | undefined;
        const feed = () => {
          if (options.isCancelled?.()) result.cancelled = true;
          current = result.cancelled || next >= todo.length ? undefined : todo[next++];
          if (current) return worker.postMessage(current);
          void worker.terminate();
          if (--live === 0) resolve();
        };
        worker.on('message', (reply: ScanReply) => {
          onReply(todo[reply.id], reply);
          feed();
        });
        worker.on('error', (e) => {
          if (current) onReply(current, { id: current.id, outcome: { skip: { path: current.path, reason: 'analysis-error', detail: `worker failed: ${e.message}` } } });
          live--;
          startSlot();
        });
        feed();
      };
      for (let i = 0; i < count; i++) startSlot();
    });
  }
}

function freshFromCache(cache: ScanCache, p: string): FileResult | undefined {
  try {
    const st = fs.statSync(p);
    return cache.fresh(p, st);
  } catch {
    return undefined;
  }
}

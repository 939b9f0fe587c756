// A scan worker thread: loads its own engine once, then analyzes files on request.
import { parentPort, workerData } from 'node:worker_threads';
import * as fs from 'node:fs';
import { Engine, RULES } from '../engine';
import { analyzeFile, hashBytes } from './analyze-file';
import type { ScanTask, ScanReply, WorkerInit } from './pool';

const init = workerData as WorkerInit;
const engineReady = Engine.create(RULES, init.grammarDir, init.runtimeDir);

parentPort?.on('message', async (task: ScanTask) => {
  const engine = await engineReady;
  parentPort?.postMessage(run(engine, task));
});

function run(engine: Engine, task: ScanTask): ScanReply {
  if (task.knownHash) {
    // mtime moved: if the bytes did not, the cached result still holds.
    try {
      const bytes = fs.readFileSync(task.path);
      if (hashBytes(bytes) === task.knownHash) {
        const st = fs.statSync(task.path);
        return { id: task.id, unchanged: { size: st.size, mtimeMs: st.mtimeMs } };
      }
    } catch {
      // fall through: analyzeFile reports the I/O problem as a skip
    }
  }
  return { id: task.id, outcome: analyzeFile(engine, task.path, task.config) };
}

// A scan worker thread: loads its own engine once, then analyzes files on request.
import { parentPort, workerData } from 'node:worker_threads';
import { Engine, RULES } from '../engine';
import { runScanTask } from './analyze-file';
import type { ScanTask, WorkerInit } from './pool';

const init = workerData as WorkerInit;
const engineReady = Engine.create(RULES, init.grammarDir, init.runtimeDir);

parentPort?.on('message', async (task: ScanTask) => {
  const engine = await engineReady;
  parentPort?.postMessage(runScanTask(engine, task));
});

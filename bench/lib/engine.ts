// The engine as the benchmarks load it: the built grammars and runtime wasm
// (run `node scripts/build.mjs` first), every registered rule.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine, RULES } from '../../server/src/engine';

/** The repository root (benchmarks run from out/bench/). */
export const ROOT = path.resolve(__dirname, '../..');

export function loadEngine(): Promise<Engine> {
  return Engine.create(RULES, path.join(ROOT, 'grammars'), path.join(ROOT, 'dist'));
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile, p in 0..100. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
export const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** Runs `scripts/ensure-apt.sh` for Debian packages the benchmark needs. */
export function ensureApt(...packages: string[]): void {
  execFileSync('bash', [path.join(ROOT, 'scripts/ensure-apt.sh'), ...packages], { stdio: 'inherit' });
}

/** Peak resident memory (VmHWM) of a process, in MB: the server with its worker threads. */
export function peakRssMb(pid: number | undefined): number {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

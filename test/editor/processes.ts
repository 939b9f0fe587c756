// Processes the real-editor tests start: each runs in its own process group
// (setsid, through node's `detached`), so stopping it also stops what it spawned
// (code-server's file watcher, the extension host, our language server). Every
// group still alive when node exits is killed, also when a test fails or hangs.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { delay } from './wait';

const live = new Set<number>();
process.on('exit', () => {
  for (const pgid of live) killGroup(pgid, 'SIGKILL');
});

export interface Started {
  child: ChildProcess;
  pgid: number;
  /** Resolves with the exit code (or the signal's name) when the group leader exits. */
  exited: Promise<number | string>;
}

/** Starts `command` as the leader of a new process group; stdout and stderr go to `logFile`. */
export function startGroup(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; logFile: string }): Started {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pgid = child.pid;
  live.add(pgid);
  const exited = new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { child, pgid, exited };
}

/** Runs a command in its own group to the end (killing the group at the deadline); rejects on a non-zero exit. */
export async function runGroup(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; logFile: string; timeoutMs: number }): Promise<void> {
  const started = startGroup(command, args, options);
  const timer = setTimeout(() => killGroup(started.pgid, 'SIGKILL'), options.timeoutMs);
  try {
    const code = await started.exited;
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code} (log: ${options.logFile})`);
  } finally {
    clearTimeout(timer);
    await stopGroup(started.pgid);
  }
}

/** SIGTERM to the group, then SIGKILL to whatever is left after `graceMs`. */
export async function stopGroup(pgid: number, graceMs = 5000): Promise<void> {
  killGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupMembers(pgid).length > 0 && Date.now() < deadline) await delay(100);
  if (groupMembers(pgid).length > 0) killGroup(pgid, 'SIGKILL');
  const killDeadline = Date.now() + 5000;
  while (groupMembers(pgid).length > 0 && Date.now() < killDeadline) await delay(100);
  live.delete(pgid);
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone already
  }
}

/** Pids whose process group is `pgid` (from /proc; zombies count as gone). */
export function groupMembers(pgid: number): number[] {
  return processes().filter((p) => p.pgid === pgid && p.state !== 'Z').map((p) => p.pid);
}

/**
 * Kills, by pid, any process whose command line mentions `marker` (a folder unique
 * to this run): a process that left our group with its own setsid would otherwise
 * survive the run.
 */
export function killByMarker(marker: string): number[] {
  const killed: number[] = [];
  for (const p of processes()) {
    if (p.pid === process.pid || p.state === 'Z') continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes(marker)) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
      killed.push(p.pid);
    } catch {
      // exited meanwhile
    }
  }
  return killed;
}

export interface ProcInfo {
  pid: number;
  state: string;
  ppid: number;
  pgid: number;
}

/** Every process on the machine, from /proc. */
export function processes(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name in parentheses may hold spaces: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.push({ pid: Number(name), state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]) });
  }
  return out;
}

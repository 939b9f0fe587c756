// code-server (the VS Code 1.100.3 workbench with a Node extension host) for the
// real-editor tests, as ../shared/REAL-EDITOR.md measured it on these machines:
// installed by scripts/setup-editor.sh into a cache outside the repo, started on
// loopback in its own process group with fresh user-data and extensions folders,
// the .vsix installed the way users install it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { killByMarker, runGroup, startGroup, stopGroup, type Started } from './processes';
import { GiveUp, waitFor } from './wait';
import { REPO_ROOT } from './vsix';

export const OUTPUT_ROOT = path.join(REPO_ROOT, 'test-output', 'editor');
export const EXTENSION_ID = 'rust-readiness.rust-readiness';

/** User settings that keep the workbench quiet and local (REAL-EDITOR.md), plus no calls to a gallery. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'remote.autoForwardPorts': false,
  'workbench.enableExperiments': false,
  'npm.fetchOnlinePackageInfo': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'files.autoSave': 'off',
  'window.commandCenter': false,
};

let setupDir: string | undefined;

/** Installs (or finds in the cache) chromium and code-server; returns the code-server binary. */
export function codeServerBinary(): string {
  setupDir ??= execFileSync('bash', [path.join(REPO_ROOT, 'scripts/setup-editor.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 20 * 60_000,
  }).trim().split('\n').pop();
  const bin = path.join(setupDir ?? '', 'node_modules/.bin/code-server');
  if (!existsSync(bin)) throw new Error(`scripts/setup-editor.sh did not install code-server (${bin})`);
  return bin;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * This run's folder of `root`: `run-<pid>`. Several runs may share a checkout on
 * a shared machine (a developer's `npm test` next to another's), so each gets its
 * own; folders of runs whose process is gone are removed.
 */
function runFolder(root: string): string {
  mkdirSync(root, { recursive: true });
  for (const name of readdirSync(root)) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(path.join(root, name), { recursive: true, force: true });
  }
  return path.join(root, `run-${process.pid}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A fresh, empty folder for this run under test-output/editor/run-<pid>/. */
export function freshDir(...parts: string[]): string {
  const dir = path.join(runFolder(OUTPUT_ROOT), ...parts);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A fresh workspace folder with a copy of `from`'s files (all, or the ones named).
 * It lives outside the repo: the repo's .gitignore lists test-output/, and the
 * workspace scan (like git) skips what an enclosing .gitignore ignores. The last
 * part of `name` is the folder's name (the extension-host suite reads it).
 */
export function freshWorkspace(name: string, from: string, files?: string[]): string {
  // One folder per checkout and run, so neither a CI clone nor a second run shares one.
  const checkout = createHash('sha1').update(REPO_ROOT).digest('hex').slice(0, 8);
  const dir = path.join(runFolder(path.join(os.tmpdir(), 'rust-readiness-editor-tests', checkout)), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (files) for (const f of files) cpSync(path.join(from, f), path.join(dir, f));
  else cpSync(from, dir, { recursive: true });
  return dir;
}

export interface CodeServerOptions {
  /** Folder under test-output/editor/ for this instance's state and logs. */
  name: string;
  vsix: string;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
}

export class CodeServer {
  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly extensionsDir: string,
    private readonly process: Started,
  ) {}

  /** Installs the .vsix into a fresh extensions folder, then starts code-server and waits for /healthz. */
  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const bin = codeServerBinary();
    const dir = freshDir(options.name);
    const userDataDir = path.join(dir, 'user-data');
    const extensionsDir = path.join(dir, 'extensions');
    const xdg = path.join(dir, 'xdg');
    for (const d of [path.join(userDataDir, 'User'), extensionsDir, xdg]) mkdirSync(d, { recursive: true });
    writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...options.settings }, null, 2));
    // code-server writes ~/.config/code-server/config.yaml unless XDG_CONFIG_HOME points elsewhere.
    const env = { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: path.join(xdg, 'data') };
    const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
    const logFile = path.join(dir, 'code-server.log');
    await runGroup(bin, ['--install-extension', options.vsix, '--force', ...common], { env, logFile, timeoutMs: 120_000 });
    const port = await freePort();
    const started = startGroup(bin, [
      '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', ...common,
    ], { env, logFile });
    const server = new CodeServer(port, dir, extensionsDir, started);
    let exit: number | string | undefined;
    void started.exited.then((code) => (exit = code), (e: Error) => (exit = e.message));
    try {
      await waitFor(async () => {
        if (exit !== undefined) throw new GiveUp(`code-server exited with ${exit} (log: ${logFile})`);
        const res = await fetch(`${server.origin}/healthz`).catch(() => undefined);
        return res?.ok;
      }, 60_000, `code-server did not answer /healthz (log: ${logFile})`);
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The folder the .vsix was unpacked into. */
  get installedExtension(): string {
    const name = readdirSync(this.extensionsDir).find((d) => d.startsWith(`${EXTENSION_ID}-`));
    if (!name) throw new Error(`the .vsix is not installed in ${this.extensionsDir}`);
    return path.join(this.extensionsDir, name);
  }

  /** A path on this machine as the workbench names it (the remote authority is the server). */
  remoteUri(absolutePath: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${absolutePath}`;
  }

  /** The workbench URL for a folder, with an optional payload (openFile, extensionDevelopmentPath, …). */
  workbenchUrl(folder: string, payload?: Array<[string, string]>): string {
    const query = new URLSearchParams({ folder });
    if (payload) query.set('payload', JSON.stringify(payload));
    return `${this.origin}/?${query.toString()}`;
  }

  /** Stops the whole process group, then anything that escaped it but still runs from our folder. */
  async stop(): Promise<void> {
    await stopGroup(this.process.pgid);
    killByMarker(this.dir);
  }
}

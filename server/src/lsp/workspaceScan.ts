// The workspace scan behind the panel and the report (rustReadiness/workspaceReport):
// discovers every C/C++ file of the workspace folders (default skips, the exclude
// setting, `files.exclude`, .gitignore), analyzes them on worker threads with the
// on-disk cache, reports work-done progress the user can cancel, and afterwards
// keeps the report current one file at a time from workspace/didChangeWatchedFiles.
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DidChangeWatchedFilesNotification, FileChangeType, WatchKind,
  type CancellationToken, type ClientCapabilities, type Connection, type FileEvent, type InitializeParams,
  type ProgressToken, type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { C_CPP_EXTENSIONS, CONFIG_FILE_NAME, RULES, type Config, type Engine } from '../engine';
import { discoverFiles, isSourceFile, wouldDiscover, type SkippedFile } from '../engine/files';
import { renderReport, REPORT_FORMATS } from '../engine/report/export';
import { buildReport } from '../engine/report/model';
import { version as toolVersion } from '../../../package.json';
import { analyzeFile, type FileResult } from '../workspace/analyze-file';
import { configKey, ScanCache } from '../workspace/cache';
import { defaultWorkerCount, ScanPool } from '../workspace/pool';
import {
  RenderReportRequest, WorkspaceReportChangedNotification, WorkspaceReportRequest,
  type RenderReportParams, type WorkspaceReportParams, type WorkspaceReportResult, type WorkspaceScanStats,
} from '../protocol';
import { InvalidParams, type Guard } from './guard';
import { filePath, type Settings } from './settings';

/** What the client may pass in initializationOptions for the scan. */
interface ScanInitOptions {
  /** The extension's storage folder (context.storageUri or globalStorageUri), for the cache. */
  storagePath?: string;
  /** Worker threads for a scan (default: one per core minus one, at least one). */
  scanWorkers?: number;
  /** Up to this many files to analyze are done by the server's own engine, not workers (default IN_PROCESS_MAX_FILES). */
  inProcessMaxFiles?: number;
}

export interface WorkspaceScanHost {
  connection: Connection;
  guard: Guard;
  engine: Engine;
  settings: Settings;
  params: InitializeParams;
  extensionRoot: string;
  /** The folder of the server bundle, which holds dist/scan-worker.js. */
  runtimeDir: string;
  log(message: string): void;
}

/** Progress notifications no closer together than this (the last one always goes). */
const PROGRESS_INTERVAL_MS = 100;
/** After single-file updates the cache is written once things are quiet, and at shutdown. */
const SAVE_DELAY_MS = 2000;

interface FolderState {
  uri: string;
  fsPath: string;
  config: Config;
  exclude: string[];
  cache: ScanCache;
  files: Map<string, FileResult>;
  skipped: Map<string, SkippedFile>;
}

export class WorkspaceScan {
  private readonly storageDir: string;
  private readonly workers: number;
  private readonly inProcessMaxFiles: number | undefined;
  private readonly pool: ScanPool;
  private readonly capabilities: ClientCapabilities;
  private folders: FolderState[] = [];
  private result: WorkspaceReportResult | undefined;
  /** What `result.report` was built from. */
  private reported: { root: string | undefined; files: FileResult[]; skipped: SkippedFile[] } | undefined;
  private version = 0;
  /** Scans and file updates run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private runningScan: Promise<WorkspaceReportResult> | undefined;
  private watching = false;
  /** Each folder's cache stays in memory between scans while its rule configuration is the same. */
  private readonly caches = new Map<string, { key: string; cache: ScanCache }>();
  private readonly unsaved = new Set<ScanCache>();
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(private readonly host: WorkspaceScanHost) {
    const options = (host.params.initializationOptions ?? {}) as ScanInitOptions;
    this.storageDir = typeof options.storagePath === 'string' && options.storagePath
      ? options.storagePath
      : path.join(os.tmpdir(), 'rust-readiness-cache');
    this.workers = Number.isInteger(options.scanWorkers) && options.scanWorkers! >= 1 ? options.scanWorkers! : defaultWorkerCount();
    this.inProcessMaxFiles = Number.isInteger(options.inProcessMaxFiles) && options.inProcessMaxFiles! >= 0 ? options.inProcessMaxFiles : undefined;
    this.pool = new ScanPool(path.join(host.runtimeDir, 'scan-worker.js'), {
      grammarDir: path.join(host.extensionRoot, 'grammars'),
      runtimeDir: host.runtimeDir,
    });
    this.capabilities = host.params.capabilities ?? {};
    host.connection.onRequest(WorkspaceReportRequest, host.guard.request('workspaceReport',
      (p: WorkspaceReportParams | undefined, token: CancellationToken) => this.report(p, token)));
    host.connection.onRequest(RenderReportRequest, host.guard.request('renderReport', (p: RenderReportParams | undefined) => this.render(p)));
  }

  async report(params: WorkspaceReportParams | undefined, token?: CancellationToken): Promise<WorkspaceReportResult> {
    if (!params?.rescan && this.result) {
      await this.queue; // pending file updates first
      return this.result;
    }
    return this.scan(token, params?.workDoneToken);
  }

  private async render(params: RenderReportParams | undefined): Promise<{ text: string }> {
    const format = params?.format;
    if (!REPORT_FORMATS.includes(format!)) throw new InvalidParams(`format must be one of ${REPORT_FORMATS.join(', ')}`);
    const { report, skipped } = await this.report({});
    return { text: renderReport(format!, { report, skipped }, { toolVersion, rules: RULES.map((r) => r.meta) }) };
  }

  /** Settings changed: the rule configuration or excludes may have; a scanned workspace is scanned again (mostly from the cache). */
  configurationChanged(): void {
    if (this.result) void this.scan().catch((e) => this.host.log(`workspace rescan failed: ${(e as Error).stack ?? e}`));
  }

  /** workspace/didChangeWatchedFiles: updates just the files that changed. */
  async filesChanged(changes: readonly FileEvent[] | undefined): Promise<void> {
    if (!this.result || !Array.isArray(changes)) return;
    const names = changes.map((c) => filePath(String(c?.uri))).filter((p): p is string => !!p).map((p) => path.basename(p));
    if (names.includes('.gitignore') || names.includes(CONFIG_FILE_NAME)) {
      await this.scan(); // what is excluded, or how files are analyzed, may have changed everywhere
      return;
    }
    await this.exclusive(() => this.update(changes));
  }

  /** A full scan; a request arriving while one runs shares it. */
  private scan(token?: CancellationToken, workDoneToken?: ProgressToken): Promise<WorkspaceReportResult> {
    if (!this.runningScan) {
      this.runningScan = this.exclusive(() => this.scanNow(token, workDoneToken)).finally(() => (this.runningScan = undefined));
    }
    return this.runningScan;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async scanNow(token?: CancellationToken, workDoneToken?: ProgressToken): Promise<WorkspaceReportResult> {
    const started = performance.now();
    await this.watchSources();
    // The client's token when it sent one (it cancels the request to stop); else our own, which it cancels by token.
    const window = this.host.connection.window;
    const own = workDoneToken === undefined ? await window.createWorkDoneProgress() : undefined;
    const progress: WorkDoneProgressReporter = own ?? window.attachWorkDoneProgress(workDoneToken);
    progress.begin('Rust Readiness: scanning the workspace', 0, 'finding C/C++ files', true);
    const cancelled = () => !!token?.isCancellationRequested || !!own?.token.isCancellationRequested;
    try {
      const found = [];
      for (const uri of this.host.settings.folderUris) {
        const fsPath = filePath(uri);
        if (fsPath) found.push(await this.discover(uri, fsPath));
      }
      const discovered = performance.now();
      const total = found.reduce((n, f) => n + f.paths.length, 0);
      const report = throttled(progress, total);
      const stats: WorkspaceScanStats = { kind: 'scan', fromCache: 0, analyzed: 0, workers: 0, durationMs: 0, cancelled: false };
      const folders: FolderState[] = [];
      let offset = 0;
      for (const { state, paths, skipped } of found) {
        const r = await this.pool.scan(paths, {
          config: state.config, cache: state.cache, workers: this.workers, isCancelled: cancelled,
          engine: this.host.engine, inProcessMaxFiles: this.inProcessMaxFiles,
          onProgress: (done) => report(offset + done), deferSave: true,
        });
        this.saveLater(state.cache, 0); // right after the answer: the client need not wait for 10 MB of JSON to be written
        offset += paths.length;
        for (const f of r.files) state.files.set(f.path, f);
        for (const s of [...skipped, ...r.skipped]) state.skipped.set(s.path, s);
        stats.fromCache += r.fromCache;
        stats.analyzed += r.analyzed;
        stats.cancelled ||= r.cancelled;
        stats.workers = Math.max(stats.workers, r.workers);
        folders.push(state);
        if (r.cancelled) break;
      }
      this.folders = folders;
      const analyzed = performance.now();
      const result = this.publish(stats);
      stats.durationMs = Math.round(performance.now() - started);
      const ms = (from: number, to: number) => Math.round(to - from);
      this.host.log(`workspace scan: ${total} files, ${stats.analyzed} analyzed, ${stats.fromCache} from the cache, ` +
        `${stats.workers} workers, ${stats.durationMs} ms (discovery ${ms(started, discovered)}, analysis ${ms(discovered, analyzed)}, ` +
        `report ${ms(analyzed, performance.now())})${stats.cancelled ? ' (cancelled)' : ''}`);
      return result;
    } finally {
      progress.done();
    }
  }

  private async discover(uri: string, fsPath: string): Promise<{ state: FolderState; paths: string[]; skipped: SkippedFile[] }> {
    const { config } = await this.host.settings.resolve(uri);
    const exclude = [...config.exclude, ...await this.filesExclude(uri)];
    const discovery = await discoverFiles([fsPath], { exclude, base: fsPath });
    const cache = this.cacheFor(fsPath, config);
    const state: FolderState = { uri, fsPath, config, exclude, cache, files: new Map(), skipped: new Map() };
    return { state, paths: discovery.files, skipped: discovery.skipped };
  }

  private cacheFor(fsPath: string, config: Config): ScanCache {
    const key = configKey(config);
    const known = this.caches.get(fsPath);
    if (known?.key === key) return known.cache;
    const cache = ScanCache.load(this.storageDir, fsPath, config);
    this.caches.set(fsPath, { key, cache });
    return cache;
  }

  private saveLater(cache: ScanCache, delayMs = SAVE_DELAY_MS): void {
    this.unsaved.add(cache);
    if (this.saveTimer && delayMs >= SAVE_DELAY_MS) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.saveNow(), delayMs);
  }

  /** Writes the caches changed by scans and file updates (also at shutdown). */
  saveNow(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    for (const cache of this.unsaved) if (!cache.save()) this.host.log('could not write the workspace scan cache');
    this.unsaved.clear();
  }

  /** The enabled globs of VS Code's `files.exclude` for the folder, braces expanded for gitignore syntax. */
  private async filesExclude(uri: string): Promise<string[]> {
    if (!this.capabilities.workspace?.configuration) return [];
    let files: unknown;
    try {
      files = await this.host.connection.workspace.getConfiguration({ scopeUri: uri, section: 'files' });
    } catch {
      return [];
    }
    const exclude = (files as { exclude?: unknown } | null | undefined)?.exclude;
    if (!exclude || typeof exclude !== 'object') return [];
    return Object.entries(exclude as Record<string, unknown>).filter(([, on]) => on === true).flatMap(([glob]) => expandBraces(glob));
  }

  private async update(changes: readonly FileEvent[]): Promise<void> {
    const started = performance.now();
    const touched = new Set<FolderState>();
    let analyzed = 0;
    for (const change of changes) {
      const file = filePath(String(change?.uri));
      const folder = file && this.folderOf(file);
      if (!file || !folder) continue;
      if (change.type === FileChangeType.Deleted) {
        if (forget(folder, file)) touched.add(folder);
      } else if (isSourceFile(path.basename(file))) {
        if (await wouldDiscover(file, folder.fsPath, { exclude: folder.exclude, base: folder.fsPath })) {
          // One file: the server's own engine is faster than starting a worker.
          const outcome = analyzeFile(this.host.engine, file, folder.config);
          forget(folder, file);
          if ('ok' in outcome) {
            folder.files.set(file, outcome.ok);
            folder.cache.set(outcome.ok);
            analyzed++;
          } else {
            folder.skipped.set(file, outcome.skip);
          }
          touched.add(folder);
        } else if (forget(folder, file)) {
          touched.add(folder);
        }
      }
    }
    if (touched.size === 0) return;
    for (const f of touched) this.saveLater(f.cache);
    this.publish({ kind: 'update', fromCache: 0, analyzed, workers: 0, durationMs: Math.round(performance.now() - started), cancelled: false });
  }

  private folderOf(file: string): FolderState | undefined {
    let best: FolderState | undefined;
    for (const f of this.folders) {
      const rel = path.relative(f.fsPath, file);
      if (rel && !rel.startsWith('..') && !path.isAbsolute(rel) && (!best || f.fsPath.length > best.fsPath.length)) best = f;
    }
    return best;
  }

  private publish(stats: WorkspaceScanStats): WorkspaceReportResult {
    const { files, skipped } = this.collect();
    const root = this.folders.length === 1 ? this.folders[0].fsPath : undefined;
    // A rescan that changed nothing keeps the report: the cache hands back the same result objects.
    const same = this.result && this.reported && this.reported.root === root &&
      sameItems(this.reported.files, files, (a, b) => a === b) && sameItems(this.reported.skipped, skipped, sameSkip);
    const report = same ? this.result!.report : buildReport(files, RULES.map((r) => r.meta), { root });
    this.reported = { root, files, skipped };
    this.result = { version: ++this.version, report, skipped, stats };
    void this.host.connection.sendNotification(WorkspaceReportChangedNotification, { version: this.version });
    return this.result;
  }

  /** Every folder's results (once each: a folder nested in another holds files the outer one has too) and skips, sorted by path. */
  private collect(): { files: FileResult[]; skipped: SkippedFile[] } {
    const seen = new Set<string>();
    const files: FileResult[] = [];
    const skipped: SkippedFile[] = [];
    for (const folder of this.folders) {
      // A folder nested in another workspace folder holds files the outer one has too.
      for (const f of folder.files.values()) {
        if (seen.has(f.path)) continue;
        seen.add(f.path);
        files.push(f);
      }
      skipped.push(...folder.skipped.values());
    }
    skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files, skipped };
  }

  /** Asks the client to send changes of C/C++ files and .gitignore files, and deletions (a deleted folder comes as one event). */
  private async watchSources(): Promise<void> {
    if (this.watching || !this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
    this.watching = true;
    const extensions = C_CPP_EXTENSIONS.map((e) => e.slice(1)).join(',');
    try {
      await this.host.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: `**/*.{${extensions}}` },
          { globPattern: '**/.gitignore' },
          { globPattern: '**/*', kind: WatchKind.Delete },
        ],
      });
    } catch (e) {
      this.host.log(`could not watch the workspace's C/C++ files: ${(e as Error).message}`);
    }
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]));
}

function sameSkip(a: SkippedFile, b: SkippedFile): boolean {
  return a.path === b.path && a.reason === b.reason && a.detail === b.detail;
}

/** Removes a file, or every file below a deleted folder; true when something was removed. */
function forget(folder: FolderState, file: string): boolean {
  let removed = false;
  const below = file + path.sep;
  for (const map of [folder.files, folder.skipped] as Array<Map<string, unknown>>) {
    for (const p of [...map.keys()]) {
      if (p === file || p.startsWith(below)) {
        map.delete(p);
        folder.cache.delete(p);
        removed = true;
      }
    }
  }
  return removed;
}

/** A progress reporter that sends "n/total files" at most every PROGRESS_INTERVAL_MS, and always the last one. */
function throttled(progress: WorkDoneProgressReporter, total: number): (done: number) => void {
  let last = 0;
  return (done) => {
    const now = performance.now();
    if (done < total && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    progress.report(total === 0 ? 100 : Math.floor((done * 100) / total), `${done}/${total} files`);
  };
}

/** `**\/*.{o,a}` → `**\/*.o`, `**\/*.a`: VS Code globs allow braces, gitignore patterns do not. */
export function expandBraces(glob: string): string[] {
  const m = /\{([^{}]*)\}/.exec(glob);
  if (!m) return [glob];
  const head = glob.slice(0, m.index);
  const tail = glob.slice(m.index + m[0].length);
  return m[1].split(',').flatMap((alt) => expandBraces(head + alt + tail));
}

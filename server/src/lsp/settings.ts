// The configuration of one document, in layers: defaults < .rust-readiness.json
// at the root of its workspace folder < VS Code settings (rustReadiness.*).
// Settings are pulled per resource and cached (as lsp-sample does); a settings
// change drops the cache. A malformed config file is reported once and ignored.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { CONFIG_FILE_NAME, ConfigError, mergeConfig, parseConfigFile, validateConfig, type Config } from '../engine';

export interface SettingsHost {
  /** workspace/configuration for `rustReadiness`, or undefined when the client cannot be asked. */
  pull(uri: string): Promise<unknown>;
  log(message: string): void;
  showError(message: string): void;
}

export interface ResolvedConfig {
  config: Config;
  /** Identifies the configuration, so an unchanged document under an unchanged config is not re-analyzed. */
  key: string;
  /** The document matches an exclude glob of its workspace folder. */
  excluded: boolean;
}

interface Folder {
  uri: string;
  fsPath: string;
}

const SETTING_KEYS = ['enable', 'rules', 'exclude', 'maxFileSize', 'analysisTimeBudgetMs'] as const;

export class Settings {
  private folders: Folder[] = [];
  private readonly fileLayers = new Map<string, Partial<Config> | undefined>();
  /** Last error shown per config file, so one problem gives one message. */
  private readonly fileErrors = new Map<string, string>();
  private readonly settingsCache = new Map<string, Promise<Partial<Config>>>();
  private readonly warned = new Set<string>();
  private readonly matchers = new Map<string, (p: string) => boolean>();
  /** Settings pushed with didChangeConfiguration, for clients that cannot be pulled from. */
  private pushed: unknown;

  constructor(private readonly host: SettingsHost, private readonly knownRules: ReadonlySet<string>) {}

  setFolders(uris: readonly string[]): void {
    this.folders = uris.flatMap((uri) => {
      const fsPath = filePath(uri);
      return fsPath ? [{ uri, fsPath }] : [];
    });
    for (const key of [...this.fileLayers.keys()]) if (!this.folders.some((f) => f.uri === key)) this.fileLayers.delete(key);
  }

  get folderUris(): string[] {
    return this.folders.map((f) => f.uri);
  }

  /** Drops cached settings (after didChangeConfiguration). */
  settingsChanged(pushed?: unknown): void {
    this.settingsCache.clear();
    if (pushed !== undefined) this.pushed = pushed;
  }

  /** Forgets the cached settings of a closed document. */
  forget(uri: string): void {
    this.settingsCache.delete(uri);
  }

  async loadConfigFiles(): Promise<void> {
    await Promise.all(this.folders.map((f) => this.loadConfigFile(f)));
  }

  /** Reloads the config files among `uris` (from didChangeWatchedFiles); true when one was a root config. */
  async configFilesChanged(uris: readonly string[]): Promise<boolean> {
    const changed = this.folders.filter((f) => uris.some((u) => filePath(u) === path.join(f.fsPath, CONFIG_FILE_NAME)));
    await Promise.all(changed.map((f) => this.loadConfigFile(f)));
    return changed.length > 0;
  }

  async resolve(uri: string): Promise<ResolvedConfig> {
    const folder = this.folderOf(uri);
    const config = mergeConfig(folder && this.fileLayers.get(folder.uri), await this.settingsFor(uri));
    const docPath = filePath(uri);
    const excluded = !!folder && !!docPath && config.exclude.length > 0 && this.isExcluded(path.relative(folder.fsPath, docPath), config.exclude);
    return { config, excluded, key: JSON.stringify(config) };
  }

  private async loadConfigFile(folder: Folder): Promise<void> {
    const file = path.join(folder.fsPath, CONFIG_FILE_NAME);
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch (e) {
      this.fileLayers.delete(folder.uri);
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') this.fileErrors.delete(file);
      else this.reportFileError(file, `${file}: cannot be read: ${(e as Error).message}`);
      return;
    }
    try {
      this.fileLayers.set(folder.uri, parseConfigFile(text, file, this.knownRules));
      this.fileErrors.delete(file);
    } catch (e) {
      this.fileLayers.delete(folder.uri);
      this.reportFileError(file, e instanceof ConfigError ? e.message : `${file}: ${(e as Error).message}`);
    }
  }

  private reportFileError(file: string, problem: string): void {
    if (this.fileErrors.get(file) === problem) return;
    this.fileErrors.set(file, problem);
    this.host.showError(`Rust Readiness: ${problem}. Using the default configuration instead.`);
    this.host.log(`config error: ${problem}`);
  }

  private settingsFor(uri: string): Promise<Partial<Config>> {
    let settings = this.settingsCache.get(uri);
    if (!settings) {
      settings = this.host.pull(uri).then(
        (raw) => this.sanitize(raw ?? this.pushed),
        (e) => {
          this.warnOnce(`could not read the rustReadiness settings: ${(e as Error).message}`);
          return {};
        },
      );
      this.settingsCache.set(uri, settings);
    }
    return settings;
  }

  /** Keeps every valid setting; an invalid one is logged once and ignored rather than failing the lot. */
  private sanitize(raw: unknown): Partial<Config> {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
    const out: Partial<Config> = {};
    const settings = raw as Record<string, unknown>;
    for (const key of SETTING_KEYS) {
      const value = settings[key];
      if (value === undefined || value === null) continue;
      if (key === 'rules' && typeof value === 'object' && !Array.isArray(value)) {
        out.rules = {};
        for (const [id, severity] of Object.entries(value as Record<string, unknown>)) {
          Object.assign(out.rules, this.tryValidate({ rules: { [id]: severity } }).rules);
        }
      } else Object.assign(out, this.tryValidate({ [key]: value }));
    }
    return out;
  }

  private tryValidate(raw: Record<string, unknown>): Partial<Config> {
    try {
      return validateConfig(raw, this.knownRules);
    } catch (e) {
      this.warnOnce(`ignoring setting rustReadiness: ${(e as Error).message}`);
      return {};
    }
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.host.log(message);
  }

  private folderOf(uri: string): Folder | undefined {
    const docPath = filePath(uri);
    if (!docPath) return undefined;
    let best: Folder | undefined;
    for (const f of this.folders) {
      const rel = path.relative(f.fsPath, docPath);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (!best || f.fsPath.length > best.fsPath.length) best = f;
    }
    return best;
  }

  /**
   * gitignore-like matching with picomatch: a pattern without a slash matches a
   * file or folder name anywhere, and excluding a folder excludes what is under it.
   */
  private isExcluded(relativePath: string, globs: readonly string[]): boolean {
    const key = JSON.stringify(globs);
    let match = this.matchers.get(key);
    if (!match) {
      match = picomatch(globs.map((g) => g.replace(/\/+$/, '')), { dot: true, basename: true });
      this.matchers.set(key, match);
    }
    const parts = relativePath.split(path.sep);
    for (let i = parts.length; i > 0; i--) if (match(parts.slice(0, i).join('/'))) return true;
    return false;
  }
}

/** The file system path of a file: URI; undefined for untitled and other schemes. */
export function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

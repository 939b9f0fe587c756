// File discovery, shared by the CLI and the workspace scan. It walks folders for
// C/C++ sources, skips build output and vendored code by default, honours exclude
// globs and .gitignore files (gitignore semantics, via the `ignore` package),
// follows symlinks but never into a loop or twice into the same place (it tracks
// real paths), and reports every source file it skips with the reason.
// Plain Node I/O: no editor types, never throws for a path met during the walk.
import * as fs from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { decodeSource } from './input';
import { C_CPP_EXTENSIONS } from './preprocess';

export type SkipReason =
  | 'unreadable' // permission denied, or a broken symlink
  | 'vanished' // deleted between the listing and the read
  | 'too-large'
  | 'binary'
  | 'invalid-utf8'
  | 'not-a-file' // a device, a FIFO or a socket with a C/C++ name
  | 'not-c-cpp' // named explicitly, but without a C/C++ extension
  | 'symlink-loop'
  | 'duplicate' // the same real file or folder, reached again through a symlink
  | 'io-error'
  | 'analysis-error'; // the engine failed on it (a bug: please report it)

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  detail: string;
}

/** Folder names skipped by default: dependencies, VCS data, build output, vendored code. */
export const DEFAULT_SKIPPED_DIRS: readonly string[] = ['node_modules', '.git', 'build', 'out', 'dist', 'third_party'];
const DEFAULT_SKIPPED_DIR_PREFIXES: readonly string[] = ['cmake-build-', 'bazel-'];

export interface DiscoverOptions {
  /** Gitignore-style globs, matched against paths relative to `base`. */
  exclude?: readonly string[];
  /** The folder exclude globs are relative to (the workspace root; the CLI's cwd). */
  base?: string;
  /** Skip DEFAULT_SKIPPED_DIRS and cmake-build-*, bazel-* folders (default true). */
  defaultSkips?: boolean;
  /** Honour .gitignore files in the walked folders and their ancestors up to the repository root (default true). */
  gitignore?: boolean;
}

export interface Discovery {
  /** Absolute paths (not resolved through symlinks), sorted per folder. */
  files: string[];
  skipped: SkippedFile[];
}

export function isSourceFile(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && C_CPP_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}

export function isDefaultSkippedDir(name: string): boolean {
  return DEFAULT_SKIPPED_DIRS.includes(name) || DEFAULT_SKIPPED_DIR_PREFIXES.some((p) => name.startsWith(p));
}

interface IgnoreLayer {
  dir: string;
  rules: Ignore;
}

/**
 * Collects the C/C++ files under `roots` (files or folders). Ignore rules and
 * default skips apply to what the walk meets; a file named explicitly is only
 * subject to the exclude globs. A root that does not exist is reported as skipped
 * ('vanished'); callers that want a usage error check the roots first.
 */
export async function discoverFiles(roots: readonly string[], options: DiscoverOptions = {}): Promise<Discovery> {
  const walker = new Walker(options);
  for (const root of roots) await walker.root(path.resolve(root));
  return { files: walker.files, skipped: walker.skipped };
}

/**
 * Whether a walk of `root` would list `file`: the default skips, exclude globs and
 * .gitignore files on the way down all let it through. For one file created or
 * changed after a scan, without walking the whole root again. (Symlinked
 * folders on the way are not resolved: the path is judged as written.)
 */
export async function wouldDiscover(file: string, root: string, options: DiscoverOptions = {}): Promise<boolean> {
  const full = path.resolve(file);
  const top = path.resolve(root);
  const rel = path.relative(top, full);
  if (!rel || isOutside(rel) || !isSourceFile(path.basename(full))) return false;
  return new Walker(options).accepts(full, top);
}

/** A symlink met during the walk, followed only after the walk of its root (see Walker.root). */
interface Deferred {
  link: string;
  name: string;
  root: string;
  layers: readonly IgnoreLayer[];
  /** Real path of the folder holding the link, to recognise a link to one of its ancestors. */
  parentReal: string;
}

class Walker {
  readonly files: string[] = [];
  readonly skipped: SkippedFile[] = [];
  private readonly base: string;
  private readonly exclude: Ignore;
  private readonly defaultSkips: boolean;
  private readonly gitignore: boolean;
  /** Real paths of folders and files already taken, so a symlink never brings them twice. */
  private readonly seenDirs = new Set<string>();
  private readonly seenFiles = new Set<string>();
  private readonly deferred: Deferred[] = [];

  constructor(options: DiscoverOptions) {
    this.base = path.resolve(options.base ?? process.cwd());
    this.exclude = ignore().add([...(options.exclude ?? [])]);
    this.defaultSkips = options.defaultSkips ?? true;
    this.gitignore = options.gitignore ?? true;
  }

  async root(root: string): Promise<void> {
    const stat = await this.stat(root);
    if (!stat) return;
    if (stat.isDirectory()) {
      const layers = this.gitignore ? await ancestorIgnoreLayers(root) : [];
      await this.dir(root, root, layers);
      // Symlinks come last, so that a file reachable both directly and through a
      // link is listed under its own path (which is also the one `fix` may write).
      for (let d = this.deferred.shift(); d; d = this.deferred.shift()) await this.link(d);
    } else if (!isSourceFile(path.basename(root))) {
      this.skip(root, 'not-c-cpp', `does not end in ${C_CPP_EXTENSIONS.join(' ')}`);
    } else if (!this.isExcluded(root, root, false)) {
      await this.file(root, stat, () => fs.realpath(root));
    }
  }

  /** The checks the walk makes on its way from `root` down to `file` (see wouldDiscover). */
  async accepts(file: string, root: string): Promise<boolean> {
    const useIgnore = this.gitignore;
    let layers: readonly IgnoreLayer[] = useIgnore ? await withIgnoreFile(await ancestorIgnoreLayers(root), root) : [];
    let dir = root;
    for (const name of path.relative(root, path.dirname(file)).split(path.sep).filter(Boolean)) {
      dir = path.join(dir, name);
      if (!this.wantsDir(dir, name, root, layers)) return false;
      if (useIgnore) layers = await withIgnoreFile(layers, dir);
    }
    return this.wantsFile(file, root, layers);
  }

  private async dir(dir: string, root: string, layers: readonly IgnoreLayer[]): Promise<void> {
    let real: string;
    let entries: Dirent[];
    try {
      real = await fs.realpath(dir);
      if (this.seenDirs.has(real)) return this.skip(dir, 'duplicate', `is ${real}, already scanned`);
      this.seenDirs.add(real);
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      return this.skipError(dir, e);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const inner = this.gitignore ? await withIgnoreFile(layers, dir) : layers;
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        this.deferred.push({ link: full, name: entry.name, root, layers: inner, parentReal: real });
      } else if (entry.isDirectory()) {
        if (this.wantsDir(full, entry.name, root, inner)) await this.dir(full, root, inner);
      } else if (isSourceFile(entry.name) && this.wantsFile(full, root, inner)) {
        // A plain entry's real path is its folder's real path plus its name: no syscall needed.
        await this.file(full, entry, async () => path.join(real, entry.name));
      }
    }
  }

  private async link(d: Deferred): Promise<void> {
    const stat = await this.stat(d.link, isSourceFile(d.name)); // a broken link matters only with a C/C++ name
    if (!stat) return;
    if (stat.isDirectory()) {
      if (!this.wantsDir(d.link, d.name, d.root, d.layers)) return;
      let target: string;
      try {
        target = await fs.realpath(d.link);
      } catch (e) {
        return this.skipError(d.link, e);
      }
      if (d.parentReal === target || d.parentReal.startsWith(target + path.sep)) {
        return this.skip(d.link, 'symlink-loop', `points to ${target}, which contains the link`);
      }
      await this.dir(d.link, d.root, d.layers);
    } else if (isSourceFile(d.name) && this.wantsFile(d.link, d.root, d.layers)) {
      await this.file(d.link, stat, () => fs.realpath(d.link));
    }
  }

  private wantsDir(full: string, name: string, root: string, layers: readonly IgnoreLayer[]): boolean {
    if (this.defaultSkips && isDefaultSkippedDir(name)) return false;
    return !this.isExcluded(full, root, true) && !isIgnored(layers, full, true);
  }

  private wantsFile(full: string, root: string, layers: readonly IgnoreLayer[]): boolean {
    return !this.isExcluded(full, root, false) && !isIgnored(layers, full, false);
  }

  private async file(file: string, kind: { isFile(): boolean }, realPath: () => Promise<string>): Promise<void> {
    if (!kind.isFile()) return this.skip(file, 'not-a-file', 'is not a regular file');
    let real: string;
    try {
      real = await realPath();
    } catch (e) {
      return this.skipError(file, e);
    }
    if (this.seenFiles.has(real)) return this.skip(file, 'duplicate', `is ${real}, already listed`);
    this.seenFiles.add(real);
    this.files.push(file);
  }

  /** stat() that follows symlinks; failures become skips (reported only for source-file names). */
  private async stat(p: string, report = true): Promise<Stats | undefined> {
    try {
      return await fs.stat(p);
    } catch (e) {
      if (report) this.skipError(p, e);
      return undefined;
    }
  }

  /** Exclude globs are relative to the base folder, or to the scan root for paths outside it. */
  private isExcluded(full: string, root: string, isDir: boolean): boolean {
    let rel = path.relative(this.base, full);
    if (isOutside(rel)) rel = path.relative(root, full) || path.basename(full);
    return rel !== '' && this.exclude.ignores(toPosix(rel) + (isDir ? '/' : ''));
  }

  private skip(p: string, reason: SkipReason, detail: string): void {
    this.skipped.push({ path: p, reason, detail });
  }

  private skipError(p: string, e: unknown): void {
    const { reason, detail } = describeIoError(e);
    this.skip(p, reason, detail);
  }
}

/** Maps a Node I/O error to a skip reason and a short, stack-free detail. */
export function describeIoError(e: unknown): { reason: SkipReason; detail: string } {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return { reason: 'unreadable', detail: 'permission denied' };
    case 'ENOENT':
      return { reason: 'vanished', detail: 'no longer exists (deleted during the scan, or a broken symlink)' };
    case 'ELOOP':
      return { reason: 'symlink-loop', detail: 'too many levels of symbolic links' };
    default:
      return { reason: 'io-error', detail: err.code ? `${err.code}: ${err.message}` : String(err.message ?? e) };
  }
}

/** A path.relative() result that climbs out of its base. */
function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel);
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

/** Gitignore semantics across nested files: the deepest file with a matching rule decides. */
function isIgnored(layers: readonly IgnoreLayer[], full: string, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const rel = path.relative(layers[i].dir, full);
    if (!rel || isOutside(rel)) continue;
    const result = layers[i].rules.test(toPosix(rel) + (isDir ? '/' : ''));
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

async function withIgnoreFile(layers: readonly IgnoreLayer[], dir: string): Promise<readonly IgnoreLayer[]> {
  const rules = await readIgnoreFile(dir);
  return rules ? [...layers, { dir, rules }] : layers;
}

async function readIgnoreFile(dir: string): Promise<Ignore | undefined> {
  try {
    return ignore().add(await fs.readFile(path.join(dir, '.gitignore'), 'utf8'));
  } catch {
    return undefined; // none, or unreadable: no rules from it
  }
}

/** The .gitignore files above `root`, up to the folder holding .git (none when not in a repository). */
async function ancestorIgnoreLayers(root: string): Promise<IgnoreLayer[]> {
  if (await exists(path.join(root, '.git'))) return [];
  const dirs: string[] = [];
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    dirs.unshift(dir);
    if (await exists(path.join(dir, '.git'))) break;
    if (path.dirname(dir) === dir) return [];
  }
  const layers: IgnoreLayer[] = [];
  for (const dir of dirs) {
    const rules = await readIgnoreFile(dir);
    if (rules) layers.push({ dir, rules });
  }
  return layers;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

export interface SourceText {
  path: string;
  text: string;
  /** The bytes as read: `fix` compares them again before it writes. */
  bytes: Buffer;
  /** The file started with a UTF-8 BOM (the decoded text does not hold it). */
  bom: boolean;
}

/**
 * Reads a file for analysis. Never throws: I/O failures and content that is not
 * C/C++ text (too large, binary, invalid UTF-8) come back as a SkippedFile.
 */
export async function readSource(file: string, maxFileSize: number): Promise<SourceText | SkippedFile> {
  let bytes: Buffer;
  try {
    const handle = await fs.open(file, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) return { path: file, reason: 'not-a-file', detail: 'is not a regular file' };
      // Check the size before reading, so a huge file is never loaded.
      if (stat.size > maxFileSize) return { path: file, reason: 'too-large', detail: `${stat.size} bytes is over the ${maxFileSize}-byte limit` };
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (e) {
    return { path: file, ...describeIoError(e) };
  }
  const decoded = decodeSource(bytes, maxFileSize);
  if ('reason' in decoded) return { path: file, reason: decoded.reason, detail: decoded.detail };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { path: file, text: decoded.text, bytes, bom };
}

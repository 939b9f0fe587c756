// The scan cache: one JSON file per workspace root under the extension's storage
// folder. An entry is reused when path, size and mtime match (nothing is read
// but the cache), or when only mtime moved and the content hash still matches.
// Files skipped for their content (binary, invalid UTF-8, too large) are
// remembered too, so an unchanged workspace never needs the engine. The whole
// cache is dropped when the engine version or the rule configuration changes,
// since both change findings.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENGINE_VERSION, type Config } from '../engine';
import type { SkippedFile } from '../engine/files';
import type { FileResult } from './analyze-file';

/** Bumped when FileResult changes shape, so an older cache is dropped rather than misread. */
const CACHE_FORMAT = 2;

/** Skips that depend on the content alone; an I/O error or a crashed worker is tried again. */
const CACHED_SKIPS: ReadonlySet<string> = new Set(['binary', 'invalid-utf8', 'too-large']);

interface FileStamp {
  size: number;
  mtimeMs: number;
}

interface CachedSkip extends FileStamp {
  skip: SkippedFile;
}

interface CacheFile {
  format: number;
  engineVersion: string;
  configKey: string;
  entries: Record<string, FileResult>;
  skips: Record<string, CachedSkip>;
}

export function configKey(config: Config): string {
  const rules = Object.keys(config.rules).sort().map((k) => [k, config.rules[k]]);
  return createHash('sha1').update(JSON.stringify([config.enable, rules, config.maxFileSize])).digest('hex');
}

export class ScanCache {
  private entries = new Map<string, FileResult>();
  private skips = new Map<string, CachedSkip>();
  private dirty = false;

  private constructor(private readonly file: string, private readonly key: string) {}

  /** Loads the cache for `root`; a missing, corrupt or outdated file gives an empty cache. */
  static load(storageDir: string, root: string, config: Config): ScanCache {
    const name = `scan-${createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 16)}.json`;
    const cache = new ScanCache(path.join(storageDir, name), configKey(config));
    try {
      const data = JSON.parse(fs.readFileSync(cache.file, 'utf8')) as CacheFile;
      if (data.format === CACHE_FORMAT && data.engineVersion === ENGINE_VERSION && data.configKey === cache.key) {
        for (const [p, r] of Object.entries(data.entries)) cache.entries.set(p, r);
        for (const [p, s] of Object.entries(data.skips)) cache.skips.set(p, s);
      }
    } catch {
      // no cache yet, or unreadable: start empty
    }
    return cache;
  }

  /** The cached result if size and mtime still match the file on disk. */
  fresh(filePath: string, stat: FileStamp): FileResult | undefined {
    const e = this.entries.get(filePath);
    return e && sameStamp(e, stat) ? e : undefined;
  }

  /** The cached skip if size and mtime still match the file on disk. */
  freshSkip(filePath: string, stat: FileStamp): SkippedFile | undefined {
    const s = this.skips.get(filePath);
    return s && sameStamp(s, stat) ? s.skip : undefined;
  }

  /** The content hash of the cached entry, to recognise a file whose mtime moved but whose bytes did not. */
  hashOf(filePath: string): string | undefined {
    return this.entries.get(filePath)?.hash;
  }

  entryOf(filePath: string): FileResult | undefined {
    return this.entries.get(filePath);
  }

  set(result: FileResult): void {
    this.skips.delete(result.path);
    this.entries.set(result.path, result);
    this.dirty = true;
  }

  /** Remembers a skip when it depends on the content alone; forgets the file otherwise. */
  setSkip(skip: SkippedFile, stat: FileStamp | undefined): void {
    this.delete(skip.path);
    if (!stat || !CACHED_SKIPS.has(skip.reason)) return;
    this.skips.set(skip.path, { size: stat.size, mtimeMs: stat.mtimeMs, skip });
    this.dirty = true;
  }

  delete(filePath: string): void {
    const had = this.entries.delete(filePath);
    if (this.skips.delete(filePath) || had) this.dirty = true;
  }

  /** Drops entries for files no longer in the scanned set. */
  retain(paths: ReadonlySet<string>): void {
    for (const p of [...this.entries.keys(), ...this.skips.keys()]) if (!paths.has(p)) this.delete(p);
  }

  /** Writes the cache if it changed. Never throws: a cache that cannot be written only costs time later. */
  save(): boolean {
    if (!this.dirty) return true;
    const data: CacheFile = {
      format: CACHE_FORMAT, engineVersion: ENGINE_VERSION, configKey: this.key,
      entries: Object.fromEntries(this.entries), skips: Object.fromEntries(this.skips),
    };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(data));
      fs.renameSync(tmp, this.file);
      this.dirty = false;
      return true;
    } catch {
      fs.rmSync(tmp, { force: true });
      return false;
    }
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

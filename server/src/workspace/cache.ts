// The scan cache: one JSON file per workspace root under the extension's storage
// folder. An entry is reused when path, size and mtime match (nothing is read
// but the cache), or when only mtime moved and the content hash still matches.
// The whole cache is dropped when the engine version or the rule configuration
// changes, since both change findings.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENGINE_VERSION, type Config } from '../engine';
import type { FileResult } from './analyze-file';

interface CacheFile {
  engineVersion: string;
  configKey: string;
  entries: Record<string, FileResult>;
}

export function configKey(config: Config): string {
  const rules = Object.keys(config.rules).sort().map((k) => [k, config.rules[k]]);
  return createHash('sha1').update(JSON.stringify([config.enable, rules, config.maxFileSize])).digest('hex');
}

export class ScanCache {
  private entries = new Map<string, FileResult>();
  private dirty = false;

  private constructor(private readonly file: string, private readonly key: string) {}

  /** Loads the cache for `root`; a missing, corrupt or outdated file gives an empty cache. */
  static load(storageDir: string, root: string, config: Config): ScanCache {
    const name = `scan-${createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 16)}.json`;
    const cache = new ScanCache(path.join(storageDir, name), configKey(config));
    try {
      const data = JSON.parse(fs.readFileSync(cache.file, 'utf8')) as CacheFile;
      if (data.engineVersion === ENGINE_VERSION && data.configKey === cache.key) {
        for (const [p, r] of Object.entries(data.entries)) cache.entries.set(p, r);
      }
    } catch {
      // no cache yet, or unreadable: start empty
    }
    return cache;
  }

  /** The cached result if size and mtime still match the file on disk. */
  fresh(filePath: string, stat: { size: number; mtimeMs: number }): FileResult | undefined {
    const e = this.entries.get(filePath);
    return e && e.size === stat.size && e.mtimeMs === stat.mtimeMs ? e : undefined;
  }

  /** The content hash of the cached entry, to recognise a file whose mtime moved but whose bytes did not. */
  hashOf(filePath: string): string | undefined {
    return this.entries.get(filePath)?.hash;
  }

  entryOf(filePath: string): FileResult | undefined {
    return this.entries.get(filePath);
  }

  set(result: FileResult): void {
    this.entries.set(result.path, result);
    this.dirty = true;
  }

  delete(filePath: string): void {
    if (this.entries.delete(filePath)) this.dirty = true;
  }

  /** Drops entries for files no longer in the scanned set. */
  retain(paths: ReadonlySet<string>): void {
    for (const p of this.entries.keys()) if (!paths.has(p)) this.delete(p);
  }

  save(): void {
    if (!this.dirty) return;
    const data: CacheFile = { engineVersion: ENGINE_VERSION, configKey: this.key, entries: Object.fromEntries(this.entries) };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data));
    fs.renameSync(tmp, this.file);
    this.dirty = false;
  }
}

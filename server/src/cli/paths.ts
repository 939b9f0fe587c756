// Path helpers shared by scan and fix: the roots must exist (a missing one is a
// usage error, exit 2), and what we print is relative to the working directory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './args';

export function checkRoots(cwd: string, paths: readonly string[]): string[] {
  const roots = paths.length > 0 ? [...paths] : ['.'];
  for (const p of roots) {
    if (!fs.existsSync(path.resolve(cwd, p))) throw new UsageError(`${p}: no such file or directory`);
  }
  return roots.map((p) => path.resolve(cwd, p));
}

/** Relative to `cwd` with '/' separators, as compilers print paths. */
export function displayPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file) || path.basename(file);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

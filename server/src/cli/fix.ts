// `rust-readiness fix`: apply the engine's safe fixes to files on disk, or print
// them as a unified diff with --dry-run. Writes go through writeIfUnchanged
// (atomic, never through a symlink, never over a file that changed meanwhile),
// and only to files whose real path lies inside the paths given.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';
import type { Config } from '../engine/config';
import type { Engine } from '../engine/engine';
import { describeIoError, discoverFiles, readSource } from '../engine/files';
import { applyFixAll } from '../engine/fixes/fix-all';
import { RULES } from '../engine/rules';
import { UsageError, type FixOptions } from './args';
import { loadConfig } from './config';
import { loadEngine } from './engine';
import type { Io } from './main';
import { checkRoots, displayPath } from './paths';
import { writeIfUnchanged } from './write';

interface FixRun {
  engine: Engine;
  config: Config;
  options: FixOptions;
  io: Io;
  realRoots: string[];
  /** Progress lines: stdout when writing, stderr with --dry-run (stdout holds the diff). */
  say(line: string): void;
  fixes: number;
  files: number;
  failures: number;
}

export async function runFix(options: FixOptions, io: Io): Promise<number> {
  const roots = checkRoots(io.cwd, options.paths);
  const ruleIds = new Set(RULES.map((r) => r.meta.id));
  const unknown = options.rules?.filter((id) => !ruleIds.has(id)) ?? [];
  if (unknown.length > 0) throw new UsageError(`--rules names unknown rule${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  const config = loadConfig(io.cwd, options.config, options.exclude, ruleIds);
  const discovery = await discoverFiles(roots, { exclude: config.exclude, base: io.cwd });
  const out = options.dryRun ? io.stderr : io.stdout;
  const run: FixRun = {
    engine: await loadEngine(), config, options, io,
    realRoots: roots.map((r) => fs.realpathSync(r)),
    say: (line) => { if (!options.quiet) out(line + '\n'); },
    fixes: 0, files: 0, failures: 0,
  };
  for (const s of discovery.skipped) run.say(`${displayPath(io.cwd, s.path)}: skipped (${s.reason}): ${s.detail}`);
  for (const file of discovery.files) await fixFile(run, file);
  const verb = options.dryRun ? 'Would apply' : 'Applied';
  run.say(`${verb} ${run.fixes} fix${run.fixes === 1 ? '' : 'es'} in ${run.files} file${run.files === 1 ? '' : 's'}` +
    (run.failures > 0 ? `; ${run.failures} file${run.failures === 1 ? '' : 's'} not written.` : '.'));
  return run.failures > 0 ? 2 : 0;
}

async function fixFile(run: FixRun, file: string): Promise<void> {
  const shown = displayPath(run.io.cwd, file);
  const real = await writableRealPath(run, file, shown);
  if (!real) return;
  const source = await readSource(real, run.config.maxFileSize);
  if ('reason' in source) return run.say(`${shown}: skipped (${source.reason}): ${source.detail}`);
  let fixed;
  try {
    fixed = applyFixAll(run.engine, source.text, file, { rules: run.options.rules, config: run.config });
  } catch (e) {
    run.failures++;
    run.io.stderr(`${shown}: not fixed: ${(e as Error).message}\n`);
    return;
  }
  if (fixed.applied === 0 || fixed.text === source.text) return;
  const count = `${fixed.applied} fix${fixed.applied === 1 ? '' : 'es'}`;
  if (run.options.dryRun) {
    run.io.stdout(createTwoFilesPatch(`a/${shown}`, `b/${shown}`, source.text, fixed.text, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY }));
    run.say(`${shown}: would apply ${count}`);
  } else {
    const bytes = Buffer.from((source.bom ? '\uFEFF' : '') + fixed.text, 'utf8');
    const outcome = await writeIfUnchanged(real, source.bytes, bytes);
    if (outcome.status !== 'written') {
      run.failures++;
      const what = outcome.status === 'changed' ? 'left alone' : 'not written';
      run.io.stderr(`${shown}: ${what}: ${outcome.detail}; no fix applied\n`);
      return;
    }
    run.say(`${shown}: applied ${count}`);
  }
  run.fixes += fixed.applied;
  run.files++;
}

/** The real path to write, or undefined (with a message) for a symlink or a file outside the given paths. */
async function writableRealPath(run: FixRun, file: string, shown: string): Promise<string | undefined> {
  try {
    if ((await fs.promises.lstat(file)).isSymbolicLink()) {
      run.say(`${shown}: left alone: it is a symbolic link, and fix never writes through one`);
      return undefined;
    }
    const real = await fs.promises.realpath(file);
    if (!run.realRoots.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep))) {
      run.say(`${shown}: left alone: it resolves to ${real}, outside the paths given`);
      return undefined;
    }
    return real;
  } catch (e) {
    const { reason, detail } = describeIoError(e);
    run.say(`${shown}: skipped (${reason}): ${detail}`);
    return undefined;
  }
}

// `rust-readiness scan`: discover, analyze, write one report, pick the exit code.
import * as path from 'node:path';
import type { Engine } from '../engine/engine';
import { discoverFiles, readSource, type SkippedFile } from '../engine/files';
import { RULES } from '../engine/rules';
import { formatJson } from '../engine/report/json';
import { formatSarif } from '../engine/report/sarif';
import { severityRank, type ScanResult, type ScannedFile } from '../engine/report/scan-result';
import { formatText } from '../engine/report/text';
import type { Config } from '../engine/config';
import { version } from '../../../package.json';
import type { FailOn, ScanOptions } from './args';
import { loadConfig } from './config';
import { loadEngine } from './engine';
import { checkRoots, displayPath } from './paths';
import { writeReport } from './write';
import type { Io } from './main';

export async function runScan(options: ScanOptions, io: Io): Promise<number> {
  const roots = checkRoots(io.cwd, options.paths);
  const config = loadConfig(io.cwd, options.config, options.exclude, new Set(RULES.map((r) => r.meta.id)));
  const result = await scanFiles(await loadEngine(), roots, config, io.cwd);
  const report = render(result, options);
  if (options.output === undefined) {
    io.stdout(report);
  } else {
    writeReport(path.resolve(io.cwd, options.output), options.output, report);
    if (!options.quiet) io.stderr(`rust-readiness: wrote the ${options.format} report to ${options.output}\n`);
  }
  return failed(result, options.failOn) ? 1 : 0;
}

export async function scanFiles(engine: Engine, roots: readonly string[], config: Config, cwd: string): Promise<ScanResult> {
  const discovery = await discoverFiles(roots, { exclude: config.exclude, base: cwd });
  const files: ScannedFile[] = [];
  const skipped: SkippedFile[] = [...discovery.skipped];
  for (const file of discovery.files) {
    const source = await readSource(file, config.maxFileSize);
    if ('reason' in source) {
      skipped.push(source);
      continue;
    }
    try {
      const analysis = engine.analyze(source.text, file, { config });
      analysis.tree.delete();
      files.push({ path: displayPath(cwd, file), language: analysis.lang, findings: analysis.findings });
    } catch (e) {
      skipped.push({ path: file, reason: 'analysis-error', detail: (e as Error).message });
    }
  }
  return { base: cwd, files, skipped: skipped.map((s) => ({ ...s, path: displayPath(cwd, s.path) })) };
}

function render(result: ScanResult, options: ScanOptions): string {
  switch (options.format) {
    case 'json': return formatJson(result, toolVersion());
    case 'sarif': return formatSarif(result, RULES.map((r) => r.meta), { toolVersion: toolVersion() });
    case 'text': return formatText(result, { quiet: options.quiet });
  }
}

function failed(result: ScanResult, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const floor = severityRank(failOn);
  return result.files.some((f) => f.findings.some((x) => severityRank(x.severity) >= floor));
}

export function toolVersion(): string {
  return version; // esbuild inlines just this field of the manifest
}

// `rust-readiness report [paths…]`: the workspace readiness report (score,
// concepts, worst and most ready files, migration candidates) as Markdown, HTML,
// JSON or SARIF, with --fail-under for CI gates. Files are analyzed on worker
// threads, or in-process when there are only a few.
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { discoverFiles } from '../engine/files';
import { RULES } from '../engine/rules';
import { formatOfFile, renderReport, REPORT_FORMATS, type ReportFormat } from '../engine/report/export';
import { buildReport } from '../engine/report/model';
import { IN_PROCESS_MAX_FILES, ScanPool } from '../workspace/pool';
import { UsageError } from './args';
import { loadConfig } from './config';
import { loadEngine } from './engine';
import type { Io } from './main';
import { checkRoots, displayPath } from './paths';
import { writeReport } from './write';
import { toolVersion } from './scan';

export const REPORT_HELP = `Usage: rust-readiness report [options] [paths…]

Scans C/C++ files in the given files and folders (default: .), the same files as
'scan', and writes the readiness report: the workspace score (0-100, see
docs/scoring.md), findings by Rust concept and rule, the worst and the most
ready files, and the migration candidates.

Options:
  -f, --format <markdown|html|json|sarif>  report format (default: from the
                                  --output extension, else markdown)
  -o, --output <file>             write the report to a file instead of stdout
      --fail-under <score>        exit 1 when the workspace score is below
                                  this (0-100)
  -c, --config <file>             configuration (default: ./.rust-readiness.json if present)
      --exclude <glob>            skip matching paths (gitignore syntax); repeatable
      --workers <n>               worker threads (default: one per core)
  -q, --quiet                     no summary line on stderr
  -h, --help                      show this help

Exit status: 0 score at or above --fail-under (or no --fail-under), 1 below it,
2 usage or I/O error.
`;

export interface ReportCommand {
  paths: string[];
  format: ReportFormat;
  output?: string;
  failUnder?: number;
  config?: string;
  exclude: string[];
  workers: number;
  quiet: boolean;
}

export function parseReport(args: readonly string[]): ReportCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        'fail-under': { type: 'string' },
        config: { type: 'string', short: 'c' },
        exclude: { type: 'string', multiple: true },
        workers: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split('. ')[0].replace(/\.$/, ''));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (values.output === '') throw new UsageError('--output needs a file name');
  const format = values.format ?? (values.output !== undefined ? formatOfFile(values.output) : undefined) ?? 'markdown';
  if (!REPORT_FORMATS.includes(format as ReportFormat)) {
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')} (got '${format}')`);
  }
  return {
    paths: positionals,
    format: format as ReportFormat,
    output: values.output,
    failUnder: values['fail-under'] === undefined ? undefined : integerIn('--fail-under', values['fail-under'], 0, 100),
    config: values.config,
    exclude: values.exclude ?? [],
    workers: values.workers === undefined ? os.availableParallelism() : integerIn('--workers', values.workers, 1, 64),
    quiet: values.quiet ?? false,
  };
}

function integerIn(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got '${value}')`);
  return n;
}

export async function runReport(args: readonly string[], io: Io): Promise<number> {
  const command = parseReport(args);
  if (command === 'help') {
    io.stdout(REPORT_HELP);
    return 0;
  }
  const roots = checkRoots(io.cwd, command.paths);
  const config = loadConfig(io.cwd, command.config, command.exclude, new Set(RULES.map((r) => r.meta.id)));
  const discovery = await discoverFiles(roots, { exclude: config.exclude, base: io.cwd });
  const pool = new ScanPool(path.join(__dirname, 'scan-worker.js'), { grammarDir: path.join(__dirname, '..', 'grammars'), runtimeDir: __dirname });
  // Loading an engine here costs what a worker's does; for a few files it replaces the workers.
  const engine = discovery.files.length <= IN_PROCESS_MAX_FILES ? await loadEngine() : undefined;
  const scan = await pool.scan(discovery.files, { config, engine, workers: command.workers });
  const shown = (p: string) => displayPath(io.cwd, p);
  const report = buildReport(scan.files.map((f) => ({ ...f, path: shown(f.path) })), RULES.map((r) => r.meta));
  const skipped = [...discovery.skipped, ...scan.skipped].map((s) => ({ ...s, path: shown(s.path) }));
  const text = renderReport(command.format, { report, skipped }, { toolVersion: toolVersion(), rules: RULES.map((r) => r.meta), base: io.cwd });
  if (command.output === undefined) io.stdout(text);
  else writeReport(path.resolve(io.cwd, command.output), command.output, text);

  const score = report.summary.score;
  const below = command.failUnder !== undefined && score < command.failUnder;
  if (!command.quiet || below) {
    const gate = command.failUnder === undefined ? '' : below ? `, below --fail-under ${command.failUnder}` : `, at or above --fail-under ${command.failUnder}`;
    const where = command.output === undefined ? '' : ` (${command.format} report written to ${command.output})`;
    io.stderr(`rust-readiness: workspace score ${score}/100 over ${report.summary.files} files${gate}${where}\n`);
  }
  return below ? 1 : 0;
}


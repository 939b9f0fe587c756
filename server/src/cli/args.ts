// Command-line parsing with node:util parseArgs, and the help texts. Bad input
// becomes a UsageError (exit 2) whose message says what was wrong.
import { parseArgs } from 'node:util';
import type { FindingSeverity } from '../engine/report/scan-result';

export class UsageError extends Error {}

export type Format = 'text' | 'json' | 'sarif';
export type FailOn = FindingSeverity | 'none';

const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['hint', 'information', 'warning', 'error', 'none'];
export const DEFAULT_FAIL_ON: FailOn = 'error';

export interface CommonOptions {
  paths: string[];
  config?: string;
  exclude: string[];
}

export interface ScanOptions extends CommonOptions {
  command: 'scan';
  format: Format;
  output?: string;
  failOn: FailOn;
  quiet: boolean;
}

export interface FixOptions extends CommonOptions {
  command: 'fix';
  dryRun: boolean;
  rules?: string[];
  quiet: boolean;
}

export type Command = ScanOptions | FixOptions | { command: 'report'; args: string[] } | { command: 'help'; text: string } | { command: 'version' };

export const MAIN_HELP = `Usage: rust-readiness <command> [options] [paths…]

Finds what stands between C/C++ code and Rust, and applies safe fixes.

Commands:
  scan [paths…]   report findings (default path: .)
  fix [paths…]    apply the safe fixes to the files on disk
  report [paths…] the readiness score and report (markdown, html, json, sarif)

Run 'rust-readiness <command> --help' for the options of a command.
Options: --help, --version
`;

export const SCAN_HELP = `Usage: rust-readiness scan [options] [paths…]

Scans C/C++ files (.c .h .cc .cpp .cxx .hpp .hh .hxx .ipp .inl) in the given files
and folders (default: .). Folders named node_modules, .git, build, out, dist,
third_party, cmake-build-* and bazel-* are skipped, and so is whatever .gitignore
files ignore.

Options:
  -f, --format <text|json|sarif>  output format (default: text)
  -o, --output <file>             write the report to a file instead of stdout
  -c, --config <file>             configuration (default: ./.rust-readiness.json if present)
      --exclude <glob>            skip matching paths (gitignore syntax, relative to
                                  the current directory); repeatable
      --fail-on <severity>        exit 1 when a finding is at least this severe:
                                  hint, information, warning, error or none
                                  (default: ${DEFAULT_FAIL_ON})
  -q, --quiet                     text format: findings only, no summary
  -h, --help                      show this help
  -v, --version                   print the version

Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,
2 usage or I/O error.
`;

export const FIX_HELP = `Usage: rust-readiness fix [options] [paths…]

Applies the safe fixes (make_unique, vector, nullptr, static_cast, …) to the C/C++
files in the given files and folders (default: .), until none is left. Each file
is written atomically; a file that changed during the run, a symbolic link and a
file outside the given paths are left alone, with a message.

Options:
      --dry-run                   print the changes as a unified diff; write nothing
      --rules <id,id…>            apply only the fixes of these rules
  -c, --config <file>             configuration (default: ./.rust-readiness.json if present)
      --exclude <glob>            skip matching paths (gitignore syntax); repeatable
  -q, --quiet                     print nothing but errors (and the diff)
  -h, --help                      show this help

Exit status: 0 done, 2 usage or I/O error (including a file that could not be
written or that changed during the run).
`;

const COMMON = {
  config: { type: 'string', short: 'c' },
  exclude: { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const SCAN = {
  ...COMMON,
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
} as const;

const FIX = {
  ...COMMON,
  'dry-run': { type: 'boolean' },
  rules: { type: 'string' },
} as const;

export function parseCommandLine(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { command: 'help', text: MAIN_HELP };
  if (command === '--version' || command === '-v') return { command: 'version' };
  if (command === 'scan') return parseScan(rest);
  if (command === 'fix') return parseFix(rest);
  if (command === 'report') return { command: 'report', args: rest }; // parsed by ./report
  throw new UsageError(`unknown command '${command}' (expected scan, fix or report; see rust-readiness --help)`);
}

function parseScan(args: string[]): Command {
  const { values, positionals } = parse(args, SCAN);
  if (values.help) return { command: 'help', text: SCAN_HELP };
  if (values.version) return { command: 'version' };
  return {
    command: 'scan',
    paths: positionals,
    config: values.config,
    exclude: values.exclude ?? [],
    format: oneOf('--format', values.format ?? 'text', FORMATS),
    output: nonEmpty('--output', values.output),
    failOn: oneOf('--fail-on', values['fail-on'] ?? DEFAULT_FAIL_ON, FAIL_ON),
    quiet: values.quiet ?? false,
  };
}

function parseFix(args: string[]): Command {
  const { values, positionals } = parse(args, FIX);
  if (values.help) return { command: 'help', text: FIX_HELP };
  if (values.version) return { command: 'version' };
  const rules = values.rules?.split(',').map((r) => r.trim()).filter(Boolean);
  if (rules && rules.length === 0) throw new UsageError('--rules needs at least one rule id');
  return {
    command: 'fix',
    paths: positionals,
    config: values.config,
    exclude: values.exclude ?? [],
    dryRun: values['dry-run'] ?? false,
    rules,
    quiet: values.quiet ?? false,
  };
}

type Spec = Parameters<typeof parseArgs>[0] & object;

function parse<O extends NonNullable<Spec['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs' messages are clear but long; keep the first sentence.
    throw new UsageError((e as Error).message.split('. ')[0].replace(/\.$/, ''));
  }
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === '') throw new UsageError(`${flag} needs a file name`);
  return value;
}

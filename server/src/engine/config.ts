// Configuration shared by the editor and the CLI. The same shape lives in VS Code
// settings (rustReadiness.*) and in a .rust-readiness.json at the workspace root.
import { SEVERITIES, type Severity } from './rule';

export interface Config {
  enable: boolean;
  /** Per-rule severity overrides; rules not named keep their default. */
  rules: Record<string, Severity>;
  /** Glob patterns (gitignore-style, relative to the root) of files to skip. */
  exclude: string[];
  /** Files larger than this many bytes are skipped. */
  maxFileSize: number;
  /** The editor stops analyzing a file after this many milliseconds and shows what it found so far. */
  analysisTimeBudgetMs: number;
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
export const DEFAULT_ANALYSIS_TIME_BUDGET_MS = 2000;
export const CONFIG_FILE_NAME = '.rust-readiness.json';

export function defaultConfig(): Config {
  return { enable: true, rules: {}, exclude: [], maxFileSize: DEFAULT_MAX_FILE_SIZE, analysisTimeBudgetMs: DEFAULT_ANALYSIS_TIME_BUDGET_MS };
}

export class ConfigError extends Error {}

/**
 * Validates an untrusted config object (from JSON or from settings). Unknown keys
 * and bad values are errors naming the key; `knownRules` lets us reject typos.
 */
export function validateConfig(raw: unknown, knownRules: ReadonlySet<string>): Partial<Config> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError('expected a JSON object at the top level');
  const out: Partial<Config> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    switch (key) {
      case 'enable':
        if (typeof value !== 'boolean') throw new ConfigError('"enable" must be true or false');
        out.enable = value;
        break;
      case 'rules':
        out.rules = validateRules(value, knownRules);
        break;
      case 'exclude':
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new ConfigError('"exclude" must be an array of glob strings');
        out.exclude = value as string[];
        break;
      case 'maxFileSize':
        if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ConfigError('"maxFileSize" must be a positive number of bytes');
        out.maxFileSize = value;
        break;
      case 'analysisTimeBudgetMs':
        if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ConfigError('"analysisTimeBudgetMs" must be a positive number of milliseconds');
        out.analysisTimeBudgetMs = value;
        break;
      case '$schema':
        break;
      default:
        throw new ConfigError(`unknown key "${key}" (expected enable, rules, exclude, maxFileSize, analysisTimeBudgetMs)`);
    }
  }
  return out;
}

function validateRules(value: unknown, knownRules: ReadonlySet<string>): Record<string, Severity> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError('"rules" must be an object mapping rule ids to severities');
  const rules: Record<string, Severity> = {};
  for (const [id, sev] of Object.entries(value as Record<string, unknown>)) {
    if (!knownRules.has(id)) throw new ConfigError(`"rules" names an unknown rule "${id}"`);
    if (typeof sev !== 'string' || !SEVERITIES.includes(sev as Severity)) {
      throw new ConfigError(`"rules.${id}" must be one of ${SEVERITIES.join(', ')}`);
    }
    rules[id] = sev as Severity;
  }
  return rules;
}

/** Parses a .rust-readiness.json text. Throws ConfigError with the file name and the problem. */
export function parseConfigFile(text: string, fileName: string, knownRules: ReadonlySet<string>): Partial<Config> {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(`${fileName}: invalid JSON: ${(e as Error).message}`);
  }
  try {
    return validateConfig(raw, knownRules);
  } catch (e) {
    throw new ConfigError(`${fileName}: ${(e as Error).message}`);
  }
}

/** Later layers win; rule maps merge per rule. */
export function mergeConfig(...layers: Array<Partial<Config> | undefined>): Config {
  const out = defaultConfig();
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.enable !== undefined) out.enable = layer.enable;
    if (layer.rules) out.rules = { ...out.rules, ...layer.rules };
    if (layer.exclude) out.exclude = [...out.exclude, ...layer.exclude];
    if (layer.maxFileSize !== undefined) out.maxFileSize = layer.maxFileSize;
    if (layer.analysisTimeBudgetMs !== undefined) out.analysisTimeBudgetMs = layer.analysisTimeBudgetMs;
  }
  return out;
}

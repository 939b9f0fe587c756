// The parts of the manifest and the docs that are generated from the rule
// metadata (as eslint and rust-analyzer generate theirs): the VS Code settings
// in package.json, the README rule table and the .rust-readiness.json schema.
// Pure functions, shared by scripts/generate.ts (writes them) and
// test/catalog.test.ts (checks they are in step).
import { CONFIG_FILE_NAME, DEFAULT_ANALYSIS_TIME_BUDGET_MS, DEFAULT_MAX_FILE_SIZE } from '../server/src/engine/config';
import { DOCS_REPO_URL } from '../server/src/engine/docs';
import { SEVERITIES, type Lang, type Rule } from '../server/src/engine/rule';

export const README_START = '<!-- rules:start -->';
export const README_END = '<!-- rules:end -->';
export const SCHEMA_PATH = 'docs/rust-readiness.schema.json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const LANGUAGE_NAMES: Record<Lang, string> = { c: 'C', cpp: 'C++' };

function languages(rule: Rule): string {
  return rule.meta.languages.map((l) => LANGUAGE_NAMES[l]).join(', ');
}

function docUrl(id: string): string {
  return `${DOCS_REPO_URL}${id}.md`;
}

/** Metadata text as Markdown: outside `code spans`, `Box<T>` must not read as an HTML tag, nor `*` as emphasis. */
export function markdownText(text: string): string {
  return text.split(/(`[^`]*`)/).map((part, i) => (i % 2 ? part : part.replace(/[\\<>*_|]/g, (c) => `\\${c}`))).join('');
}

function ruleDescription(rule: Rule): string {
  const { id, title, concept } = rule.meta;
  return `**${markdownText(title)}** — Rust: ${markdownText(concept)}. [Documentation](${docUrl(id)})`;
}

/** The per-rule severity settings, shared by the VS Code setting and the JSON schema. */
function ruleProperties(rules: readonly Rule[]): { [id: string]: Json } {
  return Object.fromEntries(rules.map((r) => [r.meta.id, {
    type: 'string',
    enum: [...SEVERITIES],
    default: r.meta.severity,
    markdownDescription: ruleDescription(r),
  }]));
}

const RULES_DESCRIPTION = 'Severity per rule id (`off` turns a rule off). Rules not listed keep their default severity.';
const EXCLUDE_DESCRIPTION = 'Glob patterns (gitignore-style, relative to the workspace folder) of files not to analyze.';
const MAX_SIZE_DESCRIPTION = 'Files larger than this many bytes are skipped.';
const ENABLE_DESCRIPTION = 'Analyze C and C++ files for Rust-migration readiness.';
const TIME_BUDGET_DESCRIPTION = 'In the editor, an analysis of one file that takes longer than this many milliseconds stops, ' +
  'shows the findings found so far and logs one line. (Workspace scans and the CLI analyze every file to the end.)';

/** package.json `contributes.configuration`. */
export function configurationContribution(rules: readonly Rule[]): Json {
  return {
    title: 'Rust Readiness',
    properties: {
      'rustReadiness.enable': { type: 'boolean', default: true, scope: 'resource', description: ENABLE_DESCRIPTION },
      'rustReadiness.rules': {
        type: 'object',
        scope: 'resource',
        default: {},
        markdownDescription: RULES_DESCRIPTION,
        properties: ruleProperties(rules),
        additionalProperties: false,
      },
      'rustReadiness.exclude': { type: 'array', items: { type: 'string' }, default: [], scope: 'resource', description: EXCLUDE_DESCRIPTION },
      'rustReadiness.maxFileSize': { type: 'number', default: DEFAULT_MAX_FILE_SIZE, minimum: 1, scope: 'resource', description: MAX_SIZE_DESCRIPTION },
      'rustReadiness.analysisTimeBudgetMs': {
        type: 'number', default: DEFAULT_ANALYSIS_TIME_BUDGET_MS, minimum: 1, scope: 'resource', description: TIME_BUDGET_DESCRIPTION,
      },
    },
  };
}

/** package.json `contributes.jsonValidation`: completion and checks while editing .rust-readiness.json. */
export function jsonValidationContribution(): Json {
  return [{ fileMatch: CONFIG_FILE_NAME, url: `./${SCHEMA_PATH}` }];
}

/** The JSON schema of .rust-readiness.json; the same checks as config.ts's validateConfig. */
export function configSchema(rules: readonly Rule[]): Json {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Rust Readiness configuration (${CONFIG_FILE_NAME})`,
    type: 'object',
    properties: {
      $schema: { type: 'string' },
      enable: { type: 'boolean', default: true, description: ENABLE_DESCRIPTION },
      rules: { type: 'object', markdownDescription: RULES_DESCRIPTION, properties: ruleProperties(rules), additionalProperties: false },
      exclude: { type: 'array', items: { type: 'string' }, description: EXCLUDE_DESCRIPTION },
      maxFileSize: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_MAX_FILE_SIZE, description: MAX_SIZE_DESCRIPTION },
      analysisTimeBudgetMs: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_ANALYSIS_TIME_BUDGET_MS, description: TIME_BUDGET_DESCRIPTION },
    },
    additionalProperties: false,
  };
}

function cell(text: string): string {
  // GFM tables need `\|` even inside code spans.
  return markdownText(text.replace(/\s+/g, ' ').trim()).replace(/(?<!\\)\|/g, '\\|');
}

/** The README rule table (without the markers). */
export function readmeTable(rules: readonly Rule[]): string {
  const rows = rules.map((r) => {
    const m = r.meta;
    return `| [${m.id}](docs/rules/${m.id}.md) | ${cell(m.concept)} | ${cell(m.description)} | ${languages(r)} | ${m.severity} | ${m.fixable ? 'yes' : 'no'} |`;
  });
  return ['| Rule | Rust concept | What is flagged | Languages | Default severity | Fix |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** `readme` with the text between the markers replaced by the table; a minimal README when there is none. */
export function withReadmeTable(readme: string | undefined, rules: readonly Rule[]): string {
  const block = `${README_START}\n${readmeTable(rules)}\n${README_END}`;
  if (readme === undefined) return `# Rust Readiness\n\n## Rules\n\n${block}\n`;
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${README_START} … ${README_END}`);
  return readme.slice(0, start) + block + readme.slice(end + README_END.length);
}

/** The README's current table, between the markers (undefined without markers). */
export function currentReadmeTable(readme: string): string | undefined {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + README_START.length, end).trim();
}

/** package.json text with the generated contributions set, every other key kept in place. */
export function withManifestContributions(manifestText: string, rules: readonly Rule[]): string {
  const manifest = JSON.parse(manifestText) as { [key: string]: Json };
  const contributes = (manifest.contributes ?? {}) as { [key: string]: Json };
  contributes.configuration = configurationContribution(rules);
  contributes.jsonValidation = jsonValidationContribution();
  manifest.contributes = contributes;
  const eol = manifestText.includes('\r\n') ? '\r\n' : '\n';
  return JSON.stringify(manifest, null, 2).replace(/\n/g, eol) + eol;
}

export function schemaText(rules: readonly Rule[]): string {
  return JSON.stringify(configSchema(rules), null, 2) + '\n';
}

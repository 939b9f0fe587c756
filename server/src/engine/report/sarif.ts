// SARIF 2.1.0 (OASIS) for code-scanning dashboards: one run whose driver lists
// every rule's metadata, results pointing into the scanned files relative to a
// %SRCROOT%-style base, and the skipped files as tool notifications.
// test/cli.test.ts validates the output against the official JSON schema.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import { DOCS_REPO_URL } from '../docs';
import type { RuleMeta } from '../rule';
import type { FindingSeverity, ScanResult } from './scan-result';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The project page: the docs URL without its /blob/<branch>/docs/rules/ tail. */
export const INFORMATION_URI = DOCS_REPO_URL.replace(/\/blob\/.*$/, '');
export const SRCROOT = 'SRCROOT';

/** SARIF has no hint or information level: both are notes (the severity is kept in properties). */
const LEVEL: Record<FindingSeverity, sarif.Result.level> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

export interface SarifOptions {
  toolVersion: string;
}

export function toSarif(result: ScanResult, rules: readonly RuleMeta[], options: SarifOptions): sarif.Log {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results: sarif.Result[] = [];
  for (const file of result.files) {
    for (const f of file.findings) {
      const r: sarif.Result = {
        ruleId: f.ruleId,
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: artifactLocation(result.base, file.path),
            region: {
              startLine: f.startPos.line + 1,
              startColumn: f.startPos.character + 1,
              endLine: f.endPos.line + 1,
              endColumn: f.endPos.character + 1,
            },
          },
        }],
        properties: { severity: f.severity, fixable: !!f.fix },
      };
      const index = ruleIndex.get(f.ruleId);
      if (index !== undefined) r.ruleIndex = index;
      results.push(r);
    }
  }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'rust-readiness',
          version: options.toolVersion,
          semanticVersion: options.toolVersion,
          informationUri: INFORMATION_URI,
          rules: rules.map(ruleDescriptor),
        },
      },
      originalUriBaseIds: { [SRCROOT]: { uri: dirUri(result.base) } },
      columnKind: 'utf16CodeUnits',
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: result.skipped.map((s): sarif.Notification => ({
          level: 'note',
          message: { text: `skipped (${s.reason}): ${s.detail}` },
          locations: [{ physicalLocation: { artifactLocation: artifactLocation(result.base, s.path) } }],
          properties: { reason: s.reason },
        })),
      }],
      results,
    }],
  };
}

export function formatSarif(result: ScanResult, rules: readonly RuleMeta[], options: SarifOptions): string {
  return JSON.stringify(toSarif(result, rules, options), null, 2) + '\n';
}

function ruleDescriptor(meta: RuleMeta): sarif.ReportingDescriptor {
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: `${capitalize(meta.description.replace(/\.$/, ''))}. In Rust: ${meta.concept}.` },
    helpUri: DOCS_REPO_URL + meta.id + '.md',
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      rustConcept: meta.concept,
      category: meta.category,
      tags: ['rust-readiness', meta.category, ...(meta.fixable ? ['fixable'] : [])],
      languages: [...meta.languages],
    },
  };
}

/** Paths inside the base are relative to %SRCROOT%; others get an absolute file: URI. */
function artifactLocation(base: string, displayPath: string): sarif.ArtifactLocation {
  if (displayPath.startsWith('../') || path.isAbsolute(displayPath)) {
    return { uri: pathToFileURL(path.resolve(base, displayPath)).href };
  }
  return { uri: displayPath.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function dirUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : href + '/';
}

function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map(capitalize).join('');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

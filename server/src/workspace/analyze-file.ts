// Analyzing one file from disk into a compact, cacheable result. Shared by the
// scan workers, the in-process fallback and the CLI report.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { decodeSource, type Config, type Engine, type Lang, type Position, type Severity } from '../engine';

export interface FileFinding {
  ruleId: string;
  severity: Exclude<Severity, 'off'>;
  message: string;
  start: Position;
  end: Position;
  fixable: boolean;
}

export interface FunctionRange {
  name: string;
  startLine: number;
  endLine: number;
}

export interface FileResult {
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
  lines: number;
  language: Lang;
  findings: FileFinding[];
  /** `#include "…"` targets, as written, for migration-candidate ranking. */
  includes: string[];
}

export interface FileSkip {
  path: string;
  reason: string;
  detail: string;
}

export type FileOutcome = { ok: FileResult } | { skip: FileSkip };

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Never throws: I/O errors and odd content come back as skips with a reason. */
export function analyzeFile(engine: Engine, filePath: string, config: Config): FileOutcome {
  let bytes: Buffer;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
    if (!stat.isFile()) return { skip: { path: filePath, reason: 'not-a-file', detail: 'is not a regular file' } };
    if (stat.size > config.maxFileSize) {
      return { skip: { path: filePath, reason: 'too-large', detail: `${stat.size} bytes is over the ${config.maxFileSize}-byte limit` } };
    }
    bytes = fs.readFileSync(filePath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'vanished' : code === 'EACCES' || code === 'EPERM' ? 'unreadable' : 'io-error';
    return { skip: { path: filePath, reason, detail: (e as Error).message } };
  }
  const decoded = decodeSource(bytes, config.maxFileSize);
  if ('reason' in decoded) return { skip: { path: filePath, reason: decoded.reason, detail: decoded.detail } };
  try {
    const analysis = engine.analyze(decoded.text, filePath, { config });
    analysis.tree.delete();
    return {
      ok: {
        path: filePath,
        size: stat.size,
        mtimeMs: stat.mtimeMs,
        hash: hashBytes(bytes),
        lines: countLines(decoded.text),
        language: analysis.lang,
        findings: analysis.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, start: f.startPos, end: f.endPos, fixable: !!f.fix })),
        includes: projectIncludes(decoded.text),
      },
    };
  } catch (e) {
    return { skip: { path: filePath, reason: 'analysis-error', detail: (e as Error).message } };
  }
}

function countLines(text: string): number {
  let n = text.length > 0 && !text.endsWith('\n') ? 1 : 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function projectIncludes(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"/gm)) out.push(m[1]);
  return out;
}

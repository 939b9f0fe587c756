// Analyzing one file from disk into a compact, cacheable result. Shared by the
// scan workers, the in-process update of one file and the CLI report. A
// FileResult is a ReportFileInput: it feeds buildReport as it is.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { decodeSource, type Config, type Engine, type Lang } from '../engine';
import { describeIoError, type SkippedFile } from '../engine/files';
import { quotedIncludes, toReportFinding, type ReportFileInput, type ReportFinding } from '../engine/report/model';
import { functionRanges, type FunctionRange } from '../engine/score';
import type { ScanReply, ScanTask } from './pool';

export interface FileResult extends ReportFileInput {
  size: number;
  mtimeMs: number;
  /** sha1 of the bytes, to recognise a file whose mtime moved but whose content did not. */
  hash: string;
  language: Lang;
  findings: ReportFinding[];
  /** `#include "…"` targets, as written, for migration-candidate ranking. */
  includes: string[];
  /** Function extents, for per-function scores. */
  functions: FunctionRange[];
}

export type FileOutcome = { ok: FileResult } | { skip: SkippedFile };

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Never throws: I/O errors and odd content come back as skips with a reason. */
export function analyzeFile(engine: Engine, filePath: string, config: Config): FileOutcome {
  const source = readSource(filePath, config);
  if ('skip' in source) return source;
  const { text, stat, hash } = source;
  try {
    const analysis = engine.analyze(text, filePath, { config });
    const functions = functionRanges(analysis.functions);
    analysis.tree.delete();
    return {
      ok: {
        path: filePath,
        size: stat.size,
        mtimeMs: stat.mtimeMs,
        hash,
        lines: countLines(text),
        language: analysis.lang,
        findings: analysis.findings.map(toReportFinding),
        includes: quotedIncludes(text),
        functions,
      },
    };
  } catch (e) {
    return { skip: { path: filePath, reason: 'analysis-error', detail: (e as Error).message } };
  }
}

/** The file's text, stat and content hash; the bytes are not kept (a 10 MB file's bytes are 10 MB more at the peak of its analysis). */
function readSource(filePath: string, config: Config): { text: string; stat: fs.Stats; hash: string } | { skip: SkippedFile } {
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
    return { skip: { path: filePath, ...describeIoError(e) } };
  }
  const decoded = decodeSource(bytes, config.maxFileSize);
  if ('reason' in decoded) return { skip: { path: filePath, reason: decoded.reason, detail: decoded.detail } };
  return { text: decoded.text, stat, hash: hashBytes(bytes) };
}

/** One task of a scan, on a worker or in-process. */
export function runScanTask(engine: Engine, task: ScanTask): ScanReply {
  if (task.knownHash) {
    // mtime moved: if the bytes did not, the cached result still holds.
    try {
      const bytes = fs.readFileSync(task.path);
      if (hashBytes(bytes) === task.knownHash) {
        const st = fs.statSync(task.path);
        return { id: task.id, unchanged: { size: st.size, mtimeMs: st.mtimeMs } };
      }
    } catch {
      // fall through: analyzeFile reports the I/O problem as a skip
    }
  }
  return { id: task.id, outcome: analyzeFile(engine, task.path, task.config) };
}

function countLines(text: string): number {
  let n = text.length > 0 && !text.endsWith('\n') ? 1 : 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

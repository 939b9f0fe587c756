// Compiler-style text: one `file:line:col: severity: message [rule-id]` line per
// finding (1-based, as gcc and clang write them, so editors and CI log parsers
// link them), then the skipped files and a summary.
import { summarize, type FindingSeverity, type ScanResult } from './scan-result';

/**
 * The word after the location. gcc/clang words where they exist: `note` for
 * information and clang's `remark` for hints, so problem matchers that know
 * error|warning|note keep working and the four levels stay distinct.
 */
export const TEXT_SEVERITY_LABEL: Record<FindingSeverity, string> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'remark',
};

export interface TextOptions {
  /** Findings only: no skipped-file lines, no summary. */
  quiet?: boolean;
}

export function formatText(result: ScanResult, options: TextOptions = {}): string {
  const lines: string[] = [];
  for (const file of result.files) {
    for (const f of file.findings) {
      lines.push(`${file.path}:${f.startPos.line + 1}:${f.startPos.character + 1}: ${TEXT_SEVERITY_LABEL[f.severity]}: ${f.message} [${f.ruleId}]`);
    }
  }
  if (!options.quiet) {
    if (lines.length > 0) lines.push('');
    for (const s of result.skipped) lines.push(`${s.path}: skipped (${s.reason}): ${s.detail}`);
    lines.push(...summaryLines(result));
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

function summaryLines(result: ScanResult): string[] {
  const s = summarize(result);
  const files = `${plural(s.filesScanned, 'file')} scanned`;
  const reasons = Object.entries(s.skippedByReason).map(([reason, n]) => `${n} ${reason}`).join(', ');
  const skipped = s.filesSkipped > 0 ? `, ${s.filesSkipped} skipped (${reasons})` : '';
  const out = [`${files}${skipped}.`];
  if (s.findings === 0) {
    out.push('No findings.');
    return out;
  }
  const severities = (Object.entries(s.bySeverity) as Array<[FindingSeverity, number]>)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${TEXT_SEVERITY_LABEL[sev]}`)
    .join(', ');
  out.push(`${plural(s.findings, 'finding')}: ${severities}; ${s.fixable} fixable with \`rust-readiness fix\`.`);
  const width = Math.max(...Object.keys(s.byRule).map((id) => id.length));
  for (const [id, n] of Object.entries(s.byRule)) out.push(`  ${id.padEnd(width)}  ${n}`);
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

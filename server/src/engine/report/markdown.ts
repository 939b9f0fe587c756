// The workspace report as Markdown (GitHub-flavoured tables). Every name and
// message goes through `text`, so a file called `<img src=x onerror=alert(1)>.cpp`
// prints as text in any Markdown viewer, and a `|` cannot break a table.
import type { RuleCost } from '../score';
import { CANDIDATE_MIN_SCORE, FINDINGS_PER_FILE, displayPath, formatInt, type FileRef, type GroupSummary, type WorkspaceReport } from './model';

export function renderMarkdown(report: WorkspaceReport): string {
  const s = report.summary;
  const out: string[] = [
    '# Rust Readiness report',
    '',
    `**Workspace score: ${s.score} / 100** (${s.band}) — ${formatInt(s.files)} files, ${formatInt(s.lines)} lines, ` +
      `${formatInt(s.findings)} findings (${s.bySeverity.error} errors, ${s.bySeverity.warning} warnings, ` +
      `${s.bySeverity.information} information, ${s.bySeverity.hint} hints).`,
    '',
  ];
  if (report.root) out.push(`Root: ${text(report.root)}`, '');
  if (s.costs.some((c) => c.points > 0)) out.push(`Points lost: ${explain(s.costs)}.`, '');

  section(out, 'Score distribution', table(['Score', 'Files'], report.histogram.map((b) =>
    [b.from === b.to ? `${b.from}` : `${b.from}–${b.to}`, formatInt(b.count)]), [false, true]));

  section(out, 'Findings by Rust concept', groupTable('Rust concept', report.concepts));
  section(out, 'Findings by category', groupTable('Category', report.categories));
  section(out, 'Top rules', table(['Rule', 'Title', 'Rust concept', 'Weight', 'Findings', 'Files', 'Points lost'],
    report.topRules.map((r) => [text(r.id), text(r.title), text(r.concept), `${r.weight}`, formatInt(r.count), formatInt(r.files), `${r.points}`]),
    [false, false, false, true, true, true, true]));
  section(out, 'Worst files', fileTable(report, report.worstFiles));
  section(out, 'Most ready files', fileTable(report, report.mostReadyFiles));

  out.push('## Migration candidates', '',
    `Files and folders scoring at least ${CANDIDATE_MIN_SCORE}, ranked by score / (1 + project files they include); ` +
      'these can move to Rust first (see docs/scoring.md).', '');
  out.push(...(report.candidates.length === 0 ? ['None yet.'] : table(['Kind', 'Path', 'Score', 'Depends on', 'Files', 'Lines', 'Value'],
    report.candidates.map((c) => [c.kind, text(displayPath(report, c.path)), `${c.score}`, `${c.projectIncludes}`, formatInt(c.files), formatInt(c.lines), c.value.toFixed(2)]),
    [false, false, true, true, true, true, true])), '');

  out.push('## Findings in the worst files', '');
  for (const ref of report.worstFiles) out.push(...worstFileFindings(report, ref), '');
  if (report.worstFiles.length === 0) out.push('None.', '');

  section(out, 'Folders', table(['Folder', 'Score', 'Files', 'Lines', 'Findings', 'Points lost to'],
    [...report.folders].sort((a, b) => a.exact - b.exact || (a.path < b.path ? -1 : 1)).map((d) =>
      [text(displayPath(report, d.path)), `${d.score}`, formatInt(d.files), formatInt(d.lines), formatInt(d.findings), explain(d.costs, 3)]),
    [false, true, true, true, true, false]));
  return out.join('\n').replace(/\n+$/, '\n');
}

function section(out: string[], title: string, body: string[]): void {
  out.push(`## ${title}`, '', ...(body.length === 0 ? ['None.'] : body), '');
}

function worstFileFindings(report: WorkspaceReport, ref: FileRef): string[] {
  const findings = report.files.find((f) => f.path === ref.path)?.findings ?? [];
  const shown = findings.slice(0, FINDINGS_PER_FILE);
  return [
    `### ${text(displayPath(report, ref.path))} — score ${ref.score}`, '',
    ...table(['Line', 'Rule', 'Message'], shown.map((f) => [`${f.start.line + 1}:${f.start.character + 1}`, text(f.ruleId), text(f.message)]), [true, false, false]),
    ...(findings.length > shown.length ? ['', `… and ${formatInt(findings.length - shown.length)} more.`] : []),
  ];
}

function groupTable(label: string, groups: readonly GroupSummary[]): string[] {
  return table([label, 'Findings', 'Points lost', 'Rules'],
    groups.map((g) => [text(g.key), formatInt(g.count), `${g.points}`, g.rules.map(text).join(', ')]), [false, true, true, false]);
}

function fileTable(report: WorkspaceReport, files: readonly FileRef[]): string[] {
  return table(['File', 'Score', 'Lines', 'Findings'],
    files.map((f) => [text(displayPath(report, f.path)), `${f.score}`, formatInt(f.lines), formatInt(f.findings)]), [false, true, true, true]);
}

/** "pointer-arithmetic −22, goto −3": the rules that cost points, most first. */
function explain(costs: readonly RuleCost[], max = Infinity): string {
  const paid = costs.filter((c) => c.points > 0);
  const shown = paid.slice(0, max).map((c) => `${text(c.ruleId)} −${c.points}`);
  return shown.concat(paid.length > max ? ['…'] : []).join(', ');
}

/** An empty table prints nothing, so the caller can say "None." instead. */
function table(head: readonly string[], rows: readonly string[][], numeric: readonly boolean[]): string[] {
  if (rows.length === 0) return [];
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(numeric.map((n) => (n ? '---:' : '---'))), ...rows.map(line)];
}

/**
 * Markdown-safe text: HTML-significant characters become entities (so no raw
 * tag ever reaches a renderer), Markdown punctuation is backslash-escaped, and
 * line breaks become spaces so a table row stays one line.
 */
export function text(s: string): string {
  return s
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n]+/g, ' ');
}

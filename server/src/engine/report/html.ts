// The workspace report as one self-contained HTML file: inline CSS, charts as
// inline SVG drawn here, no script and nothing loaded from anywhere. The CSP
// allows only the one stylesheet, by hash. Markup is built with the `html` tag,
// which escapes every interpolated value unless it is already markup, so a
// file name or message can never become a tag or an attribute.
import { createHash } from 'node:crypto';
import { band, type Band, type RuleCost } from '../score';
import {
  CANDIDATE_MIN_SCORE, FINDINGS_PER_FILE, displayPath, formatInt,
  type FileRef, type GroupSummary, type HistogramBucket, type WorkspaceReport,
} from './model';

class Markup {
  constructor(readonly value: string) {}
}

type Value = Markup | string | number | null | undefined | false | readonly Value[];

function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0];
  values.forEach((v, i) => (out += render(v) + strings[i + 1]));
  return new Markup(out);
}

function render(v: Value): string {
  if (v instanceof Markup) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const COLORS: Record<Band, string> = { ready: '#2e7d32', partial: '#b26a00', blocked: '#c62828' };

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0; --bar: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --bar: #4493f8; } }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { margin: 2rem 0 .5rem; font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.muted { color: var(--muted); }
.overall { display: flex; gap: 2rem; align-items: center; flex-wrap: wrap; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
details { margin: .25rem 0; } summary { cursor: pointer; }
.path { word-break: break-all; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
td.path { word-break: break-all; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
.badge { display: inline-block; min-width: 2.2em; text-align: center; border-radius: 4px; color: #fff; font-weight: 600; padding: 0 .3em; }
.ready { background: ${COLORS.ready}; } .partial { background: ${COLORS.partial}; } .blocked { background: ${COLORS.blocked}; }
svg text { fill: var(--fg); font: 12px system-ui, sans-serif; }
svg text.big { font-size: 30px; font-weight: 700; }
svg .axis { stroke: var(--line); }
svg .bar { fill: var(--bar); }
svg .track { stroke: var(--line); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
`;

export function renderHtml(report: WorkspaceReport): string {
  const s = report.summary;
  const cssHash = createHash('sha256').update(CSS).digest('base64');
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${cssHash}'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rust Readiness report</title>
<style>${new Markup(CSS)}</style>
</head>
<body>
<h1>Rust Readiness report</h1>
<p class="muted">${report.root ? html`${report.root} · ` : ''}${formatInt(s.files)} files · ${formatInt(s.lines)} lines · ${formatInt(s.findings)} findings
(${s.bySeverity.error} errors, ${s.bySeverity.warning} warnings, ${s.bySeverity.information} information, ${s.bySeverity.hint} hints)</p>
<section class="overall">
${gauge(s.score)}
<div>
<p><strong>Workspace score ${s.score} / 100</strong> — ${s.band}</p>
${explanation(s.costs)}
</div>
</section>
<h2>Score distribution</h2>
${histogramSvg(report.histogram)}
<div class="grid">
<section><h2>Findings by Rust concept</h2>${groupChart(report.concepts, true)}</section>
<section><h2>Findings by category</h2>${groupChart(report.categories, false)}</section>
</div>
<h2>Top rules</h2>
${report.topRules.length === 0 ? html`<p>None.</p>` : html`<table>
<thead><tr><th>Rule</th><th>Title</th><th>Rust concept</th><th class="n">Weight</th><th class="n">Findings</th><th class="n">Files</th><th class="n">Points lost</th></tr></thead>
<tbody>${report.topRules.map((r) => html`<tr><td><code>${r.id}</code></td><td>${r.title}</td><td>${concept(r.concept)}</td><td class="n">${r.weight}</td><td class="n">${formatInt(r.count)}</td><td class="n">${formatInt(r.files)}</td><td class="n">${r.points}</td></tr>
`)}</tbody></table>`}
<div class="grid">
<section><h2>Worst files</h2>${fileTable(report, report.worstFiles)}</section>
<section><h2>Most ready files</h2>${fileTable(report, report.mostReadyFiles)}</section>
</div>
<h2>Migration candidates</h2>
<p class="muted">Files and folders scoring at least ${CANDIDATE_MIN_SCORE}, ranked by score / (1 + project files they include): these can move to Rust first (docs/scoring.md).</p>
${report.candidates.length === 0 ? html`<p>None yet.</p>` : html`<table>
<thead><tr><th>Kind</th><th>Path</th><th class="n">Score</th><th class="n">Depends on</th><th class="n">Files</th><th class="n">Lines</th><th class="n">Value</th></tr></thead>
<tbody>${report.candidates.map((c) => html`<tr><td>${c.kind}</td><td class="path">${displayPath(report, c.path)}</td><td class="n">${badge(c.score)}</td><td class="n">${c.projectIncludes}</td><td class="n">${formatInt(c.files)}</td><td class="n">${formatInt(c.lines)}</td><td class="n">${c.value.toFixed(2)}</td></tr>
`)}</tbody></table>`}
<h2>Findings in the worst files</h2>
${report.worstFiles.length === 0 ? html`<p>None.</p>` : report.worstFiles.map((ref) => worstFileFindings(report, ref))}
<h2>Folders</h2>
${report.folders.length === 0 ? html`<p>None.</p>` : html`<table>
<thead><tr><th>Folder</th><th class="n">Score</th><th class="n">Files</th><th class="n">Lines</th><th class="n">Findings</th><th>Points lost to</th></tr></thead>
<tbody>${[...report.folders].sort((a, b) => a.exact - b.exact || (a.path < b.path ? -1 : 1)).map((d) => html`<tr><td class="path">${displayPath(report, d.path)}</td><td class="n">${badge(d.score)}</td><td class="n">${formatInt(d.files)}</td><td class="n">${formatInt(d.lines)}</td><td class="n">${formatInt(d.findings)}</td><td>${costList(d.costs, 3)}</td></tr>
`)}</tbody></table>`}
<p class="muted">Generated by rust-readiness. The score and the candidate ranking are defined in docs/scoring.md.</p>
</body>
</html>
`;
  return page.value;
}

function badge(score: number): Markup {
  return html`<span class="badge ${band(score)}">${score}</span>`;
}

/** Rule concepts mark code with backticks ("`as` / From"): show those parts as code. */
function concept(s: string): Markup {
  return html`${s.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

function costList(costs: readonly RuleCost[], max = Infinity): Markup {
  const paid = costs.filter((c) => c.points > 0);
  return html`${paid.slice(0, max).map((c, i) => html`${i > 0 ? ', ' : ''}<code>${c.ruleId}</code> −${c.points}`)}${paid.length > max ? ', …' : ''}`;
}

function explanation(costs: readonly RuleCost[]): Markup {
  const paid = costs.filter((c) => c.points > 0);
  if (paid.length === 0) return html`<p class="muted">No points lost.</p>`;
  return html`<p>Points lost: ${costList(paid)}</p>`;
}

function fileTable(report: WorkspaceReport, files: readonly FileRef[]): Markup {
  if (files.length === 0) return html`<p>None.</p>`;
  return html`<table>
<thead><tr><th>File</th><th class="n">Score</th><th class="n">Lines</th><th class="n">Findings</th></tr></thead>
<tbody>${files.map((f) => html`<tr><td class="path">${displayPath(report, f.path)}</td><td class="n">${badge(f.score)}</td><td class="n">${formatInt(f.lines)}</td><td class="n">${formatInt(f.findings)}</td></tr>
`)}</tbody></table>`;
}

function worstFileFindings(report: WorkspaceReport, ref: FileRef): Markup {
  const findings = report.files.find((f) => f.path === ref.path)?.findings ?? [];
  const shown = findings.slice(0, FINDINGS_PER_FILE);
  return html`<details><summary><span class="path">${displayPath(report, ref.path)}</span> ${badge(ref.score)}</summary>
<table><thead><tr><th class="n">Line</th><th>Rule</th><th>Message</th></tr></thead>
<tbody>${shown.map((f) => html`<tr><td class="n">${f.start.line + 1}:${f.start.character + 1}</td><td><code>${f.ruleId}</code></td><td>${f.message}</td></tr>
`)}</tbody></table>
${findings.length > shown.length ? html`<p class="muted">… and ${formatInt(findings.length - shown.length)} more.</p>` : ''}</details>
`;
}

/** A ring whose filled arc is the score, coloured by band. */
function gauge(score: number): Markup {
  const r = 52;
  const circumference = 2 * Math.PI * r;
  const filled = (circumference * score) / 100;
  return html`<svg width="140" height="140" viewBox="0 0 140 140" role="img" aria-label="Workspace score ${score} of 100">
<circle class="track" cx="70" cy="70" r="${r}" fill="none" stroke-width="14"/>
<circle cx="70" cy="70" r="${r}" fill="none" stroke="${COLORS[band(score)]}" stroke-width="14" stroke-dasharray="${fixed(filled)} ${fixed(circumference)}" transform="rotate(-90 70 70)"/>
<text class="big" x="70" y="80" text-anchor="middle">${score}</text>
</svg>`;
}

/** Vertical bars, one per score bucket, coloured by the band of the bucket. */
function histogramSvg(buckets: readonly HistogramBucket[]): Markup {
  const width = 660;
  const height = 200;
  const top = 20;
  const bottom = 30;
  const slot = width / buckets.length;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const plot = height - top - bottom;
  const bars = buckets.map((b, i) => {
    const h = (plot * b.count) / max;
    const x = i * slot + 4;
    const y = top + plot - h;
    const label = b.from === b.to ? `${b.from}` : `${b.from}–${b.to}`;
    return html`<g><title>${label}: ${b.count} files</title>
<rect x="${fixed(x)}" y="${fixed(y)}" width="${fixed(slot - 8)}" height="${fixed(h)}" fill="${COLORS[band(b.from)]}"/>
<text x="${fixed(x + (slot - 8) / 2)}" y="${fixed(y - 4)}" text-anchor="middle">${b.count}</text>
<text x="${fixed(x + (slot - 8) / 2)}" y="${height - bottom + 16}" text-anchor="middle">${label}</text></g>
`;
  });
  return html`<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Histogram of file scores">
<line class="axis" x1="0" y1="${top + plot}" x2="${width}" y2="${top + plot}"/>
${bars}</svg>`;
}

/** Horizontal bars of finding counts, labelled with the points they cost. */
function groupChart(groups: readonly GroupSummary[], asConcept: boolean): Markup {
  if (groups.length === 0) return html`<p>None.</p>`;
  const rowHeight = 24;
  const labelWidth = 190;
  const barWidth = 240;
  const width = labelWidth + barWidth + 130;
  const max = Math.max(1, ...groups.map((g) => g.count));
  const rows = groups.map((g, i) => {
    const y = i * rowHeight;
    const w = Math.max(1, (barWidth * g.count) / max);
    const title = asConcept ? `${g.key} (${g.rules.join(', ')})` : g.key;
    return html`<g><title>${title}</title>
<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${clip(g.key, 28)}</text>
<rect class="bar" x="${labelWidth}" y="${y + 4}" width="${fixed(w)}" height="${rowHeight - 8}"/>
<text x="${fixed(labelWidth + w + 6)}" y="${y + 16}">${formatInt(g.count)} · ${g.points > 0 ? `−${g.points}` : '0'} pts</text></g>
`;
  });
  const height = groups.length * rowHeight;
  return html`<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Findings by ${asConcept ? 'Rust concept' : 'category'}">
${rows}</svg>`;
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function fixed(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '');
}

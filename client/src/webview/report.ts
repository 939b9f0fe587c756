/// <reference lib="dom" />
// The report webview's page (bundled for the browser into dist/webview.js, with
// chart.js; nothing loads from the network). It receives ReportViewData by
// postMessage and builds the page with DOM calls: every file name, rule and
// message goes in through textContent, never as markup.
import type { Chart as ChartType, ChartConfiguration } from 'chart.js' with { 'resolution-mode': 'import' };
import type { Band } from '../../../server/src/engine/score';
import type { FileRef } from '../../../server/src/engine/report/model';
import type { FromWebview, ReportViewData, ToWebview } from './protocol';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
let charts: ChartType[] = [];
// chart.js is an ES module and this file type-checks as CommonJS: a dynamic
// import, which esbuild inlines into the one bundle (no request at run time).
const chartJs = import('chart.js').then((m) => {
  m.Chart.register(m.ArcElement, m.BarController, m.BarElement, m.CategoryScale, m.DoughnutController, m.LinearScale, m.Tooltip);
  return m.Chart;
});

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message?.type === 'report') render(message.data);
  else if (message?.type === 'scanning') replace(el('p', { className: 'muted' }, 'Scanning the workspace…'));
});
vscode.postMessage({ type: 'ready' });

function render(data: ReportViewData): void {
  const s = data.summary;
  replace(
    el('h1', {}, 'Rust Readiness Report'),
    el('p', { className: 'muted' }, `${data.root} · ${s.files} files · ${s.lines} lines · ${s.findings} findings` +
      (data.skipped ? ` · ${data.skipped} skipped` : '')),
    ...(data.partial ? [el('p', { className: 'warning' }, 'The last scan was cancelled: this report covers only part of the workspace.')] : []),
    toolbar(),
    el('section', { className: 'overall' },
      el('div', {}, el('div', { className: `score ${s.band}` }, String(s.score)), el('div', { className: 'muted' }, `out of 100 · ${s.band}`)),
      chartBox('gauge', `Workspace score ${s.score} of 100`, gauge(s.score, s.band)),
      el('p', {}, s.costs.length ? `Points lost: ${s.costs.map((c) => `${c.ruleId} −${c.points}`).join(', ')}` : 'No finding costs any points.')),
    el('div', { className: 'grid' },
      el('section', {}, el('h2', {}, 'File scores'), chartBox('chart', 'Histogram of file scores', histogram(data))),
      el('section', {}, el('h2', {}, 'Findings by Rust concept'), chartBox('chart', 'Findings by Rust concept', concepts(data)))),
    el('h2', {}, 'Top rules'),
    table(['Rule', 'Rust concept', 'Findings', 'Files', 'Points lost'], [false, false, true, true, true],
      data.topRules.map((r) => [r.id, r.concept, r.count, r.files, r.points])),
    el('div', { className: 'grid' },
      el('section', {}, el('h2', {}, '10 worst files'), fileTable(data, data.worstFiles)),
      el('section', {}, el('h2', {}, '10 most ready files'), fileTable(data, data.mostReadyFiles))),
    el('h2', {}, 'Migration candidates'),
    el('p', { className: 'muted' }, 'Files and folders scoring at least 70, ranked by score / (1 + project files they include): they can move to Rust first.'),
    table(['Kind', 'Path', 'Score', 'Depends on', 'Lines', 'Value'], [false, false, true, true, true, true],
      data.candidates.map((c) => [c.kind, c.kind === 'file' ? fileLink(data, c.path) : relative(data, c.path), c.score, c.projectIncludes, c.lines, c.value.toFixed(2)])),
  );
}

function toolbar(): HTMLElement {
  const button = (label: string, type: 'rescan' | 'export') => {
    const b = el('button', {}, label);
    b.addEventListener('click', () => vscode.postMessage({ type }));
    return b;
  };
  return el('div', { className: 'toolbar' }, button('Rescan', 'rescan'), button('Export…', 'export'));
}

function gauge(score: number, band: Band): ChartConfiguration<'doughnut'> {
  return {
    type: 'doughnut',
    data: { labels: ['score', 'missing'], datasets: [{ data: [score, 100 - score], backgroundColor: [bandColor(band), cssVar('--vscode-panel-border', '#8884')], borderWidth: 0 }] },
    options: { cutout: '70%', responsive: true, maintainAspectRatio: false, animation: false, plugins: { tooltip: { enabled: false } } },
  };
}

function histogram(data: ReportViewData): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: data.histogram.map((b) => (b.from === b.to ? String(b.from) : `${b.from}–${b.to}`)),
      datasets: [{ label: 'files', data: data.histogram.map((b) => b.count), backgroundColor: data.histogram.map((b) => bandColor(bandOf(b.from))) }],
    },
    options: axes('score', 'files'),
  };
}

function concepts(data: ReportViewData): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: data.concepts.map((c) => c.key),
      datasets: [{ label: 'findings', data: data.concepts.map((c) => c.count), backgroundColor: cssVar('--vscode-charts-blue', '#3794ff') }],
    },
    options: { ...axes('findings', ''), indexAxis: 'y' },
  };
}

function axes(x: string, y: string): ChartConfiguration<'bar'>['options'] {
  const color = cssVar('--vscode-foreground', '#888');
  const grid = cssVar('--vscode-panel-border', '#8884');
  // autoSkip off: a category axis must name every bar (Chart.js drops every other label when crowded).
  const scale = (title: string) => ({ ticks: { color, precision: 0, autoSkip: false }, grid: { color: grid }, title: { display: !!title, text: title, color } });
  return { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: scale(x), y: scale(y) } };
}

/** A canvas for one chart, labelled for screen readers (the numbers are also in the tables). */
function chartBox(className: string, label: string, config: ChartConfiguration<'doughnut'> | ChartConfiguration<'bar'>): HTMLElement {
  const canvas = el('canvas', {});
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const box = el('div', { className }, canvas);
  // Charts measure their box: create them once the box is in the page.
  void chartJs.then((Chart) => {
    if (canvas.isConnected) charts.push(new Chart(canvas, config));
  });
  return box;
}

function fileTable(data: ReportViewData, files: readonly FileRef[]): HTMLElement {
  return table(['File', 'Score', 'Lines', 'Findings'], [false, true, true, true],
    files.map((f) => [fileLink(data, f.path), f.score, f.lines, f.findings]));
}

function fileLink(data: ReportViewData, path: string): HTMLElement {
  const a = el('a', { className: 'file', title: path }, relative(data, path));
  a.tabIndex = 0;
  const open = () => vscode.postMessage({ type: 'open', path });
  a.addEventListener('click', open);
  a.addEventListener('keydown', (e) => e.key === 'Enter' && open());
  return a;
}

type Cell = string | number | HTMLElement;

function table(headers: string[], numeric: boolean[], rows: Cell[][]): HTMLElement {
  if (rows.length === 0) return el('p', { className: 'muted' }, 'None.');
  const head = el('tr', {}, ...headers.map((h, i) => el('th', { className: numeric[i] ? 'n' : '' }, h)));
  const body = rows.map((row) => el('tr', {}, ...row.map((cell, i) => el('td', { className: numeric[i] ? 'n' : '' }, cell))));
  return el('table', {}, el('thead', {}, head), el('tbody', {}, ...body));
}

/** An element whose string children become text nodes: nothing here is ever parsed as HTML. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; title?: string }, ...children: Cell[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.title) e.title = props.title;
  for (const c of children) e.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  return e;
}

function replace(...nodes: HTMLElement[]): void {
  for (const c of charts) c.destroy();
  charts = [];
  app.replaceChildren(...nodes);
}

function relative(data: ReportViewData, path: string): string {
  const prefix = data.root.endsWith('/') ? data.root : data.root + '/';
  return data.root && path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

function bandOf(score: number): Band {
  return score >= 80 ? 'ready' : score >= 50 ? 'partial' : 'blocked';
}

function bandColor(band: Band): string {
  return band === 'ready' ? cssVar('--vscode-charts-green', '#89d185') : band === 'partial' ? cssVar('--vscode-charts-yellow', '#cca700') : cssVar('--vscode-charts-red', '#f14c4c');
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

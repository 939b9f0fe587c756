// The workspace report model (scores, counts, folders, candidates, histogram,
// deterministic order) and its Markdown and HTML renderings (tables, inline SVG,
// no script, everything escaped).
import * as assert from 'node:assert/strict';
import { RULES } from '../server/src/engine';
import { aggregateScores, scoreFindings, weightsOf } from '../server/src/engine/score';
import { CANDIDATE_MIN_SCORE, buildReport, quotedIncludes, toReportFinding, type ReportFileInput, type ReportFinding, type WorkspaceReport } from '../server/src/engine/report/model';
import { renderMarkdown } from '../server/src/engine/report/markdown';
import { escapeHtml, renderHtml } from '../server/src/engine/report/html';
import { loadEngine } from './helpers';

const metas = RULES.map((r) => r.meta);
const weights = weightsOf(metas);
const meta = (id: string) => metas.find((m) => m.id === id)!;

function finding(ruleId: string, line: number, message = `${ruleId} here`): ReportFinding {
  return { ruleId, severity: 'warning', message, start: { line, character: 2 }, end: { line, character: 9 } };
}

function many(ruleId: string, n: number): ReportFinding[] {
  return Array.from({ length: n }, (_, i) => finding(ruleId, i));
}

/** A small workspace under /ws: a clean util folder, a mostly clean net folder, a dense core. */
function workspace(): ReportFileInput[] {
  return [
    { path: '/ws/src/net/socket.cpp', lines: 500, language: 'cpp', findings: many('raw-new', 2),
      text: '#include "socket.h"\n#include "../util/log.h"\n#include <vector>\nint x;\n' },
    { path: '/ws/src/net/socket.h', lines: 50, language: 'cpp', findings: [], includes: [] },
    { path: '/ws/src/util/log.h', lines: 20, language: 'c', findings: [], includes: [] },
    { path: '/ws/src/util/log.c', lines: 200, language: 'c', findings: [finding('goto', 10)], includes: ['log.h'] },
    { path: '/ws/src/core/engine.c', lines: 1000, language: 'c', findings: [...many('pointer-arithmetic', 30), finding('goto', 40)],
      includes: ['net/socket.h', 'util/log.h', 'missing.h', 'engine.c'] },
    { path: '/ws/main.cpp', lines: 100, language: 'cpp', findings: [], text: '#include <stdio.h>\n  #  include "missing.h"\n' },
  ];
}

describe('report model', () => {
  const report = buildReport(workspace(), metas);
  const file = (p: string) => report.files.find((f) => f.path === p)!;
  const folder = (p: string) => report.folders.find((d) => d.path === p)!;

  it('lists files by path with their scores, counts and findings', () => {
    assert.deepEqual(report.files.map((f) => f.path), [
      '/ws/main.cpp', '/ws/src/core/engine.c', '/ws/src/net/socket.cpp', '/ws/src/net/socket.h', '/ws/src/util/log.c', '/ws/src/util/log.h',
    ]);
    const engine = file('/ws/src/core/engine.c');
    assert.deepEqual(engine.ruleCounts, { goto: 1, 'pointer-arithmetic': 30 });
    assert.deepEqual(Object.keys(engine.ruleCounts), ['goto', 'pointer-arithmetic']);
    assert.equal(engine.score, scoreFindings(engine.findings, 1000, weights).score);
    assert.equal(engine.findings.length, 31);
    assert.equal(file('/ws/main.cpp').score, 100);
    assert.equal(file('/ws/src/util/log.c').band, 'ready');
    assert.equal(file('/ws/src/core/engine.c').band, 'blocked');
  });

  it('sums the workspace: files, lines, findings, severities and a line-weighted score', () => {
    const s = report.summary;
    assert.equal(s.files, 6);
    assert.equal(s.lines, 1870);
    assert.equal(s.findings, 34);
    assert.deepEqual(s.bySeverity, { error: 0, warning: 34, information: 0, hint: 0 });
    const expected = aggregateScores(report.files.map((f) => ({ lines: f.lines, score: scoreFindings(f.findings, f.lines, weights) })));
    assert.equal(s.score, expected.score);
    assert.equal(s.costs.reduce((t, c) => t + c.points, 0), 100 - s.score);
  });

  it('resolves project includes next to the file, then by suffix; ignores system, missing and self includes', () => {
    assert.deepEqual(file('/ws/src/net/socket.cpp').projectIncludes, ['/ws/src/net/socket.h', '/ws/src/util/log.h']);
    assert.deepEqual(file('/ws/src/core/engine.c').projectIncludes, ['/ws/src/net/socket.h', '/ws/src/util/log.h']);
    assert.deepEqual(file('/ws/main.cpp').projectIncludes, []);
    assert.deepEqual(quotedIncludes('#include "a.h"\n# include "b/c.h"\n#include <d.h>\n// #include "e.h"\n\t#include"include.h" // include\nint included;'),
      ['a.h', 'b/c.h', 'include.h']);
  });

  it('aggregates every folder below the root over all its files', () => {
    assert.equal(report.root, '/ws');
    assert.deepEqual(report.folders.map((d) => [d.path, d.parent, d.files]), [
      ['/ws/src', null, 5], ['/ws/src/core', '/ws/src', 1], ['/ws/src/net', '/ws/src', 2], ['/ws/src/util', '/ws/src', 2],
    ]);
    const net = folder('/ws/src/net');
    assert.equal(net.lines, 550);
    assert.equal(net.findings, 2);
    assert.equal(net.score, aggregateScores([500, 50].map((lines, i) => ({ lines, score: scoreFindings(i === 0 ? many('raw-new', 2) : [], lines, weights) }))).score);
    assert.equal(net.projectIncludes, 1, 'log.h lies outside net/');
    assert.equal(folder('/ws/src/util').projectIncludes, 0);
    assert.equal(folder('/ws/src/core').projectIncludes, 2);
    assert.equal(folder('/ws/src').projectIncludes, 0);
    for (const d of report.folders) assert.equal(d.costs.reduce((t, c) => t + c.points, 0), 100 - d.score, d.path);
  });

  it('counts per rule, per Rust concept and per category, with points that add up', () => {
    assert.deepEqual(Object.fromEntries(report.rules.map((r) => [r.id, [r.count, r.files]])),
      { 'pointer-arithmetic': [30, 1], goto: [2, 2], 'raw-new': [2, 1] });
    const order = report.rules.map((r) => -r.points);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'by points lost');
    assert.equal(report.rules[0].id, 'pointer-arithmetic', 'the densest blocker costs most');
    const pa = report.rules[0];
    assert.equal(pa.concept, meta('pointer-arithmetic').concept);
    assert.equal(pa.weight, meta('pointer-arithmetic').weight);
    for (const groups of [report.concepts, report.categories]) {
      assert.equal(groups.reduce((t, g) => t + g.points, 0), 100 - report.summary.score);
      assert.equal(groups.reduce((t, g) => t + g.count, 0), 34);
    }
    const ownership = report.categories.find((g) => g.key === meta('raw-new').category)!;
    assert.ok(ownership.rules.includes('raw-new'));
    assert.deepEqual(report.topRules, report.rules.slice(0, 10));
  });

  it('ranks the worst files (with findings) and the most ready files', () => {
    assert.deepEqual(report.worstFiles.map((f) => f.path), ['/ws/src/core/engine.c', '/ws/src/net/socket.cpp', '/ws/src/util/log.c']);
    assert.equal(report.mostReadyFiles[0].path, '/ws/main.cpp', 'clean, then the biggest');
    assert.deepEqual(report.mostReadyFiles.map((f) => f.score), [...report.mostReadyFiles.map((f) => f.score)].sort((a, b) => b - a));
  });

  it('ranks migration candidates by score / (1 + dependencies), headers and low scores left out', () => {
    assert.ok(report.candidates.length > 0);
    for (const c of report.candidates) {
      assert.ok(c.score >= CANDIDATE_MIN_SCORE, c.path);
      assert.ok(!/\.h$/.test(c.path), `${c.path}: a header is no candidate on its own`);
      assert.equal(c.value, Math.round((c.score / (1 + c.projectIncludes)) * 100) / 100);
    }
    const paths = report.candidates.map((c) => c.path);
    assert.ok(!paths.includes('/ws/src/core/engine.c') && !paths.includes('/ws/src/core'), 'a dense file is no candidate');
    assert.deepEqual(report.candidates.map((c) => c.value), [...report.candidates.map((c) => c.value)].sort((a, b) => b - a));
    // log.c's only include is its own header, so it depends on nothing; socket.cpp depends on log.h.
    const logC = report.candidates.find((c) => c.path === '/ws/src/util/log.c')!;
    const socket = report.candidates.find((c) => c.path === '/ws/src/net/socket.cpp')!;
    assert.equal(logC.projectIncludes, 0);
    assert.equal(socket.projectIncludes, 1);
    assert.ok(paths.indexOf('/ws/src/util') < paths.indexOf('/ws/src/net'));
  });

  it('leaves out folders that only wrap one subfolder', () => {
    const r = buildReport(['v/lib/a/x.c', 'v/lib/a/x2.c', 'v/lib/b/y.c', 'other.c'].map((path) => ({ path, lines: 50, language: 'c', findings: [] })), metas);
    assert.deepEqual(r.folders.map((d) => d.path), ['v', 'v/lib', 'v/lib/a', 'v/lib/b']);
    assert.deepEqual(r.candidates.filter((c) => c.kind === 'folder').map((c) => c.path), ['v/lib', 'v/lib/a']);
  });

  it('buckets file scores into a histogram of 0–9 … 90–99 and 100', () => {
    assert.equal(report.histogram.length, 11);
    assert.equal(report.histogram.reduce((t, b) => t + b.count, 0), report.files.length);
    assert.deepEqual(report.histogram[10], { from: 100, to: 100, count: report.files.filter((f) => f.score === 100).length });
    for (const f of report.files) {
      const bucket = report.histogram.find((b) => b.from <= f.score && f.score <= b.to)!;
      assert.ok(bucket.count > 0);
    }
  });

  it('is deterministic and JSON-serialisable: input order does not matter', () => {
    const reversed = buildReport(workspace().reverse().map((f) => ({ ...f, findings: [...f.findings].reverse() })), metas);
    assert.equal(JSON.stringify(reversed), JSON.stringify(report));
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  });

  it('keeps a finding of an unknown rule, normalises Windows paths, honours an explicit root', () => {
    const r = buildReport([
      { path: 'C:\\ws\\a\\x.cpp', lines: 10, language: 'cpp', findings: [finding('gone-rule', 1)] },
      { path: 'C:\\ws\\a\\y.cpp', lines: 10, language: 'cpp', findings: [] },
    ], metas, { root: 'C:\\ws\\' });
    assert.equal(r.root, 'C:/ws');
    assert.deepEqual(r.files.map((f) => f.path), ['C:/ws/a/x.cpp', 'C:/ws/a/y.cpp']);
    assert.deepEqual(r.folders.map((d) => d.path), ['C:/ws/a']);
    assert.deepEqual([r.rules[0].id, r.rules[0].concept], ['gone-rule', 'unknown']);
    assert.ok(r.files[0].score < 100);
  });

  it('handles relative paths and an empty workspace', () => {
    const r = buildReport([{ path: 'lib/a.c', lines: 5, language: 'c', findings: [] }, { path: 'b.c', lines: 5, language: 'c', findings: [] }], metas);
    assert.equal(r.root, '.');
    assert.deepEqual(r.folders.map((d) => d.path), ['lib']);
    const empty = buildReport([], metas);
    assert.equal(empty.summary.score, 100);
    assert.equal(empty.summary.files, 0);
  });

  it('scores functions when their ranges are given, from real engine findings', async () => {
    const engine = await loadEngine();
    const text = 'void ok() {}\nvoid bad(int n) {\n  int *p = new int(n);\n  goto out;\nout:;\n}\n';
    const a = engine.analyze(text, 'f.cpp');
    a.tree.delete();
    const r = buildReport([{ path: 'f.cpp', lines: 6, language: a.lang, text, findings: a.findings.map(toReportFinding),
      functions: [{ name: 'ok', startLine: 0, endLine: 0 }, { name: 'bad', startLine: 1, endLine: 5 }] }], metas);
    const fns = r.files[0].functions!;
    assert.deepEqual(fns.map((f) => [f.name, f.score.costs.map((c) => c.ruleId).sort()]), [['ok', []], ['bad', ['goto', 'raw-new']]]);
    assert.equal(fns[0].score.score, 100);
    assert.ok(fns[1].score.score < 100);
  });
});

const EVIL_FILE = '/ws/src/<img src=x onerror=alert(1)>.cpp';
const EVIL_MESSAGE = '<script>alert("x")</script> & | `tick` *bold*';

function evilReport(): WorkspaceReport {
  return buildReport([
    ...workspace(),
    { path: EVIL_FILE, lines: 40, language: 'cpp', findings: [finding('raw-new', 3, EVIL_MESSAGE), finding('evil<b>rule</b>|x', 4)] },
  ], metas);
}

describe('markdown report', () => {
  const md = renderMarkdown(evilReport());

  it('has the overall score and the tables of the report', () => {
    const r = evilReport();
    assert.match(md, new RegExp(`\\*\\*Workspace score: ${r.summary.score} / 100\\*\\*`));
    for (const h of ['## Score distribution', '## Findings by Rust concept', '## Top rules', '## Worst files', '## Most ready files', '## Migration candidates', '## Folders']) {
      assert.ok(md.includes(h), h);
    }
    assert.ok(md.includes('| src/core/engine.c | '), 'worst file listed relative to the root');
    assert.ok(md.includes(`| pointer-arithmetic | ${meta('pointer-arithmetic').title} |`));
  });

  it('escapes file names and rule ids: no raw tag, no broken table', () => {
    assert.ok(!/<(img|script|b)\b/i.test(md), 'no raw tag');
    assert.ok(md.includes('src/&lt;img src=x onerror=alert(1)&gt;.cpp'));
    assert.ok(md.includes('evil&lt;b&gt;rule&lt;/b&gt;\\|x'));
    assert.ok(md.includes('| 4:3 | raw-new | &lt;script&gt;alert("x")&lt;/script&gt; &amp; \\| \\`tick\\` \\*bold\\* |'), 'the message, escaped');
    // Every row of a table has as many unescaped cell separators as its header.
    const tables = md.split(/\n(?!\|)/).map((block) => block.split('\n').filter((l) => l.startsWith('|'))).filter((t) => t.length > 0);
    assert.ok(tables.length >= 8);
    const cells = (l: string) => l.split(/(?<!\\)\|/).length;
    for (const t of tables) for (const row of t) assert.equal(cells(row), cells(t[0]), row);
  });

  it('is byte-identical for the same report', () => {
    assert.equal(renderMarkdown(evilReport()), md);
  });
});

describe('html report', () => {
  const page = renderHtml(evilReport());

  it('is self-contained: no script, no external resource, a strict CSP', () => {
    assert.ok(!/<script/i.test(page), 'no script element');
    // Inside tags only: the escaped file name legitimately shows "src=x onerror=" as text.
    assert.ok(!/<[^>]*\son\w+\s*=/i.test(page), 'no event handler attribute');
    assert.ok(!/<[^>]*\b(src|href)\s*=/i.test(page), 'nothing loaded or linked');
    assert.ok(!/https?:\/\//i.test(page), 'no URL at all');
    assert.ok(!/<[^>]*\sstyle\s*=/i.test(page), 'no inline style attribute (the CSP would block it)');
    assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'">/);
  });

  it('allows exactly its own stylesheet by hash', async () => {
    const { createHash } = await import('node:crypto');
    const css = /<style>([\s\S]*?)<\/style>/.exec(page)![1];
    const hash = /style-src 'sha256-([^']+)'/.exec(page)![1];
    assert.equal(createHash('sha256').update(css).digest('base64'), hash);
  });

  it('draws the charts as inline SVG: histogram bars, concept bars, the score ring', () => {
    const r = evilReport();
    const svgs = page.match(/<svg\b/g) ?? [];
    assert.equal(svgs.length, 4, 'gauge, histogram, concepts, categories');
    assert.equal((page.match(/<rect /g) ?? []).length, 11 + r.concepts.length + r.categories.length);
    assert.ok(page.includes(`aria-label="Workspace score ${r.summary.score} of 100"`));
  });

  it('escapes every file name and message: they show as text', () => {
    assert.ok(!/<img/i.test(page), 'no raw img tag');
    assert.ok(!/<b>/i.test(page), 'no raw b tag');
    assert.ok(page.includes('src/&lt;img src=x onerror=alert(1)&gt;.cpp'));
    assert.ok(page.includes('evil&lt;b&gt;rule&lt;/b&gt;|x'));
    assert.ok(page.includes('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; | `tick` *bold*</td>'), 'the message, escaped');
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('lists the worst files and the candidates', () => {
    const r = evilReport();
    assert.ok(page.includes(`<td class="path">src/core/engine.c</td>`));
    for (const c of r.candidates) assert.ok(page.includes(`<td class="path">${escapeHtml(c.path.slice('/ws/'.length))}</td>`), c.path);
  });
});

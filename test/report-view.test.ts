// The report webview's security: the HTML shell (client/src/reportHtml.ts) has a
// strict CSP with a fresh crypto nonce that every script and style carries, and
// no data in it; the data goes by typed message (client/src/webview/protocol.ts)
// and the page (client/src/webview/report.ts, bundled to dist/webview.js) sets
// text only, loads nothing from the network, and the extension checks what the
// page asks for.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../server/src/engine';
import { buildReport } from '../server/src/engine/report/model';
import type { WorkspaceReportResult } from '../server/src/protocol';
import { makeNonce, reportShellHtml } from '../client/src/reportHtml';
import { parseFromWebview, toReportViewData } from '../client/src/webview/protocol';
import { JSDOM, VirtualConsole } from 'jsdom';
import { ROOT } from './helpers';

const HOSTILE = '<img src=x onerror=alert(1)>.cpp';
const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const SCRIPT = 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js';

function cspOf(html: string): Map<string, string[]> {
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(meta, 'a CSP meta tag');
  return new Map(meta[1].split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe('report webview', () => {
  describe('HTML shell', () => {
    const nonce = makeNonce();
    const html = reportShellHtml({ cspSource: CSP_SOURCE, scriptUri: SCRIPT, nonce });

    it('has a strict CSP carrying the nonce', () => {
      const csp = cspOf(html);
      assert.deepEqual(csp.get('default-src'), ["'none'"]);
      assert.deepEqual(csp.get('script-src'), [`'nonce-${nonce}'`]);
      assert.deepEqual(csp.get('style-src'), [CSP_SOURCE, `'nonce-${nonce}'`]);
      assert.deepEqual(csp.get('img-src'), [CSP_SOURCE, 'data:']);
      assert.ok(![...csp.values()].flat().some((v) => /unsafe-(inline|eval)|^\*$|^https?:$/.test(v)), 'no unsafe or wildcard sources');
    });

    it('gives the nonce to every script and style, and has no inline script', () => {
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      assert.equal(scripts.length, 1);
      for (const [, attrs, body] of scripts) {
        assert.match(attrs, new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`));
        assert.match(attrs, new RegExp(`src="${SCRIPT.replace(/[.+/]/g, '\\$&')}"`));
        assert.equal(body.trim(), '');
      }
      const styles = [...html.matchAll(/<style\b([^>]*)>/g)];
      assert.equal(styles.length, 1);
      assert.ok(styles[0][1].includes(`nonce="${nonce}"`));
      assert.ok(!/\son[a-z]+=/i.test(html), 'no event handler attributes');
      assert.ok(!/style="/.test(html), 'no style attributes');
    });

    it('takes no report data: the same shell whatever the report holds', () => {
      // The function has no data parameter; interpolated are only the CSP source, nonce and script URI.
      assert.equal(reportShellHtml.length, 1);
      assert.equal(reportShellHtml({ cspSource: CSP_SOURCE, scriptUri: SCRIPT, nonce }), html);
      assert.ok(!html.includes('<img'));
    });

    it('escapes what it interpolates', () => {
      const odd = reportShellHtml({ cspSource: CSP_SOURCE, scriptUri: 'https://x/"><script>alert(1)</script>', nonce });
      assert.equal([...odd.matchAll(/<script\b/g)].length, 1);
      assert.ok(odd.includes('src="https://x/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
      assert.throws(() => reportShellHtml({ cspSource: CSP_SOURCE, scriptUri: SCRIPT, nonce: "abc' 'unsafe-inline" }), /nonce/);
    });

    it('draws a fresh 128-bit nonce from crypto each time', () => {
      const nonces = new Set(Array.from({ length: 50 }, makeNonce));
      assert.equal(nonces.size, 50);
      for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 16);
      const a = cspOf(reportShellHtml({ cspSource: CSP_SOURCE, scriptUri: SCRIPT })).get('script-src');
      const b = cspOf(reportShellHtml({ cspSource: CSP_SOURCE, scriptUri: SCRIPT })).get('script-src');
      assert.notDeepEqual(a, b);
    });
  });

  describe('page script', () => {
    const source = fs.readFileSync(path.join(ROOT, 'client/src/webview/report.ts'), 'utf8');
    const bundle = fs.readFileSync(path.join(ROOT, 'dist/webview.js'), 'utf8');

    it('never parses data as HTML', () => {
      for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'DOMParser', 'eval(', 'new Function', 'setAttribute(\'style\'', 'srcdoc']) {
        assert.ok(!source.includes(sink), `${sink} in webview/report.ts`);
      }
      assert.match(source, /document\.createTextNode\(String\(c\)\)/, 'strings become text nodes');
    });

    it('is one bundle with chart.js inside that loads nothing at run time', () => {
      assert.match(bundle, /Chart/);
      for (const loader of ['fetch(', 'XMLHttpRequest', 'import(', 'require(', 'importScripts', 'WebSocket', 'innerHTML', 'insertAdjacentHTML']) {
        assert.ok(!bundle.includes(loader), `${loader} in dist/webview.js`);
      }
    });
  });

  describe('page in a DOM (jsdom)', () => {
    const report = buildReport([
      { path: `/ws/src/${HOSTILE}`, lines: 50, language: 'cpp', findings: [{ ruleId: 'raw-new', severity: 'warning', message: 'm', start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }] },
      { path: '/ws/src/"><svg onload=alert(2)>.c', lines: 80, language: 'c', findings: [] },
    ], RULES.map((r) => r.meta), { root: '/ws' });
    const result: WorkspaceReportResult = { version: 1, report, skipped: [], stats: { kind: 'scan', fromCache: 0, analyzed: 2, workers: 0, durationMs: 1, cancelled: false } };

    /** Loads the shell and dist/webview.js as the webview would, with a stand-in for the VS Code API. */
    function loadPage() {
      const posted: unknown[] = [];
      const virtualConsole = new VirtualConsole(); // canvas is not implemented in jsdom: charts stay empty
      const dom = new JSDOM(reportShellHtml({ cspSource: CSP_SOURCE, scriptUri: 'webview.js' }), { runScripts: 'outside-only', virtualConsole });
      const window = dom.window as unknown as { acquireVsCodeApi: () => unknown; eval(code: string): void };
      // Through JSON, as VS Code carries messages (and out of the page's realm, for deepEqual).
      window.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))) });
      window.eval(fs.readFileSync(path.join(ROOT, 'dist/webview.js'), 'utf8'));
      return { dom, posted };
    }

    async function send(dom: JSDOM, data: unknown): Promise<void> {
      dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data }));
      await new Promise((resolve) => setImmediate(resolve));
    }

    it('says it is ready, then shows hostile file names as text, never as elements', async () => {
      const { dom, posted } = loadPage();
      assert.deepEqual(posted, [{ type: 'ready' }]);
      await send(dom, { type: 'report', data: toReportViewData(result) });
      const doc = dom.window.document;
      assert.equal(doc.querySelector('h1')?.textContent, 'Rust Readiness Report');
      assert.equal(doc.querySelectorAll('img, svg, iframe, object, embed').length, 0, 'no element from a file name');
      assert.ok(![...doc.querySelectorAll('*')].some((e) => [...e.attributes].some((a) => a.name.startsWith('on'))), 'no event handler attribute');
      const links = [...doc.querySelectorAll('a.file')].map((a) => a.textContent);
      assert.ok(links.includes(`src/${HOSTILE}`), links.join(' | '));
      assert.ok(links.includes('src/"><svg onload=alert(2)>.c'));
      assert.equal(doc.querySelector('.score')?.textContent, String(report.summary.score));
      assert.equal(doc.querySelectorAll('canvas').length, 3, 'gauge, histogram, concepts');
    });

    it('asks the extension to open a file, rescan and export', async () => {
      const { dom, posted } = loadPage();
      await send(dom, { type: 'report', data: toReportViewData(result) });
      const doc = dom.window.document;
      const link = [...doc.querySelectorAll('a.file')].find((a) => a.textContent === `src/${HOSTILE}`) as unknown as { click(): void };
      link.click();
      for (const b of doc.querySelectorAll('button')) (b as unknown as { click(): void }).click();
      assert.deepEqual(posted.slice(1), [{ type: 'open', path: `/ws/src/${HOSTILE}` }, { type: 'rescan' }, { type: 'export' }]);
    });
  });

  describe('messages', () => {
    const report = buildReport([
      { path: `/ws/src/${HOSTILE}`, lines: 50, language: 'cpp', findings: [{ ruleId: 'raw-new', severity: 'warning', message: '<b>new</b>', start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }] },
      { path: '/ws/src/ok.cpp', lines: 50, language: 'cpp', findings: [] },
    ], RULES.map((r) => r.meta), { root: '/ws' });
    const result: WorkspaceReportResult = {
      version: 3, report, skipped: [{ path: '/ws/bin.c', reason: 'binary', detail: 'contains NUL bytes' }],
      stats: { kind: 'scan', fromCache: 0, analyzed: 2, workers: 0, durationMs: 5, cancelled: true },
    };

    it('sends the page the summary, charts and lists, with names as they are (the page renders text)', () => {
      const data = toReportViewData(result);
      assert.equal(data.summary.score, report.summary.score);
      assert.deepEqual(data.histogram, report.histogram);
      assert.deepEqual(data.worstFiles.map((f) => f.path), [`/ws/src/${HOSTILE}`]);
      assert.equal(data.skipped, 1);
      assert.equal(data.partial, true);
      assert.ok(!JSON.stringify(data).includes('<b>new</b>'), 'not every finding message: the page needs none');
    });

    it('accepts only well-formed messages from the page', () => {
      assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
      assert.deepEqual(parseFromWebview({ type: 'open', path: '/ws/a.cpp', extra: 1 }), { type: 'open', path: '/ws/a.cpp' });
      assert.equal(parseFromWebview({ type: 'open', path: 42 }), undefined);
      assert.equal(parseFromWebview({ type: 'runCommand', command: 'x' }), undefined);
      assert.equal(parseFromWebview(null), undefined);
      assert.equal(parseFromWebview('ready'), undefined);
    });
  });
});

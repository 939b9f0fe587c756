// The HTML shell of the report webview: a strict CSP with a fresh nonce, one
// stylesheet and one script, both carrying the nonce. No report data is ever
// put into this HTML: the page gets it by postMessage and renders it with
// textContent. Pure (no vscode import), so test/report-view.test.ts checks it.
import { randomBytes } from 'node:crypto';

export interface ShellOptions {
  /** webview.cspSource */
  cspSource: string;
  /** webview.asWebviewUri(dist/webview.js) as a string. */
  scriptUri: string;
  nonce?: string;
}

/** 128 random bits from the OS's CSPRNG, base64: never Math.random. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export function reportShellHtml(options: ShellOptions): string {
  const nonce = options.nonce ?? makeNonce();
  if (!/^[A-Za-z0-9+/=]+$/.test(nonce)) throw new Error('a nonce is base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${options.cspSource} 'nonce-${nonce}'`,
    `img-src ${options.cspSource} data:`,
    `font-src ${options.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rust Readiness Report</title>
<style nonce="${nonce}">${CSS}</style>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Loading the report…</p></main>
<script nonce="${nonce}" src="${attr(options.scriptUri)}"></script>
</body>
</html>
`;
}

/** For a double-quoted attribute value (the CSP keeps its single quotes readable). */
function attr(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const CSS = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5rem 2rem; max-width: 1200px; }
h1 { font-size: 1.6em; margin: 1rem 0 .25rem; }
h2 { font-size: 1.15em; margin: 1.75rem 0 .5rem; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .25rem; }
.muted { color: var(--vscode-descriptionForeground); }
.toolbar { display: flex; gap: .5rem; margin: .75rem 0; }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: .3rem .8rem; cursor: pointer; border-radius: 2px; }
button:hover { background: var(--vscode-button-hoverBackground); }
.overall { display: flex; align-items: center; gap: 2rem; flex-wrap: wrap; }
.score { font-size: 3.2em; font-weight: 700; line-height: 1; }
.ready { color: var(--vscode-charts-green); } .partial { color: var(--vscode-charts-yellow); } .blocked { color: var(--vscode-charts-red); }
.gauge { width: 140px; height: 140px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 2rem; }
.chart { position: relative; height: 260px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
a.file { color: var(--vscode-textLink-foreground); cursor: pointer; word-break: break-all; font-family: var(--vscode-editor-font-family); }
a.file:hover { text-decoration: underline; }
.warning { color: var(--vscode-editorWarning-foreground); }
`;

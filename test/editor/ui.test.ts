// What a user sees, in the real workbench: code-server with the installed .vsix,
// driven through chromium. The workspace is a copy of samples/. What the screen
// must show comes from the engine and the CLI run on the same files, never from
// numbers written here. Every failure saves a screenshot under
// test-output/editor/screenshots/; `npm run screenshots` also writes the README's
// pictures (docs/images/) from the same steps.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { applyEdits, Engine, RULES, type Finding } from '../../server/src/engine';
import { launchBrowser, type Browser } from './browser';
import { CodeServer, EXTENSION_ID, freshWorkspace, OUTPUT_ROOT } from './codeServer';
import { NetworkGuard } from './network';
import { waitFor } from './wait';
import { ensureVsix, REPO_ROOT } from './vsix';

const SHOTS = path.join(OUTPUT_ROOT, 'screenshots');
const README_IMAGES = process.env.RUST_READINESS_SCREENSHOTS ? path.join(REPO_ROOT, 'docs/images') : undefined;
const UI_MS = 30_000;
const FILE = 'resource_manager.cpp';
const SECOND_FILE = 'ring_buffer.c';
const STATUS_ITEM = `[id="${EXTENSION_ID}.rustReadiness.score"]`;

interface CliReport {
  summary: { score: number; files: number; findings: number };
  files: Array<{ path: string; score: number; findings: Array<{ ruleId: string; start: { line: number; character: number } }> }>;
}

/** The CLI shipped with the build, on the workspace as it is on disk now. */
function cliReport(folder: string): CliReport {
  const json = execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist/cli.js'), 'report', folder, '--format', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(json) as CliReport;
}

function normalize(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

describe('real editor: what users see in VS Code (code-server + chromium)', function () {
  this.timeout(120_000);
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let network: NetworkGuard;
  let engine: Engine;
  let workspace: string;
  const consoleErrors: Array<{ text: string; url: string }> = [];

  async function shot(name: string, readme = false): Promise<void> {
    const file = path.join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file });
    if (readme && README_IMAGES) {
      mkdirSync(README_IMAGES, { recursive: true });
      copyFileSync(file, path.join(README_IMAGES, `${name}.png`));
    }
  }

  /** The workbench's editor, as text (view lines only render what is on screen). */
  const editorText = async () => normalize(await page.locator('.editor-instance .view-lines').first().innerText());

  const quickInput = () => page.locator('.quick-input-widget');

  /** Types into the quick input (Ctrl+P, Ctrl+G) once it is open, picks with Enter, and waits for it to close. */
  async function quickPick(keys: string, value: string, ready?: string): Promise<void> {
    await page.keyboard.press(keys);
    const input = quickInput().locator('input');
    await input.waitFor({ timeout: UI_MS });
    await input.fill(value);
    if (ready) await quickInput().locator('.monaco-list-row', { hasText: ready }).first().waitFor({ timeout: UI_MS });
    await page.keyboard.press('Enter');
    await quickInput().waitFor({ state: 'hidden', timeout: UI_MS });
  }

  async function openFile(name: string): Promise<void> {
    await quickPick('Control+P', name, name);
    await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: UI_MS });
  }

  async function goTo(line: number, column: number): Promise<void> {
    // Ctrl+G opens the quick input in go-to-line mode, whose value starts with ':'.
    await quickPick('Control+G', `:${line}:${column}`);
    await page.locator('#status\\.editor\\.selection', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: UI_MS });
  }

  /** The middle of the text cursor: the mouse goes there to hover. */
  async function cursorPoint(): Promise<{ x: number; y: number }> {
    const box = await page.locator('.editor-instance .cursors-layer .cursor').first().boundingBox();
    assert.ok(box, 'no text cursor on screen');
    return { x: box.x + 4, y: box.y + box.height / 2 };
  }

  /** Whether a squiggle is drawn under a point of the editor. */
  async function squiggleAt(point: { x: number; y: number }): Promise<boolean> {
    for (const box of await page.locator('.editor-instance [class*="squiggly-"]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })))) {
      if (point.x >= box.x && point.x <= box.x + box.w && point.y >= box.y - 2 && point.y <= box.y + box.h + 2) return true;
    }
    return false;
  }

  /** The sum of the counts in the status bar's problems item (errors, warnings, infos). */
  async function problemCount(): Promise<number> {
    const label = (await page.locator('#status\\.problems').getAttribute('aria-label')) ?? '';
    return [...label.matchAll(/: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  }

  const shown = (findings: Finding[]) => findings.filter((f) => f.severity !== 'hint');
  const analyze = (name: string, text = readFileSync(path.join(workspace, name), 'utf8')) => engine.analyze(text, path.join(workspace, name)).findings;

  /** The first finding with a fix that no other finding overlaps: Ctrl+. there offers exactly one preferred fix. */
  function fixTarget(findings: Finding[]): Finding {
    const target = findings.find((f) => f.fix && findings.filter((g) => g.start <= f.start + 1 && g.end >= f.start + 1).length === 1);
    assert.ok(target, `${FILE} has no finding with a fix of its own`);
    return target;
  }

  before(async function () {
    this.timeout(20 * 60_000); // a fresh machine installs chromium and code-server first
    const vsix = ensureVsix();
    engine = await Engine.create(RULES, path.join(REPO_ROOT, 'grammars'), path.join(REPO_ROOT, 'dist'));
    workspace = freshWorkspace('ui', path.join(REPO_ROOT, 'samples'));
    server = await CodeServer.start({ name: 'ui', vsix });
    browser = await launchBrowser(server.dir);
    page = browser.page;
    network = new NetworkGuard(browser.context);
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location().url });
    });
    await page.goto(server.workbenchUrl(workspace), { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = `failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60)}`;
      await shot(name).catch(() => undefined);
      console.log(`    screenshot: ${path.join(SHOTS, `${name}.png`)}`);
    }
  });

  after(async function () {
    this.timeout(60_000);
    await browser?.close();
    await server?.stop();
  });

  it('a C++ file shows squiggles, and the Problems panel lists the findings with rule ids', async function () {
    await openFile(FILE);
    await page.locator('.editor-instance [class*="squiggly-"]').first().waitFor({ timeout: 60_000 });
    const expected = shown(analyze(FILE));
    await waitFor(async () => (await problemCount()) === expected.length, UI_MS, async () => `the status bar counts ${await problemCount()} problems, the engine ${expected.length}`);
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row .marker-code');
    await rows.first().waitFor({ timeout: UI_MS });
    const wanted = new Set(expected.map((f) => `${f.ruleId} [Ln ${f.startPos.line + 1}, Col ${f.startPos.character + 1}]`));
    const listed = await page.locator('.markers-panel .monaco-list-row').evaluateAll((els) =>
      els.map((e) => [e.querySelector('.marker-code')?.textContent, e.querySelector('.marker-line')?.textContent]).filter(([code]) => code));
    assert.ok(listed.length >= Math.min(5, expected.length), `only ${listed.length} problems on screen`);
    for (const [code, where] of listed) {
      const ruleId = /\(([a-z0-9-]+)\)/.exec(code ?? '')?.[1] ?? code;
      assert.ok(wanted.has(`${ruleId} ${where}`), `the Problems panel lists ${code} ${where}, which the engine does not report`);
    }
    await page.keyboard.press('Control+Shift+M'); // close the panel again, for the pictures
  });

  it('hovering a squiggle shows the explanation with the Rust snippet', async function () {
    await openFile(FILE);
    const target = fixTarget(analyze(FILE));
    await goTo(target.startPos.line + 1, target.startPos.character + 2);
    const point = await cursorPoint();
    assert.ok(await squiggleAt(point), `no squiggle under ${target.ruleId} at ${target.startPos.line + 1}:${target.startPos.character + 1}`);
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/rules', `${target.ruleId}.md`), 'utf8');
    const snippet = /```rust\n([\s\S]*?)```/.exec(doc)?.[1].trim();
    assert.ok(snippet, `docs/rules/${target.ruleId}.md has no Rust snippet`);
    const hover = page.locator('.monaco-hover', { hasText: target.ruleId }).first();
    // The mouse must arrive from elsewhere for the editor to start its hover delay.
    await page.mouse.move(point.x + 200, point.y + 150);
    await page.mouse.move(point.x, point.y, { steps: 4 });
    await hover.waitFor({ timeout: UI_MS });
    const text = normalize(await hover.innerText());
    for (const line of snippet.split('\n').map((l) => l.trim()).filter(Boolean)) assert.ok(text.includes(line), `the hover lacks the Rust line "${line}":\n${text}`);
    assert.ok(/Rust/.test(text), 'the hover does not explain what Rust requires');
    await shot('hover', true);
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
  });

  it('Ctrl+. then Enter applies the preferred fix; the squiggle goes and a save writes it to disk', async function () {
    await openFile(FILE);
    const file = path.join(workspace, FILE);
    const before = readFileSync(file, 'utf8');
    const findings = analyze(FILE, before);
    const target = fixTarget(findings);
    const expected = applyEdits(before, target.fix!.edits);
    const changedLine = expected.split('\n')[target.startPos.line].trim();
    await goTo(target.startPos.line + 1, target.startPos.character + 2);
    const point = await cursorPoint();
    await page.keyboard.press('Control+.');
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    await focused.waitFor({ timeout: UI_MS });
    assert.equal((await focused.innerText()).trim(), target.fix!.title, 'the focused quick fix is not the preferred fix');
    await shot('quick-fix', true);
    await page.keyboard.press('Enter');
    await waitFor(async () => (await editorText()).includes(changedLine), UI_MS, `the editor does not show "${changedLine}"`);
    const remaining = shown(analyze(FILE, expected)).length;
    await waitFor(async () => (await problemCount()) === remaining, UI_MS, async () => `${await problemCount()} problems after the fix, the engine says ${remaining}`);
    await waitFor(async () => !(await squiggleAt(point)), UI_MS, 'the squiggle is still drawn after the fix');
    assert.equal(readFileSync(file, 'utf8'), before, 'the file changed on disk before the save');
    await page.keyboard.press('Control+S');
    await waitFor(() => readFileSync(file, 'utf8') === expected, UI_MS, 'the save did not write the fixed text to disk');
  });

  it('the activity-bar panel shows the workspace score and the files; a finding opens its file at its line', async function () {
    await page.locator('.part.activitybar a[aria-label="Rust Readiness"]').click();
    const scan = page.getByRole('button', { name: 'Scan workspace', exact: true });
    const rows = page.locator('.part.sidebar .monaco-list-row[role="treeitem"]');
    const workspaceRow = rows.filter({ hasText: 'Workspace:' });
    // First time: the welcome view's button scans (the report may also come back from the cache).
    await waitFor(async () => (await workspaceRow.count()) > 0 || (await scan.isVisible()), UI_MS, 'neither the scan button nor a report');
    if (await scan.isVisible()) await scan.click();
    await workspaceRow.first().waitFor({ timeout: 60_000 });
    const cli = cliReport(workspace);
    await waitFor(async () => normalize(await workspaceRow.first().innerText()).includes(`Workspace: ${cli.summary.score}/100`), UI_MS,
      async () => `the panel shows "${await workspaceRow.first().innerText()}", the CLI scores the workspace ${cli.summary.score}`);
    for (const f of cli.files) {
      const row = rows.filter({ hasText: path.basename(f.path) }).first();
      await row.waitFor({ timeout: UI_MS });
      const text = normalize(await row.innerText());
      assert.ok(text.includes(`${f.score} · ${f.findings.length} finding`), `${path.basename(f.path)} shows "${text}", the CLI says score ${f.score}, ${f.findings.length} findings`);
    }
    // Open a finding: the file, then its rule, then the finding (labelled line:column).
    const second = cli.files.find((f) => path.basename(f.path) === SECOND_FILE);
    assert.ok(second && second.findings.length > 0, `${SECOND_FILE} has no findings`);
    const finding = second.findings.find((f) => second.findings.filter((g) => g.ruleId === f.ruleId).length === 1) ?? second.findings[0];
    await rows.filter({ hasText: SECOND_FILE }).first().click();
    await rows.filter({ hasText: finding.ruleId }).first().click();
    const label = `${finding.start.line + 1}:${finding.start.character + 1}`;
    await rows.filter({ hasText: label }).first().click();
    await page.locator('.tab.active', { hasText: SECOND_FILE }).waitFor({ timeout: UI_MS });
    await page.locator('#status\\.editor\\.selection', { hasText: `Ln ${finding.start.line + 1},` }).waitFor({ timeout: UI_MS });
  });

  it('the status bar item shows the file score and the workspace score', async function () {
    const cli = cliReport(workspace);
    const file = cli.files.find((f) => path.basename(f.path) === SECOND_FILE);
    assert.ok(file);
    await openFile(SECOND_FILE);
    const item = page.locator(STATUS_ITEM);
    await waitFor(async () => normalize(await item.innerText()).trim() === `${file.score} · ${cli.summary.score}`, UI_MS,
      async () => `the status item shows "${await item.innerText()}", the CLI says ${file.score} · ${cli.summary.score}`);
    const icon = item.locator('.codicon-checklist');
    assert.equal(await icon.count(), 1, 'the status item has no checklist icon');
  });

  it('the report webview opens and draws its charts, with no console errors and nothing leaving loopback', async function () {
    const errorsBefore = consoleErrors.length;
    await page.locator('.part.sidebar .monaco-list-row[role="treeitem"]', { hasText: 'Workspace:' }).first().click();
    await page.locator('.tab.active', { hasText: 'Rust Readiness Report' }).waitFor({ timeout: UI_MS });
    const frame = await waitFor(async () => {
      for (const f of page.frames()) {
        if ((await f.locator('canvas').count().catch(() => 0)) > 0) return f;
      }
      return undefined;
    }, UI_MS, 'no webview frame with a canvas');
    const cli = cliReport(workspace);
    await waitFor(async () => new RegExp(`\\b${cli.summary.score}\\s*out of 100`).test(await frame.locator('body').innerText()), UI_MS,
      async () => `the report does not show the score ${cli.summary.score}`);
    const painted = await waitFor(async () => {
      const counts = await paintedPixels(frame);
      return counts.length >= 2 && counts.every((n) => n > 200) ? counts : undefined;
    }, UI_MS, 'the charts did not draw (canvases stay blank)');
    assert.ok(painted.length >= 2);
    await shot('panel-report', true);
    const fromWebview = () => consoleErrors.slice(errorsBefore).filter((e) => /webview|vscode-resource|vscode-cdn/.test(e.url) || /Content Security Policy|Refused to/.test(e.text));
    assert.deepEqual(fromWebview(), [], 'the webview logged errors');
    network.assertLoopbackOnly();
    // The check above must be able to fail: an inline script, which the webview's CSP forbids, has to show up.
    await frame.evaluate(`document.body.appendChild(Object.assign(document.createElement('script'), { textContent: '0' }))`);
    await waitFor(() => fromWebview().length > 0, UI_MS, 'a CSP violation inside the webview went unseen: the console check is blind');
  });

  it('sent no request off loopback during the whole session', async function () {
    network.assertLoopbackOnly();
    assert.ok(network.count > 10, `only ${network.count} requests were seen: is the guard listening?`);
  });
});

/** Non-transparent pixels per canvas of the frame. */
function paintedPixels(frame: Frame): Promise<number[]> {
  return frame.locator('canvas').evaluateAll((canvases) => canvases.map((c) => {
    const canvas = c as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    if (data) for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  }));
}

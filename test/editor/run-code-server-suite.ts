// Runs the extension-host suite (out/test/suite/index.js) inside code-server, the
// way CI runs it on this machine (see README, "Testing in a real VS Code"):
//   - code-server starts in its own process group with fresh user-data and
//     extensions folders, and the .vsix is installed into it (`--install-extension`);
//   - chromium opens the workbench with the test payload. code-server takes
//     extensionDevelopmentPath/extensionTestsPath only in the URL, and a
//     development extension replaces an installed one with the same id, so the
//     development path is the folder the .vsix was unpacked into: the suite runs
//     against exactly what users install;
//   - mocha's output comes through the page console, the exit code through
//     window.codeAutomationExit;
//   - two passes, each in its own extension host: a C file first (activation on C),
//     then everything else starting from a C++ file.
// Standalone, after `npm run build`: node out/test/editor/run-code-server-suite.js
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from './browser';
import { CodeServer, freshWorkspace, OUTPUT_ROOT } from './codeServer';
import { OUTPUT_MARK } from '../suite/mark';
import { ensureVsix, REPO_ROOT } from './vsix';

export const SUITE_ENTRY = path.join(REPO_ROOT, 'out/test/suite/index.js');
const SUITE_WORKSPACE = path.join(REPO_ROOT, 'test/suite/workspace');

export interface PassResult {
  name: string;
  /** The suite's exit code (0: every test passed). */
  code: number;
  /** Mocha's spec output, one line per entry. */
  output: string[];
  durationMs: number;
}

/** Each pass: the workspace folder's name tells index.ts which suites to run. */
const PASSES = [
  { name: 'activation-c', files: ['buffer.c'], timeoutMs: 90_000 },
  { name: 'main', files: undefined, timeoutMs: 240_000 },
];

export async function runCodeServerSuite(log: (line: string) => void = console.log): Promise<PassResult[]> {
  const vsix = ensureVsix();
  const server = await CodeServer.start({ name: 'suite', vsix });
  const browser = await launchBrowser(server.dir).catch(async (e) => {
    await server.stop();
    throw e;
  });
  const results: PassResult[] = [];
  try {
    for (const pass of PASSES) results.push(await runPass(server, browser.context, pass, log));
  } finally {
    await browser.close();
    await server.stop();
  }
  return results;
}

async function runPass(server: CodeServer, context: import('playwright-core').BrowserContext, pass: (typeof PASSES)[number], log: (line: string) => void): Promise<PassResult> {
  const started = Date.now();
  // index.ts picks the pass by the folder's name.
  const workspace = freshWorkspace(`code-server/${pass.name}`, SUITE_WORKSPACE, pass.files);
  const page = await context.newPage();
  const output: string[] = [];
  const consoleLog = path.join(server.dir, `console-${pass.name}.log`);
  mkdirSync(path.dirname(consoleLog), { recursive: true });
  let exitCode: number | undefined;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  // The workbench calls window.codeAutomationExit(code) when the suite ends.
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    exitCode = code;
    resolveExit(code);
  });
  page.on('console', (msg) => {
    const text = msg.text();
    writeFileSync(consoleLog, `[${msg.type()}] ${text}\n`, { flag: 'a' });
    const line = mochaLine(text);
    if (line !== undefined) {
      output.push(line);
      log(`    [${pass.name}] ${line}`);
    }
  });
  try {
    const url = server.workbenchUrl(workspace, [
      ['extensionDevelopmentPath', server.remoteUri(server.installedExtension)],
      ['extensionTestsPath', server.remoteUri(SUITE_ENTRY)],
    ]);
    await page.goto(url, { timeout: 60_000 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(-1), pass.timeoutMs);
    });
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (exitCode === undefined) output.push(`the suite did not finish within ${pass.timeoutMs / 1000} s (console: ${consoleLog})`);
    if (code !== 0) {
      const shot = path.join(OUTPUT_ROOT, 'screenshots', `failed-suite-${pass.name}.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      output.push(`screenshot: ${shot}`);
    }
    return { name: pass.name, code, output, durationMs: Date.now() - started };
  } finally {
    await page.goto('about:blank', { timeout: 15_000 }).catch(() => undefined);
    await page.close().catch(() => undefined);
  }
}

/** Mocha's lines, which index.ts marks; the rest of the workbench console is in console-<pass>.log. */
function mochaLine(text: string): string | undefined {
  const at = text.indexOf(OUTPUT_MARK);
  return at < 0 ? undefined : text.slice(at + OUTPUT_MARK.length + 1);
}

// Run as a script (not when a test imports it; the bundle is then not the main module's file).
if (path.basename(process.argv[1] ?? '') === 'run-code-server-suite.js') {
  runCodeServerSuite().then((results) => {
    for (const r of results) console.log(`${r.name}: exit ${r.code} in ${(r.durationMs / 1000).toFixed(1)} s`);
    process.exit(results.every((r) => r.code === 0) ? 0 : 1);
  }, (e) => {
    console.error(e);
    process.exit(1);
  });
}

// Debian's chromium driven by playwright-core (no browser download), with the
// flags REAL-EDITOR.md measured: headless, no GPU, no QUIC, nothing in the
// background that would reach the network.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

// Loaded from node_modules at run time: playwright-core cannot be bundled (it reads its own package.json).
const PLAYWRIGHT = 'playwright-core';
const { chromium } = require(PLAYWRIGHT) as typeof import('playwright-core');

const CHROMIUM = process.env.RUST_READINESS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh chromium profile under `dir`; one page, 1280x800. */
export async function launchBrowser(dir: string): Promise<Browser> {
  const profile = path.join(dir, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      // Leaving the workbench first ends the extension host (and our server) cleanly;
      // a context closed on the workbench leaves them running for hours.
      await page.goto('about:blank', { timeout: 15_000 }).catch(() => undefined);
      await context.close().catch(() => undefined);
    },
  };
}

// One build for the extension client, the language server and the CLI (dist/),
// plus the test bundles (out/test). Copies the tree-sitter runtime and grammar
// wasm files. Flags: --production (minified, names kept readable), --watch.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = dirname(dirname(new URL(import.meta.url).pathname));

function copyWasm() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  mkdirSync(join(root, 'grammars'), { recursive: true });
  copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(root, 'dist/web-tree-sitter.wasm'));
  copyFileSync(require.resolve('tree-sitter-c/tree-sitter-c.wasm'), join(root, 'grammars/tree-sitter-c.wasm'));
  copyFileSync(require.resolve('tree-sitter-cpp/tree-sitter-cpp.wasm'), join(root, 'grammars/tree-sitter-cpp.wasm'));
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  // Identifiers stay readable in production (stack traces in users' logs) without
  // keepNames, whose __name() wrapper runs at every closure creation: ~2% of the
  // engine's time on a big file.
  minifyWhitespace: production,
  minifySyntax: production,
  logLevel: 'warning',
  loader: { '.md': 'text' },
  // web-tree-sitter's ESM build needs import.meta.url; bundle its CommonJS build.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
};

const builds = [
  { ...common, entryPoints: { client: join(root, 'client/src/extension.ts') }, outdir: join(root, 'dist'), external: ['vscode'] },
  { ...common, entryPoints: { server: join(root, 'server/src/server.ts'), 'scan-worker': join(root, 'server/src/workspace/worker.ts') }, outdir: join(root, 'dist') },
  // The CLI is the package.json bin: it needs a shebang to run as `rust-readiness`.
  { ...common, entryPoints: { cli: join(root, 'server/src/cli.ts') }, outdir: join(root, 'dist'), banner: { js: '#!/usr/bin/env node' } },
  // The report webview's page, with chart.js inside: a browser script, nothing loaded from the network.
  { ...common, platform: 'browser', format: 'iife', target: 'es2020', alias: {}, entryPoints: { webview: join(root, 'client/src/webview/report.ts') }, outdir: join(root, 'dist') },
];
if (!production) {
  builds.push({
    ...common,
    entryPoints: [join(root, 'test/**/*.test.ts'), join(root, 'bench/*.ts'), join(root, 'test/suite/index.ts'), join(root, 'test/editor/run-*.ts'), join(root, 'scripts/generate.ts')],
    outdir: join(root, 'out'),
    outbase: root,
    // jsdom (report webview test) loads files relative to itself: run it from node_modules, not bundled.
    external: ['vscode', 'jsdom'],
  });
}

copyWasm();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

// The .vsix users install (issue 6, packaging): `npm run package` builds it in
// production mode, and it holds only what the extension runs or shows: dist/
// (no source maps), the grammars, the manifest, README, LICENSE, CHANGELOG, the
// rule pages the hovers and diagnostics link to, the settings schema and the icon.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ensureVsix, readZip, REPO_ROOT, type ZipEntry } from './editor/vsix';

const MAX_BYTES = 3 * 1024 * 1024;

/** Every file the package may hold, as its path inside the zip. */
const ALLOWED: RegExp[] = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/,
  /^extension\/changelog\.md$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/dist\/[a-z-]+\.js$/,
  /^extension\/dist\/web-tree-sitter\.wasm$/,
  /^extension\/grammars\/tree-sitter-(c|cpp)\.wasm$/,
  /^extension\/docs\/rules\/[a-z0-9-]+\.md$/,
  /^extension\/docs\/rust-readiness\.schema\.json$/,
];

/** Every file the manifest names as an icon (the Marketplace icon, the activity-bar icon …): allowed, and required. */
function manifestIcons(manifest: unknown): string[] {
  const out: string[] = [];
  const visit = (value: unknown, key?: string) => {
    if (typeof value === 'string' && key === 'icon' && !value.startsWith('$(')) out.push(value.replace(/^\.\//, ''));
    else if (Array.isArray(value)) value.forEach((v) => visit(v));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(manifest);
  return out;
}

/** What must never ship, named so a failure says what went wrong. */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\.map$/, 'a source map'],
  [/\.tsx?$/, 'a TypeScript source'],
  [/(^|\/)node_modules\//, 'node_modules'],
  [/(^|\/)(test|out|src|bench|samples|scripts)\//, 'sources, tests or tools'],
  [/\.vsix$/, 'a package inside the package'],
];

describe('the .vsix package', function () {
  this.timeout(10 * 60_000);
  let vsix: string;
  let entries: ZipEntry[];
  const entry = (name: string) => entries.find((e) => e.name === name);

  before(function () {
    vsix = ensureVsix();
    entries = readZip(vsix);
  });

  it(`is at most ${MAX_BYTES / 1024 / 1024} MB`, function () {
    const size = statSync(vsix).size;
    assert.ok(size <= MAX_BYTES, `${vsix} is ${(size / 1024 / 1024).toFixed(2)} MB`);
  });

  it('holds nothing but the allow-listed files', function () {
    const files = entries.map((e) => e.name).filter((n) => !n.endsWith('/'));
    const icons = new Set(manifestIcons(JSON.parse(entry('extension/package.json')!.read().toString('utf8'))).map((i) => `extension/${i}`));
    for (const name of files) {
      const forbidden = FORBIDDEN.find(([re]) => re.test(name));
      assert.equal(forbidden, undefined, `${name} is ${forbidden?.[1]}`);
      assert.ok(ALLOWED.some((re) => re.test(name)) || icons.has(name), `unexpected file in the package: ${name}`);
    }
  });

  it('holds everything the installed extension needs at run time', function () {
    const manifest = JSON.parse(entry('extension/package.json')!.read().toString('utf8'));
    const needed = [
      manifest.main.replace(/^\.\//, ''),
      'dist/server.js',
      'dist/scan-worker.js',
      'dist/webview.js',
      'dist/web-tree-sitter.wasm',
      'grammars/tree-sitter-c.wasm',
      'grammars/tree-sitter-cpp.wasm',
      'docs/rust-readiness.schema.json',
      ...manifestIcons(manifest),
      'readme.md',
      'changelog.md',
      'LICENSE.txt',
      // Every rule page: diagnostics link to them and hovers quote them.
      ...readdirSync(path.join(REPO_ROOT, 'docs/rules')).map((f) => `docs/rules/${f}`),
    ];
    for (const file of needed) assert.ok(entry(`extension/${file}`), `missing from the package: ${file}`);
  });

  it('ships a production build: minified, with no source map reference', function () {
    const scripts = entries.filter((e) => /^extension\/dist\/.*\.js$/.test(e.name));
    assert.ok(scripts.length >= 3, `only ${scripts.length} scripts in dist/`);
    for (const script of scripts) {
      const text = script.read().toString('utf8');
      assert.doesNotMatch(text, /sourceMappingURL/, `${script.name} refers to a source map`);
      // esbuild's minifier leaves few line breaks; a development build has one per statement.
      const lines = text.split('\n').length;
      assert.ok(lines < text.length / 500, `${script.name} does not look minified (${lines} lines, ${text.length} chars)`);
    }
  });

  it('carries what the Marketplace needs, and supports untrusted workspaces', function () {
    const manifest = JSON.parse(entry('extension/package.json')!.read().toString('utf8'));
    assert.deepEqual([...manifest.categories].sort(), ['Linters', 'Programming Languages']);
    assert.ok(manifest.keywords.length > 0, 'no keywords');
    assert.equal(manifest.license, 'MIT');
    assert.equal(manifest.repository.type, 'git');
    assert.match(manifest.repository.url, /^https:\/\/github\.com\//);
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces, { supported: true });
    const icon = entry(`extension/${manifest.icon}`)!.read();
    assert.equal(icon.subarray(1, 4).toString('ascii'), 'PNG', 'the icon is not a PNG');
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128], 'the icon is not 128x128');
    const license = readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8');
    assert.match(license, /^MIT License/);
    const vsixManifest = entry('extension.vsixmanifest')!.read().toString('utf8');
    assert.match(vsixManifest, /Microsoft\.VisualStudio\.Services\.Icons\.Default/, 'the manifest names no icon');
  });
});

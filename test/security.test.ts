// Security checks on what ships (issue 7). The built bundles in dist/ (the normal
// build the tests use) hold no eval-like call, start no process, load no network
// module and name no remote URL, except the matches allow-listed below, each
// pinned to the bundled module it sits in and given the reason it is harmless.
// And the extension's own sources (client, server, engine, CLI) start no process
// and evaluate no code: nothing is ever run from workspace content.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers';

const BUNDLES = ['client.js', 'server.js', 'scan-worker.js', 'cli.js', 'webview.js'];

type Kind = 'eval' | 'child_process' | 'network' | 'url';

const PATTERNS: Array<{ kind: Kind; pattern: RegExp }> = [
  // eval(…), (0, eval)(…), eval.call(…), x["eval"]
  { kind: 'eval', pattern: /(?<![\w$.])eval\s*\)?\s*\(|(?<![\w$])eval\s*\.\s*(?:call|apply)\b|\[\s*["'`]eval["'`]\s*\]/g },
  { kind: 'eval', pattern: /(?<![\w$.])(?:new\s+)?Function\s*\(/g },
  { kind: 'eval', pattern: /\.constructor\s*\(\s*["'`]/g },
  { kind: 'eval', pattern: /(?<![\w$.])set(?:Timeout|Interval|Immediate)\s*\(\s*["'`]/g },
  { kind: 'eval', pattern: /require\(\s*["'](?:node:)?vm["']\s*\)/g },
  { kind: 'child_process', pattern: /require\(\s*["'](?:node:)?child_process["']\s*\)/g },
  { kind: 'network', pattern: /require\(\s*["'](?:node:)?(?:http|https|http2|net|tls|dgram)["']\s*\)/g },
  { kind: 'url', pattern: /\bhttps?:\/\/[^\s"'`<>)}\\]+/g },
];

interface Allowance {
  kind: Kind;
  /** The bundled module (esbuild's `// path` marker) the match is in. */
  module: string;
  /** Text the match's line must contain (for URLs: the URL itself). */
  needle: string;
  reason: string;
}

const WEB_TREE_SITTER = 'node_modules/web-tree-sitter/web-tree-sitter.cjs';
/** esbuild gathers the bundled libraries' licence comments at the end of a bundle, under this heading. */
const LICENCE_BLOCK = '/*! Bundled license information:';
const LICENCES = '(bundled licence information)';

const ALLOWED: Allowance[] = [
  {
    kind: 'eval', module: WEB_TREE_SITTER, needle: 'ASM_CONSTS[start] = eval(func)',
    reason: "emscripten's dynamic linker compiles the EM_ASM snippets of a side module as it loads one. The only side modules " +
      'are grammars/tree-sitter-{c,cpp}.wasm, shipped with the extension, and they have none (checked below).',
  },
  {
    kind: 'eval', module: WEB_TREE_SITTER, needle: 'moduleExports[name] = eval(func)',
    reason: 'the same for EM_JS functions (exports named __em_js__*), which the grammars do not have either (checked below).',
  },
  {
    kind: 'child_process', module: 'node_modules/vscode-languageserver/lib/node/files.js', needle: 'require("child_process")',
    reason: "the library's Files helpers (find a global npm or yarn module for servers that load one); bundled because " +
      "vscode-languageserver/node requires them, never called: the server's sources do not use Files (checked below).",
  },
  {
    kind: 'child_process', module: 'node_modules/vscode-languageclient/lib/node/main.js', needle: 'require("child_process")',
    reason: "starts the language server: dist/server.js in the extension's own folder over IPC (checked below), never a workspace file.",
  },
  {
    kind: 'child_process', module: 'node_modules/vscode-languageclient/lib/node/processes.js', needle: 'require("child_process")',
    reason: "stops the server's process tree (taskkill on Windows, a fixed sh script elsewhere) when the client shuts down.",
  },
  {
    kind: 'network', module: 'node_modules/vscode-jsonrpc/lib/node/main.js', needle: 'require("net")',
    reason: 'the pipe and socket transports of JSON-RPC (local named pipes and sockets, --pipe/--socket); the server runs over IPC or stdio.',
  },
  {
    kind: 'url', module: 'server/src/engine/docs.ts', needle: 'https://github.com/rust-readiness/rust-readiness/blob/main/docs/rules/',
    reason: 'the published rule documentation, linked from exported reports (SARIF helpUri, HTML); never fetched.',
  },
  {
    kind: 'url', module: 'server/src/engine/report/sarif.ts', needle: 'https://json.schemastore.org/sarif-2.1.0.json',
    reason: 'the $schema of exported SARIF files, a name for tools; never fetched.',
  },
  ...['https://git-scm.com/docs/gitignore', 'https://git-scm.com/docs/gitignore/2.22.1'].map((url): Allowance => ({
    kind: 'url', module: 'node_modules/ignore/index.js', needle: url, reason: 'a comment of the gitignore-matching library.',
  })),
  {
    kind: 'url', module: WEB_TREE_SITTER, needle: 'https://github.com/emscripten-core/emscripten/issues/14130', reason: 'a comment.',
  },
  ...[
    'https://tree-sitter.github.io/tree-sitter/using-parsers/2-basic-parsing.html#named-vs-anonymous-nodes',
    'https://tree-sitter.github.io/tree-sitter/using-parsers/6-static-node-types.html?highlight=supertype#supertype-nodes',
    'https://tree-sitter.github.io/tree-sitter/using-parsers/queries',
  ].map((url): Allowance => ({ kind: 'url', module: WEB_TREE_SITTER, needle: url, reason: 'a doc comment of web-tree-sitter.' })),
  {
    kind: 'url', module: 'node_modules/vscode-languageclient/lib/common/protocolConverter.js', needle: 'https://github.com/Microsoft/vscode/issues/58649',
    reason: 'a comment.',
  },
  ...['https://github.com/kurkle/color#readme', 'https://www.chartjs.org'].map((url): Allowance => ({
    kind: 'url', module: LICENCES, needle: url, reason: "the licence banners of chart.js and its colour library, in webview.js's licence block.",
  })),
];

interface Match {
  bundle: string;
  kind: Kind;
  module: string;
  line: number;
  text: string;
  /** The line around the match, shortened. */
  context: string;
}

/** Every match of PATTERNS in a bundle's source, with the bundled module it is in. */
function scan(bundle: string, source: string): Match[] {
  // esbuild starts every bundled module with a `// path` comment (indented inside an IIFE).
  const modules = [...source.matchAll(/^[ \t]*\/\/ (\S+\.(?:[cm]?js|tsx?))$/gm)].map((m) => ({ at: m.index!, module: m[1] }));
  const licences = source.lastIndexOf(LICENCE_BLOCK);
  if (licences >= 0) modules.push({ at: licences, module: LICENCES });
  const lineStarts = [0, ...[...source.matchAll(/\n/g)].map((m) => m.index! + 1)];
  const lastBefore = <T>(list: T[], at: number, key: (t: T) => number): T | undefined => {
    let lo = 0;
    let hi = list.length - 1;
    let found: T | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (key(list[mid]) <= at) {
        found = list[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const matches: Match[] = [];
  for (const { kind, pattern } of PATTERNS) {
    for (const m of source.matchAll(pattern)) {
      const start = lastBefore(lineStarts, m.index!, (s) => s)!;
      const end = source.indexOf('\n', m.index!);
      const lineText = source.slice(start, end < 0 ? source.length : end);
      const column = m.index! - start;
      matches.push({
        bundle, kind, text: m[0], line: lineStarts.indexOf(start) + 1,
        module: lastBefore(modules, m.index!, (x) => x.at)?.module ?? '(bundle prelude)',
        context: lineText.slice(Math.max(0, column - 60), column + m[0].length + 60).trim(),
      });
    }
  }
  return matches;
}

const allowanceOf = (m: Match) => ALLOWED.find((a) => a.kind === m.kind && a.module === m.module && (m.kind === 'url' ? m.text === a.needle : m.context.includes(a.needle)));

/** All .ts files under a source folder. */
function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

describe('security of what ships', () => {
  let matches: Match[] = [];

  before(function () {
    this.timeout(120_000);
    const read = (b: string) => fs.readFileSync(path.join(ROOT, 'dist', b), 'utf8');
    // The package test leaves a production build in dist/ (minified: no module markers). Scan the normal one.
    if (!BUNDLES.every((b) => fs.existsSync(path.join(ROOT, 'dist', b)) && /^[ \t]*\/\/ node_modules\//m.test(read(b)))) {
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
    }
    matches = BUNDLES.flatMap((b) => scan(b, read(b)));
  });

  it('the scan finds what it looks for, and in which module', () => {
    const sample = [
      '// node_modules/some-lib/index.js', 'var a = eval("1"); var b = (0, eval)(x); var c = window["eval"](y);',
      'var d = new Function("return 1"); var e = Function("x", "return x"); var f = g.constructor("code");',
      'setTimeout("alert(1)", 5); var vm = require("node:vm");', '// server/src/x.ts',
      'var cp = require("child_process"); var h = require("https"); var u = "https://evil.example/x";',
      'isFunction(x); obj.eval(1); retrieval(2); typeof Function; new Function2();',
    ].join('\n');
    const found = scan('sample.js', sample).map((m) => `${m.kind} ${m.line} ${m.module} ${m.text.replace(/\s+/g, '')}`);
    assert.deepEqual(found.sort(), [
      'child_process 6 server/src/x.ts require("child_process")',
      'eval 2 node_modules/some-lib/index.js ["eval"]', 'eval 2 node_modules/some-lib/index.js eval(', 'eval 2 node_modules/some-lib/index.js eval)(',
      'eval 3 node_modules/some-lib/index.js .constructor("', 'eval 3 node_modules/some-lib/index.js Function(',
      'eval 3 node_modules/some-lib/index.js newFunction(', 'eval 4 node_modules/some-lib/index.js require("node:vm")',
      'eval 4 node_modules/some-lib/index.js setTimeout("',
      'network 6 server/src/x.ts require("https")', 'url 6 server/src/x.ts https://evil.example/x',
    ].sort());
    // The module markers the allow-list relies on are in the real bundles (a minified build has none).
    assert.ok(matches.some((m) => m.module.startsWith('node_modules/')), 'module markers found');
  });

  for (const kind of ['eval', 'child_process', 'network', 'url'] as const) {
    it(`no ${kind === 'eval' ? 'eval-like call' : kind === 'url' ? 'remote URL' : `${kind} module`} in the bundles but the allow-listed ones`, () => {
      const offending = matches.filter((m) => m.kind === kind && !allowanceOf(m));
      assert.deepEqual(offending.map((m) => `dist/${m.bundle}:${m.line} (${m.module}): ${m.text} … ${m.context}`), []);
    });
  }

  it('every allowance is used, so the list stays exact', () => {
    const unused = ALLOWED.filter((a) => !matches.some((m) => allowanceOf(m) === a));
    assert.deepEqual(unused.map((a) => `${a.kind} ${a.module} ${a.needle}`), []);
    // Processes are started only by the client bundle; cli.js, scan-worker.js and webview.js start none.
    const bundlesWithProcesses = [...new Set(matches.filter((m) => m.kind === 'child_process').map((m) => m.bundle))].sort();
    assert.deepEqual(bundlesWithProcesses, ['client.js', 'server.js']);
  });

  it("the eval in web-tree-sitter's side-module loader never runs: the shipped grammars have no EM_ASM or EM_JS code", () => {
    for (const grammar of ['tree-sitter-c.wasm', 'tree-sitter-cpp.wasm']) {
      const exports = WebAssembly.Module.exports(new WebAssembly.Module(fs.readFileSync(path.join(ROOT, 'grammars', grammar))));
      assert.ok(exports.some((e) => e.name.startsWith('tree_sitter_')), `${grammar} is a grammar`);
      assert.deepEqual(exports.filter((e) => e.name === '__start_em_asm' || e.name.startsWith('__em_js__')).map((e) => e.name), [], grammar);
    }
  });

  it('the extension and the CLI start no process and evaluate no code: not in any source of client/ or server/', () => {
    const files = [...sources('client/src'), ...sources('server/src')];
    assert.ok(files.length > 50, `${files.length} source files`);
    const forbidden: Array<[string, RegExp]> = [
      ['child_process', /\bchild_process\b/],
      ['eval', /(?<![\w$.])eval\s*\(/],
      ['Function constructor', /(?<![\w$.])(?:new\s+)?Function\s*\(/],
      ['vm module', /from\s+["'](?:node:)?vm["']|require\(\s*["'](?:node:)?vm["']\s*\)/],
      ['dynamic require or import', /(?<![\w$.])(?:require|import)\(\s*[^"'`\s)]/],
      ["vscode-languageserver's Files helpers", /\bFiles\.(?:resolve|uriToFilePath)/],
    ];
    const found: string[] = [];
    for (const file of files) {
      const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const [what, pattern] of forbidden) if (pattern.test(line)) found.push(`${file}:${i + 1}: ${what}: ${line.trim()}`);
      });
    }
    assert.deepEqual(found, []);
  });

  it("the only process the client starts is dist/server.js from the extension's folder, and the only thread the scan worker", () => {
    const client = fs.readFileSync(path.join(ROOT, 'client/src/languageServer.ts'), 'utf8');
    assert.match(client, /const module = vscode\.Uri\.joinPath\(this\.extension\.extensionUri, 'dist', 'server\.js'\)\.fsPath;/);
    assert.match(client, /run: \{ module, transport: TransportKind\.ipc \}/);
    const workers = [...sources('server/src'), ...sources('client/src')].flatMap((file) => {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      return [...text.matchAll(/new Worker\(([^,)]*)/g)].map((m) => `${file}: ${m[1]}`);
    });
    assert.deepEqual(workers, ['server/src/workspace/pool.ts: this.workerScript']);
    const pool = fs.readFileSync(path.join(ROOT, 'server/src/workspace/pool.ts'), 'utf8');
    assert.doesNotMatch(pool, /eval\s*:\s*true/, 'a worker runs a file, never a string');
  });
});

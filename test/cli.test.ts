// The CLI, run as users run it: `node dist/cli.js` in a child process, on
// temporary trees built from test/fixtures-cli/. Every format, every exit code,
// file discovery (default skips, .gitignore, symlink loops, binary and unreadable
// files), and `fix` (dry run, writes, --rules, symlinks, unwritable files, a run
// killed with SIGKILL).
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as sarif from 'sarif';
import { RULES } from '../server/src/engine';
import { discoverFiles, readSource } from '../server/src/engine/files';
import { applyFixAll } from '../server/src/engine/fixes/fix-all';
import { DOCS_REPO_URL } from '../server/src/engine/docs';
import type { JsonReport } from '../server/src/engine/report/json';
import { TEMP_MARKER, writeIfUnchanged } from '../server/src/cli/write';
import { ROOT, loadEngine } from './helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures-cli');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const isRoot = process.getuid?.() === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string, options: SpawnSyncOptions = {}, script = CLI): Run {
  const r = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', timeout: 120_000, ...options });
  if (r.error) throw r.error;
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** An error is one clear line (plus the usage hint), never a stack trace. */
function assertCleanError(r: Run, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^rust-readiness: /);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
}

const temps: string[] = [];
const immutable: string[] = [];
const readOnly: string[] = [];

/** A fresh tree under os.tmpdir(); values are file contents (string or bytes). */
function tree(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-cli-'));
  temps.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

function json(r: Run): JsonReport {
  assert.ok(r.stdout.length > 0, r.stderr);
  return JSON.parse(r.stdout) as JsonReport;
}

const rulesOf = (report: JsonReport, file: string) =>
  report.files.find((f) => f.path === file)?.findings.map((f) => f.ruleId) ?? assert.fail(`${file} not in report`);

describe('CLI', function () {
  this.timeout(180_000);

  after(() => {
    for (const f of immutable) spawnSync('chattr', ['-i', f]);
    for (const d of readOnly) fs.chmodSync(d, 0o755);
    for (const d of temps) {
      fs.chmodSync(d, 0o755);
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  describe('basics', () => {
    it('prints its version and help, exit 0; runs as an executable with a node shebang', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
      assert.equal(cli(['--version'], ROOT).stdout, `${pkg.version}\n`);
      const help = cli(['--help'], ROOT);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /scan \[paths…\]/);
      const scanHelp = cli(['scan', '--help'], ROOT);
      assert.match(scanHelp.stdout, /--fail-on <severity>[\s\S]*default: error/);
      assert.equal(path.resolve(ROOT, pkg.bin['rust-readiness']), CLI);
      assert.ok(fs.readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n'));
    });

    it('exits 2 with one clear line on usage errors', () => {
      const dir = tree({ 'a.c': fixture('clean.c') });
      assertCleanError(cli(['scan', '--bogus'], dir), /Unknown option '--bogus'/);
      assertCleanError(cli(['scan', '--format', 'xml'], dir), /--format must be one of text, json, sarif \(got 'xml'\)/);
      assertCleanError(cli(['scan', '--fail-on', 'fatal'], dir), /--fail-on must be one of hint, information, warning, error, none/);
      assertCleanError(cli(['lint'], dir), /unknown command 'lint'/);
      assertCleanError(cli(['scan', 'nowhere'], dir), /nowhere: no such file or directory/);
      assertCleanError(cli(['scan', '--config', 'missing.json'], dir), /config file missing.json does not exist/);
    });

    it('exits 2 on a malformed config, naming the file and the problem', () => {
      const dir = tree({ 'a.c': fixture('clean.c'), '.rust-readiness.json': '{ "rules": { "raw-new": "warning", } }' });
      assertCleanError(cli(['scan'], dir), /\.rust-readiness\.json: invalid JSON/);
      fs.writeFileSync(path.join(dir, 'other.json'), '{ "rules": { "no-such-rule": "error" } }');
      assertCleanError(cli(['scan', '--config', 'other.json'], dir), /other\.json: "rules" names an unknown rule "no-such-rule"/);
    });
  });

  describe('scan formats', () => {
    let dir: string;
    before(() => {
      dir = tree({ 'src/legacy.cpp': fixture('legacy.cpp'), 'src/clean.c': fixture('clean.c') });
    });

    it('text: file:line:col: warning: message [rule-id], 1-based, relative to cwd, then a summary', () => {
      const r = cli(['scan'], dir);
      assert.equal(r.code, 0, r.stderr);
      const lines = fixture('legacy.cpp').split('\n');
      const line = lines.findIndex((l) => l.includes('NULL')) + 1;
      const col = lines[line - 1].indexOf('NULL') + 1;
      assert.ok(r.stdout.split('\n').includes(
        `src/legacy.cpp:${line}:${col}: warning: NULL as a null pointer: in Rust absence is Option::None and references are never null; use nullptr [null-macro]`,
      ), r.stdout);
      for (const l of r.stdout.split('\n').filter((x) => x.startsWith('src/'))) {
        assert.match(l, /^src\/legacy\.cpp:\d+:\d+: (error|warning|note|remark): .+ \[[a-z-]+\]$/);
      }
      assert.match(r.stdout, /^2 files scanned\.$/m);
      assert.match(r.stdout, /^\d+ findings: \d+ warning.*; \d+ fixable with `rust-readiness fix`\.$/m);
      assert.match(r.stdout, /^ {2}null-macro +1$/m);
      const quiet = cli(['scan', '--quiet'], dir);
      assert.ok(quiet.stdout.trim().split('\n').every((l) => l.startsWith('src/legacy.cpp:')), quiet.stdout);
    });

    it('json: the documented shape, every scanned file, 1-based positions', () => {
      const report = json(cli(['scan', 'src', '--format', 'json'], dir));
      assert.equal(report.version, 1);
      assert.equal(report.tool.name, 'rust-readiness');
      assert.deepEqual(report.files.map((f) => [f.path, f.language]), [['src/clean.c', 'c'], ['src/legacy.cpp', 'cpp']]);
      assert.deepEqual(report.files[0].findings, []);
      const nul = report.files[1].findings.find((f) => f.ruleId === 'null-macro') ?? assert.fail('no null-macro finding');
      assert.deepEqual(nul, {
        ruleId: 'null-macro', severity: 'warning', message: nul.message, line: 11, column: 14, endLine: 11, endColumn: 18, fixable: true,
      });
      assert.equal(report.files[1].findings.find((f) => f.ruleId === 'raw-delete')?.fixable, false);
      assert.equal(report.summary.filesScanned, 2);
      assert.equal(report.summary.findings, report.files[1].findings.length);
      assert.equal(report.summary.byRule['null-macro'], 1);
      assert.equal(report.summary.bySeverity.warning, report.files[1].findings.filter((f) => f.severity === 'warning').length);
      assert.deepEqual(report.skipped, []);
    });

    it('sarif: valid against the official SARIF 2.1.0 schema, with every rule\'s metadata', () => {
      const r = cli(['scan', '--format', 'sarif'], dir);
      assert.equal(r.code, 0, r.stderr);
      const log = JSON.parse(r.stdout) as sarif.Log;
      const validate = sarifValidator();
      assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
      const run = log.runs[0];
      const driver = run.tool.driver;
      assert.equal(driver.name, 'rust-readiness');
      assert.deepEqual(driver.rules?.map((d) => d.id), RULES.map((rule) => rule.meta.id));
      for (const d of driver.rules ?? []) {
        const meta = RULES.find((rule) => rule.meta.id === d.id)!.meta;
        assert.equal(d.helpUri, `${DOCS_REPO_URL}${d.id}.md`);
        assert.equal(d.shortDescription?.text, meta.title);
        assert.deepEqual(d.properties?.rustConcept, meta.concept);
        assert.deepEqual(d.properties?.category, meta.category);
        assert.ok(Array.isArray(d.properties?.tags));
        assert.ok(d.defaultConfiguration?.level);
      }
      const results = run.results ?? [];
      assert.ok(results.length >= 4);
      for (const res of results) {
        assert.equal(driver.rules?.[res.ruleIndex!].id, res.ruleId);
        const loc = res.locations![0].physicalLocation!;
        assert.deepEqual(loc.artifactLocation, { uri: 'src/legacy.cpp', uriBaseId: 'SRCROOT' });
        // The errata-01 schema also requires a region to have startLine.
        assert.ok(loc.region!.startLine! >= 1 && loc.region!.startColumn! >= 1);
      }
      assert.equal(run.originalUriBaseIds?.SRCROOT.uri, `${pathToFileURL(fs.realpathSync(dir)).href}/`);
      // The validator is not a rubber stamp.
      const broken = structuredClone(log);
      (broken.runs[0].results![0] as { level: string }).level = 'fatal';
      assert.equal(validate(broken), false);
    });

    it('--output writes the report to a file; an unwritable output is exit 2', () => {
      const r = cli(['scan', '--format', 'json', '--output', 'report.json'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal((JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as JsonReport).summary.filesScanned, 2);
      assertCleanError(cli(['scan', '--output', 'no/such/dir/out.txt'], dir), /cannot write the report to no\/such\/dir\/out\.txt: its folder does not exist/);
      assertCleanError(cli(['scan', '--output', 'src'], dir), /cannot write the report to src: it is a folder/);
    });
  });

  describe('exit codes and --fail-on', () => {
    it('0 when clean, 1 at or above --fail-on (default error), 0 below it or with none', () => {
      const dir = tree({ 'legacy.cpp': fixture('legacy.cpp'), 'clean.c': fixture('clean.c'), 'hints.c': fixture('hints.c') });
      // Preconditions the cases below rely on: legacy.cpp has warnings, hints.c only hints.
      const report = json(cli(['scan', '--format', 'json', '--fail-on', 'none'], dir));
      assert.ok(report.files.find((f) => f.path === 'legacy.cpp')!.findings.some((f) => f.severity === 'warning'));
      const hints = report.files.find((f) => f.path === 'hints.c')!.findings;
      assert.ok(hints.length > 0 && hints.every((f) => f.severity === 'hint'), JSON.stringify(hints));
      assert.equal(report.summary.bySeverity.error, 0);

      assert.equal(cli(['scan', 'clean.c', '--fail-on', 'hint'], dir).code, 0);
      assert.equal(cli(['scan', 'legacy.cpp'], dir).code, 0, 'warnings are below the default --fail-on error');
      assert.equal(cli(['scan', 'legacy.cpp', '--fail-on', 'warning'], dir).code, 1);
      assert.equal(cli(['scan', 'legacy.cpp', '--fail-on', 'none'], dir).code, 0);
      assert.equal(cli(['scan', 'hints.c', '--fail-on', 'hint'], dir).code, 1);
      assert.equal(cli(['scan', 'hints.c', '--fail-on', 'information'], dir).code, 0);
      fs.writeFileSync(path.join(dir, 'strict.json'), '{ "rules": { "null-macro": "error" } }');
      const strict = cli(['scan', 'legacy.cpp', '--config', 'strict.json'], dir);
      assert.equal(strict.code, 1);
      assert.match(strict.stdout, /legacy\.cpp:11:14: error: NULL/);
    });

    it('reads .rust-readiness.json from the current directory', () => {
      const dir = tree({ 'legacy.cpp': fixture('legacy.cpp'), '.rust-readiness.json': '{ "rules": { "null-macro": "off" }, "exclude": ["skip/"] }', 'skip/x.cpp': fixture('legacy.cpp') });
      const report = json(cli(['scan', '--format', 'json'], dir));
      assert.deepEqual(report.files.map((f) => f.path), ['legacy.cpp']);
      assert.ok(!rulesOf(report, 'legacy.cpp').includes('null-macro'));
      assert.ok(rulesOf(report, 'legacy.cpp').includes('c-style-cast'));
    });
  });

  describe('file discovery', () => {
    it('skips node_modules, third_party, build output and .git; honours --exclude and .gitignore', () => {
      const c = fixture('clean.c');
      const dir = tree({
        'src/main.c': c,
        'src/notes.txt': 'not C',
        'src/gen/skip.c': c,
        'src/gen/keep.c': c,
        'src/gen/.gitignore': '*.c\n!keep.c\n',
        'node_modules/dep/dep.c': c,
        'third_party/zlib/inflate.c': c,
        'build/generated.c': c,
        'out/o.c': c,
        'dist/d.c': c,
        'cmake-build-debug/cm.c': c,
        'bazel-out/b.c': c,
        '.git/hooks/h.c': c,
        'logs/trace.cpp': c,
        'vendor/v.hpp': c,
        'legacy/old.cc': c,
        'ok/UPPER.CPP': c,
        '.gitignore': 'logs/\n',
      });
      const paths = (args: string[]) => json(cli(['scan', '--format', 'json', ...args], dir)).files.map((f) => f.path);
      assert.deepEqual(paths([]), ['legacy/old.cc', 'ok/UPPER.CPP', 'src/gen/keep.c', 'src/main.c', 'vendor/v.hpp']);
      assert.deepEqual(paths(['--exclude', 'vendor/', '--exclude', '*.cc']), ['ok/UPPER.CPP', 'src/gen/keep.c', 'src/main.c']);
      // A folder named explicitly is scanned even if its name is skipped by default.
      assert.deepEqual(paths(['third_party']), ['third_party/zlib/inflate.c']);
    });

    it('reports binary, invalid UTF-8, too large, symlink loops and duplicates as skipped, with the reason', () => {
      const c = fixture('clean.c');
      const dir = tree({
        'a.c': c,
        'image.c': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
        'latin1.c': Buffer.from('/* caf\xe9 */\nint x;\n', 'latin1'),
        'big.c': `/* ${'x'.repeat(300)} */\n`,
        'sub/b.c': c,
        '.rust-readiness.json': '{ "maxFileSize": 200 }',
      });
      fs.symlinkSync('..', path.join(dir, 'sub', 'loop'));
      fs.symlinkSync('self.c', path.join(dir, 'self.c'));
      fs.symlinkSync('a.c', path.join(dir, 'alias.c'));
      const r = cli(['scan', '--format', 'json'], dir);
      assert.equal(r.code, 0, r.stderr);
      const report = json(r);
      assert.deepEqual(report.files.map((f) => f.path), ['a.c', 'sub/b.c']);
      const skipped = Object.fromEntries(report.skipped.map((s) => [s.path, s.reason]));
      assert.deepEqual(skipped, {
        'alias.c': 'duplicate', 'big.c': 'too-large', 'image.c': 'binary', 'latin1.c': 'invalid-utf8',
        'self.c': 'symlink-loop', 'sub/loop': 'symlink-loop',
      });
      assert.deepEqual(report.summary.skippedByReason, { duplicate: 1, 'too-large': 1, binary: 1, 'invalid-utf8': 1, 'symlink-loop': 2 });
      const text = cli(['scan'], dir).stdout;
      assert.match(text, /^image\.c: skipped \(binary\): contains NUL bytes$/m);
      assert.match(text, /^2 files scanned, 6 skipped \(.*1 binary.*\)\.$/m);
      // In SARIF the skipped files are tool notifications, still valid against the schema.
      const log = JSON.parse(cli(['scan', '--format', 'sarif'], dir).stdout) as sarif.Log;
      const validate = sarifValidator();
      assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
      const notes = log.runs[0].invocations![0].toolExecutionNotifications!;
      assert.deepEqual(notes.map((n) => n.locations![0].physicalLocation!.artifactLocation!.uri).sort(),
        ['alias.c', 'big.c', 'image.c', 'latin1.c', 'self.c', 'sub/loop']);
    });

    it('reports an unreadable file (permission denied) as skipped', () => {
      const dir = tree({ 'a.c': fixture('clean.c'), 'secret.c': fixture('clean.c') });
      fs.chmodSync(path.join(dir, 'secret.c'), 0o000);
      fs.chmodSync(dir, 0o755);
      // Root reads anything, so run as nobody, from a copy of the bundle that nobody can read.
      const r = isRoot ? cli(['scan', '--format', 'json'], dir, { uid: 65534, gid: 65534 }, portableCli()) : cli(['scan', '--format', 'json'], dir);
      assert.equal(r.code, 0, r.stderr);
      const report = json(r);
      assert.deepEqual(report.files.map((f) => f.path), ['a.c']);
      assert.deepEqual(report.skipped.map((s) => [s.path, s.reason, s.detail]), [['secret.c', 'unreadable', 'permission denied']]);
    });

    it('reports a file deleted between discovery and reading as vanished', async () => {
      const dir = tree({ 'a.c': fixture('clean.c'), 'gone.c': fixture('clean.c') });
      const { files } = await discoverFiles([dir]);
      assert.equal(files.length, 2);
      fs.rmSync(path.join(dir, 'gone.c'));
      const results = await Promise.all(files.map((f) => readSource(f, 1 << 20)));
      assert.ok('text' in results[0]);
      assert.deepEqual('reason' in results[1] && [results[1].reason, path.basename(results[1].path)], ['vanished', 'gone.c']);
    });
  });

  describe('fix', () => {
    it('--dry-run prints a unified diff and changes nothing on disk', () => {
      const dir = tree({ 'src/legacy.cpp': fixture('legacy.cpp') });
      const before = fs.readFileSync(path.join(dir, 'src/legacy.cpp'));
      const r = cli(['fix', '--dry-run'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^--- a\/src\/legacy\.cpp\n\+\+\+ b\/src\/legacy\.cpp\n@@ -\d+,\d+ \+\d+,\d+ @@/);
      assert.match(r.stdout, /^-    if \(w == NULL\)\n\+    if \(w == nullptr\)$/m);
      assert.match(r.stdout, /^\+#include <memory>$/m);
      assert.match(r.stderr, /src\/legacy\.cpp: would apply \d+ fixes/);
      assert.deepEqual(fs.readFileSync(path.join(dir, 'src/legacy.cpp')), before);
    });

    it('writes the fixed text (as fix-all computes it), and says how many fixes per file', async () => {
      const dir = tree({ 'legacy.cpp': fixture('legacy.cpp'), 'clean.c': fixture('clean.c') });
      const r = cli(['fix', '.'], dir);
      assert.equal(r.code, 0, r.stderr);
      const expected = applyFixAll(await loadEngine(), fixture('legacy.cpp'), 'legacy.cpp');
      assert.equal(expected.applied, 3); // null-macro, c-style-cast, raw-new (which also drops the delete)
      assert.equal(fs.readFileSync(path.join(dir, 'legacy.cpp'), 'utf8'), expected.text);
      assert.match(expected.text, /auto w = std::make_unique<Widget>\(\);/);
      assert.match(r.stdout, new RegExp(`^legacy\\.cpp: applied ${expected.applied} fixes$`, 'm'));
      assert.match(r.stdout, new RegExp(`^Applied ${expected.applied} fixes in 1 file\\.$`, 'm'));
      assert.equal(fs.readFileSync(path.join(dir, 'clean.c'), 'utf8'), fixture('clean.c'));
      // Nothing fixable is left.
      const after = json(cli(['scan', '--format', 'json'], dir));
      assert.equal(after.summary.fixable, 0);
    });

    it('keeps a BOM, CRLF line endings and the file mode', () => {
      const crlf = '\uFEFF' + fixture('legacy.cpp').replace(/\n/g, '\r\n');
      const dir = tree({ 'win.cpp': crlf });
      fs.chmodSync(path.join(dir, 'win.cpp'), 0o640);
      assert.equal(cli(['fix', '--rules', 'null-macro'], dir).code, 0);
      const out = fs.readFileSync(path.join(dir, 'win.cpp'), 'utf8');
      assert.equal(out, crlf.replace('NULL', 'nullptr'));
      assert.equal(fs.statSync(path.join(dir, 'win.cpp')).mode & 0o777, 0o640);
    });

    it('--rules restricts the fixes; an unknown rule is a usage error', () => {
      const dir = tree({ 'legacy.cpp': fixture('legacy.cpp') });
      const r = cli(['fix', '--rules', 'null-macro'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^legacy\.cpp: applied 1 fix$/m);
      assert.equal(fs.readFileSync(path.join(dir, 'legacy.cpp'), 'utf8'), fixture('legacy.cpp').replace('w == NULL', 'w == nullptr'));
      assertCleanError(cli(['fix', '--rules', 'null-macro,nope'], dir), /--rules names unknown rule nope/);
    });

    it('leaves symlinks alone and never writes outside the paths given', () => {
      const outside = tree({ 'target.cpp': fixture('legacy.cpp'), 'lib/inner.cpp': fixture('legacy.cpp') });
      const dir = tree({ 'own.cpp': fixture('legacy.cpp') });
      fs.symlinkSync(path.join(outside, 'target.cpp'), path.join(dir, 'link.cpp'));
      fs.symlinkSync(path.join(outside, 'lib'), path.join(dir, 'lib'));
      const r = cli(['fix', '.'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^link\.cpp: left alone: it is a symbolic link, and fix never writes through one$/m);
      assert.match(r.stdout, /^lib\/inner\.cpp: left alone: it resolves to .*inner\.cpp, outside the paths given$/m);
      assert.match(r.stdout, /^own\.cpp: applied \d+ fixes$/m);
      assert.equal(fs.readFileSync(path.join(outside, 'target.cpp'), 'utf8'), fixture('legacy.cpp'));
      assert.equal(fs.readFileSync(path.join(outside, 'lib/inner.cpp'), 'utf8'), fixture('legacy.cpp'));
      assert.ok(fs.lstatSync(path.join(dir, 'link.cpp')).isSymbolicLink());
      assert.notEqual(fs.readFileSync(path.join(dir, 'own.cpp'), 'utf8'), fixture('legacy.cpp'));
    });

    it('reports a file it cannot write, leaves it untouched and leaves no temporary file', () => {
      const dir = tree({ 'locked/legacy.cpp': fixture('legacy.cpp'), 'free.cpp': fixture('legacy.cpp') });
      const locked = path.join(dir, 'locked/legacy.cpp');
      makeUnwritable(locked);
      const r = cli(['fix'], dir);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /^locked\/legacy\.cpp: not written: permission denied; no fix applied$/m);
      assert.doesNotMatch(r.stderr, /^\s+at /m);
      assert.equal(fs.readFileSync(locked, 'utf8'), fixture('legacy.cpp'));
      assert.deepEqual(fs.readdirSync(path.dirname(locked)), ['legacy.cpp']);
      assert.notEqual(fs.readFileSync(path.join(dir, 'free.cpp'), 'utf8'), fixture('legacy.cpp'), 'the other file is still fixed');
      assert.match(r.stdout, /1 file not written/);
    });

    it('does not write a file that changed after it was read', async () => {
      const dir = tree({ 'a.cpp': 'int *p = NULL;\n' });
      const file = path.join(dir, 'a.cpp');
      const read = fs.readFileSync(file);
      fs.writeFileSync(file, 'int *p = NULL; // edited meanwhile\n');
      const outcome = await writeIfUnchanged(file, read, Buffer.from('int *p = nullptr;\n'));
      assert.deepEqual(outcome, { status: 'changed', detail: 'changed during the run' });
      assert.equal(fs.readFileSync(file, 'utf8'), 'int *p = NULL; // edited meanwhile\n');
      assert.deepEqual(await writeIfUnchanged(file, fs.readFileSync(file), Buffer.from('ok\n')), { status: 'written' });
      assert.equal(fs.readFileSync(file, 'utf8'), 'ok\n');
      assert.deepEqual(fs.readdirSync(dir), ['a.cpp']);
    });

    it('killed with SIGKILL mid-run, leaves every file wholly old or wholly new', async () => {
      const original = fixture('legacy.cpp');
      const fixed = applyFixAll(await loadEngine(), original, 'f.cpp').text;
      const count = 150;
      const files: Record<string, string> = {};
      for (let i = 0; i < count; i++) files[`f${String(i).padStart(3, '0')}.cpp`] = original;
      const dir = tree(files);
      const child = spawn(process.execPath, [CLI, 'fix', '.', '--quiet'], { cwd: dir, stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      // Kill as soon as the first file is written: the run is then in the middle.
      const first = path.join(dir, 'f000.cpp');
      const deadline = Date.now() + 120_000;
      while (fs.readFileSync(first, 'utf8') === original) {
        assert.ok(Date.now() < deadline, 'fix never wrote the first file');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      child.kill('SIGKILL');
      await exited;
      let olds = 0;
      let news = 0;
      for (const name of Object.keys(files)) {
        const text = fs.readFileSync(path.join(dir, name), 'utf8');
        if (text === original) olds++;
        else if (text === fixed) news++;
        else assert.fail(`${name} is neither the old nor the new text`);
      }
      assert.ok(news >= 1 && olds >= 1, `new ${news}, old ${olds}: the kill did not land mid-run`);
      // A temporary file the kill may leave behind is never taken for a source file.
      const leftovers = fs.readdirSync(dir).filter((n) => n.includes(TEMP_MARKER));
      assert.ok(leftovers.length <= 1, leftovers.join());
      assert.equal((await discoverFiles([dir])).files.length, count);
    });
  });
});

let validator: ReturnType<Ajv['compile']> | undefined;

/**
 * The SARIF 2.1.0 schema as published by the SARIF editors (Microsoft's
 * sarif-js-sdk ships it in @microsoft/jest-sarif). It is draft-04, hence
 * ajv-draft-04; unicodeRegExp is off because one of its patterns is not a valid
 * unicode-mode regular expression (fixed in the OASIS errata-01 schema).
 */
function sarifValidator(): ReturnType<Ajv['compile']> {
  if (!validator) {
    const schemaPath = path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as object);
  }
  return validator;
}

/** A copy of the bundle and its wasm files that any user can read (for running as nobody). */
function portableCli(): string {
  const dir = tree({});
  fs.mkdirSync(path.join(dir, 'dist'));
  fs.mkdirSync(path.join(dir, 'grammars'));
  fs.copyFileSync(CLI, path.join(dir, 'dist/cli.js'));
  fs.copyFileSync(path.join(ROOT, 'dist/web-tree-sitter.wasm'), path.join(dir, 'dist/web-tree-sitter.wasm'));
  for (const g of ['tree-sitter-c.wasm', 'tree-sitter-cpp.wasm']) fs.copyFileSync(path.join(ROOT, 'grammars', g), path.join(dir, 'grammars', g));
  for (const d of [dir, path.join(dir, 'dist'), path.join(dir, 'grammars')]) fs.chmodSync(d, 0o755);
  return path.join(dir, 'dist/cli.js');
}

/**
 * Root writes through file modes and read-only folders, so as root the file is
 * made immutable (chattr +i: the rename over it fails with EPERM); otherwise its
 * folder is made read-only (the temporary file cannot be created).
 */
function makeUnwritable(file: string): void {
  if (isRoot) {
    const r = spawnSync('chattr', ['+i', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, `chattr +i failed: ${r.stderr}`);
    immutable.push(file);
  } else {
    fs.chmodSync(path.dirname(file), 0o555);
    readOnly.push(path.dirname(file));
  }
}

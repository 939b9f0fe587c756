// `rust-readiness report`, run as users run it (node dist/cli.js in a child
// process): every format, the format picked from --output, --fail-under exit
// codes, usage and I/O errors, and a hostile file name printed as text.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as sarif from 'sarif';
import { defaultConfig, RULES } from '../server/src/engine';
import { buildReport, type WorkspaceReport } from '../server/src/engine/report/model';
import { analyzeFile } from '../server/src/workspace/analyze-file';
import { loadEngine, ROOT } from './helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const HOSTILE = '<img src=x onerror=alert(1)>.cpp';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [CLI, 'report', ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('CLI report', function () {
  this.timeout(180_000);
  let dir: string;
  let expected: WorkspaceReport;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-cli-report-'));
    fs.cpSync(path.join(ROOT, 'test/fixtures-workspace'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'src/app', HOSTILE), 'void x() { int *p = new int(1); }\n');
    fs.mkdirSync(path.join(dir, 'node_modules/dep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules/dep/dep.c'), 'void d(void) { goto e; e: ; }\n');
    // The report an in-process analysis of the same files gives, paths relative to the working directory.
    const engine = await loadEngine();
    const files = ['src/app/clean.cpp', `src/app/${HOSTILE}`, 'src/app/main.cpp', 'src/app/widget.hpp', 'src/core/buffer.c', 'src/core/buffer.h', 'tools/gen.c'];
    expected = buildReport(files.map((rel) => {
      const outcome = analyzeFile(engine, path.join(dir, rel), defaultConfig());
      assert.ok('ok' in outcome, rel);
      return { ...outcome.ok, path: rel };
    }), RULES.map((r) => r.meta));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('json: the workspace report of the files scan would take, with the tool version', () => {
    const r = cli(['--format', 'json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as WorkspaceReport & { version: number; tool: { name: string }; skipped: unknown[] };
    assert.equal(out.version, 1);
    assert.equal(out.tool.name, 'rust-readiness');
    const { version: _v, tool: _t, skipped, ...report } = out;
    assert.deepEqual(report, expected);
    assert.deepEqual(skipped, []);
    assert.match(r.stderr, new RegExp(`^rust-readiness: workspace score ${expected.summary.score}/100 over 7 files\\n$`));
  });

  it('markdown (the default): the score, and a hostile file name as inert text', () => {
    const r = cli([], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^# Rust Readiness report\\n\\n\\*\\*Workspace score: ${expected.summary.score} / 100\\*\\*`));
    assert.ok(!r.stdout.includes('<img'), 'no raw tag');
    assert.ok(r.stdout.includes('&lt;img src=x onerror=alert(1)&gt;.cpp'), 'the name, escaped');
  });

  it('html: self-contained, the hostile name escaped, no script', () => {
    const out = path.join(dir, 'report.html');
    const r = cli(['--output', 'report.html'], dir); // format from the extension
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /html report written to report\.html/);
    const html = fs.readFileSync(out, 'utf8');
    fs.rmSync(out);
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(!/<img|<script|onerror=alert\(1\)>/i.test(html.replace(/&lt;img src=x onerror=alert\(1\)&gt;/g, '')), 'no live markup from the name');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;.cpp'));
    assert.ok(!/\b(src|href)=["']?(https?:)?\/\//i.test(html), 'nothing loads from the network');
    assert.match(html, new RegExp(`>${expected.summary.score}<`));
  });

  it('sarif: valid SARIF 2.1.0 with one result per finding, relative to the working directory', () => {
    const r = cli(['-f', 'sarif', '--output', 'out.sarif.json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const log = JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif.json'), 'utf8')) as sarif.Log;
    fs.rmSync(path.join(dir, 'out.sarif.json'));
    assert.ok(sarifValidator()(log), JSON.stringify(sarifValidator().errors?.slice(0, 3)));
    const results = log.runs[0].results!;
    assert.equal(results.length, expected.summary.findings);
    const main = results.filter((x) => x.locations![0].physicalLocation!.artifactLocation!.uri === 'src/app/main.cpp');
    assert.deepEqual(main.map((x) => [x.ruleId, x.locations![0].physicalLocation!.region!.startLine, x.properties!.fixable]),
      [['raw-new', 6, true], ['raw-delete', 8, false]]);
    assert.ok(results.some((x) => x.locations![0].physicalLocation!.artifactLocation!.uri === `src/app/${encodeURIComponent(HOSTILE)}`));
  });

  it('--fail-under: exit 1 below the score, 0 at it, with the reason on stderr', () => {
    const score = expected.summary.score;
    const above = cli(['--fail-under', String(score + 1), '--quiet', '-f', 'json'], dir);
    assert.equal(above.code, 1);
    assert.match(above.stderr, new RegExp(`workspace score ${score}/100 .*below --fail-under ${score + 1}`));
    const at = cli(['--fail-under', String(score), '--quiet'], dir);
    assert.equal(at.code, 0, at.stderr);
    assert.equal(at.stderr, '', '--quiet: nothing unless the gate fails');
  });

  it('usage and I/O errors exit 2 with one line', () => {
    for (const [args, pattern] of [
      [['--fail-under', '101'], /--fail-under must be a whole number from 0 to 100/],
      [['--fail-under', 'high'], /--fail-under must be a whole number/],
      [['--format', 'pdf'], /--format must be one of markdown, html, json, sarif/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['missing-dir'], /missing-dir: no such file or directory/],
      [['--output', 'no/such/dir/r.md'], /cannot write the report to no\/such\/dir\/r\.md: its folder does not exist/],
    ] as Array<[string[], RegExp]>) {
      const r = cli(args, dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^rust-readiness: /);
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    }
  });

  it('--help describes the command', () => {
    const r = cli(['--help'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: rust-readiness report \[options\] \[paths…\]/);
    assert.match(r.stdout, /--fail-under <score>/);
  });

  it('many files go to worker threads, and all are counted', () => {
    const many = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-cli-many-'));
    try {
      for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(many, `f${String(i).padStart(2, '0')}.c`), i % 3 ? 'int f(void) { return 0; }\n' : 'void g(char *s) { s++; }\n');
      const r = cli(['-f', 'json', '--workers', '2'], many);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as WorkspaceReport;
      assert.equal(report.summary.files, 30);
      assert.equal(report.rules.find((x) => x.id === 'pointer-arithmetic')?.count, 10);
    } finally {
      fs.rmSync(many, { recursive: true, force: true });
    }
  });
});

let validator: ReturnType<Ajv['compile']> | undefined;

function sarifValidator(): ReturnType<Ajv['compile']> {
  if (!validator) {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator;
}

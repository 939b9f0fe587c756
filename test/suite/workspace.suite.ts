// The workspace scan: the command fills the report, which agrees with the
// editor's diagnostics and with the CLI's report of the same folder; the report
// view opens.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEADLINE_MS, extension, waitFor, waitForDiagnostics, workspaceFolder, workspaceUri } from './helpers';

/** The parts of the server's WorkspaceReportResult this suite reads. */
interface ReportResult {
  report: {
    summary: { score: number; band: string; files: number; findings: number };
    files: Array<{ path: string; score: number; findings: unknown[] }>;
  };
}

function isReport(value: unknown): value is ReportResult {
  const r = value as ReportResult | undefined;
  return !!r && typeof r.report?.summary?.score === 'number' && Array.isArray(r.report.files);
}

describe('workspace scan', function () {
  let result: ReportResult;

  before(async function () {
    // The diagnostics prove the server is up before the scan is asked for.
    await waitForDiagnostics(workspaceUri('widget.cpp'), (ds) => ds.length > 0, 'widget.cpp has no diagnostics');
    const answer = await vscode.commands.executeCommand('rustReadiness.scanWorkspace');
    assert.ok(isReport(answer), `rustReadiness.scanWorkspace did not return the workspace report (got ${JSON.stringify(answer)?.slice(0, 200)})`);
    result = answer;
  });

  it('fills the report with every C/C++ file and the findings the editor shows', async function () {
    const byName = new Map(result.report.files.map((f) => [path.basename(f.path), f]));
    for (const name of ['widget.cpp', 'buffer.c']) {
      const file = byName.get(name);
      assert.ok(file, `${name} is not in the report: ${[...byName.keys()].join(', ')}`);
      const diagnostics = await waitForDiagnostics(workspaceUri(name), (ds) => ds.length > 0, `${name} has no diagnostics`);
      assert.equal(file.findings.length, diagnostics.length, `${name}: report and diagnostics disagree`);
      assert.ok(file.score >= 0 && file.score <= 100, `${name} score ${file.score}`);
    }
    const summary = result.report.summary;
    assert.equal(summary.files, result.report.files.length);
    assert.equal(summary.findings, result.report.files.reduce((n, f) => n + f.findings.length, 0));
  });

  it('gives the score the CLI gives for the same folder', function () {
    // The CLI shipped in the .vsix, run on the same files (nothing is unsaved now).
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.isDirty).length, 0, 'unsaved documents would make the comparison meaningless');
    const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
    const json = execFileSync(process.execPath, [cli, 'report', workspaceFolder(), '--format', 'json'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    const report = JSON.parse(json) as { summary: { score: number; files: number; findings: number } };
    assert.deepEqual(
      { score: result.report.summary.score, files: result.report.summary.files, findings: result.report.summary.findings },
      { score: report.summary.score, files: report.summary.files, findings: report.summary.findings },
    );
    assert.ok(report.summary.files >= 2 && report.summary.findings > 0, `the CLI found ${report.summary.files} files, ${report.summary.findings} findings`);
  });

  it('opens the report view', async function () {
    await vscode.commands.executeCommand('rustReadiness.showReport');
    await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && /rust/i.test(t.input.viewType + t.label)), DEADLINE_MS,
      () => `no report tab; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

// The language server dies or is restarted: a new one starts, and diagnostics
// come back and follow edits again.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  byLine, closeWithoutSaving, DEADLINE_MS, expectations, open, ruleId, sameMap, scratch, serverPids, setText,
  waitFor, waitForDiagnostics, workspaceUri,
} from './helpers';

/** The one running server's pid. */
function waitForServer(notPid?: number): Promise<number> {
  return waitFor(() => {
    const pids = serverPids().filter((p) => p !== notPid);
    return pids.length === 1 ? pids[0] : undefined;
  }, DEADLINE_MS, () => `expected one language server${notPid ? ` other than ${notPid}` : ''}; running: ${serverPids().join(', ') || 'none'}`);
}

/** Diagnostics of widget.cpp match its expect: comments, and a fresh edit is analyzed. */
async function serverAnswers(): Promise<void> {
  const widget = (await open(workspaceUri('widget.cpp'))).document;
  await waitForDiagnostics(widget.uri, (ds) => sameMap(byLine(ds), expectations(widget.getText())), 'widget.cpp diagnostics did not come back');
  const editor = await scratch('after-restart.cpp', 'int f() { return 0; }\n');
  try {
    await waitForDiagnostics(editor.document.uri, (ds) => ds.length === 0, 'a clean file has findings');
    await setText(editor, 'int f(double d) { return (int)d; }\n');
    await waitForDiagnostics(editor.document.uri, (ds) => ds.length === 1 && ruleId(ds[0]) === 'c-style-cast', 'an edit after the restart was not analyzed');
  } finally {
    await closeWithoutSaving(editor.document);
  }
}

describe('language server restarts', function () {
  it('comes back after the server process is killed', async function () {
    await open(workspaceUri('widget.cpp'));
    const pid = await waitForServer();
    process.kill(pid, 'SIGKILL');
    const next = await waitForServer(pid);
    assert.notEqual(next, pid);
    await serverAnswers();
  });

  it('restarts on "Rust Readiness: Restart Language Server"', async function () {
    const pid = await waitForServer();
    await vscode.commands.executeCommand('rustReadiness.restartServer');
    await waitForServer(pid);
    await waitFor(() => !serverPids().includes(pid), DEADLINE_MS, `the old server ${pid} still runs after the restart`);
    await serverAnswers();
  });
});

// Runs the extension-host suite (out/test/suite/index.js) in VS Code desktop
// through @vscode/test-electron, for machines that can download VS Code (see
// README, "Testing in a real VS Code"); CI here uses run-code-server-suite.ts.
// Like the code-server launcher it tests what users install: the .vsix goes into
// a fresh extensions folder with VS Code's own CLI, and that unpacked folder is
// the development extension the suite runs against.
//   npm run test:electron   (VSCODE_VERSION=stable|insiders|1.100.3, default stable)
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { EXTENSION_ID, freshDir, freshWorkspace } from './codeServer';
import { SUITE_ENTRY } from './run-code-server-suite';
import { ensureVsix, REPO_ROOT } from './vsix';

const SUITE_WORKSPACE = path.join(REPO_ROOT, 'test/suite/workspace');

async function main(): Promise<void> {
  const vsix = ensureVsix();
  const vscodeExecutablePath = await downloadAndUnzipVSCode(process.env.VSCODE_VERSION ?? 'stable');
  const dir = freshDir('electron');
  const extensionsDir = path.join(dir, 'extensions');
  const userDataDir = path.join(dir, 'user-data');
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
  execFileSync(cli, [...cliArgs, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'], { stdio: 'inherit' });
  const installed = readdirSync(extensionsDir).find((d) => d.startsWith(`${EXTENSION_ID}-`));
  if (!installed) throw new Error(`the .vsix was not installed into ${extensionsDir}`);
  // The same two passes as in code-server: a C file first, then everything from a C++ file.
  const passes: Array<[string, string[] | undefined]> = [['activation-c', ['buffer.c']], ['main', undefined]];
  for (const [name, files] of passes) {
    // index.ts picks the pass by the folder's name.
    const workspace = freshWorkspace(`electron/${name}`, SUITE_WORKSPACE, files);
    const code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: path.join(extensionsDir, installed),
      extensionTestsPath: SUITE_ENTRY,
      launchArgs: [workspace, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    if (code !== 0) throw new Error(`the ${name} pass failed with exit code ${code}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

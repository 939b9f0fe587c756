// The extension-host suite's entry (extensionTestsPath): VS Code loads it inside
// the real extension host and calls run(). Both launchers use it: code-server in
// CI (test/editor/run-code-server-suite.ts) and @vscode/test-electron elsewhere
// (test/editor/run-electron-suite.ts). The suites are *.suite.ts, not *.test.ts,
// so the plain node mocha run does not pick them up.
//
// The workspace folder's name picks the pass: `activation-c` checks that opening a
// C file activates the extension (a host activates it only once, so that needs a
// host of its own); any other folder runs everything, starting from a C++ file.
import * as path from 'node:path';
import { format } from 'node:util';
import type MochaType from 'mocha';
import * as vscode from 'vscode';
import { OUTPUT_MARK } from './mark';

// Loaded from node_modules at run time, not bundled: mocha's worker files cannot be bundled.
const MOCHA = 'mocha';
const Mocha = require(MOCHA) as typeof MochaType;

export function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(`${OUTPUT_MARK} ${format(...args)}`);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  // Declare describe/it as globals, then load the suites (bundled, loaded lazily).
  mocha.suite.emit('pre-require', globalThis, 'suite', mocha);
  if (path.basename(folder) === 'activation-c') {
    require('./activation-c.suite');
  } else {
    require('./activation-cpp.suite');
    require('./diagnostics.suite');
    require('./workspace.suite');
    require('./codeActions.suite');
    require('./restart.suite');
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}

// Runs the extension-host suite (test/suite) inside code-server against the
// installed .vsix, as part of `npm test`: one mocha test per pass, which fails
// with mocha's own report from inside the extension host.
import assert from 'node:assert/strict';
import { runCodeServerSuite, type PassResult } from './run-code-server-suite';

describe('real editor: the extension-host suite in code-server', function () {
  let results: PassResult[] = [];

  before(async function () {
    this.timeout(25 * 60_000); // a fresh machine installs chromium and code-server first
    // Quiet: a failing pass shows mocha's whole report from inside the extension host.
    results = await runCodeServerSuite(() => undefined);
  });

  for (const pass of ['activation-c', 'main']) {
    it(`passes the ${pass} pass`, function () {
      const result = results.find((r) => r.name === pass);
      assert.ok(result, `the ${pass} pass did not run`);
      const report = result.output.join('\n');
      assert.equal(result.code, 0, `the extension-host suite failed (${pass}):\n${report}`);
      const passing = Number(/(\d+) passing/.exec(report)?.[1] ?? 0);
      assert.ok(passing > 0, `no passing tests were reported (${pass}):\n${report}`);
      assert.doesNotMatch(report, /\d+ (failing|pending)/, report);
      console.log(`      ${passing} extension-host tests passed in ${(result.durationMs / 1000).toFixed(1)} s`);
    });
  }
});

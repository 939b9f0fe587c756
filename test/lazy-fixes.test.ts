// Fixes as the language server asks for them (`lazyFixes`): none is built or
// verified while the file is analyzed, since in a file with parse errors
// verifying a fix means reparsing the whole file. Each is built when first read,
// and is the fix an eager analysis gives.
import * as assert from 'node:assert/strict';
import type { Engine } from '../server/src/engine';
import { loadEngine } from './helpers';

// A parse error, and fixable findings of rules that hand the engine a function
// building the fix (C) and of one that hands it a ready fix (manual-lock, C++).
const BROKEN_C = `static int counter = 0;
int read_counter(void) { return counter; }
void g(void) { int x; int *p; x = 1; p = &x; (void)p; }
void broken( { }
`;
const BROKEN_CPP = `#include <mutex>
std::mutex m;
int shared = 0;
void bump() {
  m.lock();
  shared++;
  m.unlock();
}
void broken( { }
`;

describe('lazy fixes', () => {
  let engine: Engine;
  let reparses = 0;

  before(async () => {
    engine = await loadEngine();
    const parseErrors = engine.parseErrors.bind(engine);
    engine.parseErrors = (text, lang) => {
      reparses++;
      return parseErrors(text, lang);
    };
  });

  for (const [file, text, rules] of [['broken.c', BROKEN_C, ['mutable-global', 'uninitialized-variable']], ['broken.cpp', BROKEN_CPP, ['manual-lock']]] as const) {
    it(`${file}: builds and verifies no fix during the analysis, each on first read, equal to the eager one`, () => {
      const eager = engine.analyze(text, file);
      eager.tree.delete();
      const fixable = eager.findings.filter((f) => f.fix);
      for (const rule of rules) assert.ok(fixable.some((f) => f.ruleId === rule), `${rule} offers a fix`);

      reparses = 0;
      const lazy = engine.analyze(text, file, { lazyFixes: true });
      try {
        assert.equal(reparses, 0, 'no reparse while analyzing');
        assert.deepEqual(lazy.findings.map((f) => `${f.ruleId}@${f.start}`), eager.findings.map((f) => `${f.ruleId}@${f.start}`));
        for (const [i, f] of lazy.findings.entries()) assert.deepEqual(f.fix, eager.findings[i].fix, `${f.ruleId}@${f.start}`);
        assert.ok(reparses >= fixable.length, 'each fix was verified against a reparse when read');
      } finally {
        lazy.tree.delete();
      }
    });
  }
});

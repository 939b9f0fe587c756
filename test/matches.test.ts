// The engine reads query matches straight from web-tree-sitter's wasm memory
// (engine/matches.ts) and falls back to Query.matches when the module is not
// what it expects. Both readers must give the same matches, with nodes that
// behave as the library's own: this is where an upgrade of web-tree-sitter that
// changes its result layout or its Node fails.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { Engine, Lang } from '../server/src/engine';
import { readsWasmMemory, runQuery } from '../server/src/engine/matches';
import { ROOT, loadEngine } from './helpers';

const FIXTURES = path.join(ROOT, 'test/fixtures');

function fixtureFiles(): string[] {
  return fs.readdirSync(FIXTURES).flatMap((rule) => fs.readdirSync(path.join(FIXTURES, rule)).map((f) => path.join(FIXTURES, rule, f)));
}

/** Everything a rule may read of a match, as text. */
function describe_(pattern: number, captures: Record<string, Node>): string {
  return `${pattern} ` + Object.entries(captures).map(([name, n]) =>
    `${name}=${n.id}:${n.type}:${n.startIndex}-${n.endIndex}:${n.startPosition.row}.${n.startPosition.column}:${n.hasError}:${n.parent?.type}:${n.childCount}:${n.text.length}`).join(' ');
}

/** The matches of both readers on one tree (node ids are addresses: another parse has others). */
function readBoth(engine: Engine, text: string, lang: Lang): { fast: string[]; library: string[] } {
  const tree = engine.parse(text, lang);
  try {
    const read = (viaLibrary: boolean) => {
      const out: string[] = [];
      const matches = runQuery(engine.query(lang), tree.rootNode, undefined, viaLibrary);
      matches.visit(() => true, (p, c) => {
        out.push(describe_(p, c));
        return false;
      });
      // A second visit sees the same matches (the engine reads symbols first, then rules).
      let again = 0;
      matches.visit((p) => p % 2 === 0, () => (again++, false));
      assert.equal(again, out.filter((l) => Number(l.split(' ')[0]) % 2 === 0).length);
      return out;
    };
    return { fast: read(false), library: read(true) };
  } finally {
    tree.delete();
  }
}

describe('query matches read from wasm memory', () => {
  let engine: Engine;
  before(async () => {
    engine = await loadEngine();
  });

  it('is the reader in use (the module is what it expects)', () => {
    assert.ok(readsWasmMemory());
  });

  it('gives the matches Query.matches gives, on every fixture', () => {
    let total = 0;
    for (const file of fixtureFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      const lang = engine.detectLanguage(file, text);
      const { fast, library } = readBoth(engine, text, lang);
      assert.deepEqual(fast, library, file);
      total += fast.length;
    }
    assert.ok(total > 1000, `only ${total} matches over the fixtures`);
  });

  it('applies text predicates (access labels of a misparsed class body)', () => {
    const text = 'void f() { public: int x; other: int y; }\n';
    const { fast: lines, library } = readBoth(engine, text, 'cpp');
    assert.deepEqual(lines, library);
    assert.equal(lines.filter((l) => l.includes('access=')).length, 1, lines.join('\n'));
  });

  it('stops the query when the progress callback says so, as the library does', () => {
    const text = 'int *p; void f(int *q) { q++; }\n'.repeat(20000);
    const tree = engine.parse(text, 'c');
    try {
      let calls = 0;
      let seen = 0;
      runQuery(engine.query('c'), tree.rootNode, () => ++calls > 2).visit(() => true, () => (seen++, false));
      let all = 0;
      runQuery(engine.query('c'), tree.rootNode).visit(() => true, () => (all++, false));
      assert.ok(calls > 2 && seen < all, `stopped after ${calls} calls with ${seen} of ${all} matches`);
    } finally {
      tree.delete();
    }
  });

  it('reads a node that stays usable after the memory grows', () => {
    const text = 'void f(int *q) { q[1] = 0; }\n';
    const tree = engine.parse(text, 'c');
    try {
      const nodes: Node[] = [];
      runQuery(engine.query('c'), tree.rootNode).visit(() => true, (_, c) => (nodes.push(...Object.values(c)), false));
      const big = engine.parse('int a;\n'.repeat(200000), 'c'); // grows the wasm memory
      big.delete();
      assert.ok(nodes.length > 0);
      for (const n of nodes) assert.equal(n.text, text.slice(n.startIndex, n.endIndex));
    } finally {
      tree.delete();
    }
  });
});

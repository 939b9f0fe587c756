// The engine replaces some of web-tree-sitter's Node members with versions that
// pass nodes through wasm memory directly (engine/wasm.ts). Each must answer as
// the library's own member does, on every node of every fixture: this is where
// an upgrade of web-tree-sitter that changes its internals fails.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { blankInactiveBranches, type Engine } from '../server/src/engine';
import { libraryNodeMembers } from '../server/src/engine/wasm';
import { ROOT, loadEngine } from './helpers';

const FIXTURES = path.join(ROOT, 'test/fixtures');
const FIELDS = ['declarator', 'body', 'type', 'name', 'value', 'left', 'right', 'operator', 'arguments', 'function', 'no_such_field'];

/** A member as the library defines it, called on `node`. */
function library(node: Node, name: string, ...args: unknown[]): unknown {
  const member = libraryNodeMembers.get(name);
  assert.ok(member, `${name} was not replaced`);
  return member.get ? member.get.call(node) : (member.value as (...a: unknown[]) => unknown).apply(node, args);
}

const same = (a: unknown, b: unknown): string => JSON.stringify(describe_(a)) === JSON.stringify(describe_(b)) ? '' : `${JSON.stringify(describe_(a))} != ${JSON.stringify(describe_(b))}`;

function describe_(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(describe_);
  if (v && typeof v === 'object' && 'id' in v) {
    const n = v as Node;
    return [n.id, n.startIndex, n.startPosition.row, n.startPosition.column, library(n, 'endIndex'), library(n, 'typeId')];
  }
  return v;
}

/** A fresh object for the same node: `children` and `namedChildren` are cached on the object. */
function copyOf(n: Node): Node {
  const internal = n as unknown as Record<string | number, unknown>;
  return Object.assign(Object.create(Object.getPrototypeOf(n)), { 0: internal[0], id: n.id, startIndex: n.startIndex, startPosition: { ...n.startPosition }, tree: n.tree }) as Node;
}

/** Every node of the tree, read with the library's own `children`. */
function allNodes(root: Node): Node[] {
  const out: Node[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    stack.push(...(library(copyOf(n), 'children') as Node[]));
  }
  return out;
}

describe('Node members read through wasm memory', () => {
  let engine: Engine;
  before(async () => {
    engine = await loadEngine();
  });

  it('replaces the members it speeds up', () => {
    assert.deepEqual([...libraryNodeMembers.keys()].sort(), [
      'childForFieldId', 'childForFieldName', 'children', 'childrenForFieldId', 'childrenForFieldName',
      'descendantForIndex', 'endIndex', 'hasError', 'namedChildren', 'parent', 'typeId',
    ]);
  });

  it('answers as the library does on every node of every fixture', () => {
    let checked = 0;
    for (const rule of fs.readdirSync(FIXTURES)) {
      for (const file of fs.readdirSync(path.join(FIXTURES, rule))) {
        const text = fs.readFileSync(path.join(FIXTURES, rule, file), 'utf8');
        const lang = engine.detectLanguage(file, text);
        const parsed = blankInactiveBranches(text, lang).text;
        const tree = engine.parse(text, lang);
        try {
          for (const n of allNodes(tree.rootNode)) {
            const where = `${rule}/${file} node ${n.type} at ${n.startIndex}`;
            for (const name of ['typeId', 'endIndex', 'hasError', 'parent']) {
              assert.equal(same((n as unknown as Record<string, unknown>)[name], library(n, name)), '', `${where}: ${name}`);
            }
            assert.equal(same(copyOf(n).children, library(copyOf(n), 'children')), '', `${where}: children`);
            assert.equal(same(copyOf(n).namedChildren, library(copyOf(n), 'namedChildren')), '', `${where}: namedChildren`);
            for (const field of FIELDS) {
              assert.equal(same(n.childForFieldName(field), library(n, 'childForFieldName', field)), '', `${where}: childForFieldName(${field})`);
              assert.equal(same(n.childrenForFieldName(field), library(n, 'childrenForFieldName', field)), '', `${where}: childrenForFieldName(${field})`);
            }
            for (let id = 0; id < 4; id++) {
              assert.equal(same(n.childForFieldId(id), library(n, 'childForFieldId', id)), '', `${where}: childForFieldId(${id})`);
              assert.equal(same(n.childrenForFieldId(id), library(n, 'childrenForFieldId', id)), '', `${where}: childrenForFieldId(${id})`);
            }
            const end = n.endIndex;
            for (const [s, e] of [[n.startIndex, n.startIndex], [n.startIndex, end], [end, end], [n.startIndex + 1, end - 1]]) {
              if (e < s) continue;
              assert.equal(same(n.descendantForIndex(s, e), library(n, 'descendantForIndex', s, e)), '', `${where}: descendantForIndex(${s}, ${e})`);
            }
            assert.equal(n.text, parsed.slice(n.startIndex, end), `${where}: text`);
            checked++;
          }
        } finally {
          tree.delete();
        }
      }
    }
    assert.ok(checked > 10000, `only ${checked} nodes`);
  });

  it('rejects non-numeric offsets as the library does', () => {
    const tree = engine.parse('int x;', 'c');
    try {
      assert.throws(() => tree.rootNode.descendantForIndex('1' as unknown as number), /Arguments must be numbers/);
    } finally {
      tree.delete();
    }
  });
});

// Direct access to web-tree-sitter's wasm module, for the two things the engine
// does hundreds of thousands of times per big file: reading query matches
// (matches.ts) and reading node properties (`type`, `endIndex`, `parent`,
// `childForFieldName` …: ~480k reads over the benchmark corpus). The library
// passes every node through a shared buffer with `setValue`/`getValue`, which
// test the type name string on each of the node's five words, and builds each
// returned Node through an options object; here the words go straight through
// the `HEAP32` view. Each read still crosses into wasm once, as before.
//
// This leans on web-tree-sitter's internals (the version is pinned):
// - `Parser.init`'s options object becomes the Emscripten module, with the
//   `_ts_…_wasm` exports, `_ts_init` (the transfer buffer's address), `_free`,
//   and `HEAP32` (replaced when the memory grows: read it after every call);
// - a node in the transfer buffer is five words: id, startIndex, row, column and
//   the tree-internal word; arguments after a node follow it;
// - Node's fields (`0`, id, startIndex, startPosition, tree, `_children`,
//   `_namedChildren`), which the library's methods read.
// Where the module is not as expected, nothing is replaced and the library's
// own code runs. test/wasm.test.ts compares every replaced member with the
// library's on every node of the fixtures.
import { Node, type Language, type Tree } from 'web-tree-sitter';

/** The parts of the Emscripten module used here and in matches.ts. */
export interface WasmModule {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_query_matches_wasm(query: number, tree: number, ...range: number[]): void;
  _ts_node_symbol_wasm(tree: number): number;
  _ts_node_end_index_wasm(tree: number): number;
  _ts_node_has_error_wasm(tree: number): number;
  _ts_node_parent_wasm(tree: number): void;
  _ts_node_child_by_field_id_wasm(tree: number, field: number): void;
  _ts_node_children_by_field_id_wasm(tree: number, field: number): void;
  _ts_node_descendant_for_index_wasm(tree: number): void;
  _ts_node_children_wasm(tree: number): void;
  _ts_node_named_children_wasm(tree: number): void;
  _free(address: number): void;
  currentQueryProgressCallback: ((state: unknown) => boolean | void) | null;
}

const EXPORTS = [
  '_ts_init', '_ts_query_matches_wasm', '_ts_node_symbol_wasm', '_ts_node_end_index_wasm', '_ts_node_has_error_wasm',
  '_ts_node_parent_wasm', '_ts_node_child_by_field_id_wasm', '_ts_node_children_by_field_id_wasm',
  '_ts_node_descendant_for_index_wasm', '_ts_node_children_wasm', '_ts_node_named_children_wasm', '_free',
] as const;

let wasm: { module: WasmModule; transfer: number } | undefined;

/** The adopted module and its transfer buffer's address, if any. */
export function wasmModule(): { module: WasmModule; transfer: number } | undefined {
  return wasm;
}

/** The library's own Node members, as they were before `adoptWasmModule` replaced some (tests compare). */
export const libraryNodeMembers = new Map<string, PropertyDescriptor>();

/**
 * Keeps the module `Parser.init` built from `options`, when it is what this
 * file expects, and installs the fast Node members.
 */
export function adoptWasmModule(options: object): void {
  const m = options as Record<string, unknown>;
  if (wasm || !EXPORTS.every((name) => typeof m[name] === 'function') || !(m.HEAP32 instanceof Int32Array)) return;
  const module = options as WasmModule;
  wasm = { module, transfer: module._ts_init() };
  installNodeMembers(module, wasm.transfer);
}

/** Words of a node in wasm memory. */
export const NODE_WORDS = 5;

/**
 * Nodes made here share the library's prototype, with the five words in named
 * fields. The library keeps its tree-internal word as element `0`, and its start
 * point as an object: the elements store alone made a node 256 bytes and ~100 ns
 * to build (80 bytes and ~12 ns without), and rules make half a million of them
 * per corpus pass. `0` and `startPosition` are read through getters, for the
 * library's own code.
 */
const LEAN_NODE = Object.create(Node.prototype, {
  0: { get(this: LeanNode) { return this._word; } },
  startPosition: { get(this: LeanNode) { return { row: this._row, column: this._column }; } },
}) as object;

interface LeanNode {
  id: number;
  startIndex: number;
  _row: number;
  _column: number;
  _word: number;
  tree: Tree;
}

function LeanNode(this: LeanNode, heap: Int32Array, at: number, tree: Tree): void {
  this.id = heap[at];
  this.startIndex = heap[at + 1];
  this._row = heap[at + 2];
  this._column = heap[at + 3];
  this._word = heap[at + 4];
  this.tree = tree;
}
LeanNode.prototype = LEAN_NODE;

/** A Node for the five words at `at` (Node's constructor takes a key private to web-tree-sitter). */
export function readNode(heap: Int32Array, at: number, tree: Tree): Node {
  return new (LeanNode as unknown as new (heap: Int32Array, at: number, tree: Tree) => Node)(heap, at, tree);
}

/** Writes `node` at word `at`, where web-tree-sitter's functions read their node argument. */
export function writeNode(heap: Int32Array, at: number, node: Node): void {
  heap[at] = node.id;
  heap[at + 1] = node.startIndex;
  const lean = node as unknown as Partial<LeanNode>;
  if (lean._word !== undefined) {
    heap[at + 2] = lean._row!;
    heap[at + 3] = lean._column!;
    heap[at + 4] = lean._word;
  } else { // made by the library
    heap[at + 2] = node.startPosition.row;
    heap[at + 3] = node.startPosition.column;
    heap[at + 4] = (node as unknown as { 0: number })[0];
  }
}

type Internal = Node & { tree: Tree & { 0: number }; _children?: Node[]; _namedChildren?: Node[] };

function installNodeMembers(m: WasmModule, transfer: number): void {
  const at = transfer >> 2;
  const put = (node: Internal) => {
    writeNode(m.HEAP32, at, node);
    return node.tree[0];
  };
  const take = (tree: Tree): Node | null => {
    const heap = m.HEAP32;
    return heap[at] === 0 ? null : readNode(heap, at, tree);
  };
  /** The nodes of a list the call left in wasm memory (count and address in the transfer buffer). */
  const takeList = (tree: Tree): Node[] => {
    const heap = m.HEAP32;
    const count = heap[at];
    const address = heap[at + 1];
    const nodes = new Array<Node>(count);
    for (let i = 0; i < count; i++) nodes[i] = readNode(heap, (address >> 2) + i * NODE_WORDS, tree);
    if (count > 0) m._free(address);
    return nodes;
  };
  const fieldIds = new WeakMap<Language, Map<string, number>>();
  const fieldId = (tree: Tree, name: string) => {
    let ids = fieldIds.get(tree.language);
    if (!ids) fieldIds.set(tree.language, (ids = new Map()));
    let id = ids.get(name);
    if (id === undefined) ids.set(name, (id = tree.language.fields.indexOf(name)));
    return id;
  };

  const members: Record<string, PropertyDescriptor> = {
    typeId: { get(this: Internal) { return m._ts_node_symbol_wasm(put(this)); } },
    endIndex: { get(this: Internal) { return m._ts_node_end_index_wasm(put(this)); } },
    hasError: { get(this: Internal) { return m._ts_node_has_error_wasm(put(this)) === 1; } },
    parent: { get(this: Internal) { m._ts_node_parent_wasm(put(this)); return take(this.tree); } },
    children: { get(this: Internal) { if (!this._children) { m._ts_node_children_wasm(put(this)); this._children = takeList(this.tree); } return this._children; } },
    namedChildren: { get(this: Internal) { if (!this._namedChildren) { m._ts_node_named_children_wasm(put(this)); this._namedChildren = takeList(this.tree); } return this._namedChildren; } },
    childForFieldId: { value(this: Internal, id: number) { m._ts_node_child_by_field_id_wasm(put(this), id); return take(this.tree); } },
    childForFieldName: { value(this: Internal, name: string) { const id = fieldId(this.tree, name); return id === -1 ? null : this.childForFieldId(id); } },
    childrenForFieldId: { value(this: Internal, id: number) { m._ts_node_children_by_field_id_wasm(put(this), id); return takeList(this.tree); } },
    childrenForFieldName: { value(this: Internal, name: string) { const id = fieldId(this.tree, name); return id === -1 || id === 0 ? [] : this.childrenForFieldId(id); } },
    descendantForIndex: {
      value(this: Internal, start: number, end = start) {
        if (typeof start !== 'number' || typeof end !== 'number') throw new Error('Arguments must be numbers');
        const tree = put(this);
        m.HEAP32[at + NODE_WORDS] = start;
        m.HEAP32[at + NODE_WORDS + 1] = end;
        m._ts_node_descendant_for_index_wasm(tree);
        return take(this.tree);
      },
    },
  };
  const proto = Node.prototype as unknown as Record<string, unknown>;
  for (const [name, member] of Object.entries(members)) {
    const own = Object.getOwnPropertyDescriptor(proto, name);
    if (!own) continue; // not a member of this version: leave it alone
    libraryNodeMembers.set(name, own);
    Object.defineProperty(proto, name, { ...member, configurable: true, enumerable: own.enumerable, ...('value' in member ? { writable: true } : {}) });
  }
}

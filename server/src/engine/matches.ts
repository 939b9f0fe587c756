// Reads the combined query's matches. `Query.matches` builds, for every match, a
// match object, a captures array and a `{ name, node, patternIndex }` object per
// capture, and keeps all of them alive until the last one is read: on sqlite3.c,
// 66k matches cost ≈ 60 ms more than the walk, and the young-generation garbage
// collections that copy the survivors. Read straight from wasm memory instead,
// each capture is just its Node, made when its match is visited, and garbage as
// soon as the rule is done with it.
//
// This leans on web-tree-sitter's internals (see wasm.ts): the result layout is
// count and address in the transfer buffer; per match its pattern and capture
// count; per capture its index and the node's five words. Where the module is
// not as expected, `Query.matches` is used. The tests compare both readers on
// every fixture, so an upgrade that changes the layout fails there.
import type { Node, Query, QueryCapture } from 'web-tree-sitter';
import { NODE_WORDS, readNode, wasmModule, writeNode, type WasmModule } from './wasm';

/** Whether matches are read from wasm memory (false: through `Query.matches`). */
export function readsWasmMemory(): boolean {
  return wasmModule() !== undefined;
}

/** Gets a match's captures by name; returns true to stop. */
export type MatchVisitor = (pattern: number, captures: Record<string, Node>) => boolean;

/** The matches of one query run, visited in document order as often as needed. */
export interface Matches {
  /** Visits the matches of the patterns `wanted` accepts; stops when `visit` returns true. */
  visit(wanted: (pattern: number) => boolean, visit: MatchVisitor): void;
}

/** Runs `query` over `root`; `progress` returning true stops the query (a time budget). */
export function runQuery(query: Query, root: Node, progress?: () => boolean, viaLibrary = false): Matches {
  const wasm = wasmModule();
  return wasm && !viaLibrary ? fromWasm(wasm.module, wasm.transfer, query, root, progress) : fromLibrary(query, root, progress);
}

function fromLibrary(query: Query, root: Node, progress?: () => boolean): Matches {
  const all = query.matches(root, progress && { progressCallback: progress });
  return {
    visit(wanted, visit) {
      for (const m of all) {
        if (!wanted(m.patternIndex)) continue;
        const captures: Record<string, Node> = {};
        for (const c of m.captures) captures[c.name] = c.node;
        if (visit(m.patternIndex, captures)) return;
      }
    },
  };
}

const NO_LIMIT = 0xffffffff;

function fromWasm(module: WasmModule, transfer: number, query: Query, root: Node, progress?: () => boolean): Matches {
  const internal = query as unknown as { 0: number; captureNames: string[]; textPredicates: Array<Array<(c: QueryCapture[]) => boolean>> };
  const tree = root.tree;
  writeNode(module.HEAP32, transfer >> 2, root);
  if (progress) module.currentQueryProgressCallback = progress;
  try {
    // (node, start/end point, start/end byte, containing points and bytes: whole tree, no limits)
    module._ts_query_matches_wasm(internal[0], (tree as unknown as { 0: number })[0], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NO_LIMIT, NO_LIMIT);
  } finally {
    module.currentQueryProgressCallback = null;
  }
  // Copied out and freed at once: rules call into wasm while they read the matches,
  // which may grow the memory (and replace HEAP32). 4 MB for sqlite3.c's 66k matches.
  const count = module.HEAP32[transfer >> 2];
  const address = module.HEAP32[(transfer >> 2) + 1];
  const words = resultWords(module.HEAP32, address >> 2, count);
  const heap = module.HEAP32.slice(address >> 2, (address >> 2) + words);
  module._free(address);
  const names = internal.captureNames;
  return {
    visit(wanted, visit) {
      for (let i = 0, at = 0; i < count; i++) {
        const pattern = heap[at];
        const n = heap[at + 1];
        at += 2;
        if (!wanted(pattern)) {
          at += n * CAPTURE_WORDS;
          continue;
        }
        const captures: Record<string, Node> = {};
        for (let j = 0; j < n; j++, at += CAPTURE_WORDS) captures[names[heap[at]]] = readNode(heap, at + 1, tree);
        const predicates = internal.textPredicates[pattern];
        if (predicates.length > 0) {
          const list = Object.entries(captures).map(([name, node]) => ({ name, node, patternIndex: pattern }));
          if (!predicates.every((p) => p(list))) continue;
        }
        if (visit(pattern, captures)) return;
      }
    },
  };
}

/** The length in words of `count` matches from `at`. */
function resultWords(heap: Int32Array, at: number, count: number): number {
  let end = at;
  for (let i = 0; i < count; i++) end += 2 + heap[end + 1] * CAPTURE_WORDS;
  return end - at;
}

/** A capture: its index, then the node's words. */
const CAPTURE_WORDS = 1 + NODE_WORDS;

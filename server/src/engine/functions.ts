// The file's function definitions, captured by the combined query in document
// order, for finding the one around an offset without asking the tree: a node's
// start is free, its parent is a walk down from the root in wasm.
import type { Node } from 'web-tree-sitter';
import { lastAtOrBefore } from './ranges';

export class FunctionIndex {
  /** Each function's end, read from wasm when first needed (-1: not yet). */
  private ends: Int32Array | undefined;

  constructor(readonly list: Node[]) {}

  /**
   * The function definition around [start, end): the last one starting at or
   * before `start`, if it reaches `end`. Undefined otherwise, also where a
   * nested definition (a member of a local class) ends before the range: the
   * caller then does without.
   */
  around(start: number, end = start + 1): { node: Node; start: number; end: number } | undefined {
    const last = lastAtOrBefore(this.list, (fn) => fn.startIndex, start);
    if (last < 0) return undefined;
    this.ends ??= new Int32Array(this.list.length).fill(-1);
    if (this.ends[last] < 0) this.ends[last] = this.list[last].endIndex;
    const node = this.list[last];
    return end <= this.ends[last] ? { node, start: node.startIndex, end: this.ends[last] } : undefined;
  }
}

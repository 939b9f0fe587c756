// Counting parse errors: fixes must never add one, and the fuzzer, the compile
// test and the corpus benchmark all check that.
import type { Tree } from 'web-tree-sitter';

/** ERROR and MISSING nodes, counted with one cursor walk that skips error-free subtrees. */
export function countParseErrors(tree: Tree): number {
  const cursor = tree.walk();
  let count = 0;
  let descend = true;
  for (;;) {
    if (descend) {
      const node = cursor.currentNode;
      if (node.type === 'ERROR' || node.isMissing) count++;
      if (node.hasError && cursor.gotoFirstChild()) continue;
    }
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    descend = false;
  }
  cursor.delete();
  return count;
}

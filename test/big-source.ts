// Large generated C++ sources for the robustness tests and bench/memory.ts:
// numbered copies of a block that holds findings of several rules, so a document
// of any size has findings spread from its first line to its last.

const BLOCK = (i: number) => `
struct Node${i} {
  Node${i} *next;
  char name[16];
  explicit Node${i}(int v) : next(NULL), value(v) {}
  int value;
};

int use${i}(int n) {
  Node${i} *node = new Node${i}(n);
  int *data = (int *)malloc(sizeof(int) * n);
  char buf[32];
  strcpy(buf, "block ${i}");
  int total = node->value + (data ? data[0] : 0);
  free(data);
  delete node;
  return total + buf[0];
}
`;

const HEADER = '#include <cstdlib>\n#include <cstring>\n';

/** A C++ source of at least `bytes` bytes (ASCII, so bytes = UTF-16 length) made of numbered blocks. */
export function bigCppSource(bytes: number): string {
  const parts = [HEADER];
  let length = HEADER.length;
  for (let i = 0; length < bytes; i++) {
    const block = BLOCK(i);
    parts.push(block);
    length += block.length;
  }
  return parts.join('');
}

// Large generated C++ sources for the robustness tests and bench/memory.ts:
// numbered copies of a block that holds findings of several rules, so a document
// of any size has findings spread from its first line to its last. The dense
// source has a finding every other line; the sparse one, closer to real code,
// one such block among ten plain functions.

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

const PLAIN = (i: number) => `
static int compute${i}(int count, int bias) {
  int sum = 0;
  for (int k = 0; k < count; ++k) {
    sum += k * bias + ${i};
    if (sum > 1000000) sum -= 1000000;
  }
  return sum;
}
`;

const HEADER = '#include <cstdlib>\n#include <cstring>\n';

/** A C++ source of at least `bytes` bytes (ASCII, so bytes = UTF-16 length) made of numbered blocks. */
export function bigCppSource(bytes: number): string {
  return generate(bytes, BLOCK);
}

/** Like bigCppSource, with one block of findings among ten plain functions. */
export function sparseCppSource(bytes: number): string {
  return generate(bytes, (i) => (i % 10 === 0 ? BLOCK(i) : PLAIN(i)));
}

function generate(bytes: number, block: (i: number) => string): string {
  const parts = [HEADER];
  let length = HEADER.length;
  for (let i = 0; length < bytes; i++) {
    const text = block(i);
    parts.push(text);
    length += text.length;
  }
  return parts.join('');
}

// Offset <-> line/column conversion. Columns are UTF-16 code units, as in LSP
// and in web-tree-sitter's string input.

export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  /** Offsets where lines start (`count` of them); a typed array fills twice as fast as pushing to an array. */
  private starts: Int32Array | undefined;
  private count = 0;

  constructor(private readonly text: string) {}

  private lineStarts(): Int32Array {
    if (!this.starts) {
      // Sized for lines of ~32 characters: a small file's array then fits in V8's
      // heap (an off-heap buffer costs microseconds to allocate, per analyzed file).
      let starts = new Int32Array((this.text.length >> 5) + 2);
      let n = 1; // starts[0] = 0
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) {
        if (n === starts.length) {
          const bigger = new Int32Array(n * 2);
          bigger.set(starts);
          starts = bigger;
        }
        starts[n++] = i + 1;
      }
      this.starts = starts;
      this.count = n;
    }
    return this.starts;
  }

  position(offset: number): Position {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo] };
  }

  offset(pos: Position): number {
    const starts = this.lineStarts();
    if (pos.line < 0) return 0;
    if (pos.line >= this.count) return this.text.length;
    const lineEnd = pos.line + 1 < this.count ? starts[pos.line + 1] - 1 : this.text.length;
    return Math.min(starts[pos.line] + Math.max(0, pos.character), lineEnd);
  }

  get lineCount(): number {
    this.lineStarts();
    return this.count;
  }
}

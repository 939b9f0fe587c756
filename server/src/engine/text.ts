// Reading the source text at node offsets: cheaper than asking wasm for a node's text.

const WORD = /[\w$\u0080-\uffff]+/y;

/**
 * The word (identifier, keyword) starting at `offset` in the text. A node's
 * startIndex is free, while its text costs a call into wasm for its end.
 */
export function wordAt(text: string, offset: number): string {
  WORD.lastIndex = offset;
  return WORD.exec(text)?.[0] ?? '';
}

/** An identifier (as `wordAt` reads them, not starting with a digit), for regex sources. */
export const IDENTIFIER = String.raw`[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*`;

const WORD_CHAR = /[\w$\u0080-\uffff]/;

/**
 * Where `word` occurs in `text[from, to)` as a whole word, in order. The search runs in a slice: indexOf on the whole text would read on
 * past `to` looking for one more (milliseconds on a big file).
 */
export function wordOffsets(text: string, word: string, from: number, to: number): number[] {
  const at: number[] = [];
  const part = text.slice(Math.max(0, from - 1), to + 1); // one character either side, for the word boundaries
  const shift = Math.max(0, from - 1);
  for (let i = part.indexOf(word, from - shift); i >= 0 && i + word.length <= to - shift; i = part.indexOf(word, i + 1)) {
    if (!WORD_CHAR.test(part[i - 1] ?? '') && !WORD_CHAR.test(part[i + word.length] ?? '')) at.push(i + shift);
  }
  return at;
}

/**
 * The matches of each of `patterns` that `text.matchAll` would find with the
 * global form of each, tried only at `starts` (sorted): every pattern must start
 * with `\b` and one of the words found there. V8 scans a text fast for one
 * literal, not for an alternation; a handful of regexes each reading a 10 MB
 * file cost more than one scan for their keywords.
 */
export function matchesAt(text: string, starts: readonly number[], patterns: readonly RegExp[]): RegExpExecArray[][] {
  const sticky = patterns.map((p) => new RegExp(p.source, `${p.flags.replace(/[gy]/g, '')}y`));
  const found: RegExpExecArray[][] = patterns.map(() => []);
  const resume = patterns.map(() => 0); // each pattern's matches do not overlap
  for (const at of starts) {
    for (let k = 0; k < sticky.length; k++) {
      if (at < resume[k]) continue;
      sticky[k].lastIndex = at;
      const m = sticky[k].exec(text);
      if (!m) continue;
      found[k].push(m);
      resume[k] = m.index + Math.max(1, m[0].length);
    }
  }
  return found;
}

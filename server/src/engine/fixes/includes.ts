// Adding a standard header once. Inserted after the last #include that is not
// inside a conditional block (so it is never compiled out), or at the top.
import type { TextEdit } from '../rule';

// Every fix of a file asks the same question; the answer scans the whole text,
// so remember it for the last text seen (a 5 MB file with 80k `new` was quadratic).
let memoText: string | undefined;
const memo = new Map<string, TextEdit | undefined>();

export function ensureInclude(text: string, header: string): TextEdit | undefined {
  if (text !== memoText) {
    memoText = text;
    memo.clear();
  }
  if (!memo.has(header)) memo.set(header, findIncludeEdit(text, header));
  const edit = memo.get(header);
  return edit && { ...edit };
}

function findIncludeEdit(text: string, header: string): TextEdit | undefined {
  if (new RegExp(`^[ \\t]*#[ \\t]*include[ \\t]*<${header}>`, 'm').test(text)) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let depth = 0;
  // After a byte-order mark, never before it: a BOM mid-file is a stray character.
  let insertAt = text.startsWith('\uFEFF') ? 1 : 0;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    const m = /^[ \t]*#[ \t]*(include|if|ifdef|ifndef|endif)\b/.exec(line);
    if (m) {
      if (m[1] === 'include' && depth === 0) insertAt = Math.min(end + 1, text.length);
      else if (m[1] === 'endif') depth = Math.max(0, depth - 1);
      else if (m[1] !== 'include') depth++;
    }
    pos = end + 1;
  }
  // A header guard (#ifndef X / #define X) puts every include at depth 1; then
  // the top of the file is still a valid place.
  const needsEol = insertAt === text.length && text.length > 0 && !text.endsWith('\n');
  return { start: insertAt, end: insertAt, newText: `${needsEol ? eol : ''}#include <${header}>${eol}` };
}

/** The range of a whole statement line when the statement is alone on it, else the statement. */
export function statementRemoval(text: string, start: number, end: number): TextEdit {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd).replace(/\r$/, '');
  if (!before.trim() && !after.trim()) return { start: lineStart, end: Math.min(lineEnd + 1, text.length), newText: '' };
  return { start, end, newText: '' };
}

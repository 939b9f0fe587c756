// Decides whether content is C/C++ text we should analyze. Never throws.

export type Skip = { reason: 'too-large' | 'binary' | 'invalid-utf8'; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes from disk: size limit, NUL bytes (binary), strict UTF-8. */
export function decodeSource(bytes: Uint8Array, maxFileSize: number): { text: string } | Skip {
  if (bytes.length > maxFileSize) return { reason: 'too-large', detail: `${bytes.length} bytes is over the ${maxFileSize}-byte limit` };
  if (bytes.subarray(0, 8192).includes(0)) return { reason: 'binary', detail: 'contains NUL bytes' };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { reason: 'invalid-utf8', detail: 'is not valid UTF-8' };
  }
}

/** Text already decoded by an editor: invalid UTF-8 shows as U+FFFD, binary as NULs. */
export function checkText(text: string, maxFileSize: number): Skip | undefined {
  if (text.length > maxFileSize) return { reason: 'too-large', detail: `${text.length} characters is over the ${maxFileSize}-byte limit` };
  const head = text.slice(0, 8192);
  if (head.includes('\0')) return { reason: 'binary', detail: 'contains NUL characters' };
  if (head.includes('\uFFFD')) return { reason: 'invalid-utf8', detail: 'was not valid UTF-8 (replacement characters)' };
  return undefined;
}

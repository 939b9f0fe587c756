// Writing a fixed file safely: only if it still holds exactly the bytes the fix
// was computed from, never through a symlink, and atomically (a temporary file
// in the same folder, then rename), so a crash or kill -9 leaves the file
// either wholly old or wholly new. And writing a report file, with one clear error.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { describeIoError } from '../engine/files';
import { CliIoError } from './config';

/** Writes a report (scan --output, report --output); `display` is the path as the user gave it. */
export function writeReport(file: string, display: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'its folder does not exist' : err.code === 'EISDIR' ? 'it is a folder' : err.code ?? err.message;
    throw new CliIoError(`cannot write the report to ${display}: ${why}`);
  }
}

export type WriteOutcome =
  | { status: 'written' }
  | { status: 'changed'; detail: string }
  | { status: 'failed'; detail: string };

/** Marks our temporary files, so they are recognisable if a run is killed. */
export const TEMP_MARKER = '.rust-readiness-';

export async function writeIfUnchanged(file: string, expected: Buffer, content: Buffer): Promise<WriteOutcome> {
  const check = await unchanged(file, expected);
  if (check) return check;
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const stat = await fs.lstat(file);
    // 'wx': never reuse or follow an existing path; keep the original's permissions.
    const handle = await fs.open(temp, 'wx', stat.mode & 0o7777);
    try {
      await handle.writeFile(content);
      await handle.chown(stat.uid, stat.gid).catch(() => undefined); // only root may; best effort
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Last look, as close to the rename as we can get it.
    const late = await unchanged(file, expected);
    if (late) {
      await fs.rm(temp, { force: true });
      return late;
    }
    await fs.rename(temp, file);
    return { status: 'written' };
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    return { status: 'failed', detail: describeIoError(e).detail };
  }
}

/** undefined when `file` is still a regular file holding `expected`; else why not. */
async function unchanged(file: string, expected: Buffer): Promise<WriteOutcome | undefined> {
  try {
    const stat = await fs.lstat(file);
    if (stat.isSymbolicLink()) return { status: 'changed', detail: 'became a symbolic link during the run' };
    if (!stat.isFile()) return { status: 'changed', detail: 'is no longer a regular file' };
    if (stat.size !== expected.length || !(await fs.readFile(file)).equals(expected)) {
      return { status: 'changed', detail: 'changed during the run' };
    }
    return undefined;
  } catch (e) {
    const { reason, detail } = describeIoError(e);
    return reason === 'vanished' ? { status: 'changed', detail: 'was deleted during the run' } : { status: 'failed', detail };
  }
}

// The production .vsix the packaging and real-editor tests check: `npm run package`
// builds it unless it is newer than everything that goes into it. A small zip
// reader lists (and inflates) its entries without any unzip tool.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'rust-readiness') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no rust-readiness package.json above ${from}`);
  }
}

/** The repository root, wherever the bundled test file sits under out/. */
export const REPO_ROOT = findRoot(__dirname);
export const VSIX_PATH = path.join(REPO_ROOT, 'rust-readiness.vsix');

/** What the package is made of: a change to any of these makes the .vsix stale. */
const INPUTS = ['package.json', 'package-lock.json', '.vscodeignore', 'README.md', 'LICENSE', 'CHANGELOG.md', 'media', 'docs', 'client/src', 'server/src', 'scripts/build.mjs'];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const stat = statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}

/**
 * Builds the .vsix with `npm run package` unless the one on disk is newer than all
 * its inputs. On a shared working tree another `npm run build` (a development
 * build) can rewrite dist/ between the production build and vsce; such a package
 * holds source-map references, and is built again (the package test still fails
 * if every try does).
 */
export function ensureVsix(): string {
  const inputs = Math.max(...INPUTS.map((p) => newestMtime(path.join(REPO_ROOT, p))));
  if (existsSync(VSIX_PATH) && statSync(VSIX_PATH).mtimeMs >= inputs) return VSIX_PATH;
  for (let attempt = 1; attempt <= 3; attempt++) {
    execFileSync('npm', ['run', 'package'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 10 * 60_000 });
    if (!hasDevelopmentBuild(VSIX_PATH)) break;
  }
  return VSIX_PATH;
}

function hasDevelopmentBuild(vsix: string): boolean {
  return readZip(vsix).some((e) => /^extension\/dist\/.*\.js$/.test(e.name) && e.read().includes('sourceMappingURL'));
}

export interface ZipEntry {
  name: string;
  compressedSize: number;
  size: number;
  read(): Buffer;
}

/** The entries of a zip file, from its central directory. */
export function readZip(file: string): ZipEntry[] {
  const zip = readFileSync(file);
  // The end-of-central-directory record sits in the last 22 bytes + up to 64 KiB of comment.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({
      name,
      compressedSize,
      size,
      read() {
        const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const data = zip.subarray(dataStart, dataStart + compressedSize);
        if (method === 0) return Buffer.from(data);
        if (method === 8) return inflateRawSync(data);
        throw new Error(`${name}: unsupported zip method ${method}`);
      },
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

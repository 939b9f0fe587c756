// The memory scenarios of issue 7, driven through the real server with the test
// client and measured with its rustReadiness/debugMemory request (the server's
// process.memoryUsage()). Shared by test/server-memory.test.ts (which asserts the
// limits) and bench/memory.ts (which prints the figures).
import * as path from 'node:path';
import { DebugMemoryRequest, type DebugMemory } from '../server/src/protocol';
import { fileUri, type LspClient } from './lsp-client';

export const MB = 1024 * 1024;

export const mb = (bytes: number) => Math.round(bytes / MB);

/** The server's memory; after a full garbage collection when `gc` and the server runs with --expose-gc. */
export function serverMemory(client: LspClient, gc = false): Promise<DebugMemory> {
  return client.connection.sendRequest(DebugMemoryRequest, { gc });
}

/**
 * What the server keeps: its memory after a full garbage collection, the least of
 * three (V8 hands freed pages back to the system in the background, so one sample
 * may still count up to some 40 MB of them). Needs a server run with --expose-gc.
 */
export async function retainedMemory(client: LspClient): Promise<DebugMemory> {
  const samples = [await serverMemory(client, true), await serverMemory(client, true), await serverMemory(client, true)];
  const least = (key: 'rss' | 'heapUsed') => Math.min(...samples.map((m) => m[key]));
  return { ...samples[0], rss: least('rss'), heapUsed: least('heapUsed') };
}

type After<T extends unknown[]> = (...args: T) => void | Promise<void>;

const DEADLINE_MS = 120_000;

/** The next publication for `uri` after the `count` already received. */
function nextPublication(client: LspClient, uri: string, count: number, what: string) {
  return client.waitFor(`${what} of ${uri}`, () => client.publicationsFor(uri)[count], DEADLINE_MS);
}

/**
 * Opens `text` and waits for its diagnostics, then closes it and waits for them to
 * be cleared. (The same URI is reused: earlier rounds' publications must not count.)
 */
async function openAndClose(client: LspClient, uri: string, text: string): Promise<number> {
  const count = client.publicationsFor(uri).length;
  client.open(uri, 'cpp', text);
  const analyzed = await nextPublication(client, uri, count, 'the diagnostics');
  client.close(uri);
  const cleared = await nextPublication(client, uri, count + 1, 'the cleared diagnostics');
  if (analyzed.version !== 1 || cleared.diagnostics.length > 0) throw new Error(`unexpected publications for ${uri}: ${JSON.stringify([analyzed.version, cleared])}`);
  return analyzed.diagnostics.length;
}

/**
 * Opens and closes `text` `rounds` times, each time under the same URI in `dir`,
 * and reports the server's memory after every round.
 */
export async function openCloseRounds(
  client: LspClient, dir: string, text: string, rounds: number, after: After<[round: number, findings: number]>,
): Promise<void> {
  const uri = fileUri(path.join(dir, 'open-close.cpp'));
  for (let round = 1; round <= rounds; round++) await after(round, await openAndClose(client, uri, text));
}

/**
 * Opens `text` and edits it `edits` times, waiting for the diagnostics of every
 * edit: a statement with a finding is typed into the first function and removed
 * again, alternately. Calls `after` after each edit.
 */
export async function editRounds(client: LspClient, dir: string, text: string, edits: number, after: After<[edit: number]>): Promise<void> {
  const uri = fileUri(path.join(dir, 'edited.cpp'));
  client.open(uri, 'cpp', text);
  await client.waitForDiagnostics(uri, 1, DEADLINE_MS);
  const line = text.slice(0, text.indexOf('{\n', text.indexOf('int use0(')) + 2).split('\n').length - 1;
  const at = { line, character: 0 };
  for (let edit = 1; edit <= edits; edit++) {
    if (edit % 2 === 1) client.change(uri, [{ range: { start: at, end: at }, text: `  int *extra = new int(${edit});\n` }]);
    else client.change(uri, [{ range: { start: at, end: { line: line + 1, character: 0 } }, text: '' }]);
    await client.waitForDiagnostics(uri, client.version(uri), DEADLINE_MS);
    await after(edit);
  }
  const count = client.publicationsFor(uri).length;
  client.close(uri);
  await nextPublication(client, uri, count, 'the cleared diagnostics');
}

/** Opens `count` copies of `text` (each its own URI), waits for all their diagnostics, and returns the memory then. */
export async function openMany(client: LspClient, dir: string, text: string, count: number): Promise<{ memory: DebugMemory; uris: string[] }> {
  const uris = Array.from({ length: count }, (_, i) => fileUri(path.join(dir, `many-${i}.cpp`)));
  for (const uri of uris) {
    client.open(uri, 'cpp', text);
    await client.waitForDiagnostics(uri, 1, DEADLINE_MS);
  }
  return { memory: await serverMemory(client), uris };
}

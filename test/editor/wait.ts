// Waiting with a deadline, never a fixed sleep: poll a probe until it answers.
// Shared by the node-side editor tests and the extension-host suite.

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thrown by a waitFor probe to stop waiting at once (the awaited thing can no longer happen). */
export class GiveUp extends Error {}

/** Polls `probe` until it returns a value other than undefined/false, or throws `message` at the deadline. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, message: string | (() => string | Promise<string>), intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      if (e instanceof GiveUp) throw e;
      lastError = e;
    }
    if (Date.now() > deadline) {
      const text = typeof message === 'string' ? message : await Promise.resolve(message()).catch((e: Error) => `(no details: ${e.message})`);
      throw new Error(`timed out after ${timeoutMs} ms: ${text}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await delay(intervalMs);
  }
}

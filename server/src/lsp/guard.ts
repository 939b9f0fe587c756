// Every handler runs inside a guard: an exception is logged and the server lives.
// A request answers with an error response (InvalidParams for malformed input),
// a notification is dropped; neither takes the process down.
import { ErrorCodes, ResponseError } from 'vscode-languageserver';

export class InvalidParams extends Error {}

export class Guard {
  constructor(private readonly log: (message: string) => void) {}

  notification<P>(name: string, handler: (params: P) => void | Promise<void>): (params: P) => void {
    return (params) => {
      try {
        const pending = handler(params);
        if (pending) pending.catch((e) => this.report(name, e));
      } catch (e) {
        this.report(name, e);
      }
    };
  }

  request<P, R, T extends unknown[]>(name: string, handler: (params: P, ...rest: T) => R | Promise<R>): (params: P, ...rest: T) => Promise<R | ResponseError<never>> {
    return async (params, ...rest) => {
      try {
        return await handler(params, ...rest);
      } catch (e) {
        if (e instanceof ResponseError) return e as ResponseError<never>;
        this.report(name, e);
        const code = e instanceof InvalidParams ? ErrorCodes.InvalidParams : ErrorCodes.InternalError;
        return new ResponseError<never>(code, `${name}: ${(e as Error)?.message ?? e}`);
      }
    };
  }

  private report(name: string, e: unknown): void {
    this.log(e instanceof InvalidParams ? `${name}: ignored invalid params: ${e.message}` : `${name} failed: ${(e as Error)?.stack ?? e}`);
  }
}

// Shape checks for params from the wire, which may be anything.

export function requireUri(params: unknown): string {
  const uri = (params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
  if (typeof uri !== 'string') throw new InvalidParams('textDocument.uri must be a string');
  return uri;
}

export function isPosition(p: unknown): p is { line: number; character: number } {
  const pos = p as { line?: unknown; character?: unknown } | undefined;
  return typeof pos?.line === 'number' && typeof pos.character === 'number' && Number.isFinite(pos.line) && Number.isFinite(pos.character);
}

export function isRange(r: unknown): r is { start: { line: number; character: number }; end: { line: number; character: number } } {
  const range = r as { start?: unknown; end?: unknown } | undefined;
  return isPosition(range?.start) && isPosition(range?.end);
}

export function requirePosition(p: unknown, what: string): void {
  if (!isPosition(p)) throw new InvalidParams(`${what} must be a position {line, character}`);
}

export function requireRange(r: unknown, what: string): void {
  if (!isRange(r)) throw new InvalidParams(`${what} must be a range {start, end}`);
}

export function requireObject(o: unknown, what: string): void {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new InvalidParams(`${what} must be an object`);
}

/** A list of strings, or nothing. */
export function requireOptionalStrings(list: unknown, what: string): void {
  if (list !== undefined && list !== null && !(Array.isArray(list) && list.every((s) => typeof s === 'string'))) {
    throw new InvalidParams(`${what} must be a list of strings`);
  }
}

/** The URIs of a list of workspace folders ({uri, name}). */
export function requireFolderUris(list: unknown, what: string): string[] {
  if (!Array.isArray(list) || !list.every((f) => typeof (f as { uri?: unknown } | null)?.uri === 'string')) {
    throw new InvalidParams(`${what} must be a list of workspace folders`);
  }
  return list.map((f: { uri: string }) => f.uri);
}

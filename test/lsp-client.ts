// A small LSP test client: spawns the real server (`node dist/server.js --stdio`)
// and talks to it over stdio with vscode-languageserver-protocol. It keeps its own
// copy of each open document (so tests can compare hashes with the server's), records
// every diagnostics/showMessage/logMessage notification, answers
// workspace/configuration from `settings`, and waits for events with a deadline
// instead of sleeping. Reusable by any server test. For hostile-traffic tests,
// `sendRaw` writes any bytes as one framed message (malformed JSON included) and
// `requestRaw` sends a request whose params may be any JSON value.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  AbstractMessageWriter, ConfigurationRequest, createProtocolConnection, DidChangeConfigurationNotification, DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  InitializedNotification, InitializeRequest, LogMessageNotification, PublishDiagnosticsNotification, RegistrationRequest,
  ShutdownRequest, ShowMessageNotification, StreamMessageReader, UnregistrationRequest,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities, type DataCallback, type Disposable, type FileEvent, type InitializeResult, type LogMessageParams, type Message,
  type MessageWriter, type ProtocolConnection, type ResponseMessage,
  type PublishDiagnosticsParams, type Range, type ShowMessageParams,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ROOT } from './helpers';

export const SERVER_PATH = path.join(ROOT, 'dist/server.js');
const DEFAULT_TIMEOUT_MS = 20_000;

export interface StartOptions {
  /** Workspace folder path (its .rust-readiness.json is read by the server). */
  workspaceFolder?: string;
  /** The `rustReadiness` settings for a scope URI, answered to workspace/configuration. */
  settings?: (scopeUri: string | undefined) => unknown;
  initializationOptions?: unknown;
  capabilities?: ClientCapabilities;
  /** Node options for the server process (e.g. --expose-gc). */
  execArgv?: string[];
}

export type Change = { range: Range; text: string } | { text: string };

/** What VS Code announces for the features the server uses. */
export const VSCODE_LIKE_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
  },
  window: { workDoneProgress: true },
};

export class LspClient {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly configurationRequests: Array<string | undefined> = [];
  settings: (scopeUri: string | undefined) => unknown;
  initializeResult!: InitializeResult;
  stderr = '';
  exitCode: number | null | undefined;

  private readonly docs = new Map<string, TextDocument>();
  private readonly listeners = new Set<() => void>();
  /** Responses to requestRaw, by id. */
  private readonly rawResponses = new Map<string, ResponseMessage>();
  private rawIds = 0;

  private writer!: FrameWriter;

  private constructor(readonly connection: ProtocolConnection, readonly process: ChildProcessWithoutNullStreams, options: StartOptions) {
    this.settings = options.settings ?? (() => ({}));
  }

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [...options.execArgv ?? [], SERVER_PATH, '--stdio'], { stdio: 'pipe' });
    const writer = new FrameWriter(child.stdin);
    const reader = new TapReader(child.stdout);
    const connection = createProtocolConnection(reader, writer);
    const client = new LspClient(connection, child, options);
    client.writer = writer;
    reader.tap = (msg) => client.tapped(msg);
    child.stderr.on('data', (d: Buffer) => (client.stderr += d.toString()));
    child.on('exit', (code) => {
      client.exitCode = code;
      client.notify();
    });
    client.listen();
    connection.listen();
    const folder = options.workspaceFolder;
    const folderUri = folder ? pathToFileURL(folder).toString() : null;
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folderUri,
      workspaceFolders: folderUri ? [{ uri: folderUri, name: path.basename(folder!) }] : null,
      capabilities: options.capabilities ?? VSCODE_LIKE_CAPABILITIES,
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private listen(): void {
    const c = this.connection;
    c.onNotification(PublishDiagnosticsNotification.type, (p) => this.record(this.diagnostics, p));
    c.onNotification(ShowMessageNotification.type, (p) => this.record(this.messages, p));
    c.onNotification(LogMessageNotification.type, (p) => this.record(this.logs, p));
    c.onRequest(ConfigurationRequest.type, (p) => p.items.map((item) => {
      this.configurationRequests.push(item.scopeUri);
      return item.section === 'rustReadiness' ? this.settings(item.scopeUri) : null;
    }));
    c.onRequest(RegistrationRequest.type, () => undefined);
    c.onRequest(UnregistrationRequest.type, () => undefined);
    c.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
  }

  /** Keeps the responses to requestRaw (the connection does not know their ids and ignores them). */
  private tapped(msg: Message): void {
    const id = (msg as ResponseMessage).id;
    if (typeof id !== 'string' || !id.startsWith('raw-') || 'method' in msg) return;
    this.rawResponses.set(id, msg as ResponseMessage);
    this.notify();
  }

  private record<T>(list: T[], item: T): void {
    list.push(item);
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with the first truthy value of `probe`, re-checked on every message from the server. */
  waitFor<T>(what: string, probe: () => T | undefined | false | null, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        let value: T | undefined | false | null;
        try {
          value = probe();
        } catch (e) {
          done();
          reject(e);
          return;
        }
        if (value) {
          done();
          resolve(value);
        } else if (this.exitCode !== undefined) {
          done();
          reject(new Error(`server exited (code ${this.exitCode}) while waiting for ${what}\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The diagnostics published for `uri` at exactly `version` (the latest such publication). */
  waitForDiagnostics(uri: string, version = this.version(uri), timeoutMs = DEFAULT_TIMEOUT_MS): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`diagnostics of ${uri} version ${version}`, () => this.publicationsFor(uri).reverse().find((d) => d.version === version), timeoutMs);
  }

  /** Every publication for `uri`, in order. */
  publicationsFor(uri: string): PublishDiagnosticsParams[] {
    return this.diagnostics.filter((d) => d.uri === uri);
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    this.docs.set(uri, TextDocument.create(uri, languageId, version, text));
    void this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  /** Applies `changes` to the client's copy (clamping as the server must) and sends them; returns the new version. */
  change(uri: string, changes: Change[], version = this.version(uri) + 1): number {
    let doc = this.doc(uri);
    for (const change of changes) {
      // TextDocument.update clamps offsets but not its line table: clamp ranges first.
      const clamp = (p: Range['start']) => doc.positionAt(doc.offsetAt(p));
      const clamped = 'range' in change ? { range: { start: clamp(change.range.start), end: clamp(change.range.end) }, text: change.text } : change;
      doc = TextDocument.update(doc, [clamped], version);
    }
    this.docs.set(uri, doc);
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  close(uri: string): void {
    this.docs.delete(uri);
    void this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  configurationChanged(): void {
    void this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  watchedFilesChanged(changes: FileEvent[]): void {
    void this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /** Sends a request with any JSON value as params (undefined: none) and resolves with the raw response. */
  requestRaw(method: string, params: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ResponseMessage> {
    const id = `raw-${++this.rawIds}`;
    this.sendRaw(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return this.waitFor(`the response to ${method} (${id})`, () => this.rawResponses.get(id), timeoutMs);
  }

  /** Sends a notification with any JSON value as params (undefined: none). */
  notifyRaw(method: string, params: unknown): void {
    this.sendRaw(JSON.stringify({ jsonrpc: '2.0', method, params }));
  }

  /** Sends `body` (any bytes, valid JSON or not) framed with its Content-Length, in order with the other messages. */
  sendRaw(body: string | Buffer): void {
    this.writer.writeFrame(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
  }

  text(uri: string): string {
    return this.doc(uri).getText();
  }

  version(uri: string): number {
    return this.doc(uri).version;
  }

  textHash(uri: string): string {
    return createHash('sha256').update(this.text(uri), 'utf8').digest('hex');
  }

  doc(uri: string): TextDocument {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${uri} is not open in the test client`);
    return doc;
  }

  /** Shuts the server down politely; kills it if it has not exited by the deadline. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (this.exitCode === undefined) {
      try {
        await Promise.race([this.connection.sendRequest(ShutdownRequest.type), delay(timeoutMs)]);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // the server is gone already
      }
      await this.waitFor('server exit', () => this.exitCode !== undefined, timeoutMs).catch(() => this.process.kill('SIGKILL'));
    }
    this.connection.dispose();
  }
}

/**
 * Writes every message as ONE write of header and body, so a raw frame sent by a
 * test can never land between another message's header and body (vscode-jsonrpc's
 * stream writer awaits between the two).
 */
class FrameWriter extends AbstractMessageWriter implements MessageWriter {
  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (e) => this.fireError(e));
    stream.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    this.writeFrame(Buffer.from(JSON.stringify(msg), 'utf8'));
    return Promise.resolve();
  }

  writeFrame(body: Buffer): void {
    this.stream.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  end(): void {}
}

/** A stream reader that shows every message to `tap` before the connection sees it. */
class TapReader extends StreamMessageReader {
  tap: (msg: Message) => void = () => undefined;

  listen(callback: DataCallback): Disposable {
    return super.listen((msg) => {
      this.tap(msg);
      callback(msg);
    });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export function fileUri(filePath: string): string {
  return pathToFileURL(filePath).toString();
}

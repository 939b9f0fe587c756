// Starts and restarts the Rust Readiness language server (dist/server.js, over
// node IPC) for C and C++ documents, and watches .rust-readiness.json for it.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { explicitSettingsMiddleware } from './configuration';

const DOCUMENT_SELECTOR = ['file', 'untitled'].flatMap((scheme) => ['c', 'cpp'].map((language) => ({ scheme, language })));

export class ServerHandle {
  private languageClient: LanguageClient | undefined;
  private readonly started = new vscode.EventEmitter<LanguageClient>();
  /** Fires after every (re)start, with the running client. */
  readonly onDidStart = this.started.event;

  constructor(private readonly extension: vscode.ExtensionContext, private readonly output: vscode.LogOutputChannel) {
    extension.subscriptions.push(this.started);
  }

  /** The running client, or undefined while the server is down. */
  get client(): LanguageClient | undefined {
    return this.languageClient?.isRunning() ? this.languageClient : undefined;
  }

  async start(): Promise<void> {
    if (!this.languageClient) this.languageClient = this.create();
    await this.languageClient.start();
    this.started.fire(this.languageClient);
  }

  async restart(): Promise<void> {
    if (!this.languageClient) return this.start();
    this.output.info('restarting the language server');
    await this.languageClient.restart();
    this.started.fire(this.languageClient);
  }

  async stop(): Promise<void> {
    const client = this.languageClient;
    this.languageClient = undefined;
    if (client) await client.dispose();
  }

  private create(): LanguageClient {
    const module = vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'server.js').fsPath;
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const watcher = vscode.workspace.createFileSystemWatcher('**/.rust-readiness.json');
    this.extension.subscriptions.push(watcher);
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      synchronize: { fileEvents: watcher },
      outputChannel: this.output,
      // The workspace scan's cache (server/src/lsp/workspaceScan.ts) lives in the extension's storage.
      initializationOptions: { storagePath: (this.extension.storageUri ?? this.extension.globalStorageUri).fsPath },
      middleware: { workspace: { configuration: explicitSettingsMiddleware } },
    };
    return new LanguageClient('rustReadiness', 'Rust Readiness', serverOptions, clientOptions);
  }
}

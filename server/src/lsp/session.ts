// One language-server session: wires the LSP connection to the documents, the
// settings, the analyzer and the features. Every handler runs inside a Guard.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import {
  CodeActionKind, CodeActionRequest, DidChangeConfigurationNotification, ErrorCodes, HoverRequest, MessageType, ResponseError,
  ShowMessageNotification, TextDocumentSyncKind,
  type CodeAction, type CodeActionParams, type HoverParams, type ClientCapabilities, type Connection, type InitializeParams, type InitializeResult,
  type TextDocumentContentChangeEvent, type FileEvent,
} from 'vscode-languageserver';
import { Engine, ENGINE_VERSION, RULES, type RuleMeta } from '../engine';
import { DebugDocumentStateRequest, DebugMemoryRequest, FIX_ALL_KIND, SETTINGS_SECTION, type DebugDocumentState, type DebugMemory } from '../protocol';
import { Analyzer, DEFAULT_DEBOUNCE_MS, type CurrentAnalysis } from './analyzer';
import { codeActions, resolveCodeAction, type CodeActionContext } from './codeActions';
import { toDiagnostic } from './diagnostics';
import { DocumentStore, type OpenDocument } from './documents';
import {
  Guard, InvalidParams, isRange, requireFolderUris, requireObject, requireOptionalStrings, requirePosition, requireRange, requireUri,
} from './guard';
import { hover } from './hover';
import { RuleDocs } from './ruleDocs';
import { Settings } from './settings';
import { WorkspaceScan } from './workspaceScan';

/** Options a client may pass in initializationOptions (tests shorten the debounce). */
interface InitializationOptions {
  debounceMs?: number;
}

interface Services {
  engine: Engine;
  settings: Settings;
  analyzer: Analyzer;
  actions: CodeActionContext;
}

export class Session {
  private readonly docs = new DocumentStore();
  private readonly ruleDocs: RuleDocs;
  private readonly metas = new Map<string, RuleMeta>(RULES.map((r) => [r.meta.id, r.meta]));
  private readonly guard: Guard;
  private services: Services | undefined;
  private capabilities: ClientCapabilities = {};
  private workspaceScan: WorkspaceScan | undefined;
  private readonly warnedUnknown = new Set<string>();
  private initializeReceived = false;
  private initializedReceived = false;

  constructor(private readonly connection: Connection, private readonly extensionRoot: string, private readonly runtimeDir: string) {
    this.ruleDocs = new RuleDocs(extensionRoot);
    this.guard = new Guard((m) => this.error(m));
  }

  listen(): void {
    const c = this.connection;
    const g = this.guard;
    c.onInitialize(g.request('initialize', (p: InitializeParams) => this.initialize(p)));
    c.onInitialized(g.notification('initialized', () => this.initialized()));
    c.onDidOpenTextDocument(g.notification('didOpen', (p) => this.didOpen(p)));
    c.onDidChangeTextDocument(g.notification('didChange', (p) => this.didChange(p)));
    c.onDidCloseTextDocument(g.notification('didClose', (p) => this.didClose(requireUri(p))));
    c.onDidChangeConfiguration(g.notification('didChangeConfiguration', (p) => this.configurationChanged(p?.settings)));
    c.onDidChangeWatchedFiles(g.notification('didChangeWatchedFiles', (p) => this.watchedFilesChanged(p)));
    // onRequest rather than onHover/onCodeAction: those wrappers read params.workDoneToken
    // before any check of ours, so null params failed inside the library.
    c.onRequest(HoverRequest.type, g.request('hover', async (p: HoverParams) => {
      requirePosition(p?.position, 'position');
      const found = await this.analysisOf(requireUri(p));
      return found ? hover(p.position, found.doc, found.analysis, (id) => this.metas.get(id), this.ruleDocs) : null;
    }));
    c.onRequest(CodeActionRequest.type, g.request('codeAction', async (p: CodeActionParams) => {
      requireRange(p?.range, 'range');
      requireOptionalStrings(p.context?.only, 'context.only');
      const found = await this.analysisOf(requireUri(p));
      return found ? codeActions(p, found.doc, found.analysis, this.need().actions) : [];
    }));
    c.onCodeActionResolve(g.request('codeAction/resolve', async (action: CodeAction) => {
      requireObject(action, 'the code action');
      const uri = (action.data as { uri?: unknown } | undefined)?.uri;
      const found = typeof uri === 'string' ? await this.analysisOf(uri) : undefined;
      return resolveCodeAction(action, found?.doc, found?.analysis, this.need().actions);
    }));
    c.onRequest(DebugDocumentStateRequest, g.request('debugDocumentState', (p) => this.debugState(p?.uri)));
    c.onRequest(DebugMemoryRequest, g.request('debugMemory', (p) => this.debugMemory(p?.gc === true)));
    c.onShutdown(g.request('shutdown', () => {
      this.services?.analyzer.dispose();
      this.workspaceScan?.saveNow();
      this.docs.closeAll();
    }));
    c.listen();
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    if (this.initializeReceived) throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is already initialized');
    this.initializeReceived = true;
    this.capabilities = params.capabilities ?? {};
    const engine = await Engine.create(RULES, path.join(this.extensionRoot, 'grammars'), this.runtimeDir);
    const settings = new Settings({
      pull: (uri) => this.pullSettings(uri),
      log: (m) => this.info(m),
      showError: (m) => void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: m }),
    }, engine.ruleIds);
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    settings.setFolders(folders);
    await settings.loadConfigFiles();
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const debounce = typeof options.debounceMs === 'number' && options.debounceMs >= 0 ? options.debounceMs : DEFAULT_DEBOUNCE_MS;
    const analyzer = new Analyzer(engine, this.docs, settings, {
      publish: (doc, result) => this.publish(doc, result),
      log: (m) => this.info(m),
    }, debounce);
    const textDocument = this.capabilities.textDocument;
    const actions: CodeActionContext = {
      engine,
      meta: (id) => this.metas.get(id),
      diagnostic: (f, uri) => toDiagnostic(f, uri, this.metas.get(f.ruleId), this.ruleDocs),
      documentChanges: !!this.capabilities.workspace?.workspaceEdit?.documentChanges,
      resolveEdits: !!textDocument?.codeAction?.resolveSupport?.properties.includes('edit'),
    };
    this.services = { engine, settings, analyzer, actions };
    this.workspaceScan = new WorkspaceScan({ connection: this.connection, guard: this.guard, engine, settings, params, extensionRoot: this.extensionRoot, runtimeDir: this.runtimeDir, log: (m) => this.info(m) });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'rust-readiness', version: ENGINE_VERSION },
    };
  }

  private initialized(): void {
    if (this.initializedReceived) return; // registering twice would double every registration and handler
    this.initializedReceived = true;
    if (this.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    if (this.capabilities.workspace?.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders(this.guard.notification('didChangeWorkspaceFolders', async (e) => {
        const { settings, analyzer } = this.need();
        const removed = new Set(requireFolderUris(e?.removed, 'event.removed'));
        const added = requireFolderUris(e?.added, 'event.added');
        settings.setFolders([...settings.folderUris.filter((u) => !removed.has(u)), ...added]);
        await settings.loadConfigFiles();
        settings.settingsChanged();
        analyzer.scheduleAll();
      }));
    }
  }

  private pullSettings(uri: string): Promise<unknown> {
    if (!this.capabilities.workspace?.configuration) return Promise.resolve(undefined);
    return this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION });
  }

  private didOpen(p: { textDocument?: { uri?: unknown; languageId?: unknown; version?: unknown; text?: unknown } }): void {
    const uri = requireUri(p);
    const { languageId, version, text } = p.textDocument ?? {};
    if (typeof text !== 'string') throw new InvalidParams('textDocument.text must be a string');
    this.docs.open(uri, typeof languageId === 'string' ? languageId : '', typeof version === 'number' ? version : 0, text);
    this.need().analyzer.schedule(uri, 0);
  }

  private didChange(p: { textDocument?: { uri?: unknown; version?: unknown }; contentChanges?: unknown }): void {
    const uri = requireUri(p);
    const doc = this.docs.get(uri);
    if (!doc) {
      this.warnOnce(uri, `didChange for ${uri}, which is not open: ignored`);
      return;
    }
    const changes = Array.isArray(p.contentChanges) ? p.contentChanges as unknown[] : [];
    const version = typeof p.textDocument?.version === 'number' ? p.textDocument.version : doc.version + 1;
    for (const change of changes) {
      const c = change as { text?: unknown; range?: unknown };
      if (typeof c?.text !== 'string' || (c.range !== undefined && !isRange(c.range))) {
        throw new InvalidParams(`a content change of ${uri} has no text or a malformed range; the document may be out of sync`);
      }
      doc.applyChange(c as TextDocumentContentChangeEvent, version);
    }
    doc.setVersion(version);
    this.need().analyzer.schedule(uri);
  }

  private didClose(uri: string): void {
    this.services?.analyzer.cancel(uri);
    this.services?.settings.forget(uri);
    if (this.docs.close(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private configurationChanged(pushed: unknown): void {
    const { settings, analyzer } = this.need();
    const section = (pushed as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
    settings.settingsChanged(section ?? undefined);
    analyzer.scheduleAll();
    this.workspaceScan?.configurationChanged();
  }

  private async watchedFilesChanged(p: { changes?: Array<{ uri?: unknown }> }): Promise<void> {
    const { settings, analyzer } = this.need();
    const uris = (Array.isArray(p?.changes) ? p.changes : []).map((c) => c?.uri).filter((u): u is string => typeof u === 'string');
    if (await settings.configFilesChanged(uris)) analyzer.scheduleAll();
    await this.workspaceScan?.filesChanged(p?.changes as FileEvent[] | undefined);
  }

  private async analysisOf(uri: string): Promise<{ doc: OpenDocument; analysis: CurrentAnalysis } | undefined> {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const analysis = await this.need().analyzer.current(doc);
    return analysis ? { doc, analysis } : undefined;
  }

  private publish(doc: OpenDocument, result: CurrentAnalysis): void {
    const diagnostics = result.findings.map((f) => toDiagnostic(f, doc.uri, this.metas.get(f.ruleId), this.ruleDocs));
    void this.connection.sendDiagnostics({ uri: doc.uri, version: result.version, diagnostics });
  }

  private debugState(uri: unknown): DebugDocumentState | null {
    if (typeof uri !== 'string') throw new InvalidParams('uri must be a string');
    const doc = this.docs.get(uri);
    if (!doc) return null;
    const text = doc.text;
    const state: DebugDocumentState = { uri, version: doc.version, textHash: createHash('sha256').update(text, 'utf8').digest('hex'), length: text.length };
    const treeDigest = doc.treeDigest();
    if (treeDigest) state.treeDigest = treeDigest;
    return state;
  }

  private debugMemory(gc: boolean): DebugMemory {
    if (gc) (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    const docs = this.docs.all();
    return { rss, heapUsed, openDocuments: docs.length, documentsWithTree: docs.filter((d) => d.hasTree).length };
  }

  private need(): Services {
    if (!this.services) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'the server is not initialized');
    return this.services;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warnedUnknown.has(key)) return;
    if (this.warnedUnknown.size > 1000) this.warnedUnknown.clear(); // hostile traffic must not grow memory
    this.warnedUnknown.add(key);
    this.info(message);
  }

  private info(message: string): void {
    this.connection.console.info(message);
  }

  private error(message: string): void {
    this.connection.console.error(message);
  }
}

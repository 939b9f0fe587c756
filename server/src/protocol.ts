// Custom requests and notifications between the Rust Readiness client and server,
// typed once here and imported by both sides (as vscode-eslint's customMessages.ts
// and rust-analyzer's lsp_ext.ts do). Nothing stringly-typed crosses the wire.
import { RequestType } from 'vscode-languageserver-protocol';

/** The configuration section the server pulls (`rustReadiness.*`). */
export const SETTINGS_SECTION = 'rustReadiness';

/** The code action kind of "fix all auto-fixable findings" (editor.codeActionsOnSave). */
export const FIX_ALL_KIND = 'source.fixAll.rustReadiness';

/** Client-side commands the server's code actions refer to. */
export const Commands = {
  /** Arguments: [ruleId: string]. Opens docs/rules/<id>.md. */
  showDocs: 'rustReadiness.showDocs',
  restartServer: 'rustReadiness.restartServer',
} as const;

export interface DebugDocumentStateParams {
  uri: string;
}

/** The server's view of an open document, so tests can prove it matches the client's. */
export interface DebugDocumentState {
  uri: string;
  version: number;
  /** sha256 (hex) of the server's text of the document, as UTF-8. */
  textHash: string;
  /** Length in UTF-16 code units. */
  length: number;
  /**
   * sha256 over the node types, offsets and positions of the document's current
   * syntax tree; absent when it has none (not analyzed yet, skipped, or edited in
   * a way that needs a full reparse). Equal digests mean equal trees.
   */
  treeDigest?: string;
}

/** Returns null when the server has no open document with that URI. */
export const DebugDocumentStateRequest = new RequestType<DebugDocumentStateParams, DebugDocumentState | null, void>('rustReadiness/debugDocumentState');

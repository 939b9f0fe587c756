// The Rust Readiness language server (bundled to dist/server.js). A thin entry
// point: the session in lsp/ adapts the engine to LSP. The grammars are in
// <extension root>/grammars, the tree-sitter runtime wasm next to this bundle.
import * as path from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { Session } from './lsp/session';

const connection = createConnection(ProposedFeatures.all);

// Last resort: a stray exception is logged, and the server keeps serving.
process.on('uncaughtException', (e) => connection.console.error(`uncaught exception: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

new Session(connection, path.join(__dirname, '..'), __dirname).listen();

// Loading the engine from the bundle's folder: dist/cli.js sits next to the
// web-tree-sitter runtime wasm, and the grammars are in ../grammars.
import * as path from 'node:path';
import { Engine } from '../engine/engine';
import { RULES } from '../engine/rules';

export function loadEngine(): Promise<Engine> {
  return Engine.create(RULES, path.join(__dirname, '..', 'grammars'), __dirname);
}

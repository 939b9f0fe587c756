// Shared test setup: one engine for the whole mocha run, loaded from the built
// wasm files exactly as the server and the CLI load them.
import * as path from 'node:path';
import { Engine, RULES } from '../server/src/engine';

export const ROOT = process.env.RR_ROOT ?? path.resolve(__dirname, '../..');
let engine: Promise<Engine> | undefined;

export function loadEngine(): Promise<Engine> {
  engine ??= Engine.create(RULES, path.join(ROOT, 'grammars'), path.join(ROOT, 'dist'));
  return engine;
}

/** A small C++ file with a raw new and a delete: the language server tests' document. */
export const SAMPLE = [
  '#include <cstdio>',
  '',
  'struct Widget {',
  '  explicit Widget(int n) : n(n) {}',
  '  int n;',
  '  int size() const { return n; }',
  '};',
  '',
  'int leaky(int n) {',
  '  Widget *w = new Widget(n);',
  '  int s = w->size();',
  '  delete w;',
  '  return s;',
  '}',
  '',
].join('\n');

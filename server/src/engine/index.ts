// The engine's public surface, for the server, the CLI, tests and benchmarks.
export * from './rule';
export * from './engine';
export * from './config';
export * from './suppressions';
export * from './input';
export * from './lines';
export * from './docs';
export * from './preprocess';
export * from './fixes/apply';
export { RULES } from './rules';
export * from './parse-errors';

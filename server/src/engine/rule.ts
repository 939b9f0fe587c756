// The rule API. A rule is one module: declarative metadata next to a tree-sitter
// query and a check over each match. Rules never walk the tree themselves: all
// rules' patterns are compiled into ONE query per language and run once per file
// (see ../../../../shared/PERF-NOTES.md: one combined query costs ~0.3x a parse,
// one query per rule costs more than the parse itself).
import type { Node } from 'web-tree-sitter';
import type { SymbolTable } from './symbols';

export type Lang = 'c' | 'cpp';
export type Severity = 'off' | 'hint' | 'information' | 'warning' | 'error';
export const SEVERITIES: readonly Severity[] = ['off', 'hint', 'information', 'warning', 'error'];

/** Rust-migration themes; the readiness panel groups findings by these. */
export type Category = 'ownership' | 'borrowing' | 'bounds' | 'nullability' | 'types' | 'control-flow';

export interface RuleMeta {
  id: string;
  title: string;
  /** The Rust concept that replaces the construct, e.g. "Box<T>". */
  concept: string;
  category: Category;
  severity: Exclude<Severity, 'off'>;
  languages: readonly Lang[];
  /** Score cost of one finding (see docs/scoring.md). Blockers weigh most, hints least. */
  weight: number;
  fixable: boolean;
  /** What the rule flags, in a few words (README table, SARIF shortDescription). */
  description: string;
  /** Diagnostic tags, where they fit (LSP: 1 = unnecessary, 2 = deprecated). */
  tags?: readonly number[];
  // The doc page is docs/rules/<id>.md (see docs.ts); its first paragraph and
  // Rust snippet make the hover.
}

export interface TextEdit {
  /** Offsets in UTF-16 code units into the document text. */
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Location {
  start: number;
  end: number;
  message: string;
}

export interface Report {
  node: Node;
  message: string;
  /** Report on a narrower or different range than `node` (offsets). */
  range?: { start: number; end: number };
  /**
   * The quick fix. Pass a function when computing it costs anything: the
   * language server asks for fixes only on a code-action request, so on the
   * edit-to-diagnostics path a lazy fix is never computed.
   */
  fix?: Fix | (() => Fix | undefined);
  related?: Location[];
}

export type Captures = Record<string, Node>;

export interface RuleContext {
  readonly lang: Lang;
  readonly text: string;
  readonly symbols: SymbolTable;
  /** Offsets of conditional branches blanked before parsing: never edit inside them. */
  isBlanked(start: number, end: number): boolean;
  /**
   * The smallest node spanning [start, end): for a rule that finds its candidates
   * by searching the text. It walks down from the root in wasm: ask only for hits.
   */
  nodeAt(start: number, end: number): Node | null;
  /**
   * The innermost function definition around `offset`, from the definitions the
   * engine's query captured: no walk in wasm (`.parent` walks down from the root).
   */
  functionAt(offset: number): Node | undefined;
  /**
   * Where any of `words` (from the rule's `scan`) occurs as a whole word in
   * `text`, in order: inactive branches, comments and strings included.
   */
  offsetsOf(words: readonly string[]): readonly number[];
  report(r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * Tree-sitter query patterns. Per language when the node types differ.
   * `create` runs once per file (as in eslint) and returns the per-match check,
   * so a rule that aggregates over the file keeps its state in the closure.
   */
  query?: string | Partial<Record<Lang, string>>;
  /**
   * Names of C functions whose calls the rule checks. The engine matches every
   * call once and hands `{ call, fn }` to `match` for the names listed, instead
   * of each rule matching (and unmarshalling) every call of the file with its
   * own #any-of? pattern. `f(…)`, `(f)(…)`, `::f(…)` and `std::f(…)` count.
   */
  calls?: readonly string[];
  /**
   * Rare words the rule wants wherever they appear in code as a whole token: an
   * identifier (`__null`) or a keyword or type (`void`). Found by text search like
   * `calls`; `match` gets `{ word, wordParent }`: the smallest node spanning
   * exactly that word (check its type), and its parent, looked up once for all
   * the rules that want the word. A pattern `((identifier) @x (#eq? @x "__null"))` would
   * unmarshal every identifier before the predicate drops them.
   */
  words?: readonly string[] | Partial<Record<Lang, readonly string[]>>;
  /**
   * What must follow a word of `words` in the text (a sticky regex, tried at the
   * word's end) for the rule to want it: hits that fail it are not looked up in
   * the tree, which costs a walk from the root on a big file. `void` + `*`.
   */
  wordsFollowedBy?: RegExp;
  /**
   * Words whose offsets the rule reads with `ctx.offsetsOf`, found in the
   * engine's one search of the text for every rule's calls and words (a rule's
   * own regex over a 10 MB file costs as much as that whole search).
   */
  scan?: readonly string[];
  create(ctx: RuleContext): RuleVisitor;
}

export interface RuleVisitor {
  match(captures: Captures): void;
  /** Called once after all matches of the file. */
  finish?(): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

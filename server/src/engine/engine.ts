// The analysis engine: parse (after blanking inactive #if branches), run every
// rule's patterns as ONE combined query per language, filter by suppressions,
// configuration and parse errors, and return findings. No editor or LSP types.
import * as path from 'node:path';
import { Language, Parser, Query, type Node, type Tree } from 'web-tree-sitter';
import { blankInactiveBranches, detectLanguage } from './preprocess';
import type { Captures, Fix, Lang, Location, Rule, RuleContext, RuleVisitor, Severity } from './rule';
import { SymbolTable, type SymbolKind } from './symbols';
import { parseSuppressions } from './suppressions';
import { defaultConfig, type Config } from './config';
import { LineIndex, type Position } from './lines';
import { applyEdits } from './fixes/apply';
import { countParseErrors } from './parse-errors';
import { outermost, overlaps } from './ranges';
import { FunctionIndex } from './functions';
import { runQuery } from './matches';
import { adoptWasmModule } from './wasm';

export const ENGINE_VERSION = '0.1.0';

export interface Finding {
  ruleId: string;
  severity: Exclude<Severity, 'off'>;
  message: string;
  start: number;
  end: number;
  startPos: Position;
  endPos: Position;
  fix?: Fix;
  related?: Array<Location & { startPos: Position; endPos: Position }>;
}

export interface Analysis {
  lang: Lang;
  findings: Finding[];
  /** The parse of the blanked text; the caller owns it (keep for reparse, or delete). */
  tree: Tree;
  /** Function definitions, in document order (nodes of `tree`, valid while it lives). */
  functions: Node[];
  /** Text actually parsed (inactive branches blanked, same offsets). */
  parsedText: string;
  inactive: Array<[number, number]>;
  /** Milliseconds spent parsing and running rules. */
  timing: { parse: number; rules: number; query?: number; perRule?: Record<string, number>; matches?: Record<string, number> };
  /** The time budget ran out (BudgetedAnalyzeOptions): `findings` are those reported until then. */
  truncated?: boolean;
}

/** An analysis under a time budget: when the parse itself ran out of time there is no tree (and no finding). */
export type BudgetedAnalysis = Omit<Analysis, 'tree'> & { tree: Tree | undefined };

export interface AnalyzeOptions {
  config?: Config;
  lang?: Lang;
  /** Previous tree, already `edit`ed, for an incremental reparse. */
  oldTree?: Tree;
  /** Measure the query and each rule's checks (benchmarks). */
  profile?: boolean;
  /**
   * Compute each finding's fix only when `finding.fix` is first read. Valid only
   * while the returned tree is alive and unedited (the language server keeps it
   * per document version); by default fixes are computed before analyze returns.
   */
  lazyFixes?: boolean;
}

export interface BudgetedAnalyzeOptions extends AnalyzeOptions {
  /**
   * Milliseconds the analysis may take (the editor's per-file budget). Past it,
   * parsing stops (no tree, no finding), or the rules stop and the findings
   * reported so far are returned; either way the result is `truncated`.
   */
  timeBudgetMs: number;
}

// ERROR nodes are captured with the symbols, so a fix can be checked against
// their ranges without walking the tree (a parent walk per fix cost 0.25 s on sqlite3.c).
// Function definitions too: the workspace scan scores each function, and a
// second query for them would walk the whole tree again.
const SYMBOL_PATTERNS: Record<Lang, string> = {
  c: `(ERROR) @error
      (function_definition) @function
      (pointer_declarator declarator: [(identifier) (field_identifier)] @pointer)
      (array_declarator declarator: [(identifier) (field_identifier)] @array)`,
  cpp: `(ERROR) @error
      (function_definition) @function
      (pointer_declarator declarator: [(identifier) (field_identifier)] @pointer)
      (array_declarator declarator: [(identifier) (field_identifier)] @array)
      (reference_declarator [(identifier) (field_identifier)] @reference)`,
};

/** A rule that wants hits of a name: as the function of a call, or as any token. */
interface Listener {
  rule: Rule;
  asCall: boolean;
  followedBy?: RegExp;
}

/** Pattern owners that are not rules. */
const SYMBOLS = 'symbols';
type PatternOwner = Rule | typeof SYMBOLS;

interface CompiledLanguage {
  language: Language;
  query: Query;
  /** For each pattern index, who handles its matches. */
  ownerOfPattern: PatternOwner[];
  /** Rules listening to calls and words, by name. */
  callListeners: Map<string, Listener[]>;
  /** Every name of `callListeners` and every word rules `scan` for: one regex, one pass over the text. */
  wordSearch?: RegExp;
}

export class Engine {
  private readonly parser: Parser;
  private readonly compiled: Record<Lang, CompiledLanguage>;
  readonly rules: readonly Rule[];
  readonly ruleIds: ReadonlySet<string>;

  private constructor(parser: Parser, compiled: Record<Lang, CompiledLanguage>, rules: readonly Rule[]) {
    this.parser = parser;
    this.compiled = compiled;
    this.rules = rules;
    this.ruleIds = new Set(rules.map((r) => r.meta.id));
  }

  /** `wasmDir` holds web-tree-sitter.wasm, tree-sitter-c.wasm and tree-sitter-cpp.wasm. */
  static async create(rules: readonly Rule[], wasmDir: string, runtimeDir = wasmDir): Promise<Engine> {
    const moduleOptions = { locateFile: (file: string) => path.join(runtimeDir, file) };
    await Parser.init(moduleOptions);
    adoptWasmModule(moduleOptions);
    const parser = new Parser();
    const compiled = {
      c: compile(await Language.load(path.join(wasmDir, 'tree-sitter-c.wasm')), 'c', rules),
      cpp: compile(await Language.load(path.join(wasmDir, 'tree-sitter-cpp.wasm')), 'cpp', rules),
    };
    return new Engine(parser, compiled, rules);
  }

  /** The combined query of every rule and the symbol table (tests compare how its matches are read). */
  query(lang: Lang): Query {
    return this.compiled[lang].query;
  }

  detectLanguage(filePath: string, text: string): Lang {
    return detectLanguage(filePath, text);
  }

  /** Parses and analyzes `text`. Never throws on any input text. */
  analyze(text: string, filePath: string, options: BudgetedAnalyzeOptions): BudgetedAnalysis;
  analyze(text: string, filePath: string, options?: AnalyzeOptions): Analysis;
  analyze(text: string, filePath: string, options: AnalyzeOptions & { timeBudgetMs?: number } = {}): BudgetedAnalysis {
    const config = options.config ?? defaultConfig();
    const lang = options.lang ?? detectLanguage(filePath, text);
    const compiled = this.compiled[lang];
    const t0 = performance.now();
    const budget = options.timeBudgetMs === undefined ? undefined : new Budget(options.timeBudgetMs, t0);
    const blanked = blankInactiveBranches(text, lang);
    this.parser.setLanguage(compiled.language);
    // The progress callback is typed `=> void`, but returning true cancels the parse.
    const tree = this.parser.parse(blanked.text, options.oldTree ?? null, budget && { progressCallback: () => budget.spent() });
    if (!tree && budget?.truncated) {
      this.parser.reset(); // the next parse starts afresh, not resuming this one (setLanguage resets too; do not rely on it)
      return { lang, findings: [], functions: [], tree: undefined, parsedText: blanked.text, inactive: blanked.inactive, timing: { parse: performance.now() - t0, rules: 0 }, truncated: true };
    }
    if (!tree) throw new Error('tree-sitter returned no tree');
    const t1 = performance.now();
    const profile = options.profile ? { query: 0, perRule: {} as Record<string, number>, matches: {} as Record<string, number> } : undefined;
    const { findings, functions } = config.enable
      ? this.runRules(tree.rootNode, text, blanked.text, lang, blanked.inactive, compiled, config, profile, options.lazyFixes, budget)
      : { findings: [], functions: [] };
    const t2 = performance.now();
    const analysis: BudgetedAnalysis = { lang, findings, functions, tree, parsedText: blanked.text, inactive: blanked.inactive, timing: { parse: t1 - t0, rules: t2 - t1, ...profile } };
    if (budget?.truncated) analysis.truncated = true;
    return analysis;
  }

  private runRules(
    root: Node, text: string, parsedText: string, lang: Lang, inactive: Array<[number, number]>,
    { query, ownerOfPattern, callListeners, wordSearch }: CompiledLanguage, config: Config,
    profile?: { query: number; perRule: Record<string, number>; matches: Record<string, number> },
    lazyFixes = false,
    budget?: Budget,
  ): { findings: Finding[]; functions: Node[] } {
    const tq = performance.now();
    const matches = runQuery(query, root, budget && (() => budget.spent(QUERY_SHARE)));
    if (profile) profile.query = performance.now() - tq;
    const functions: Node[] = []; // filled from the query below, before anything looks a function up
    const functionIndex = new FunctionIndex(functions);
    const symbols = new SymbolTable(text, functionIndex);
    const errors: Node[] = []; // ERROR nodes; their ranges are read only when a fix is checked
    // In a file that does not parse cleanly, a fix outside the ERROR regions can
    // still read differently next to one (the fuzzer found `std::array<…>` after a
    // broken `extern "C++" {`, and `= 0` on a field of a struct misread as a
    // block). There, a fix the editor asks for is checked by reparsing the fixed
    // text, and fix-all checks each round (fixes/fix-all.ts).
    let originalErrors: number | undefined;
    let disjointErrors: Array<[number, number]> | undefined;
    const errorRegions = () => (disjointErrors ??= outermost(errors.map((e) => [e.startIndex, e.endIndex])));
    const errorCount = () => (originalErrors ??= countParseErrors(root.tree));
    matches.visit((p) => ownerOfPattern[p] === SYMBOLS, (_, captures) => {
      for (const name in captures) {
        if (name === 'error') errors.push(captures[name]);
        else if (name === 'function') functions.push(captures[name]);
        else symbols.add(name as SymbolKind, captures[name]);
      }
      return false;
    });
    const lines = new LineIndex(text);
    const suppressions = parseSuppressions(text);
    const findings: Finding[] = [];
    const isBlanked = (start: number, end: number) => overlaps(inactive, start, end);
    const words = searchWords(text, wordSearch, callListeners, isBlanked);
    const clean = !root.hasError; // then no node has one: one call into wasm instead of one per finding
    const nodeAt = nodeFinder(root, functionIndex);
    const functionAt = (offset: number) => functionIndex.around(offset)?.node;
    const offsetsOf = (wanted: readonly string[]) => wanted.length === 1
      ? words.offsets.get(wanted[0]) ?? NO_OFFSETS
      : wanted.flatMap((w) => words.offsets.get(w) ?? NO_OFFSETS).sort((a, b) => a - b);
    const visitors = new Map<Rule, RuleVisitor>();
    for (const rule of this.rules) {
      const severity = config.rules[rule.meta.id] ?? rule.meta.severity;
      if (severity === 'off' || !rule.meta.languages.includes(lang)) continue;
      const ctx: RuleContext = {
        lang, text, symbols, isBlanked,
        nodeAt,
        functionAt, offsetsOf,
        report: (r) => {
          // A construct that contains a parse error is not trusted; one that parsed
          // cleanly inside an ERROR region is (see PERF-NOTES.md).
          if (!clean && r.node.hasError) return;
          const start = r.range?.start ?? r.node.startIndex;
          const end = r.range?.end ?? r.node.endIndex;
          const startPos = lines.position(start);
          if (suppressions.isSuppressed(rule.meta.id, startPos.line)) return;
          const finding: Finding = {
            ruleId: rule.meta.id, severity, message: r.message, start, end, startPos, endPos: lines.position(end),
            related: r.related?.map((l) => ({ ...l, startPos: lines.position(l.start), endPos: lines.position(l.end) })),
          };
          const proposed = r.fix;
          if (proposed) {
            const checked = () => {
              const fix = typeof proposed === 'function' ? proposed() : proposed;
              if (!fix || !fix.edits.every((e) => safeToEdit(e.start, e.end, errorRegions(), isBlanked))) return undefined;
              // Verified here only when asked for one fix at a time (the editor); fix-all checks each round.
              return errors.length === 0 || !lazyFixes || this.keepsParseErrors(text, lang, fix, errorCount) ? fix : undefined;
            };
            // Lazily also when the fix itself is ready: checking it can mean reparsing the file.
            if (lazyFixes) defineLazy(finding, 'fix', checked);
            else finding.fix = checked();
          }
          findings.push(finding);
        },
      };
      visitors.set(rule, rule.create(ctx));
    }
    matches.visit((p) => ownerOfPattern[p] !== SYMBOLS, (pattern, captures) => {
      if (budget?.spent()) return true;
      const rule = ownerOfPattern[pattern] as Rule;
      const visitor = visitors.get(rule);
      if (visitor && !profile) visitor.match(captures);
      else if (visitor && profile) {
        const t = performance.now();
        visitor.match(captures);
        profile.matches[rule.meta.id] = (profile.matches[rule.meta.id] ?? 0) + 1;
        profile.perRule[rule.meta.id] = (profile.perRule[rule.meta.id] ?? 0) + performance.now() - t;
      }
      return false;
    });
    if (!budget?.truncated) dispatchWords(nodeAt, parsedText, words.hits, callListeners, visitors, profile, budget);
    // finish() decides over the whole file; after a cut it would decide on a part of it.
    for (const [rule, v] of budget?.truncated ? [] : visitors) {
      if (!profile) {
        v.finish?.();
        continue;
      }
      const t = performance.now();
      v.finish?.();
      profile.perRule[rule.meta.id] = (profile.perRule[rule.meta.id] ?? 0) + performance.now() - t;
    }
    findings.sort((a, b) => a.start - b.start || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)); // (localeCompare is slow on 20k findings)
    return { findings: dedupe(findings), functions };
  }

  /** Whether applying `fix` leaves no more ERROR/MISSING nodes than the text had. */
  private keepsParseErrors(text: string, lang: Lang, fix: Fix, before: () => number): boolean {
    let fixed: string;
    try {
      fixed = applyEdits(text, fix.edits);
    } catch {
      return false;
    }
    return this.parseErrors(fixed, lang) <= before();
  }

  /** ERROR and MISSING nodes in the parse of `text` (fix verification). */
  parseErrors(text: string, lang: Lang): number {
    const tree = this.parse(text, lang);
    try {
      return countParseErrors(tree);
    } finally {
      tree.delete();
    }
  }

  /** Parses without running rules (for benchmarks and fix verification). */
  parse(text: string, lang: Lang): Tree {
    this.parser.setLanguage(this.compiled[lang].language);
    const tree = this.parser.parse(blankInactiveBranches(text, lang).text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}

const NO_OFFSETS: readonly number[] = [];

/** A hit of a word some rule listens to (`calls`, `words`). */
interface WordHit {
  word: string;
  start: number;
}

/**
 * One pass of one regex over the text finds every word rules search for: the
 * names in `calls` and `words`, whose hits outside blanked branches go to
 * dispatchWords, and the words in `scan`, whose offsets rules read (whole text).
 * Each separate scan of a 10 MB file costs ≈ 15 ms, and V8 scans for an
 * alternation of 50 words about as fast as for one of 6.
 */
function searchWords(
  text: string, search: RegExp | undefined, listeners: Map<string, Listener[]>, isBlanked: (start: number, end: number) => boolean,
): { hits: WordHit[]; offsets: Map<string, number[]> } {
  const hits: WordHit[] = [];
  const offsets = new Map<string, number[]>();
  if (!search) return { hits, offsets };
  search.lastIndex = 0;
  for (let m = search.exec(text); m; m = search.exec(text)) {
    const word = m[0];
    const list = offsets.get(word);
    if (list) list.push(m.index);
    else offsets.set(word, [m.index]);
    if (listeners.has(word) && !isBlanked(m.index, m.index + word.length)) hits.push({ word, start: m.index });
  }
  return { hits, offsets };
}

/**
 * Calls of the few C functions rules care about (malloc, strcpy, setjmp …) are
 * found by searching the text for their names, then asking the tree what each
 * hit is. A query pattern would unmarshal every call of the file (38k in
 * sqlite3.c) to keep a few hundred. Hits in comments, strings and blanked
 * branches are not identifiers in call position and drop out. `f(…)`, `(f)(…)`,
 * `::f(…)` and `std::f(…)` count.
 */
function dispatchWords(
  nodeAt: (start: number, end: number) => Node | null, parsedText: string, hits: readonly WordHit[], listeners: Map<string, Listener[]>,
  visitors: Map<Rule, RuleVisitor>, profile?: { perRule: Record<string, number> }, budget?: Budget,
): void {
  for (const { word: name, start } of hits) {
    if (budget?.spent()) return;
    const end = start + name.length;
    const wanted = (listeners.get(name) ?? []).filter((l) => !l.followedBy || ((l.followedBy.lastIndex = end), l.followedBy.test(parsedText)));
    if (wanted.length === 0) continue;
    const fn = nodeAt(start, end);
    if (!fn || fn.startIndex !== start || fn.endIndex !== end) continue; // inside a comment, string, longer token
    let call: Node | null | undefined;
    let parent: Node | null | undefined;
    // One object for every rule that wants the word: its parent, a walk from the root in wasm, is looked up once.
    const word = { word: fn, get wordParent() { return (parent === undefined ? (parent = fn.parent) : parent) ?? undefined; } } as Captures;
    for (const { rule, asCall } of wanted) {
      const visitor = visitors.get(rule);
      if (!visitor) continue;
      if (asCall && (fn.type !== 'identifier' || (call === undefined ? (call = callOf(fn)) : call) === null)) continue;
      const t = profile ? performance.now() : 0;
      visitor.match(asCall ? { call: call!, fn } : word);
      if (profile) profile.perRule[rule.meta.id] = (profile.perRule[rule.meta.id] ?? 0) + performance.now() - t;
    }
  }
}

/**
 * The smallest node spanning [start, end), looked for from the function
 * definition around it when there is one: tree-sitter walks down from where it
 * starts, and on a big file the way from the root to a function is the longer half.
 */
function nodeFinder(root: Node, functions: FunctionIndex): (start: number, end: number) => Node | null {
  return (start, end) => (functions.around(start, end)?.node ?? root).descendantForIndex(start, end);
}

/** The call expression `fn` names the function of, or null. */
function callOf(fn: Node): Node | null {
  let callee: Node = fn;
  const parent = fn.parent;
  if (parent?.type === 'parenthesized_expression') callee = parent;
  else if (parent?.type === 'qualified_identifier') {
    const scope = parent.childForFieldName('scope');
    if (scope && scope.text !== 'std') return null;
    callee = parent;
  }
  const call = callee.parent;
  return call?.type === 'call_expression' && call.childForFieldName('function')?.equals(callee) ? call : null;
}

/**
 * Fixes never edit inactive (blanked) branches, nor text inside an ERROR
 * region: what the parser could not read, we cannot rewrite safely. (A MISSING
 * node always sits in an ERROR-free but hasError ancestor, which rules already
 * refuse to report.) An insertion may touch a region's edge.
 */
function safeToEdit(start: number, end: number, errors: Array<[number, number]>, isBlanked: (s: number, e: number) => boolean): boolean {
  return !isBlanked(start, end) && !overlaps(errors, start, end);
}

/** Defines `key` on `obj` as computed once, on first read. */
function defineLazy<T extends object, K extends keyof T>(obj: T, key: K, compute: () => T[K]): void {
  Object.defineProperty(obj, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = compute();
      Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      return value;
    },
  });
}

/**
 * Under a time budget the query stops at this share of it: turning the matches it
 * found into JS objects and setting up the rules take about as long again, and the
 * rules need time left to check those matches.
 */
const QUERY_SHARE = 0.5;

/** The clock of one analysis under a time budget. */
class Budget {
  truncated = false;

  constructor(private readonly ms: number, private readonly start: number) {}

  /** True once `share` of the budget is spent; the analysis is then truncated. */
  spent(share = 1): boolean {
    if (performance.now() - this.start <= share * this.ms) return false;
    this.truncated = true;
    return true;
  }
}

/**
 * A rule reports one construct once even when several of its patterns match it.
 * `findings` is sorted by start and rule, so copies sit in one run of equal
 * start and rule (a key per finding in a set cost 7 ms on 20k findings).
 */
function dedupe(findings: Finding[]): Finding[] {
  const kept: Finding[] = [];
  const ends = new Set<number>(); // of the current run
  for (const f of findings) {
    const last = kept[kept.length - 1];
    if (!last || last.start !== f.start || last.ruleId !== f.ruleId) ends.clear();
    else if (ends.has(f.end)) continue;
    ends.add(f.end);
    kept.push(f);
  }
  return kept;
}

function compile(language: Language, lang: Lang, rules: readonly Rule[]): CompiledLanguage {
  const chunks: Array<{ owner: PatternOwner; start: number; source: string }> = [];
  let offset = 0;
  const add = (source: string, owner: PatternOwner) => {
    chunks.push({ owner, start: offset, source });
    offset += source.length + 1; // the joining newline
  };
  add(SYMBOL_PATTERNS[lang], SYMBOLS);
  const callListeners = new Map<string, Listener[]>();
  const listen = (name: string, rule: Rule, asCall: boolean, followedBy?: RegExp) =>
    callListeners.set(name, [...(callListeners.get(name) ?? []), { rule, asCall, followedBy }]);
  for (const rule of rules) {
    if (!rule.meta.languages.includes(lang)) continue;
    for (const name of rule.calls ?? []) listen(name, rule, true);
    const words = Array.isArray(rule.words) ? rule.words : (rule.words as Partial<Record<Lang, readonly string[]>> | undefined)?.[lang];
    for (const name of words ?? []) listen(name, rule, false, rule.wordsFollowedBy);
    const source = typeof rule.query === 'string' ? rule.query : rule.query?.[lang];
    if (source) add(source, rule);
  }
  const query = compileQuery(language, chunks);
  // Each pattern belongs to the chunk its source starts in.
  const ownerOfPattern: PatternOwner[] = [];
  for (let i = 0, c = 0; i < query.patternCount(); i++) {
    const at = query.startIndexForPattern(i);
    while (c + 1 < chunks.length && chunks[c + 1].start <= at) c++;
    ownerOfPattern.push(chunks[c].owner);
  }
  const searched = new Set([...callListeners.keys(), ...rules.flatMap((r) => (r.meta.languages.includes(lang) ? r.scan ?? [] : []))]);
  const wordSearch = searched.size > 0 ? new RegExp(`\\b(?:${[...searched].join('|')})\\b`, 'g') : undefined;
  return { language, query, ownerOfPattern, callListeners, wordSearch };
}

/** Compiles the combined query; when it fails, names the rule whose patterns do not compile. */
function compileQuery(language: Language, chunks: Array<{ owner: PatternOwner; source: string }>): Query {
  try {
    return new Query(language, chunks.map((c) => c.source).join('\n'));
  } catch (e) {
    for (const { owner, source } of chunks) {
      try {
        new Query(language, source).delete();
      } catch (inner) {
        throw new Error(`query of ${typeof owner === 'string' ? owner : owner.meta.id} does not compile: ${(inner as Error).message}`);
      }
    }
    throw e;
  }
}

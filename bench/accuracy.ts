// `npm run bench:accuracy`: precision and recall of our rules against clang-tidy
// on real C/C++ from npm tarballs (bench/lib/corpus.ts). Findings are matched
// per rule by file and line (±1). Only files clang-tidy parses without errors
// are compared; rules not registered yet are skipped. Options:
//   --only=<text>  only corpus files whose package/path contains <text>
//   --jobs=<n>     clang-tidy processes (default 2)
//   --speed-sample=<n>  files for the CPU-time comparison (default 40)
//   --samples=<n>  misses and noise printed per rule (default 5)
//   --rule=<id>    only this rule's reference
import * as fs from 'node:fs';
import type { Node } from 'web-tree-sitter';
import { LineIndex, type Engine, type Finding } from '../server/src/engine';
import { ACCURACY_EXTRA, CORPUS, loadCorpus, summarize, type CorpusFile } from './lib/corpus';
import { skippedLines } from './lib/compile';
import { clangQueryLines } from './lib/clang-query';
import { clangTidyCpuMs, clangTidyVersion, runClangTidy, type TidyDiagnostic, type TidyResult } from './lib/clang-tidy';
import { ensureApt, fmt, loadEngine, verdict } from './lib/engine';
import { stableSlice } from './lib/fix-check';
import { REFERENCES, inMacroDefinition, type Reference, type SourceView } from './lib/mapping';

const PRECISION_FLOOR = 0.9;
const RECALL_FLOOR = 0.85;
const SPEED_FLOOR = 50;

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

interface Item {
  file: CorpusFile;
  line: number; // 1-based
  what: string;
}

interface OurFile {
  findings: Finding[];
  /** Rule id and start offset -> the node the finding starts at, for the comparable-subset filters. */
  nodeAt: (f: Finding) => Node;
  blankedLines: Set<number>; // 1-based
  /** Lines in #if branches the compiler (gcc -E, same flags) skipped. */
  skippedLines: Set<number>;
  ms: number;
  done: () => void;
}

function sourceView(text: string): SourceView {
  const lines = text.split('\n');
  return {
    line: (n) => lines[n - 1] ?? '',
    from: (line, column) => (lines[line - 1] ?? '').slice(column - 1),
  };
}

function analyzeOurs(engine: Engine, file: CorpusFile, text: string): OurFile {
  const analysis = engine.analyze(text, file.file, { lang: file.lang });
  const index = new LineIndex(text);
  const blankedLines = new Set<number>();
  for (const [s, e] of analysis.inactive) {
    for (let l = index.position(s).line; l <= index.position(e).line; l++) blankedLines.add(l + 1);
  }
  return {
    findings: analysis.findings, blankedLines, skippedLines: skippedLines(file),
    nodeAt: (f) => analysis.tree.rootNode.descendantForIndex(f.start, f.end) ?? analysis.tree.rootNode,
    ms: analysis.timing.parse + analysis.timing.rules,
    done: () => analysis.tree.delete(),
  };
}

/** One-to-one matching by line: exact lines first, then ±1. */
function match(ours: Item[], theirs: Item[]): { tp: number; missed: Item[]; noise: Item[] } {
  const usedOurs = new Set<number>();
  const usedTheirs = new Set<number>();
  for (const delta of [0, 1]) {
    theirs.forEach((t, ti) => {
      if (usedTheirs.has(ti)) return;
      const oi = ours.findIndex((o, i) => !usedOurs.has(i) && Math.abs(o.line - t.line) === delta);
      if (oi >= 0) {
        usedOurs.add(oi);
        usedTheirs.add(ti);
      }
    });
  }
  return {
    tp: usedTheirs.size,
    missed: theirs.filter((_, i) => !usedTheirs.has(i)),
    noise: ours.filter((_, i) => !usedOurs.has(i)),
  };
}

interface RuleScore {
  ref: Reference;
  tp: number;
  ours: number;
  theirs: number;
  missed: Item[];
  noise: Item[];
  leftOut: { macro: number; blanked: number; tidyFiltered: number; skipped: number; oursMacro: number; oursFiltered: number; tidyAst: number };
  /** Diagnostics of the checks in `acceptedBy`, and our findings (before any narrowing) on their lines. */
  accepted: number;
  contradicted: Item[];
  /** Ours left out by the AST narrowing, for samples. */
  astOurs: Item[];
}

/** Lines the AST narrowing leaves out, per file (empty when the rule has none). */
type AstLines = Map<CorpusFile, Set<number>>;

function scoreRule(ref: Reference, compared: CorpusFile[], tidy: Map<CorpusFile, TidyResult>, ours: Map<CorpusFile, OurFile>, texts: Map<CorpusFile, string>, ast: AstLines): RuleScore {
  const score: RuleScore = {
    ref, tp: 0, ours: 0, theirs: 0, missed: [], noise: [], accepted: 0, contradicted: [], astOurs: [],
    leftOut: { macro: 0, blanked: 0, tidyFiltered: 0, skipped: 0, oursMacro: 0, oursFiltered: 0, tidyAst: 0 },
  };
  for (const file of compared) {
    if (!ref.langs.includes(file.lang)) continue;
    const src = sourceView(texts.get(file)!);
    const our = ours.get(file)!;
    const astOut = ast.get(file) ?? new Set<number>();
    const accepted = new Set(tidy.get(file)!.diagnostics.filter((d) => ref.acceptedBy?.includes(d.check)).map((d) => d.line));
    score.accepted += accepted.size;
    const seen = new Set<string>();
    const theirs: Item[] = [];
    for (const d of tidy.get(file)!.diagnostics) {
      if (!ref.checks.includes(d.check)) continue;
      const key = `${d.line}:${d.column}:${d.check}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (inMacroDefinition(d.line, src) || (d.macro && src.from(d.line, d.column).startsWith(d.macro))) score.leftOut.macro++;
      else if (our.blankedLines.has(d.line)) score.leftOut.blanked++;
      else if (ref.keepTidy && !ref.keepTidy(d, src)) score.leftOut.tidyFiltered++;
      else if (astOut.has(d.line)) score.leftOut.tidyAst++;
      else theirs.push({ file, line: d.line, what: describe(d) });
    }
    const mine: Item[] = [];
    for (const f of our.findings) {
      if (f.ruleId !== ref.rule) continue;
      if (accepted.has(f.startPos.line + 1)) score.contradicted.push({ file, line: f.startPos.line + 1, what: f.message });
      if (our.skippedLines.has(f.startPos.line + 1)) score.leftOut.skipped++;
      else if (inMacroDefinition(f.startPos.line + 1, src)) score.leftOut.oursMacro++;
      else if (ref.keepOurs && !ref.keepOurs(our.nodeAt(f), src)) score.leftOut.oursFiltered++;
      else if (astOut.has(f.startPos.line + 1)) score.astOurs.push({ file, line: f.startPos.line + 1, what: f.message });
      else mine.push({ file, line: f.startPos.line + 1, what: f.message });
    }
    const m = match(mine, theirs);
    score.tp += m.tp;
    score.ours += mine.length;
    score.theirs += theirs.length;
    score.missed.push(...m.missed);
    score.noise.push(...m.noise);
  }
  return score;
}

const describe = (d: TidyDiagnostic) => `${d.message} [${d.check}]`;
const ratio = (a: number, b: number) => (b === 0 ? NaN : a / b);
const pct = (x: number) => (Number.isNaN(x) ? '   –' : x.toFixed(2));

/** Spread samples over files: at most one per file first, then more. */
function samples(items: Item[], n: number): Item[] {
  const byFile = new Map<CorpusFile, Item[]>();
  for (const i of items) byFile.set(i.file, [...(byFile.get(i.file) ?? []), i]);
  const out: Item[] = [];
  for (let round = 0; out.length < n && out.length < items.length; round++) {
    for (const list of byFile.values()) if (list[round] && out.length < n) out.push(list[round]);
  }
  return out;
}

function printSamples(title: string, items: Item[], texts: Map<CorpusFile, string>): void {
  if (items.length === 0) return;
  console.log(`    ${title} (${items.length}):`);
  for (const i of samples(items, Number(arg('samples') ?? 5))) {
    const line = sourceView(texts.get(i.file)!).line(i.line).trim().slice(0, 110);
    console.log(`      ${i.file.display}:${i.line}: ${line}`);
    console.log(`          ${i.what.slice(0, 120)}`);
  }
}

async function main(): Promise<void> {
  ensureApt('clang-tidy', 'gcc', 'g++', 'libcairo2-dev', 'libpango1.0-dev');
  const only = arg('only');
  const jobs = Number(arg('jobs') ?? 2);
  const files = loadCorpus([...CORPUS, ...ACCURACY_EXTRA], (s) => console.error(s)).filter((f) => !only || f.display.includes(only));
  console.log(`# Accuracy against clang-tidy ${clangTidyVersion()}\n\ncorpus (npm pack, cached):\n${summarize(files)}\n`);

  const engine = await loadEngine();
  const registered = new Set(engine.rules.map((r) => r.meta.id));
  const refs = REFERENCES.filter((r) => registered.has(r.rule));
  const skipped = REFERENCES.filter((r) => !registered.has(r.rule)).map((r) => r.rule);
  if (skipped.length) console.log(`skipped (rule not registered yet): ${skipped.join(', ')}`);
  const checks = ['-*', ...new Set(refs.flatMap((r) => [...r.checks, ...(r.acceptedBy ?? [])]))].join(',');

  const tidy = await runClangTidy(files, checks, jobs, (done, total) => {
    if (done % 20 === 0 || done === total) console.error(`clang-tidy ${done}/${total}`);
  });
  const compared = files.filter((f) => tidy.results.get(f)!.errors.length === 0);
  reportUnparseable(files.filter((f) => !compared.includes(f)), tidy.results);

  const texts = new Map<CorpusFile, string>();
  const ours = new Map<CorpusFile, OurFile>();
  for (const f of compared) {
    const text = fs.readFileSync(f.file, 'utf8');
    texts.set(f, text);
    ours.set(f, analyzeOurs(engine, f, text));
  }
  const comparedLines = compared.reduce((n, f) => n + f.lines, 0);
  console.log(`\ncompared: ${compared.length} files, ${comparedLines} lines (C: ${compared.filter((f) => f.lang === 'c').length}, C++: ${compared.filter((f) => f.lang === 'cpp').length})`);
  console.log('matching: per rule, by file and line (±1), one to one. Left out of both sides: clang-tidy diagnostics inside macro bodies, at the #define or at the macro call (we do not analyze macro bodies)');
  console.log('and in #if branches we blank (we analyze the first branch; the compiler took another); our findings in #define bodies and in branches the compiler skipped (gcc -E, same flags).\n');

  // --rule narrows the scoring only: the check list (and so the clang-tidy cache key) stays whole.
  const scored = refs.filter((r) => !arg('rule') || r.rule === arg('rule'));
  const scores: RuleScore[] = [];
  for (const ref of scored) scores.push(scoreRule(ref, compared, tidy.results, ours, texts, await astLeftOut(ref, compared, tidy.results, ours, jobs)));
  printTable(scores);
  console.log('\n## Per rule: the comparable subset, misses (clang-tidy only) and noise (ours only)\n');
  for (const s of scores) {
    console.log(`- ${s.ref.rule} ← ${s.ref.checks.join(' + ')} [clang-tidy runs it on ${s.ref.langs.map((l) => (l === 'c' ? 'C' : 'C++')).join(' and ')} files]`);
    if (s.ref.note) console.log(`    note: ${s.ref.note}`);
    const l = s.leftOut;
    console.log(`    left out: clang-tidy ${l.tidyFiltered} by the filter, ${l.macro} in macro bodies (at a #define or a macro call), ${l.blanked} in blanked branches; ours ${l.oursFiltered} by the filter, ${l.skipped} in branches the compiler skipped, ${l.oursMacro} in #define bodies`);
    if (s.ref.astLeaveOut) console.log(`    left out by the AST (clang-query), ${s.ref.astLeaveOut.what}: clang-tidy ${l.tidyAst}, ours ${s.astOurs.length}`);
    printSamples('ours left out by the AST', s.astOurs, texts);
    if (s.ref.acceptedBy) console.log(`    ${s.ref.acceptedBy.join(' / ')} (code this rule accepts) reports on ${s.accepted} lines; ours on those lines: ${s.contradicted.length} ${verdict(s.contradicted.length === 0)}`);
    printSamples('contradicted', s.contradicted, texts);
    printSamples('misses', s.missed, texts);
    printSamples('noise', s.noise, texts);
  }

  // Speed, twice. Wall: clang-tidy's per-file process times (measured when each file ran, kept in
  // the cache, inflated when the machine was loaded) against the engine's parse + rules time.
  // CPU: user + sys time of both on a fixed sample, run now, which machine load barely moves.
  const tidyMs = compared.reduce((n, f) => n + tidy.results.get(f)!.ms, 0);
  const ourMs = compared.reduce((n, f) => n + ours.get(f)!.ms, 0);
  console.log('\n## Speed on the compared files (one core each)\n');
  console.log(`clang-tidy (${checks.split(',').length - 1} checks), wall: ${fmt(tidyMs / 1000, 1)} s summed over files${tidy.ran ? `; this run ran ${tidy.ran} files in ${fmt(tidy.wallMs / 1000, 1)} s wall with ${jobs} processes` : ' (all from the cache; times measured when they ran)'}`);
  console.log(`engine (all ${engine.rules.length} rules, parse + rules), wall: ${fmt(ourMs / 1000, 2)} s; ratio ${fmt(tidyMs / ourMs, 0)}×`);
  const sample = stableSlice(compared, Number(arg('speed-sample') ?? 40));
  const sampleLines = sample.reduce((n, f) => n + f.lines, 0);
  let tidyCpu = 0;
  for (const f of sample) tidyCpu += await clangTidyCpuMs(f, checks);
  const cpu0 = process.cpuUsage();
  for (const f of sample) engine.analyze(texts.get(f)!, f.file, { lang: f.lang }).tree.delete();
  const cpu = process.cpuUsage(cpu0);
  const ourCpu = (cpu.user + cpu.system) / 1000;
  const speedup = tidyCpu / ourCpu;
  console.log(`CPU time on a fixed sample of ${sample.length} files (${sampleLines} lines): clang-tidy ${fmt(tidyCpu / 1000, 1)} s, engine ${fmt(ourCpu / 1000, 2)} s`);
  console.log(`ratio (CPU): ${fmt(speedup, 0)}× faster (floor ${SPEED_FLOOR}×) ${verdict(speedup >= SPEED_FLOOR)}`);
  for (const o of ours.values()) o.done();
}

/**
 * Runs the rule's AST matcher on the files where either side has something left to compare
 * (C++ files with a finding of ours or a diagnostic of the checks), not on the whole corpus.
 */
async function astLeftOut(ref: Reference, compared: CorpusFile[], tidy: Map<CorpusFile, TidyResult>, ours: Map<CorpusFile, OurFile>, jobs: number): Promise<AstLines> {
  if (!ref.astLeaveOut) return new Map();
  const files = compared.filter((f) => ref.langs.includes(f.lang)
    && (ours.get(f)!.findings.some((x) => x.ruleId === ref.rule) || tidy.get(f)!.diagnostics.some((d) => ref.checks.includes(d.check))));
  console.error(`clang-query for ${ref.rule} on ${files.length} files …`);
  return clangQueryLines(files, ref.astLeaveOut.matcher, jobs);
}

function printTable(scores: RuleScore[]): void {
  console.log('| rule | clang-tidy check | matched | ours | clang-tidy | precision | recall | floors (P ≥ 0.90, R ≥ 0.85) |');
  console.log('|---|---|---:|---:|---:|---:|---:|---|');
  for (const s of scores) {
    const p = ratio(s.tp, s.ours);
    const r = ratio(s.tp, s.theirs);
    const ok = (Number.isNaN(p) || p >= PRECISION_FLOOR) && (Number.isNaN(r) || r >= RECALL_FLOOR);
    const v = s.ours + s.theirs === 0 ? 'no data' : verdict(ok);
    console.log(`| ${s.ref.rule} | ${s.ref.checks.map((c) => c.replace('cppcoreguidelines-', 'cg-')).join(', ')} | ${s.tp} | ${s.ours} | ${s.theirs} | ${pct(p)} | ${pct(r)} | ${v} |`);
  }
}

function reportUnparseable(files: CorpusFile[], results: Map<CorpusFile, TidyResult>): void {
  console.log(`\nclang-tidy could not parse ${files.length} files (left out of the comparison):`);
  const byPkg = new Map<string, CorpusFile[]>();
  for (const f of files) byPkg.set(f.pkg, [...(byPkg.get(f.pkg) ?? []), f]);
  for (const [pkg, list] of byPkg) {
    console.log(`  ${pkg}: ${list.length}`);
    for (const f of list.slice(0, 3)) console.log(`    ${f.display.slice(pkg.length + 1)}: ${results.get(f)!.errors[0]?.slice(0, 110)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

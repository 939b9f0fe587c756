// `npm run bench:profile`: where the rules' time goes on sqlite3.c and on the
// corpus: the combined query, each rule's checks, matches per rule. For finding
// the next thing to make cheaper; prints no verdict.
import * as fs from 'node:fs';
import { CORPUS, SQLITE, loadCorpus } from './lib/corpus';
import { fmt, loadEngine } from './lib/engine';

async function main(): Promise<void> {
  const engine = await loadEngine();
  const only = process.argv.includes('--corpus') ? loadCorpus(CORPUS) : loadCorpus([SQLITE]);
  const texts = only.map((f) => ({ f, text: fs.readFileSync(f.file, 'utf8') }));
  const runs: Array<{ parse: number; rules: number; query: number; perRule: Record<string, number>; matches: Record<string, number> }> = [];
  for (let i = 0; i < 3; i++) {
    const sum = { parse: 0, rules: 0, query: 0, perRule: {} as Record<string, number>, matches: {} as Record<string, number> };
    for (const { f, text } of texts) {
      const a = engine.analyze(text, f.file, { lang: f.lang, profile: true, lazyFixes: true });
      sum.parse += a.timing.parse;
      sum.rules += a.timing.rules;
      sum.query += a.timing.query ?? 0;
      for (const [k, v] of Object.entries(a.timing.perRule ?? {})) sum.perRule[k] = (sum.perRule[k] ?? 0) + v;
      for (const [k, v] of Object.entries(a.timing.matches ?? {})) sum.matches[k] = (sum.matches[k] ?? 0) + v;
      a.tree.delete();
    }
    runs.push(sum);
  }
  // CPU time, less disturbed by other processes than wall time: analyze minus parse alone.
  const cpu = (fn: () => void) => { const c = process.cpuUsage(); fn(); const u = process.cpuUsage(c); return (u.user + u.system) / 1000; };
  let parseCpu = Infinity;
  let analyzeCpu = Infinity;
  for (let i = 0; i < 3; i++) {
    parseCpu = Math.min(parseCpu, cpu(() => { for (const { f, text } of texts) engine.parse(text, f.lang).delete(); }));
    analyzeCpu = Math.min(analyzeCpu, cpu(() => { for (const { f, text } of texts) engine.analyze(text, f.file, { lang: f.lang, lazyFixes: true }).tree.delete(); }));
  }
  console.log(`CPU: parse ${fmt(parseCpu)} ms, analyze ${fmt(analyzeCpu)} ms, rules/parse ${fmt(((analyzeCpu - parseCpu) / parseCpu) * 100)}%`);
  const best = runs.sort((a, b) => a.rules - b.rules)[0];
  console.log(`files ${texts.length}: parse ${fmt(best.parse)} ms, rules ${fmt(best.rules)} ms (${fmt((best.rules / best.parse) * 100)}%), query ${fmt(best.query)} ms (${fmt((best.query / best.parse) * 100)}%)`);
  const ruleSum = Object.values(best.perRule).reduce((a, b) => a + b, 0);
  console.log(`sum of rule checks ${fmt(ruleSum)} ms; other (setup, symbols, suppressions, sort) ${fmt(best.rules - best.query - ruleSum)} ms`);
  for (const [k, v] of Object.entries(best.perRule).sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${k.padEnd(28)} ${fmt(v, 1).padStart(7)} ms ${String(best.matches[k] ?? 0).padStart(7)} matches`);
}

void main();

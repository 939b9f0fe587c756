// The properties every fuzz case must hold (issue 7).
import { performance } from 'node:perf_hooks';
import { applyEdits, ConfigError, countParseErrors, parseConfigFile, parseSuppressions, type Engine, type Finding, type Lang } from '../../server/src/engine';
import type { Case } from './mutate';

export interface CaseResult {
  failures: string[];
  parseMs: number;
  rulesMs: number;
  fixesTried: number;
}


export function checkCase(engine: Engine, c: Case, options: { maxFixes?: number } = {}): CaseResult {
  const failures: string[] = [];
  const file = `fuzz${c.ext}`;
  let parseMs = 0;
  let rulesMs = 0;
  let fixesTried = 0;
  try {
    // Fixes as the editor offers them: lazily, each checked on request, while the tree lives.
    const a = engine.analyze(c.text, file, { lazyFixes: true });
    parseMs = a.timing.parse;
    rulesMs = a.timing.rules;
    const lang: Lang = a.lang;
    const before = countParseErrors(a.tree);
    const offered: Finding[] = [];
    for (const f of a.findings) {
      if (offered.length >= (options.maxFixes ?? 5)) break;
      if (f.fix) offered.push(f);
    }
    a.tree.delete();
    for (const f of a.findings) {
      if (f.start < 0 || f.end > c.text.length || f.start > f.end) failures.push(`${f.ruleId} range ${f.start}-${f.end} outside 0-${c.text.length}`);
    }
    for (const f of offered) {
      fixesTried++;
      let fixed: string;
      try {
        fixed = applyEdits(c.text, f.fix!.edits);
      } catch (e) {
        failures.push(`${f.ruleId} fix does not apply: ${(e as Error).message}`);
        continue;
      }
      const again = engine.analyze(fixed, file, { lang });
      const after = countParseErrors(again.tree);
      again.tree.delete();
      if (after > before) failures.push(`${f.ruleId} fix adds ERROR nodes (${before} -> ${after}) at ${f.startPos.line + 1}:${f.startPos.character + 1}`);
      const same = again.findings.some((g) => g.ruleId === f.ruleId && g.start === f.start && g.fix?.title === f.fix!.title
        && g.fix.edits.length === f.fix!.edits.length && g.fix.edits.every((e, i) => e.newText === f.fix!.edits[i].newText));
      if (same) failures.push(`${f.ruleId} fix is offered again after applying it at ${f.startPos.line + 1}:${f.startPos.character + 1}`);
    }
  } catch (e) {
    failures.push(`engine threw: ${(e as Error).stack ?? e}`);
  }
  try {
    parseSuppressions(c.text).isSuppressed('raw-new', 0);
  } catch (e) {
    failures.push(`suppression parsing threw: ${(e as Error).message}`);
  }
  try {
    parseConfigFile(c.text, '.rust-readiness.json', engine.ruleIds);
  } catch (e) {
    if (!(e instanceof ConfigError)) failures.push(`config parsing threw a non-ConfigError: ${(e as Error).message}`);
  }
  return { failures, parseMs, rulesMs, fixesTried };
}

export function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
}

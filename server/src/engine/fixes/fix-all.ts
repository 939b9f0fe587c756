// Fix-all: apply every non-overlapping fix, re-analyze, repeat until no fix is
// left, in a bounded number of rounds. Used by the server's source.fixAll and by
// `rust-readiness fix`.
import type { Config } from '../config';
import type { Engine, Finding } from '../engine';
import type { Lang } from '../rule';
import { applyEdits, nonOverlapping } from './apply';
import { countParseErrors } from '../parse-errors';

export const MAX_FIX_ROUNDS = 10;

export interface FixAllResult {
  text: string;
  applied: number;
  rounds: number;
}

export function applyFixAll(engine: Engine, text: string, filePath: string, options: { rules?: readonly string[]; config?: Config; lang?: Lang } = {}): FixAllResult {
  let applied = 0;
  let rounds = 0;
  const attempted = new Set<string>();
  while (rounds < MAX_FIX_ROUNDS) {
    const analysis = engine.analyze(text, filePath, { config: options.config, lang: options.lang });
    const lang = analysis.lang;
    const errorsBefore = countParseErrors(analysis.tree);
    analysis.tree.delete();
    const fixable = analysis.findings.filter((f): f is Finding & { fix: NonNullable<Finding['fix']> } =>
      !!f.fix && (!options.rules || options.rules.includes(f.ruleId)));
    let chosen = nonOverlapping(fixable.map((f) => f.fix));
    if (chosen.length === 0) break;
    let next = applyEdits(text, chosen.flatMap((f) => f.edits));
    // Next to broken code a fix can read differently once applied: a round that
    // adds parse errors is redone with only the fixes that add none on their own.
    if (errorsBefore > 0 && engine.parseErrors(next, lang) > errorsBefore) {
      chosen = chosen.filter((f) => engine.parseErrors(applyEdits(text, f.edits), lang) <= errorsBefore);
      next = applyEdits(text, chosen.flatMap((f) => f.edits));
      if (chosen.length === 0 || engine.parseErrors(next, lang) > errorsBefore) break;
    }
    // A fix that leaves the text as it was would loop forever; stop instead.
    if (next === text || attempted.has(next)) break;
    attempted.add(next);
    text = next;
    applied += chosen.length;
    rounds++;
  }
  return { text, applied, rounds };
}

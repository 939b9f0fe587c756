// Fix-all over one corpus file, then the two proofs of issue 4: the result
// reparses with no new ERROR/MISSING nodes, and it still compiles where the
// original compiled (gcc/g++ -fsyntax-only with the corpus flags).
// Shared by bench/corpus-fix.ts (the whole corpus) and test/corpus-fix.test.ts (a slice).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { countParseErrors, type Engine } from '../../server/src/engine';
import { applyFixAll } from '../../server/src/engine/fixes/fix-all';
import { compiles, type CompileResult } from './compile';
import type { CorpusFile } from './corpus';

export interface FixCheck {
  file: CorpusFile;
  applied: number;
  /** Fixable findings per rule in the original text (the first round of fix-all). */
  fixableByRule: Record<string, number>;
  errorsBefore: number;
  errorsAfter: number;
  compiledBefore: CompileResult;
  /** Only checked when the original compiled and a fix changed the text. */
  compiledAfter?: CompileResult;
  fixed: string;
}


function errorsIn(engine: Engine, text: string, file: CorpusFile): number {
  const tree = engine.parse(text, file.lang);
  try {
    return countParseErrors(tree);
  } finally {
    tree.delete();
  }
}

export function checkFixAll(engine: Engine, file: CorpusFile): FixCheck {
  const text = fs.readFileSync(file.file, 'utf8');
  const analysis = engine.analyze(text, file.file, { lang: file.lang });
  analysis.tree.delete();
  const fixableByRule: Record<string, number> = {};
  for (const f of analysis.findings) if (f.fix) fixableByRule[f.ruleId] = (fixableByRule[f.ruleId] ?? 0) + 1;
  const result = applyFixAll(engine, text, file.file, { lang: file.lang });
  const compiledBefore = compiles(file, text);
  const changed = result.text !== text;
  return {
    file, applied: result.applied, fixableByRule, fixed: result.text,
    errorsBefore: changed ? errorsIn(engine, text, file) : 0,
    errorsAfter: changed ? errorsIn(engine, result.text, file) : 0,
    compiledBefore,
    compiledAfter: changed && compiledBefore.ok ? compiles(file, result.text) : undefined,
  };
}

/** A fixed, spread-out slice of the corpus (by hash of the path), for the CI test. */
export function stableSlice(files: CorpusFile[], count: number): CorpusFile[] {
  const h = (f: CorpusFile) => createHash('sha1').update(f.display).digest('hex');
  return [...files].sort((a, b) => h(a).localeCompare(h(b))).slice(0, count);
}

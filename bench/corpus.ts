// `node out/bench/corpus.js [--json]`: fetches the benchmark corpus into the
// cache (npm pack, no install) and prints what each package contributes, or
// with --json every file with its language and compiler flags.
import { CACHE_DIR, CORPUS, SQLITE, loadCorpus, summarize } from './lib/corpus';

const files = loadCorpus([SQLITE, ...CORPUS], (s) => console.error(s));
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(files, null, 1));
} else {
  console.log(`corpus cache: ${CACHE_DIR}`);
  console.log(summarize(files));
}

// `npm run bench:samples [-- --rules=a,b] [-- --count=30]`: for hand-checking the
// rules that have no clang-tidy counterpart, prints a fixed sample of their
// findings on the corpus (chosen by hash, so reruns show the same ones), each with
// file:line, the message and the source line. Default: every registered rule that
// bench/lib/mapping.ts does not compare.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { CORPUS, loadCorpus } from './lib/corpus';
import { loadEngine } from './lib/engine';
import { REFERENCES } from './lib/mapping';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

interface Sample {
  key: string;
  where: string;
  message: string;
  source: string;
}

async function main(): Promise<void> {
  const engine = await loadEngine();
  const compared = new Set(REFERENCES.map((r) => r.rule));
  const rules = arg('rules')?.split(',') ?? engine.rules.map((r) => r.meta.id).filter((id) => !compared.has(id));
  const count = Number(arg('count') ?? 30);
  const byRule = new Map<string, Sample[]>(rules.map((r) => [r, []]));
  for (const f of loadCorpus(CORPUS, (s) => console.error(s))) {
    const text = fs.readFileSync(f.file, 'utf8');
    const lines = text.split('\n');
    const a = engine.analyze(text, f.file, { lang: f.lang });
    a.tree.delete();
    for (const finding of a.findings) {
      const list = byRule.get(finding.ruleId);
      if (!list) continue;
      const where = `${f.display}:${finding.startPos.line + 1}`;
      list.push({ key: createHash('sha1').update(where).digest('hex'), where, message: finding.message, source: lines[finding.startPos.line].trim() });
    }
  }
  for (const [rule, all] of byRule) {
    console.log(`\n## ${rule}: ${all.length} findings in the corpus, ${Math.min(count, all.length)} sampled\n`);
    const picked = [...all].sort((a, b) => a.key.localeCompare(b.key)).slice(0, count).sort((a, b) => a.where.localeCompare(b.where));
    for (const s of picked) console.log(`- [ ] ${s.where}: \`${s.source.slice(0, 120)}\`\n      ${s.message.slice(0, 140)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// Suppression comments, modelled on clang-tidy's NOLINT family so that C++
// developers recognise them:
//   x = (int)y;  // NORUST(c-style-cast): reason      -- this line
//   // NORUSTNEXTLINE(raw-new, raw-delete) -- reason   -- the next line
//   // NORUSTFILE(goto)                                -- the whole file
// Without a list, or with (*), the comment covers every rule. Ids may carry the
// "rust-readiness-" prefix. Anything after the closing parenthesis is the reason.

export interface Suppressions {
  isSuppressed(ruleId: string, line: number): boolean;
}

const COMMENT = /(?:\/\/|\/\*)[ \t]*NORUST(NEXTLINE|FILE)?\b(?:\(([^)\n]*)\))?/g;

type RuleSet = Set<string> | 'all';

export function parseSuppressions(text: string): Suppressions {
  if (!text.includes('NORUST')) return { isSuppressed: () => false };
  const byLine = new Map<number, RuleSet>();
  let file: RuleSet | undefined;
  let line = 0;
  let lastIndex = 0;
  for (const m of text.matchAll(COMMENT)) {
    line += countNewlines(text, lastIndex, m.index);
    lastIndex = m.index;
    const rules = parseList(m[2]);
    if (m[1] === 'FILE') file = union(file, rules);
    else {
      const target = m[1] === 'NEXTLINE' ? line + 1 : line;
      byLine.set(target, union(byLine.get(target), rules));
    }
  }
  const covers = (set: RuleSet | undefined, id: string) => set === 'all' || (set !== undefined && set.has(id));
  return { isSuppressed: (id, l) => covers(file, id) || covers(byLine.get(l), id) };
}

function parseList(list: string | undefined): RuleSet {
  if (list === undefined) return 'all';
  const ids = list.split(',').map((s) => s.trim().replace(/^rust-readiness-/, '')).filter(Boolean);
  return ids.length === 0 || ids.includes('*') ? 'all' : new Set(ids);
}

function union(a: RuleSet | undefined, b: RuleSet): RuleSet {
  if (a === 'all' || b === 'all') return 'all';
  return a ? new Set([...a, ...b]) : b;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The comment text a "suppress" code action inserts. */
export function suppressionComment(kind: 'line' | 'nextline' | 'file', ruleId: string): string {
  const tag = kind === 'line' ? 'NORUST' : kind === 'nextline' ? 'NORUSTNEXTLINE' : 'NORUSTFILE';
  return `// ${tag}(${ruleId})`;
}

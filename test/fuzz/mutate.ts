// A seeded mutation fuzzer for the engine (issue 7). Shared by the CI slice
// (test/fuzz.test.ts) and the long run (bench/fuzz.ts). Deterministic: the same
// seed gives the same cases.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for choosing mutations. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];

const TOKENS = [
  '{', '}', '(', ')', '[', ']', ';', ',', '*', '&', '->', '::', '<', '>', '#if 0\n', '#else\n', '#endif\n', '#define X(a) a\n',
  'new int', 'delete', 'delete[]', 'malloc(', 'free(', 'NULL', 'nullptr', '(int)', 'reinterpret_cast<char*>(', 'goto out;',
  'out:', 'template<typename T>', 'class C {', 'struct S {', 'union U {', 'extern "C" {', 'static', 'const', 'void*', '...',
  'std::mutex m;', 'm.lock();', 'm.unlock();', 'throw', 'asm("nop");', '"str', "'c", '/*', '*/', '//', '\\\n', 'p++', 'p[1]',
];

export interface Case {
  name: string;
  text: string;
  ext: string;
}

type Mutation = (text: string, r: Rng) => string;

const MUTATIONS: Record<string, Mutation> = {
  truncate: (t, r) => t.slice(0, int(r, t.length + 1)),
  flip: (t, r) => edit(t, r, () => String.fromCharCode(int(r, 128))),
  insert: (t, r) => { const i = int(r, t.length + 1); return t.slice(0, i) + String.fromCharCode(int(r, 0x250)) + t.slice(i); },
  delete: (t, r) => { const i = int(r, t.length); return t.slice(0, i) + t.slice(i + 1 + int(r, 20)); },
  dropBrace: (t, r) => removeOne(t, r, /[{}()]/g),
  dupBrace: (t, r) => duplicateOne(t, r, /[{}()]/g),
  dupLine: (t, r) => { const ls = t.split('\n'); const i = int(r, ls.length); ls.splice(i, 0, ls[i]); return ls.join('\n'); },
  splice: (t, r) => { const i = int(r, t.length + 1); return t.slice(0, i) + ' ' + pick(r, TOKENS) + ' ' + t.slice(i); },
  invalidUtf16: (t, r) => { const i = int(r, t.length + 1); return t.slice(0, i) + '\uD800' + t.slice(i); },
  nul: (t, r) => { const i = int(r, t.length + 1); return t.slice(0, i) + '\0' + t.slice(i); },
  bom: (t) => '\uFEFF' + t,
  mixedEol: (t, r) => t.replace(/\n/g, () => pick(r, ['\n', '\r\n', '\r'])),
  longIdent: (t, r) => { const i = int(r, t.length + 1); return t.slice(0, i) + ' ' + 'x'.repeat(10_000 + int(r, 50_000)) + ' ' + t.slice(i); },
};

function edit(t: string, r: Rng, ch: () => string): string {
  if (!t) return t;
  const i = int(r, t.length);
  return t.slice(0, i) + ch() + t.slice(i + 1);
}

function positions(t: string, re: RegExp): number[] {
  return [...t.matchAll(re)].map((m) => m.index);
}

function removeOne(t: string, r: Rng, re: RegExp): string {
  const ps = positions(t, re);
  if (!ps.length) return t;
  const i = pick(r, ps);
  return t.slice(0, i) + t.slice(i + 1);
}

function duplicateOne(t: string, r: Rng, re: RegExp): string {
  const ps = positions(t, re);
  if (!ps.length) return t;
  const i = pick(r, ps);
  return t.slice(0, i) + t[i] + t.slice(i);
}

/** Fixed extreme inputs, always part of a run. */
export function extremeCases(): Case[] {
  return [
    { name: 'nested-parens-10k', ext: '.c', text: `int x = ${'('.repeat(10_000)}1${')'.repeat(10_000)};\n` },
    { name: 'nested-braces-10k', ext: '.cpp', text: `void f() ${'{'.repeat(10_000)}${'}'.repeat(10_000)}\n` },
    { name: 'unbalanced-braces-10k', ext: '.cpp', text: `void f() ${'{'.repeat(10_000)} int *p = new int; \n` },
    { name: 'single-line-5mb', ext: '.cpp', text: 'int *p = new int(1); delete p; char *q = (char*)malloc(4); q++; '.repeat(Math.ceil(5_000_000 / 64)).slice(0, 5_000_000) },
    // Rules that search the text for the file's own names (array-decay, dangling-local-address) must stay linear in them.
    { name: 'many-arrays-20k', ext: '.c', text: Array.from({ length: 20_000 }, (_, i) => `char *f${i}(void) { char b${i}[4]; g(b${i}); return b${i}; }\n`).join('') },
    // A regex that tried `\w*` before a word at every offset of a long type name took 1.3 s here.
    { name: 'long-type-name-60k', ext: '.cpp', text: `${'x'.repeat(60_000)} value;\n` },
    { name: 'empty', ext: '.c', text: '' },
    { name: 'only-bom', ext: '.cpp', text: '\uFEFF' },
    { name: 'nul-bytes', ext: '.c', text: 'int\0 main(\0) { return 0; }' },
  ];
}

/** Loads the seed files: every fixture, and optional extra directories (the accuracy corpus). */
export function seedFiles(dirs: readonly string[]): Case[] {
  const out: Case[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(c|h|cc|cpp|hpp)$/.test(e.name) && fs.statSync(p).size < 400_000) out.push({ name: p, text: fs.readFileSync(p, 'utf8'), ext: path.extname(p) });
    }
  };
  for (const d of dirs) if (fs.existsSync(d)) walk(d);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** `count` mutated cases from the seeds, 1–3 mutations each. */
export function* mutatedCases(seeds: readonly Case[], count: number, seed: number): Generator<Case> {
  const r = rng(seed);
  const names = Object.keys(MUTATIONS);
  for (let i = 0; i < count; i++) {
    const base = pick(r, seeds);
    let text = base.text;
    const applied: string[] = [];
    for (let k = 1 + int(r, 3); k > 0; k--) {
      const m = pick(r, names);
      // Long identifiers are slow to repeat thousands of times; keep them rare.
      if (m === 'longIdent' && r() > 0.1) continue;
      text = MUTATIONS[m](text, r);
      applied.push(m);
    }
    yield { name: `${path.basename(base.name)}#${i}[${applied.join(',')}]`, text, ext: base.ext };
  }
}

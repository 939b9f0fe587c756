// The real-code corpus for the benchmarks and the corpus fix test: C and C++
// sources taken from npm package tarballs with `npm pack` (no install, no
// install scripts), unpacked into a cache OUTSIDE the repo, keyed by
// package@version. Each file carries the compiler flags that let gcc/g++ and
// clang-tidy parse it (the package's include dirs, config headers, defines).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectLanguage, type Lang } from '../../server/src/engine';

export const CACHE_DIR = process.env.RUST_READINESS_CACHE ?? path.join(os.homedir(), '.cache', 'rust-readiness-bench');

/** Header-only packages that bindings include (napi.h, nan.h, napi-macros.h). */
const HEADER_PACKAGES = { 'node-addon-api': '8.5.0', nan: '2.30.0', 'napi-macros': '2.2.2' } as const;
type HeaderPackage = keyof typeof HEADER_PACKAGES;

interface Slice {
  /** Folder inside the package. */
  dir: string;
  /** Take files directly in `dir` only (not subfolders). */
  flat?: boolean;
  exclude?: RegExp;
  /** Include dirs, relative to the package root. */
  includes?: string[];
  /** Absolute include dirs (system headers). */
  systemIncludes?: string[];
  defines?: string[];
  headerPackages?: HeaderPackage[];
  /** Headers force-included before a header of this slice, for headers that are not self-contained. */
  headerPrelude?: string[];
  /** Cap, after sorting, to keep a huge tree to a slice. */
  limit?: number;
}

export interface PackageSpec {
  name: string;
  version: string;
  slices: Slice[];
  /** Files written into the unpacked package that a configure step would generate. */
  generated?: Record<string, string>;
}

const SOURCE = /\.(c|h|cc|cpp|cxx|hpp|hh|hxx)$/;
const HEADER = /\.(h|hpp|hh|hxx)$/;
const NODE_HEADERS = '/usr/include/node';

// librdkafka's configure (mklove) writes config.h; these are the defines its
// sources need on glibc Linux, without the optional libraries.
const LIBRDKAFKA_CONFIG = `#ifndef _CONFIG_H_
#define _CONFIG_H_
#define ARCH "x86_64"
#define CPU "generic"
#define WITHOUT_OPTIMIZATION 0
#define ENABLE_DEVEL 0
#define ENABLE_REFCNT_DEBUG 0
#define ENABLE_LZ4_EXT 0
#define ENABLE_C11THREADS 0
#define WITH_GCC 1
#define WITH_GXX 1
#define WITH_PKGCONFIG 1
#define WITH_HDRHISTOGRAM 1
#define WITH_PLUGINS 1
#define WITH_SNAPPY 1
#define WITH_SOCKEM 1
#define WITH_SASL_SCRAM 0
#define WITH_SASL_OAUTHBEARER 0
#define HAVE_REGEX 1
#define HAVE_ATOMICS_32 1
#define HAVE_ATOMICS_32_ATOMIC 1
#define HAVE_ATOMICS_64 1
#define HAVE_ATOMICS_64_ATOMIC 1
#define ATOMIC_OP32(OP1, OP2, PTR, VAL) __atomic_##OP1##_##OP2(PTR, VAL, __ATOMIC_SEQ_CST)
#define ATOMIC_OP64(OP1, OP2, PTR, VAL) __atomic_##OP1##_##OP2(PTR, VAL, __ATOMIC_SEQ_CST)
#define ATOMIC_OP(OP1, OP2, PTR, VAL) __atomic_##OP1##_##OP2(PTR, VAL, __ATOMIC_SEQ_CST)
#define WITH_ZLIB 0
#define WITH_SSL 0
#define WITH_ZSTD 0
#define WITH_CURL 0
#define HAVE_STRNDUP 1
#define HAVE_RAND_R 1
#define HAVE_PTHREAD_SETNAME_GNU 1
#define HAVE_GETRUSAGE 1
#define HAVE_STRCASESTR 1
#define WITH_LIBDL 1
#define BUILT_WITH "GCC GXX PKGCONFIG HDRHISTOGRAM SNAPPY SOCKEM LIBDL PLUGINS"
#endif
`;

const ROCKSDB = 'deps/rocksdb/rocksdb';
const ROCKSDB_SLICE: Omit<Slice, 'dir'> = {
  exclude: /(_test|_bench|_stress|test_util|testutil|mock)[^/]*$/,
  includes: [ROCKSDB, `${ROCKSDB}/include`],
  defines: ['ROCKSDB_PLATFORM_POSIX', 'ROCKSDB_LIB_IO_POSIX', 'OS_LINUX', 'ROCKSDB_SUPPORT_THREAD_LOCAL'],
};

export const SQLITE: PackageSpec = {
  name: 'better-sqlite3',
  version: '13.2.0',
  slices: [{ dir: 'deps/sqlite3', flat: true, exclude: /\.h$/ }],
};

/** The accuracy corpus named in issue 3 (sqlite3.c is the perf input, kept apart). */
export const CORPUS: PackageSpec[] = [
  {
    name: 'node-rdkafka',
    version: '3.6.1',
    generated: { 'deps/librdkafka/config.h': LIBRDKAFKA_CONFIG },
    slices: [
      { dir: 'deps/librdkafka/src', flat: true, includes: ['deps/librdkafka/src'], defines: ['_GNU_SOURCE'], headerPrelude: ['rdkafka_int.h'] },
      { dir: 'deps/librdkafka/src-cpp', flat: true, includes: ['deps/librdkafka/src-cpp', 'deps/librdkafka/src'] },
      { dir: 'src', flat: true, includes: ['', 'src', 'deps/librdkafka/src', 'deps/librdkafka/src-cpp'], systemIncludes: [NODE_HEADERS], headerPackages: ['nan'] },
    ],
  },
  {
    name: 'tree-sitter',
    version: '0.25.1',
    slices: [
      { dir: 'vendor/tree-sitter/lib/src', exclude: /\/wasm\//, includes: ['vendor/tree-sitter/lib/include', 'vendor/tree-sitter/lib/src'], defines: ['_POSIX_C_SOURCE=200112L', '_DEFAULT_SOURCE'], headerPrelude: ['stdint.h'] },
      { dir: 'src', flat: true, includes: ['src', 'vendor/tree-sitter/lib/include'], systemIncludes: [NODE_HEADERS], headerPackages: ['node-addon-api'] },
    ],
  },
  {
    name: 'canvas',
    version: '3.2.3',
    slices: [{
      dir: 'src', includes: ['src'],
      systemIncludes: [NODE_HEADERS, '/usr/include/cairo', '/usr/include/pango-1.0', '/usr/include/glib-2.0',
        '/usr/lib/x86_64-linux-gnu/glib-2.0/include', '/usr/include/harfbuzz', '/usr/include/freetype2'],
      headerPackages: ['node-addon-api'], defines: ['NAPI_DISABLE_CPP_EXCEPTIONS', 'NODE_ADDON_API_ENABLE_MAYBE'],
    }],
  },
  {
    name: 'lz4',
    version: '0.6.5',
    slices: [
      { dir: 'deps/lz4/lib', flat: true, includes: ['deps/lz4/lib'] },
      { dir: 'deps/lz4/programs', flat: true, includes: ['deps/lz4/lib', 'deps/lz4/programs'], defines: ['_GNU_SOURCE'] },
      { dir: 'lib/binding', flat: true, includes: ['deps/lz4/lib'], systemIncludes: [NODE_HEADERS], headerPackages: ['nan'] },
    ],
  },
  {
    name: 'hiredis',
    version: '0.5.0',
    slices: [
      { dir: 'deps/hiredis', flat: true, exclude: /(test|win32)\.[ch]$/, includes: ['deps/hiredis'] },
      { dir: 'src', flat: true, includes: ['src', 'deps', 'deps/hiredis'], systemIncludes: [NODE_HEADERS], headerPackages: ['nan'] },
    ],
  },
  {
    name: '@nxtedition/rocksdb',
    version: '12.2.12',
    slices: [
      // A slice of RocksDB: caches, memtables, tables, utilities, options (a few hundred files).
      ...['cache', 'memtable', 'table', 'util', 'options', 'memory', 'logging', 'file', 'monitoring']
        .map((d) => ({ ...ROCKSDB_SLICE, dir: `${ROCKSDB}/${d}` })),
      { dir: '', flat: true, includes: [ROCKSDB, `${ROCKSDB}/include`], systemIncludes: [NODE_HEADERS], headerPackages: ['napi-macros'], defines: ROCKSDB_SLICE.defines },
    ],
  },
];

/**
 * Accuracy-only additions (bench:accuracy, not the perf or fix benches): code whose kind the corpus above lacks in
 * active branches. libsecp256k1 as the secp256k1 binding builds it on x86_64 Linux (its binding.gyp defines):
 * the field and scalar arithmetic in inline asm, for inline-asm ← hicpp-no-assembler. Its *_impl.h headers are
 * compiled as main files with the declarations they expect force-included. GMP (num_gmp) and the exhaustive-test
 * scalar (scalar_low) are not built; tests, benches and the table generator are left out.
 */
export const ACCURACY_EXTRA: PackageSpec[] = [
  {
    name: 'secp256k1',
    version: '5.0.2',
    slices: [{
      dir: 'src/secp256k1/src', flat: true, exclude: /\/(bench|test|gen_context|num_gmp|scalar_low)[^/]*$/,
      includes: ['src/secp256k1', 'src/secp256k1/src'],
      defines: ['ECMULT_GEN_PREC_BITS=4', 'ECMULT_WINDOW_SIZE=15', 'ENABLE_MODULE_ECDH=1', 'ENABLE_MODULE_RECOVERY=1',
        'USE_ENDOMORPHISM=1', 'USE_NUM_NONE=1', 'USE_FIELD_INV_BUILTIN=1', 'USE_SCALAR_INV_BUILTIN=1',
        'HAVE___INT128=1', 'USE_ASM_X86_64=1', 'USE_FIELD_5X52=1', 'USE_SCALAR_4X64=1'],
      headerPrelude: ['include/secp256k1.h', 'util.h', 'field.h', 'scalar.h', 'group.h'],
    }],
  },
];

export interface CorpusFile {
  pkg: string;
  /** Absolute path in the cache. */
  file: string;
  /** package@version/relative path, for display. */
  display: string;
  lang: Lang;
  /** Flags for gcc/g++/clang after the language: include dirs, defines, standard. */
  flags: string[];
  lines: number;
  bytes: number;
}

const key = (name: string, version: string) => `${name.replace('/', '+')}@${version}`;

/** Unpacks `name@version` into the cache (once) and returns its root. */
export function ensurePackage(name: string, version: string, log: (s: string) => void = () => {}): string {
  const root = path.join(CACHE_DIR, 'packages', key(name, version));
  if (fs.existsSync(path.join(root, '.complete'))) return root;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-pack-'));
  try {
    log(`npm pack ${name}@${version} …`);
    const out = execFileSync('npm', ['pack', `${name}@${version}`, '--ignore-scripts', '--json', '--pack-destination', tmp],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const tarball = path.join(tmp, (JSON.parse(out) as Array<{ filename: string }>)[0].filename);
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', root, '--strip-components=1', '--no-same-owner']);
    fs.writeFileSync(path.join(root, '.complete'), `${name}@${version}\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return root;
}

/** True when every corpus package is already unpacked (no network needed). */
export function corpusCached(specs: PackageSpec[] = CORPUS): boolean {
  return specs.every((s) => fs.existsSync(path.join(CACHE_DIR, 'packages', key(s.name, s.version), '.complete')));
}

export function loadCorpus(specs: PackageSpec[] = CORPUS, log?: (s: string) => void): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const spec of specs) {
    const root = ensurePackage(spec.name, spec.version, log);
    for (const [rel, text] of Object.entries(spec.generated ?? {})) {
      const p = path.join(root, rel);
      if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== text) fs.writeFileSync(p, text);
    }
    for (const slice of spec.slices) files.push(...sliceFiles(spec, root, slice, log));
  }
  return files;
}

function sliceFiles(spec: PackageSpec, root: string, slice: Slice, log?: (s: string) => void): CorpusFile[] {
  const base = path.join(root, slice.dir);
  const generated = new Set(Object.keys(spec.generated ?? {}).map((g) => path.join(root, g)));
  let found = listSources(base, !slice.flat).filter((f) => !generated.has(f) && !slice.exclude?.test(f));
  if (slice.limit) found = found.slice(0, slice.limit);
  const headerDirs = (slice.headerPackages ?? []).map((h) => ensurePackage(h, HEADER_PACKAGES[h], log));
  const common = [
    ...(slice.includes ?? []).map((i) => `-I${path.join(root, i)}`),
    ...headerDirs.map((d) => `-I${d}`),
    ...(slice.systemIncludes ?? []).filter((d) => fs.existsSync(d)).map((d) => `-isystem${d}`),
    ...(slice.defines ?? []).map((d) => `-D${d}`),
  ];
  return found.map((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const lang = detectLanguage(file, text);
    const prelude = HEADER.test(file) ? (slice.headerPrelude ?? []).flatMap((h) => ['-include', h]) : [];
    return {
      pkg: `${spec.name}@${spec.version}`, file, lang,
      display: `${spec.name}@${spec.version}/${path.relative(root, file)}`,
      flags: [lang === 'c' ? '-std=gnu11' : '-std=gnu++17', ...common, ...prelude],
      lines: text.split('\n').length, bytes: Buffer.byteLength(text),
    };
  });
}

function listSources(dir: string, recursive: boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && recursive) out.push(...listSources(p, true));
    else if (e.isFile() && SOURCE.test(e.name)) out.push(p);
  }
  return out;
}

/** Compiler language flag for gcc/g++/clang (`-x c` / `-x c++`). */
export const xFlag = (lang: Lang) => (lang === 'c' ? ['-x', 'c'] : ['-x', 'c++']);

/** Per-package file and line counts, for the benchmark headers. */
export function summarize(files: CorpusFile[]): string {
  const by = new Map<string, { files: number; lines: number; c: number; cpp: number }>();
  for (const f of files) {
    const s = by.get(f.pkg) ?? { files: 0, lines: 0, c: 0, cpp: 0 };
    s.files++; s.lines += f.lines; s[f.lang]++;
    by.set(f.pkg, s);
  }
  const rows = [...by].map(([pkg, s]) => `  ${pkg.padEnd(28)} ${String(s.files).padStart(5)} files (${s.c} C, ${s.cpp} C++) ${String(s.lines).padStart(8)} lines`);
  const total = files.reduce((n, f) => n + f.lines, 0);
  return `${rows.join('\n')}\n  ${'total'.padEnd(28)} ${String(files.length).padStart(5)} files ${String(total).padStart(22)} lines`;
}

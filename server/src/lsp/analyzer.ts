// Schedules analyses of open documents: a debounce per document, then one
// document per event-loop turn so requests and other documents are served in
// between. The latest edit always wins: results are stored and published only
// for the version they were computed from, and an unchanged document under an
// unchanged configuration is not analyzed twice.
import { fileURLToPath } from 'node:url';
import { checkText, detectLanguage, type Config, type Engine, type Lang } from '../engine';
import type { AnalysisResult, DocumentStore, OpenDocument } from './documents';
import type { Settings } from './settings';

export const DEFAULT_DEBOUNCE_MS = 150;

export interface CurrentAnalysis extends AnalysisResult {
  config: Config;
  lang: Lang;
}

export interface AnalyzerHost {
  publish(doc: OpenDocument, result: CurrentAnalysis): void;
  log(message: string): void;
}

export class Analyzer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly pending = new Set<string>();
  private pumping = false;

  constructor(
    private readonly engine: Engine,
    private readonly docs: DocumentStore,
    private readonly settings: Settings,
    private readonly host: AnalyzerHost,
    private readonly debounceMs = DEFAULT_DEBOUNCE_MS,
  ) {}

  schedule(uri: string, delay = this.debounceMs): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      this.pending.add(uri);
      void this.pump();
    }, delay));
  }

  scheduleAll(): void {
    for (const doc of this.docs.all()) this.schedule(doc.uri, 0);
  }

  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.pending.delete(uri);
  }

  dispose(): void {
    for (const uri of [...this.timers.keys()]) this.cancel(uri);
  }

  /** The analysis of the document's current version, analyzing now when the stored one is stale. */
  async current(doc: OpenDocument): Promise<CurrentAnalysis | undefined> {
    const resolved = await this.settings.resolve(doc.uri);
    if (this.docs.get(doc.uri) !== doc) return undefined; // closed meanwhile
    return this.analyze(doc, resolved.config, resolved.key, resolved.excluded);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let uri = first(this.pending); uri !== undefined; uri = first(this.pending)) {
        this.pending.delete(uri);
        const doc = this.docs.get(uri);
        if (doc) await this.current(doc);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      this.host.log(`analysis failed: ${(e as Error).stack ?? e}`);
    } finally {
      this.pumping = false;
    }
  }

  private analyze(doc: OpenDocument, config: Config, configKey: string, excluded: boolean): CurrentAnalysis {
    const previous = doc.result as CurrentAnalysis | undefined;
    if (previous && previous.revision === doc.revision && previous.configKey === configKey) return previous;
    const { version, revision } = doc;
    const text = doc.text;
    const lang = this.languageOf(doc, text);
    const result: CurrentAnalysis = { version, revision, configKey, findings: [], config, lang };
    const skip = excluded ? { reason: 'excluded', detail: 'matches an exclude glob' } : checkText(text, config.maxFileSize);
    if (skip || !config.enable) {
      doc.dropTree();
      if (skip && doc.loggedSkip !== skip.reason) this.host.log(`skipped ${doc.uri}: ${skip.detail}`);
      doc.loggedSkip = skip?.reason;
    } else {
      doc.loggedSkip = undefined;
      const started = performance.now();
      const budget = config.analysisTimeBudgetMs;
      try {
        const analysis = this.engine.analyze(text, pathOf(doc.uri), { config, lang, oldTree: doc.reusableTree(lang), lazyFixes: true, timeBudgetMs: budget });
        // A parse cut short leaves no tree; the old one, edited to this text, still serves the next reparse.
        if (analysis.tree) this.docs.adoptTree(doc, analysis.tree, lang);
        result.findings = analysis.findings;
        if (analysis.truncated && !doc.loggedTruncation) {
          const what = analysis.tree ? 'results are partial' : `no results, the parse did not finish (raise rustReadiness.analysisTimeBudgetMs)`;
          this.host.log(`analysis of ${doc.uri} stopped after ${Math.round(performance.now() - started)} ms (budget ${budget} ms); ${what}`);
        }
        doc.loggedTruncation = !!analysis.truncated;
      } catch (e) {
        doc.dropTree();
        this.host.log(`analysis of ${doc.uri} failed: ${(e as Error).stack ?? e}`);
      }
    }
    // Analysis is synchronous, so the text cannot have moved; the check keeps
    // that true if analysis ever becomes asynchronous.
    if (doc.revision !== revision) return result;
    doc.result = result;
    this.host.publish(doc, result);
    return result;
  }

  /** languageId decides, except for .h files, whose language is in their content. */
  languageOf(doc: OpenDocument, text: string): Lang {
    const p = pathOf(doc.uri);
    if (/\.h$/i.test(p)) return detectLanguage(p, text);
    if (doc.languageId === 'c') return 'c';
    if (doc.languageId === 'cpp') return 'cpp';
    return detectLanguage(p, text);
  }
}

function first<T>(set: Set<T>): T | undefined {
  for (const v of set) return v;
  return undefined;
}

/** A path for the engine (used for language detection): the file path, or the URI itself. */
export function pathOf(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      // fall through
    }
  }
  return uri;
}

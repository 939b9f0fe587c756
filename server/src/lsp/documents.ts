// Open documents with incremental text sync. Each document keeps its text, its
// version and the tree of its last analysis; every content change is applied to
// the text and, with tree.edit, to that tree, so the next analysis reparses
// incrementally. Ranges are clamped to the document: a change past the end never
// throws.
import { createHash } from 'node:crypto';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { Edit, type Tree } from 'web-tree-sitter';
import type { Finding, Lang } from '../engine';

/** The result of the last analysis, valid for exactly one revision and config. */
export interface AnalysisResult {
  version: number;
  /** The document's revision it was computed from (versions come from the client and may repeat). */
  revision: number;
  configKey: string;
  findings: readonly Finding[];
}

export class OpenDocument {
  private doc: TextDocument;
  /** Tree of the last analysis, edited to match the current text. Owned here: delete when dropped. */
  private tree: Tree | undefined;
  private treeLang: Lang | undefined;
  /** The length of the text the tree was parsed from (0 without a tree): what its memory grows with. */
  treeSize = 0;
  /** An edit since the last parse may change which #if branches are blanked: reparse from scratch. */
  private needsFullParse = false;
  result: AnalysisResult | undefined;
  /** The skip reason already logged, so a skipped file logs one line, not one per keystroke. */
  loggedSkip: string | undefined;
  /** The last analysis ran out of time and said so; the next one that does stays quiet. */
  loggedTruncation = false;
  /**
   * Counts content changes. The client's version should do that, but a client that
   * repeats or lowers a version must not get the analysis of another text.
   */
  revision = 0;

  constructor(readonly uri: string, readonly languageId: string, version: number, text: string) {
    this.doc = TextDocument.create(uri, languageId, version, text);
  }

  get version(): number {
    return this.doc.version;
  }

  get text(): string {
    return this.doc.getText();
  }

  /** Clamped into the document, whatever numbers the position holds. */
  offsetAt(pos: { line: number; character: number }): number {
    return this.doc.offsetAt(wellFormed(pos));
  }

  positionAt(offset: number) {
    return this.doc.positionAt(offset);
  }

  get lineCount(): number {
    return this.doc.lineCount;
  }

  /** Applies one content change (ranges clamped) and mirrors it into the tree. */
  applyChange(change: TextDocumentContentChangeEvent, version: number): void {
    this.revision++;
    if (!('range' in change) || !change.range) {
      this.doc = TextDocument.create(this.uri, this.languageId, version, change.text);
      this.dropTree();
      return;
    }
    let start = this.offsetAt(change.range.start);
    let end = this.offsetAt(change.range.end);
    if (start > end) [start, end] = [end, start];
    const startPosition = this.doc.positionAt(start);
    const oldEndPosition = this.doc.positionAt(end);
    if (this.tree && touchesDirective(this.doc, startPosition.line, oldEndPosition.line)) this.needsFullParse = true;
    const range: Range = { start: startPosition, end: oldEndPosition };
    this.doc = TextDocument.update(this.doc, [{ range, text: change.text }], version);
    const newEndIndex = start + change.text.length;
    if (this.tree && touchesDirective(this.doc, startPosition.line, this.doc.positionAt(newEndIndex).line)) this.needsFullParse = true;
    if (!this.tree || this.needsFullParse) return;
    // web-tree-sitter's string input counts indices and columns in UTF-16 code
    // units, the same units as LSP positions.
    this.tree.edit(new Edit({
      startIndex: start,
      oldEndIndex: end,
      newEndIndex,
      startPosition: point(startPosition),
      oldEndPosition: point(oldEndPosition),
      newEndPosition: point(this.doc.positionAt(newEndIndex)),
    }));
  }

  /** Sets the version without a content change (an empty didChange). */
  setVersion(version: number): void {
    this.doc = TextDocument.update(this.doc, [], version);
  }

  get hasTree(): boolean {
    return this.tree !== undefined;
  }

  /** The edited old tree to reparse from, or undefined when a full parse is needed. */
  reusableTree(lang: Lang): Tree | undefined {
    return this.needsFullParse || this.treeLang !== lang ? undefined : this.tree;
  }

  /** Takes ownership of the tree of a fresh analysis and frees the previous one. */
  adoptTree(tree: Tree, lang: Lang): void {
    if (this.tree !== tree) this.tree?.delete();
    this.tree = tree;
    this.treeLang = lang;
    this.treeSize = this.text.length;
    this.needsFullParse = false;
  }

  /**
   * sha256 over every node's type, offsets and row/column, or undefined without a
   * tree. For tests: an incrementally reparsed tree must equal a fresh parse.
   */
  treeDigest(): string | undefined {
    if (!this.tree || this.needsFullParse) return undefined;
    const hash = createHash('sha256');
    const cursor = this.tree.walk();
    try {
      for (let more = true; more;) {
        const s = cursor.startPosition;
        const e = cursor.endPosition;
        hash.update(`${cursor.nodeType}:${cursor.startIndex}-${cursor.endIndex}:${s.row},${s.column}-${e.row},${e.column};`);
        if (cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) {
            more = false;
            break;
          }
        }
      }
    } finally {
      cursor.delete();
    }
    return hash.digest('hex');
  }

  dropTree(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.treeLang = undefined;
    this.treeSize = 0;
    this.needsFullParse = false;
  }
}

function wellFormed(p: { line: number; character: number }) {
  const int = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0);
  return { line: int(p.line), character: int(p.character) };
}

function point(p: { line: number; character: number }) {
  return { row: p.line, column: p.character };
}

/**
 * The engine parses the text with inactive #if branches blanked. An edit that
 * touches a directive line, or a line continued with a backslash (a directive may
 * span it), can change what is blanked anywhere below it, which tree.edit cannot
 * describe. Called with the touched lines before and after the edit.
 */
function touchesDirective(doc: TextDocument, firstLine: number, lastLine: number): boolean {
  const lines = doc.getText({ start: { line: firstLine, character: 0 }, end: { line: lastLine + 1, character: 0 } });
  return /#|\\\r?$/m.test(lines);
}

/**
 * How much text (UTF-16 units) the kept trees may have been parsed from. A tree
 * takes some 20–40 bytes of wasm heap per byte of C or C++, and the wasm heap
 * never shrinks; a result with lazy fixes holds ~17 MB of JS heap per MB of text
 * (nodes, symbols, rule state). 2 Mi characters keep every tree of a usual set of
 * open files, and of many huge ones the most recently analyzed. (With 4 Mi, 50
 * open 1 MB documents took 590–680 MB RSS; with 2 Mi, 400–530 MB.)
 */
export const TREE_BUDGET = 2 * 1024 * 1024;

export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();
  /** Documents that may hold a tree, least recently analyzed first. */
  private readonly withTree = new Set<OpenDocument>();

  constructor(private readonly treeBudget = TREE_BUDGET) {}

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    this.close(uri);
    const doc = new OpenDocument(uri, languageId, version, text);
    this.docs.set(uri, doc);
    return doc;
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  close(uri: string): boolean {
    const doc = this.docs.get(uri);
    if (!doc) return false;
    doc.dropTree();
    this.docs.delete(uri);
    this.withTree.delete(doc);
    return true;
  }

  /**
   * Gives `doc` the tree of its fresh analysis. Past the budget, the documents
   * analyzed longest ago lose their tree (the next analysis parses them afresh)
   * and their result, whose lazy fixes read that tree: a request re-analyzes them.
   * The document just analyzed always keeps its tree.
   */
  adoptTree(doc: OpenDocument, tree: Tree, lang: Lang): void {
    doc.adoptTree(tree, lang);
    this.withTree.delete(doc);
    this.withTree.add(doc);
    let kept = 0;
    for (const d of this.withTree) kept += d.treeSize;
    for (const d of this.withTree) {
      if (kept <= this.treeBudget || d === doc) break;
      kept -= d.treeSize;
      d.dropTree();
      d.result = undefined;
      this.withTree.delete(d);
    }
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  closeAll(): void {
    for (const uri of [...this.docs.keys()]) this.close(uri);
  }
}

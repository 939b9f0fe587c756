// Hover on a finding: what Rust requires and the incremental C++ step, from the
// rule's metadata and the first paragraph and Rust snippet of its doc page.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { hoverMarkdown, type RuleMeta } from '../engine';
import type { CurrentAnalysis } from './analyzer';
import type { OpenDocument } from './documents';
import type { RuleDocs } from './ruleDocs';

export function hover(position: Position, doc: OpenDocument, analysis: CurrentAnalysis, meta: (id: string) => RuleMeta | undefined, docs: RuleDocs): Hover | null {
  const offset = doc.offsetAt(position);
  const under = analysis.findings.filter((f) => f.start <= offset && offset <= f.end);
  const sections: string[] = [];
  const shown = new Set<string>();
  for (const finding of under) {
    const m = meta(finding.ruleId);
    if (!m || shown.has(m.id)) continue;
    shown.add(m.id);
    sections.push(hoverMarkdown(m, docs.text(m.id), docs.href(m.id)));
  }
  if (sections.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') },
    range: { start: under[0].startPos, end: under[0].endPos },
  };
}

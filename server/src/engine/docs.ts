// Rule documentation lives in docs/rules/<id>.md. The hover shows the page's
// first paragraph and its first Rust snippet; the diagnostic links to the page.
import type { RuleMeta } from './rule';

export const DOCS_REPO_URL = 'https://github.com/rust-readiness/rust-readiness/blob/main/docs/rules/';

export function docPath(id: string): string {
  return `docs/rules/${id}.md`;
}

export interface DocParts {
  firstParagraph: string;
  rustSnippet: string;
}

export function docParts(markdown: string): DocParts {
  const body = markdown.replace(/\r\n/g, '\n');
  const paragraphs = body.split(/\n\s*\n/).map((p) => p.trim());
  const firstParagraph = paragraphs.find((p) => p && !p.startsWith('#') && !p.startsWith('```') && !p.startsWith('|')) ?? '';
  const rust = /```rust\n([\s\S]*?)```/.exec(body);
  return { firstParagraph, rustSnippet: rust ? rust[1].trimEnd() : '' };
}

export function hoverMarkdown(meta: RuleMeta, doc: string | undefined, docUrl: string): string {
  const parts = doc ? docParts(doc) : { firstParagraph: '', rustSnippet: '' };
  const lines = [`**${meta.title}** \`${meta.id}\` — Rust: **${meta.concept}**`, ''];
  if (parts.firstParagraph) lines.push(parts.firstParagraph, '');
  if (parts.rustSnippet) lines.push('```rust', parts.rustSnippet, '```', '');
  lines.push(`[Documentation for ${meta.id}](${docUrl})`);
  return lines.join('\n');
}

// Engine findings as LSP diagnostics (vscode-eslint's shape: code = rule id,
// codeDescription.href = the rule's doc page).
import { DiagnosticSeverity, type Diagnostic, type DiagnosticTag } from 'vscode-languageserver';
import type { Finding, RuleMeta } from '../engine';
import type { RuleDocs } from './ruleDocs';

export const DIAGNOSTIC_SOURCE = 'rust-readiness';

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  hint: DiagnosticSeverity.Hint,
  information: DiagnosticSeverity.Information,
  warning: DiagnosticSeverity.Warning,
  error: DiagnosticSeverity.Error,
};

export function toDiagnostic(finding: Finding, uri: string, meta: RuleMeta | undefined, docs: RuleDocs): Diagnostic {
  const diagnostic: Diagnostic = {
    range: { start: finding.startPos, end: finding.endPos },
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: docs.href(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (meta?.tags?.length) diagnostic.tags = meta.tags as DiagnosticTag[];
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri, range: { start: r.startPos, end: r.endPos } },
      message: r.message,
    }));
  }
  return diagnostic;
}

// The readiness panel's tree as plain data, built from the workspace report: no
// vscode import, so the grouping and ordering are unit-tested without an editor
// (test/panel-model.test.ts); panel.ts only turns nodes into TreeItems.
//
// By folder:  workspace score, then folders (subfolders, then files) and the
//             files at the root, worst first; under a file its rules by count,
//             under a rule its findings in line order.
// By concept: workspace score, then Rust concepts by points lost; under a
//             concept its rules, under a rule the files holding it worst first,
//             under a file that rule's findings.
import type { Band } from '../../server/src/engine/score';
import type { FileReport, ReportFinding, WorkspaceReport } from '../../server/src/engine/report/model';

export type Grouping = 'folder' | 'concept';

interface NodeBase {
  /** Stable across refreshes, so VS Code keeps what was expanded. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  children: PanelNode[];
}

export interface WorkspaceNode extends NodeBase { kind: 'workspace'; score: number; band: Band }
export interface FolderNode extends NodeBase { kind: 'folder'; path: string; score: number; band: Band; findings: number }
export interface FileNode extends NodeBase { kind: 'file'; path: string; score: number; band: Band; findings: number }
export interface ConceptNode extends NodeBase { kind: 'concept'; concept: string }
export interface RuleNode extends NodeBase { kind: 'rule'; ruleId: string }
export interface FindingNode extends NodeBase {
  kind: 'finding';
  path: string;
  finding: ReportFinding;
}

export type PanelNode = WorkspaceNode | FolderNode | FileNode | ConceptNode | RuleNode | FindingNode;

export function buildPanelTree(report: WorkspaceReport, grouping: Grouping): PanelNode[] {
  const top = workspaceNode(report);
  return [top, ...(grouping === 'folder' ? byFolder(report) : byConcept(report))];
}

function workspaceNode(report: WorkspaceReport): WorkspaceNode {
  const s = report.summary;
  return {
    kind: 'workspace', id: 'workspace', label: `Workspace: ${s.score}/100`, score: s.score, band: s.band,
    description: `${count(s.files, 'file')}, ${count(s.findings, 'finding')}`,
    tooltip: `Readiness ${s.score}/100 (${s.band}) over ${count(s.lines, 'line')}${explain(s.costs)}`,
    children: [],
  };
}

function byFolder(report: WorkspaceReport): PanelNode[] {
  const folderNodes = new Map<string, FolderNode>();
  for (const d of report.folders) {
    folderNodes.set(d.path, {
      kind: 'folder', id: `folder:${d.path}`, path: d.path, label: relativeTo(d.parent ?? report.root, d.path),
      score: d.score, band: d.band, findings: d.findings, description: `${d.score} · ${count(d.findings, 'finding')}`,
      tooltip: `${d.path}\nReadiness ${d.score}/100 (${d.band}), ${count(d.files, 'file')}, ${count(d.lines, 'line')}${explain(d.costs)}`,
      children: [],
    });
  }
  const exact = new Map<PanelNode, number>();
  const rootFolders: FolderNode[] = [];
  for (const d of report.folders) {
    const node = folderNodes.get(d.path)!;
    exact.set(node, d.exact);
    const parent = d.parent !== null ? folderNodes.get(d.parent) : undefined;
    if (parent) parent.children.push(node);
    else rootFolders.push(node);
  }
  const rootFiles: FileNode[] = [];
  for (const f of report.files) {
    const node = fileNode(f, `folder:file:${f.path}`, basename(f.path), rulesOf(f));
    exact.set(node, f.exact);
    const parent = folderNodes.get(dirname(f.path));
    if (parent) parent.children.push(node);
    else rootFiles.push(node);
  }
  const sortLevel = (nodes: PanelNode[]): PanelNode[] => {
    const folders = nodes.filter((n): n is FolderNode => n.kind === 'folder').sort(worstFirst(exact));
    const files = nodes.filter((n): n is FileNode => n.kind === 'file').sort(worstFirst(exact));
    for (const folder of folders) folder.children = sortLevel(folder.children);
    return [...folders, ...files];
  };
  return sortLevel([...rootFolders, ...rootFiles]);
}

function byConcept(report: WorkspaceReport): PanelNode[] {
  const rules = new Map(report.rules.map((r) => [r.id, r]));
  return report.concepts.map((concept): ConceptNode => ({
    kind: 'concept', id: `concept:${concept.key}`, concept: concept.key, label: concept.key,
    description: `${count(concept.count, 'finding')} · −${concept.points}`,
    tooltip: `Rust concept: ${concept.key}\n${count(concept.count, 'finding')}, ${concept.points} points of the workspace score`,
    children: [...concept.rules].sort((a, b) => (rules.get(b)?.points ?? 0) - (rules.get(a)?.points ?? 0) || compare(a, b)).map((ruleId): RuleNode => {
      const rule = rules.get(ruleId);
      const files = report.files.filter((f) => f.ruleCounts[ruleId]).sort((a, b) => a.exact - b.exact || b.ruleCounts[ruleId] - a.ruleCounts[ruleId] || compare(a.path, b.path));
      return {
        kind: 'rule', id: `concept:${concept.key}:${ruleId}`, ruleId, label: ruleId,
        description: `${count(rule?.count ?? 0, 'finding')} in ${count(files.length, 'file')}`,
        tooltip: `${rule?.title ?? ruleId}\nweight ${rule?.weight ?? '?'}, ${rule?.points ?? 0} points of the workspace score`,
        children: files.map((f) => {
          const id = `concept:${concept.key}:${ruleId}:${f.path}`;
          return fileNode(f, id, relativeTo(report.root, f.path), findingsNode(f, ruleId, id).children);
        }),
      };
    }),
  }));
}

/** By folder a file holds its rules; by concept, the findings of one rule. */
function fileNode(f: FileReport, id: string, label: string, children: PanelNode[]): FileNode {
  return {
    kind: 'file', id, path: f.path, label, score: f.score, band: f.band, findings: f.findings.length,
    description: `${f.score} · ${count(f.findings.length, 'finding')}`,
    tooltip: `${f.path}\nReadiness ${f.score}/100 (${f.band}), ${count(f.lines, 'line')}${explain(f.costs)}`,
    children,
  };
}

/** A file's rules by count (then id), each with its findings in line order. */
function rulesOf(f: FileReport): RuleNode[] {
  return Object.entries(f.ruleCounts)
    .sort(([a, x], [b, y]) => y - x || compare(a, b))
    .map(([ruleId]) => findingsNode(f, ruleId, `folder:${f.path}:${ruleId}`));
}

function findingsNode(f: FileReport, ruleId: string, id: string): RuleNode {
  const findings = f.findings.filter((x) => x.ruleId === ruleId);
  return {
    kind: 'rule', id, ruleId, label: ruleId, description: String(findings.length),
    children: findings.map((finding, i): FindingNode => ({
      kind: 'finding', id: `${id}:${i}`, path: f.path, finding,
      label: `${finding.start.line + 1}:${finding.start.character + 1}`, description: finding.message, tooltip: finding.message,
      children: [],
    })),
  };
}

function worstFirst(exact: ReadonlyMap<PanelNode, number>) {
  return (a: FolderNode | FileNode, b: FolderNode | FileNode) =>
    exact.get(a)! - exact.get(b)! || b.findings - a.findings || compare(a.path, b.path);
}

function explain(costs: ReadonlyArray<{ ruleId: string; points: number }>): string {
  const lost = costs.filter((c) => c.points > 0);
  return lost.length ? `\nPoints lost: ${lost.map((c) => `${c.ruleId} −${c.points}`).join(', ')}` : '';
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : p.slice(0, i);
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function relativeTo(dir: string, p: string): string {
  const prefix = dir === '' || dir.endsWith('/') ? dir : dir + '/';
  return dir !== '' && p.startsWith(prefix) ? p.slice(prefix.length) : p;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

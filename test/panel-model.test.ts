// The readiness panel's tree model (client/src/panelModel.ts): what the tree
// shows and in which order, by folder and by Rust concept, without an editor.
// The panel inside a real VS Code is tested by issue 6's editor tests.
import * as assert from 'node:assert/strict';
import { RULES } from '../server/src/engine';
import { buildReport, type ReportFileInput, type ReportFinding } from '../server/src/engine/report/model';
import { buildPanelTree, type FileNode, type FolderNode, type PanelNode } from '../client/src/panelModel';

const metas = RULES.map((r) => r.meta);

function finding(ruleId: string, line: number, character = 2): ReportFinding {
  return { ruleId, severity: 'warning', message: `${ruleId} at ${line}`, start: { line, character }, end: { line, character: character + 3 } };
}

function file(path: string, lines: number, findings: ReportFinding[]): ReportFileInput {
  return { path, lines, language: path.endsWith('.c') ? 'c' : 'cpp', findings };
}

const HOSTILE = '<img src=x onerror=alert(1)>.cpp';

const report = buildReport([
  file('/ws/main.cpp', 200, [finding('raw-new', 4)]),
  file('/ws/clean.cpp', 300, []),
  file('/ws/src/core/engine.c', 400, [finding('malloc-free', 30), finding('pointer-arithmetic', 12), finding('malloc-free', 10), finding('goto', 50)]),
  file('/ws/src/core/engine.h', 40, []),
  file('/ws/src/net/socket.cpp', 300, [finding('raw-new', 20), finding('raw-delete', 25)]),
  file(`/ws/src/net/${HOSTILE}`, 100, [finding('reinterpret-cast', 1), finding('reinterpret-cast', 2)]),
  file('/ws/src/util/log.c', 200, []),
], metas, { root: '/ws' });

const labels = (nodes: PanelNode[]) => nodes.map((n) => n.label);
const byLabel = (nodes: PanelNode[], label: string) => nodes.find((n) => n.label === label) ?? assert.fail(`${label} not in ${labels(nodes)}`);

function allNodes(nodes: PanelNode[]): PanelNode[] {
  return nodes.flatMap((n) => [n, ...allNodes(n.children)]);
}

describe('panel tree model', () => {
  describe('by folder', () => {
    const tree = buildPanelTree(report, 'folder');

    it('starts with the workspace score', () => {
      const top = tree[0];
      assert.equal(top.kind, 'workspace');
      assert.equal(top.label, `Workspace: ${report.summary.score}/100`);
      assert.equal(top.description, `7 files, ${report.summary.findings} findings`);
      assert.match(top.tooltip!, /^Readiness \d+\/100 \((ready|partial|blocked)\) over 1540 lines\nPoints lost: raw-new −\d+, /);
    });

    it('lists folders, then the files at the root, each level worst first', () => {
      const rest = tree.slice(1);
      assert.deepEqual(rest.map((n) => n.kind), ['folder', 'file', 'file']);
      assert.deepEqual(labels(rest), ['src', 'main.cpp', 'clean.cpp']);
      const src = rest[0] as FolderNode;
      const subfolders = src.children as FolderNode[];
      assert.deepEqual(labels(subfolders), ['net', 'core', 'util']);
      const scores = subfolders.map((n) => report.folders.find((d) => d.path === n.path)!.exact);
      assert.deepEqual(scores, [...scores].sort((a, b) => a - b), 'worst first');
      assert.equal(src.description, `${report.folders.find((d) => d.path === '/ws/src')!.score} · 8 findings`);
    });

    it('shows each file with its score, finding count and band', () => {
      const net = byLabel(byLabel(tree, 'src').children, 'net');
      assert.deepEqual(labels(net.children), [HOSTILE, 'socket.cpp'], 'the denser file first; a hostile name stays plain text');
      const socket = byLabel(net.children, 'socket.cpp') as FileNode;
      const expected = report.files.find((f) => f.path === '/ws/src/net/socket.cpp')!;
      assert.equal(socket.description, `${expected.score} · 2 findings`);
      assert.equal(socket.band, expected.band);
      assert.equal(socket.path, '/ws/src/net/socket.cpp');
    });

    it('puts rules under a file by count, and findings under a rule in line order, each with its location', () => {
      const engine = byLabel(byLabel(byLabel(tree, 'src').children, 'core').children, 'engine.c');
      assert.deepEqual(engine.children.map((r) => [r.label, r.description]), [['malloc-free', '2'], ['goto', '1'], ['pointer-arithmetic', '1']]);
      const malloc = engine.children[0];
      assert.deepEqual(malloc.children.map((f) => f.label), ['11:3', '31:3']);
      const first = malloc.children[0];
      assert.equal(first.kind, 'finding');
      if (first.kind === 'finding') {
        assert.equal(first.path, '/ws/src/core/engine.c');
        assert.deepEqual(first.finding.start, { line: 10, character: 2 });
        assert.deepEqual(first.finding.end, { line: 10, character: 5 });
      }
    });

    it('gives every node a unique id', () => {
      const ids = allNodes(tree).map((n) => n.id);
      assert.equal(new Set(ids).size, ids.length);
    });
  });

  describe('by Rust concept', () => {
    const tree = buildPanelTree(report, 'concept');

    it('lists the concepts by points lost, after the workspace score', () => {
      assert.equal(tree[0].kind, 'workspace');
      assert.deepEqual(labels(tree.slice(1)), report.concepts.map((c) => c.key));
      assert.ok(tree.slice(1).every((n) => n.kind === 'concept'));
    });

    it('puts rules under a concept, files holding the rule under it worst first, and that rule\'s findings under a file', () => {
      const newConcept = report.rules.find((r) => r.id === 'raw-new')!.concept;
      const rawNew = byLabel(byLabel(tree, newConcept).children, 'raw-new');
      assert.equal(rawNew.description, '2 findings in 2 files');
      assert.deepEqual(labels(rawNew.children), ['src/net/socket.cpp', 'main.cpp']);
      const socket = rawNew.children[0] as FileNode;
      assert.deepEqual(socket.children.map((f) => [f.kind, f.label]), [['finding', '21:3']], 'only raw-new, not raw-delete');
    });

    it('holds every finding exactly once', () => {
      const findings = allNodes(tree).filter((n) => n.kind === 'finding');
      assert.equal(findings.length, report.summary.findings);
      const ids = allNodes(tree).map((n) => n.id);
      assert.equal(new Set(ids).size, ids.length);
    });
  });

  it('is empty but for the workspace node when nothing was found', () => {
    const empty = buildReport([file('/ws/a.cpp', 10, [])], metas, { root: '/ws' });
    assert.deepEqual(buildPanelTree(empty, 'concept').map((n) => n.kind), ['workspace']);
    assert.deepEqual(buildPanelTree(empty, 'folder').map((n) => [n.kind, n.label]), [['workspace', 'Workspace: 100/100'], ['file', 'a.cpp']]);
  });
});

// The "Rust Readiness" activity-bar panel: a tree of the workspace report
// (panelModel.ts builds it), coloured by band, refreshed whenever the report
// changes. Toolbar: toggle grouping (folder ↔ Rust concept), rescan, export,
// show report. While nothing has been scanned the tree is empty and the view's
// welcome content (package.json viewsWelcome) offers "Scan workspace".
import * as vscode from 'vscode';
import type { Band } from '../../server/src/engine/score';
import { Commands } from '../../server/src/protocol';
import type { FeatureContext } from './context';
import { buildPanelTree, type Grouping, type PanelNode } from './panelModel';
import { PANEL_VIEW, reportStore, type ReportStore } from './workspaceReport';

const GROUPING_KEY = 'rustReadiness.panelGrouping';

const BAND_COLOR: Record<Band, string> = {
  ready: 'testing.iconPassed',
  partial: 'list.warningForeground',
  blocked: 'list.errorForeground',
};

const BAND_ICON: Record<Band, string> = { ready: 'pass', partial: 'warning', blocked: 'error' };

class ReadinessTree implements vscode.TreeDataProvider<PanelNode> {
  private readonly changed = new vscode.EventEmitter<PanelNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: PanelNode[] = [];

  constructor(private readonly store: ReportStore, private grouping: Grouping) {
    this.rebuild();
  }

  get currentGrouping(): Grouping {
    return this.grouping;
  }

  setGrouping(grouping: Grouping): void {
    this.grouping = grouping;
    this.rebuild();
  }

  rebuild(): void {
    const result = this.store.result;
    this.roots = result ? buildPanelTree(result.report, this.grouping) : [];
    this.changed.fire(undefined);
  }

  getChildren(node?: PanelNode): PanelNode[] {
    return node ? node.children : this.roots;
  }

  getTreeItem(node: PanelNode): vscode.TreeItem {
    const expandable = node.children.length > 0;
    const item = new vscode.TreeItem(node.label, expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.kind;
    switch (node.kind) {
      case 'workspace':
        item.iconPath = new vscode.ThemeIcon(BAND_ICON[node.band], new vscode.ThemeColor(BAND_COLOR[node.band]));
        item.command = { command: Commands.showReport, title: 'Show Report' };
        break;
      case 'folder':
        // Not the plain 'folder' icon: VS Code draws that from the file icon theme, without the band colour.
        item.iconPath = new vscode.ThemeIcon('folder-active', new vscode.ThemeColor(BAND_COLOR[node.band]));
        break;
      case 'file':
        item.iconPath = new vscode.ThemeIcon(BAND_ICON[node.band], new vscode.ThemeColor(BAND_COLOR[node.band]));
        item.resourceUri = vscode.Uri.file(node.path);
        break;
      case 'concept':
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        break;
      case 'rule':
        item.iconPath = new vscode.ThemeIcon('law');
        break;
      case 'finding': {
        const { start, end } = node.finding;
        item.iconPath = new vscode.ThemeIcon('circle-small-filled');
        item.command = {
          command: 'vscode.open',
          title: 'Open Finding',
          arguments: [vscode.Uri.file(node.path), { selection: new vscode.Range(start.line, start.character, end.line, end.character) }],
        };
        break;
      }
    }
    return item;
  }
}

export function activate(ctx: FeatureContext): void {
  const store = reportStore(ctx);
  const tree = new ReadinessTree(store, ctx.extension.workspaceState.get<Grouping>(GROUPING_KEY) ?? 'folder');
  const view = vscode.window.createTreeView(PANEL_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const describe = () => {
    const result = store.result;
    view.message = result?.stats.cancelled ? 'The last scan was cancelled: only part of the workspace is shown.' : undefined;
    view.description = result ? (tree.currentGrouping === 'folder' ? 'by folder' : 'by Rust concept') : undefined;
  };
  describe();
  ctx.extension.subscriptions.push(
    view,
    store.onDidChange(() => {
      tree.rebuild();
      describe();
    }),
    vscode.commands.registerCommand(Commands.toggleGrouping, async () => {
      tree.setGrouping(tree.currentGrouping === 'folder' ? 'concept' : 'folder');
      describe();
      await ctx.extension.workspaceState.update(GROUPING_KEY, tree.currentGrouping);
    }),
  );
}

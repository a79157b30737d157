// The cluster page: the members (joined and left, live), the distributed supervisors' children
// under the member that owns each (a virtualized tree, so 1,000s of children stay smooth), and
// the recent handoffs and failovers.

import { $, h, replace, setText } from './dom.js';
import { moveText, parseQuery, plural, time } from './format.js';
import { byOwner, clusterCounts, clusterRows, shortId } from './cluster-model.js';
import { TreeView } from './tree-view.js';

const MOVES_SHOWN = 50;

export class ClusterPageView {
  constructor() {
    this.cluster = null;
    this.collapsed = new Set();
    this.query = null;
    this.moves = [];          // newest last
    this.tree = new TreeView($('cluster-tree'), {
      select: (row) => this.tree.setSelected(row.key),
      toggle: (row) => {
        if (this.query || row.kind !== 'sup') {
          return;
        }
        if (this.collapsed.has(row.key)) {
          this.collapsed.delete(row.key);
        } else {
          this.collapsed.add(row.key);
        }
        this.drawTree();
      },
    });
    $('cluster-search').addEventListener('input', () => {
      this.query = parseQuery($('cluster-search').value);
      $('cluster-tree').scrollTop = 0;
      this.drawTree();
    });
  }

  /** A new cluster snapshot (from GET /api/cluster or the live channel). */
  set(cluster) {
    this.cluster = cluster;
    setText($('cluster-updated'), cluster.generatedAt ? 'as of ' + time(cluster.generatedAt) : '');
    this.draw();
  }

  /** Lifecycle events: the handoffs and failovers are kept for the moves list. */
  addEvents(events) {
    const moves = events.filter((e) => e.type === 'CHILD_HANDED_OFF' || e.type === 'CHILD_FAILED_OVER');
    if (moves.length === 0) {
      return;
    }
    this.moves.push(...moves);
    if (this.moves.length > MOVES_SHOWN) {
      this.moves.splice(0, this.moves.length - MOVES_SHOWN);
    }
    this.drawMoves();
  }

  draw() {
    if (!this.cluster) {
      return;
    }
    this.drawStats();
    this.drawMembers();
    this.drawTree();
    this.drawMoves();
  }

  drawStats() {
    const n = clusterCounts(this.cluster);
    setText($('cluster-summary'), plural(n.up, 'member', 'members') + ' up' + (n.left ? ', ' + n.left + ' left lately' : '') + ' · ' +
      plural(n.supervisors, 'distributed supervisor', 'distributed supervisors') + ' · ' + plural(n.children, 'child', 'children') + ': ' + n.running + ' running, ' +
      n.moving + ' moving, ' + n.failed + ' failed');
  }

  drawMembers() {
    const owned = byOwner(this.cluster);
    const rows = (this.cluster.members || []).map((m) => h('tr', { data: { node: m.id, status: m.status, self: m.self ? 'true' : 'false' } },
      h('td', { class: 'mono', title: m.id, text: shortId(m.id) }, m.self ? h('span', { class: 'chip chip-self', text: 'this member' }) : null),
      h('td', { class: 'mono', text: m.address || '' }),
      h('td', null, h('span', { class: 'pill', data: { state: m.status === 'left' ? 'stopped' : 'running' }, text: m.status })),
      h('td', { class: 'num', text: String((owned.get(m.id) || []).length) }),
      h('td', { class: 'mono', text: m.since ? (m.status === 'left' ? 'left ' : 'joined ') + time(m.since) : '' })));
    replace($('cluster-members'), ...rows);
  }

  drawTree() {
    if (!this.cluster) {
      return;
    }
    const { rows, matched, total } = clusterRows(this.cluster, this.collapsed, this.query);
    let empty = null;
    if (this.query && matched === 0) {
      empty = 'Nothing matches “' + $('cluster-search').value.trim() + '”.';
    } else if (!(this.cluster.supervisors || []).length) {
      empty = 'No distributed supervisor runs on this member.';
    }
    this.tree.setRows(rows, empty);
    $('cluster-count').textContent = this.query ? matched + ' of ' + total + ' match' : total + ' children';
  }

  drawMoves() {
    const list = this.moves.slice().reverse();
    replace($('cluster-moves'), ...(list.length ? list.map((e) => h('tr', { data: { type: e.type, child: e.childId } },
      h('td', { class: 'mono', text: time(e.timestamp) }),
      h('td', { class: 'etype', text: e.type === 'CHILD_HANDED_OFF' ? 'handed off' : 'failed over' }),
      h('td', null, e.supervisor, ' / ', h('b', { text: e.childId || '' })),
      h('td', { text: moveText(e.details) }))) : [h('tr', null, h('td', { colspan: 4, class: 'muted', text: 'No child has moved to this member since the page opened.' }))]));
  }

  /** Redraws rows in view (the page became visible: a hidden tree has no height). */
  show() {
    this.tree.draw();
  }
}

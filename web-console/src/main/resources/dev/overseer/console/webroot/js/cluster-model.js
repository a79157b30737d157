// The cluster as flat rows for the virtualized tree view: members → distributed supervisors →
// the children each member owns. Pure: no DOM.

import { matches } from './format.js';

/** @return a member's node id shortened for display (the full id is in the title) */
export function shortId(id) {
  return id ? String(id).slice(0, 8) : '';
}

/** @return the text of a member row: short id, this member, address, left */
export function memberLabel(m) {
  return 'member ' + shortId(m.id) + (m.self ? ' (this member)' : '') + (m.address ? ' · ' + m.address : '') +
    (m.status === 'left' ? ' · left' : '');
}

/**
 * Children grouped by the member that owns them. A child whose owner is not among the members
 * shown (its owner is gone and no survivor has taken it yet) is grouped under an "unknown" owner;
 * a failed child has no owner.
 * @return Map(owner id | '' → [{ds, child}])
 */
export function byOwner(cluster) {
  const known = new Set(((cluster && cluster.members) || []).map((m) => m.id));
  const out = new Map();
  for (const ds of (cluster && cluster.supervisors) || []) {
    for (const child of ds.children || []) {
      const owner = child.owner && known.has(child.owner) ? child.owner : '';
      if (!out.has(owner)) {
        out.set(owner, []);
      }
      out.get(owner).push({ ds, child });
    }
  }
  return out;
}

/**
 * Flattens the cluster into rows for TreeView: {key, kind: 'member'|'sup'|'child', depth, member?,
 * sup, child?, owner?, meta?, expandable, expanded, parent}. A member row per member (then one
 * for children without a known owner, if any); under it, each distributed supervisor the member
 * runs or that has children there, folded when its key is in collapsed; under that, the children
 * it owns, filtered by the parsed query (id and status words).
 * @return {rows, matched, total}
 */
export function clusterRows(cluster, collapsed, parsed) {
  const rows = [];
  let matched = 0;
  let total = 0;
  const groups = byOwner(cluster);
  const members = [...((cluster && cluster.members) || [])];
  if (groups.has('')) {
    members.push({ id: '', status: 'unowned', name: 'no live owner (failed, or waiting for a new owner)' });
  }
  for (const m of members) {
    const mine = groups.get(m.id) || [];
    rows.push({ key: 'cmember:' + m.id, kind: 'member', depth: 0, member: { id: m.id, status: m.status, name: m.name || memberLabel(m) } });
    const sups = [];
    for (const ds of (cluster && cluster.supervisors) || []) {
      const runs = (ds.members || []).includes(m.id);
      const children = mine.filter((x) => x.ds === ds).map((x) => x.child);
      if (!runs && children.length === 0) {
        continue;
      }
      const key = 'cds:' + m.id + '/' + ds.name;
      const below = [];
      const parentKey = key;
      for (const child of children) {
        total++;
        if (!matches(parsed, child.id, child.status)) {
          continue;
        }
        matched++;
        below.push({
          key: 'cchild:' + ds.name + '/' + child.id,
          kind: 'child',
          depth: 1,
          sup: { name: ds.name },
          child: { id: child.id, state: child.status, type: 'WORKER' },
          owner: child.owner || '',
          meta: childMeta(child),
          expandable: false,
          expanded: false,
          parent: parentKey,
        });
      }
      if (parsed && below.length === 0) {
        continue;
      }
      const expanded = parsed ? true : !collapsed.has(key);
      const row = {
        key,
        kind: 'sup',
        depth: 0,
        sup: { name: ds.name, status: runs ? 'running' : 'stopped' },
        owner: m.id,
        meta: [{ cls: 'chip-strategy', text: 'distributed' }, { cls: 'chip-count', text: children.length + ' here' + (ds.truncated ? ' (list cut at ' + ds.children.length + ' of ' + ds.total + ')' : '') }],
        expandable: true,
        expanded,
        parent: null,
      };
      sups.push(row);
      rows.push(row);
      if (expanded) {
        numberSiblings(below);
        rows.push(...below);
      }
    }
    numberSiblings(sups);
  }
  return { rows, matched: parsed ? matched : total, total };
}

function childMeta(child) {
  const meta = [{ cls: 'chip-epoch', text: 'epoch ' + child.epoch, title: 'ownership epoch: grows with every move' }];
  if (child.from && (child.cause === 'HANDOFF' || child.cause === 'FAILOVER' || child.cause === 'REBALANCE' || child.cause === 'RECLAIM')) {
    meta.push({ cls: 'chip-from', text: String(child.cause).toLowerCase() + ' from ' + shortId(child.from), title: 'moved from member ' + child.from });
  }
  return meta;
}

function numberSiblings(siblings) {
  siblings.forEach((row, i) => {
    row.pos = i + 1;
    row.size = siblings.length;
  });
}

/** @return counts for the cluster summary: members up and left, supervisors, children by status */
export function clusterCounts(cluster) {
  const n = { up: 0, left: 0, supervisors: 0, children: 0, running: 0, moving: 0, failed: 0 };
  for (const m of (cluster && cluster.members) || []) {
    if (m.status === 'left') {
      n.left++;
    } else {
      n.up++;
    }
  }
  for (const ds of (cluster && cluster.supervisors) || []) {
    n.supervisors++;
    n.children += ds.total || 0;
    for (const c of ds.children || []) {
      if (c.status === 'running') {
        n.running++;
      } else if (c.status === 'failed') {
        n.failed++;
      } else {
        n.moving++;
      }
    }
  }
  return n;
}

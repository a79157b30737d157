// The tree as a flat list of rows, the shape the virtualized view draws. Pure: no DOM.

import { matches } from './format.js';

/** Calls visit(sup, child|null) for every supervisor and child, depth first. */
export function walk(tree, visit) {
  for (const member of (tree && tree.members) || []) {
    for (const sup of member.supervisors || []) {
      walkSup(sup, visit);
    }
  }
}

function walkSup(sup, visit) {
  visit(sup, null);
  for (const child of sup.children || []) {
    visit(sup, child);
    if (child.supervisor) {
      walkSup(child.supervisor, visit);
    }
  }
}

export function childKey(supName, id) {
  return 'child:' + supName + '/' + id;
}

/**
 * Flattens the tree into rows: {key, kind: 'member'|'sup'|'child', depth, sup, child?, nested?,
 * expandable, expanded, parent (key of the parent row)}. Folded supervisors (names in collapsed)
 * hide their children. With a parsed query, only matching nodes and the supervisors above them
 * are kept, all unfolded.
 * @return {rows, matched (nodes that match the query), total (nodes)}
 */
export function flatten(tree, collapsed, parsed) {
  const rows = [];
  let matched = 0;
  let total = 0;
  for (const member of (tree && tree.members) || []) {
    rows.push({ key: 'member:' + member.id, kind: 'member', depth: 0, member });
    const roots = [];
    for (const sup of member.supervisors || []) {
      const key = 'sup:' + sup.name;
      const self = matches(parsed, sup.name, sup.status);
      total++;
      const below = [];
      const found = children(sup, 1, key, collapsed, parsed, below);
      total += found.total;
      matched += found.matched + (parsed && self ? 1 : 0);
      if (parsed && !self && found.matched === 0) {
        continue;
      }
      const expanded = parsed ? true : !collapsed.has(sup.name);
      const row = { key, kind: 'sup', depth: 0, sup, expandable: true, expanded, parent: null };
      roots.push(row);
      rows.push(row);
      if (expanded) {
        rows.push(...below);
      }
    }
    numberSiblings(roots);
  }
  return { rows, matched: parsed ? matched : total, total };
}

/** aria-posinset and aria-setsize: a virtualized tree must say where a row is among its siblings. */
function numberSiblings(siblings) {
  siblings.forEach((row, i) => {
    row.pos = i + 1;
    row.size = siblings.length;
  });
}

function children(sup, depth, parentKey, collapsed, parsed, out) {
  let matched = 0;
  let total = 0;
  const siblings = [];
  for (const child of sup.children || []) {
    const nested = child.supervisor || null;
    const key = childKey(sup.name, child.id);
    const self = matches(parsed, child.id, child.state);
    total++;
    const below = [];
    let sub = { matched: 0, total: 0 };
    if (nested) {
      sub = children(nested, depth + 1, key, collapsed, parsed, below);
      total += sub.total;
    }
    if (parsed && !self && sub.matched === 0) {
      continue;
    }
    if (parsed && self) {
      matched++;
    }
    matched += sub.matched;
    const expanded = nested ? (parsed ? true : !collapsed.has(nested.name)) : false;
    const row = { key, kind: 'child', depth, sup, child, nested, expandable: !!nested, expanded, parent: parentKey };
    siblings.push(row);
    out.push(row);
    if (expanded) {
      out.push(...below);
    }
  }
  numberSiblings(siblings);
  return { matched, total };
}

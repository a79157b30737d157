// The tree panel: a virtualized list of rows (only those in view, plus a margin, are in the DOM,
// so a dynamic supervisor with thousands of children scrolls smoothly), each row kept by key and
// updated in place, with the WAI-ARIA tree pattern: role=tree/treeitem, aria-level,
// aria-expanded, aria-selected, one row in the tab order, and arrow keys, Home, End, Enter.

import { h, replace, setAttr, setText, supIcon, workerIcon } from './dom.js';
import { meterLevel, strategyLabel } from './format.js';

/** Height of a row in px; the CSS gives .node and .member-row the same. */
export const ROW_HEIGHT = 30;
const OVERSCAN = 10;

export function meter(used, limit, big) {
  const { ratio, level } = meterLevel(used, limit);
  return h('span', { class: 'meter' + (big ? ' big' : ''), title: 'restarts in the current period / intensity' },
    h('span', { class: 'meter-bar' }, h('span', { class: 'meter-fill ' + level, vars: { '--fill': Math.round(ratio * 100) + '%' } })),
    h('span', { class: 'meter-text', text: used + '/' + limit }));
}

export class TreeView {
  /**
   * @param root the scrolling element (role=tree)
   * @param callbacks {select(row), toggle(row)}
   */
  constructor(root, callbacks) {
    this.root = root;
    this.callbacks = callbacks;
    this.rows = [];
    this.index = new Map();      // key -> position in rows
    this.live = new Map();       // key -> element in the DOM
    this.selectedKey = null;
    this.focusKey = null;
    this.spacer = h('div', { class: 'tree-spacer', role: 'presentation' });
    this.empty = h('div', { class: 'empty' });
    root.replaceChildren(this.spacer);
    root.addEventListener('scroll', () => this.draw(), { passive: true });
    root.addEventListener('click', (e) => this.onClick(e));
    root.addEventListener('keydown', (e) => this.onKey(e));
    if (window.ResizeObserver) {
      new ResizeObserver(() => this.draw()).observe(root);
    }
  }

  /** Replaces the rows (a new tree, fold or search) and redraws what is in view. */
  setRows(rows, emptyText) {
    this.rows = rows;
    this.index = new Map(rows.map((r, i) => [r.key, i]));
    if (this.focusKey && !this.index.has(this.focusKey)) {
      this.focusKey = null;
    }
    this.spacer.style.height = rows.length * ROW_HEIGHT + 'px';
    if (emptyText) {
      this.empty.textContent = emptyText;
      if (!this.empty.isConnected) {
        this.root.appendChild(this.empty);
      }
    } else {
      this.empty.remove();
    }
    this.draw();
  }

  setSelected(key) {
    this.selectedKey = key;
    this.draw();
  }

  /** Scrolls so that the row is in view. */
  reveal(key) {
    const i = this.index.get(key);
    if (i === undefined) {
      return;
    }
    const top = i * ROW_HEIGHT;
    if (top < this.root.scrollTop) {
      this.root.scrollTop = top;
    } else if (top + ROW_HEIGHT > this.root.scrollTop + this.root.clientHeight) {
      this.root.scrollTop = top + ROW_HEIGHT - this.root.clientHeight;
    }
    this.draw();
  }

  draw() {
    const height = this.root.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.root.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((this.root.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    // one row is always in the tab order: the focused one, else the selected one, else the first
    const tabKey = [this.focusKey, this.selectedKey].find((k) => k && this.index.has(k)) ||
      (this.rows.find((r) => r.kind !== 'member') || {}).key;
    const keep = new Set();
    for (let i = first; i < last; i++) {
      const row = this.rows[i];
      keep.add(row.key);
      let el = this.live.get(row.key);
      if (!el || el.dataset.kind !== (row.kind === 'member' ? 'member' : row.kind)) {
        if (el) {
          el.remove();
        }
        el = row.kind === 'member' ? h('div', { class: 'member-row', role: 'presentation', data: { key: row.key, kind: 'member' } }) : createNode(row);
        this.live.set(row.key, el);
        this.spacer.appendChild(el);
      }
      el.style.transform = 'translateY(' + i * ROW_HEIGHT + 'px)';
      if (row.kind === 'member') {
        setText(el, row.member.name);
        setAttr(el, 'data-node', row.member.id === undefined ? null : row.member.id);
        setAttr(el, 'data-status', row.member.status || null);
      } else {
        updateNode(el, row, row.key === this.selectedKey, row.key === tabKey);
      }
    }
    for (const [key, el] of this.live) {
      if (!keep.has(key)) {
        // a focused row scrolled away loses focus; keep it to the tree instead of the page
        if (el.contains(document.activeElement)) {
          this.root.focus({ preventScroll: true });
        }
        el.remove();
        this.live.delete(key);
      }
    }
  }

  element(key) {
    return this.live.get(key);
  }

  onClick(e) {
    const toggle = e.target.closest('.caret');
    const node = e.target.closest('.node');
    if (!node) {
      return;
    }
    const row = this.rows[this.index.get(node.dataset.key)];
    if (!row) {
      return;
    }
    this.focusKey = row.key;
    if (toggle && row.expandable) {
      this.callbacks.toggle(row);
      return;
    }
    this.callbacks.select(row);
  }

  focusRow(key) {
    this.focusKey = key;
    this.reveal(key);
    const el = this.live.get(key);
    if (el) {
      el.focus({ preventScroll: true });
    }
  }

  onKey(e) {
    const current = e.target.closest && e.target.closest('.node');
    const at = current ? this.index.get(current.dataset.key) : -1;
    const row = at >= 0 ? this.rows[at] : null;
    const step = (from, dir) => {
      for (let i = from + dir; i >= 0 && i < this.rows.length; i += dir) {
        if (this.rows[i].kind !== 'member') {
          return this.rows[i];
        }
      }
      return null;
    };
    let target = null;
    switch (e.key) {
      case 'ArrowDown':
        target = step(at, 1);
        break;
      case 'ArrowUp':
        target = at >= 0 ? step(at, -1) : null;
        break;
      case 'Home':
        target = step(-1, 1);
        break;
      case 'End':
        target = step(this.rows.length, -1);
        break;
      case 'ArrowRight':
        if (row && row.expandable && !row.expanded) {
          this.callbacks.toggle(row);
        } else if (row && row.expandable) {
          target = step(at, 1);
        }
        break;
      case 'ArrowLeft':
        if (row && row.expandable && row.expanded) {
          this.callbacks.toggle(row);
        } else if (row && row.parent) {
          target = this.rows[this.index.get(row.parent)];
        }
        break;
      case 'Enter':
      case ' ':
        if (row) {
          this.callbacks.select(row);
        }
        break;
      default:
        return;
    }
    e.preventDefault();
    if (target) {
      this.focusRow(target.key);
    }
  }
}

function createNode(row) {
  const el = h('div', { class: 'node', role: 'treeitem', data: { key: row.key, kind: row.kind } });
  el._caret = row.expandable ? h('span', { class: 'caret', 'aria-hidden': 'true', text: '▶' }) : h('span', { class: 'caret-space' });
  el._dot = h('span', { class: 'dot' });
  el._name = h('span', { class: 'node-name' });
  el._meta = h('span', { class: 'node-meta' });
  el._icon = row.kind === 'sup' || (row.child && row.child.type === 'SUPERVISOR') ? supIcon() : workerIcon();
  el.append(el._caret, el._dot, el._icon, el._name, el._meta);
  return el;
}

function updateNode(el, row, selected, tabbable) {
  const sup = row.kind === 'sup' ? row.sup : null;
  const child = row.child;
  const name = sup ? sup.name : child.id;
  const state = sup ? sup.status : child.state;
  el.classList.toggle('selected', selected);
  el.classList.toggle('is-sup', !!sup || !!row.nested || child.type === 'SUPERVISOR');
  setAttr(el, 'tabindex', tabbable ? '0' : '-1');
  setAttr(el, 'aria-level', row.depth + 1);
  setAttr(el, 'aria-posinset', row.pos);
  setAttr(el, 'aria-setsize', row.size);
  setAttr(el, 'aria-selected', selected ? 'true' : 'false');
  setAttr(el, 'aria-expanded', row.expandable ? String(row.expanded) : null);
  setAttr(el, 'data-state', state);
  setAttr(el, 'data-sup', row.sup.name);
  setAttr(el, 'data-id', child ? child.id : null);
  setAttr(el, 'data-owner', row.owner === undefined ? null : row.owner);
  setAttr(el, 'title', name);
  el.style.setProperty('--depth', row.depth);
  el._caret.classList.toggle('open', !!row.expanded);
  setAttr(el._dot, 'data-state', state);
  setText(el._name, name);
  if (row.meta) {
    // rows that bring their own chips (the cluster view's): [{cls, text, title?}]
    const sig = 'meta|' + state + '|' + row.meta.map((m) => m.text).join('|');
    if (el._sig !== sig) {
      el._sig = sig;
      replace(el._meta, ...row.meta.map((m) => h('span', { class: 'chip ' + m.cls, title: m.title || null, text: m.text })),
        h('span', { class: 'state-label', data: { state }, text: state }));
    }
    return;
  }
  // the meta part changes rarely: rebuild it only when what it shows changed
  const nested = sup || row.nested;
  const restarts = child ? child.restartCount || 0 : null;
  const sig = [state, nested ? strategyLabel(nested) + nested.intensityUsed + '/' + nested.intensity : '', child ? child.restart + child.server : '', restarts].join('|');
  if (el._sig !== sig) {
    el._sig = sig;
    replace(el._meta,
      child && child.server ? h('span', { class: 'chip chip-server', title: 'a server', text: 'server' }) : null,
      nested ? h('span', { class: 'chip chip-strategy', text: strategyLabel(nested) }) : null,
      nested ? meter(nested.intensityUsed, nested.intensity) : null,
      child && !nested ? h('span', { class: 'chip chip-restart', text: String(child.restart || '').toLowerCase() }) : null,
      child ? h('span', { class: 'restarts' + (restarts > 0 ? ' hot' : ''), title: 'restarts', data: { restarts }, text: '↻ ' + restarts }) : null,
      h('span', { class: 'state-label', data: { state }, text: state }));
  }
}


// Overseer console: wiring of the page. Native ES modules, no build step, nothing loaded from
// elsewhere.
//
// Data flow: GET /api/tree once, then the live channel pushes the tree and the events (already
// coalesced by the server). The page keeps only the latest tree and draws it at most once per
// animation frame, so a restart storm cannot freeze it; the tree view only touches the rows in
// view. Details (and the history chart) of the selected node come from the API, one request at
// a time, fetched again when the node changes.

import { $, h, replace, setText } from './dom.js';
import { parseQuery } from './format.js';
import { api, enc, readToken, setToken, whenUnauthorized } from './api.js';
import { openLive } from './live.js';
import { flatten, walk, childKey } from './tree-model.js';
import { TreeView } from './tree-view.js';
import { childDetail, message, supervisorDetail } from './detail.js';
import { chart } from './chart.js';
import { EventLogView } from './events.js';
import { loadStash } from './stash.js';
import { ClusterPageView } from './cluster-view.js';

const HISTORY_REFRESH_MS = 10000;
const STASH_REFRESH_MS = 5000;

const state = {
  tree: null,
  readOnly: false,
  selected: null,          // {kind: 'sup', name} or {kind: 'child', sup, id}
  collapsed: new Set(),    // supervisor names folded in the tree
  query: null,
  detail: null,
  detailKey: null,
  detailSignature: null,
  detailLoading: false,
  detailAgain: false,
  history: null,
  renderQueued: false,
  view: 'tree',
  live: null,
};

// ---------------------------------------------------------------- token

function askToken(text) {
  const dialog = $('login');
  if (text) {
    $('login-text').textContent = text;
  }
  if (!dialog.open) {
    dialog.showModal();
  }
}
whenUnauthorized(askToken);

$('login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('login-token').value.trim();
  if (!value) {
    return;
  }
  setToken(value);
  $('login').close();
  boot();
});

// ---------------------------------------------------------------- views (tree, stash, cluster)

let stashTimer = null;
const cluster = new ClusterPageView();

/** A cluster snapshot: the Cluster view is offered only on a clustered member. */
function setCluster(snapshot) {
  if (!snapshot || !snapshot.clustered) {
    return;
  }
  $('nav-cluster').hidden = false;
  cluster.set(snapshot);
}

function showView(view) {
  state.view = view;
  for (const [name, panel] of [['tree', $('view-tree')], ['stash', $('view-stash')], ['cluster', $('view-cluster')]]) {
    panel.hidden = name !== view;
    $('nav-' + name).setAttribute('aria-current', name === view ? 'page' : 'false');
  }
  clearInterval(stashTimer);
  if (view === 'stash') {
    loadStash();
    stashTimer = setInterval(loadStash, STASH_REFRESH_MS);
  } else if (view === 'cluster') {
    cluster.show();
  } else {
    treeView.draw();
  }
}
$('nav-tree').addEventListener('click', () => showView('tree'));
$('nav-stash').addEventListener('click', () => showView('stash'));
$('nav-cluster').addEventListener('click', () => showView('cluster'));
$('stash-refresh').addEventListener('click', () => loadStash());

// ---------------------------------------------------------------- summary

const STATS = [['Supervisors', ''], ['Children', ''], ['Running', 'good'], ['Restarting', 'warn'], ['Stopped', ''],
  ['Failed', 'bad'], ['Restarts', 'warn'], ['Events seen', '']];
const statEls = new Map(STATS.map(([label]) => {
  const value = h('div', { class: 'stat-value' });
  const el = h('div', { class: 'stat', data: { stat: label } }, value, h('div', { class: 'stat-label', text: label }));
  return [label, { el, value }];
}));
replace($('stats'), [...statEls.values()].map((s) => s.el));

function renderStats(tree) {
  const n = { Supervisors: 0, Children: 0, Running: 0, Restarting: 0, Stopped: 0, Failed: 0, Restarts: 0, 'Events seen': tree.eventsSeen || 0 };
  walk(tree, (sup, child) => {
    if (!child) {
      n.Supervisors++;
      if (sup.status === 'failed') {
        n.Failed++;
      }
      return;
    }
    n.Children++;
    n.Restarts += child.restartCount || 0;
    if (child.state === 'running') {
      n.Running++;
    } else if (child.state === 'restarting' || child.state === 'starting' || child.state === 'stopping') {
      n.Restarting++;
    } else if (child.state === 'failed') {
      n.Failed++;
    } else {
      n.Stopped++;
    }
  });
  for (const [label, cls] of STATS) {
    const s = statEls.get(label);
    setText(s.value, n[label]);
    s.el.className = 'stat' + (cls && n[label] ? ' ' + cls : '');
  }
}

// ---------------------------------------------------------------- tree

const treeView = new TreeView($('tree'), {
  select(row) {
    state.selected = row.kind === 'sup' ? { kind: 'sup', name: row.sup.name } : { kind: 'child', sup: row.sup.name, id: row.child.id };
    state.detail = null;
    state.history = null;
    treeView.setSelected(row.key);
    loadDetail();
  },
  toggle(row) {
    const name = row.kind === 'sup' ? row.sup.name : row.nested.name;
    if (state.query) {
      return; // a search shows every match unfolded
    }
    if (state.collapsed.has(name)) {
      state.collapsed.delete(name);
    } else {
      state.collapsed.add(name);
    }
    renderTree();
  },
});

function queueRender() {
  if (state.renderQueued) {
    return;
  }
  state.renderQueued = true;
  requestAnimationFrame(() => {
    state.renderQueued = false;
    render();
  });
}

function render() {
  const tree = state.tree;
  if (!tree) {
    return;
  }
  state.readOnly = !!tree.readOnly;
  $('readonly').hidden = !state.readOnly;
  renderStats(tree);
  renderTree();
  walk(tree, (sup, child) => { if (!child) { events.knowSupervisor(sup.name); } });
  refreshDetailIfChanged();
}

function renderTree() {
  if (!state.tree) {
    return;
  }
  const { rows, matched, total } = flatten(state.tree, state.collapsed, state.query);
  let empty = null;
  if (state.query && matched === 0) {
    empty = 'Nothing matches “' + $('tree-search').value.trim() + '”.';
  } else if (!rows.some((r) => r.kind !== 'member')) {
    empty = 'No supervisors run on this node.';
  }
  treeView.setRows(rows, empty);
  $('tree-count').textContent = state.query ? matched + ' of ' + total + ' match' : total + ' nodes';
}

let searchQueued = false;
$('tree-search').addEventListener('input', () => {
  if (searchQueued) {
    return;
  }
  searchQueued = true;
  requestAnimationFrame(() => {
    searchQueued = false;
    state.query = parseQuery($('tree-search').value);
    $('tree').scrollTop = 0;
    renderTree();
  });
});
$('tree-search').addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' || e.key === 'Enter') {
    // from the search box straight into the results
    e.preventDefault();
    const first = treeView.rows.find((r) => r.kind !== 'member');
    if (first) {
      treeView.focusRow(first.key);
    }
  }
});

$('expand-all').addEventListener('click', () => { state.collapsed.clear(); renderTree(); });
$('collapse-all').addEventListener('click', () => {
  walk(state.tree, (sup, child) => { if (!child) { state.collapsed.add(sup.name); } });
  renderTree();
});

// ---------------------------------------------------------------- detail

function findInTree(selection) {
  let found = null;
  if (!state.tree || !selection) {
    return null;
  }
  walk(state.tree, (sup, child) => {
    if (selection.kind === 'sup' && !child && sup.name === selection.name) {
      found = { sup };
    } else if (selection.kind === 'child' && child && sup.name === selection.sup && child.id === selection.id) {
      found = { sup, child };
    }
  });
  return found;
}

function selectionKey(selection) {
  return selection.kind === 'sup' ? 'sup:' + selection.name : childKey(selection.sup, selection.id);
}

function signature(found) {
  if (!found) {
    return 'gone';
  }
  const c = found.child;
  const s = found.sup;
  return c
    ? [c.state, c.restartCount, c.deploymentId, c.lastCrashAt, c.supervisor ? c.supervisor.intensityUsed : ''].join('|')
    : [s.status, s.intensityUsed, (s.children || []).length, (s.children || []).reduce((t, x) => t + (x.restartCount || 0), 0)].join('|');
}

function refreshDetailIfChanged() {
  if (!state.selected) {
    return;
  }
  const sig = signature(findInTree(state.selected));
  if (state.detailKey === selectionKey(state.selected) && sig === state.detailSignature) {
    return;
  }
  loadDetail();
}

function historyPath(selection) {
  return selection.kind === 'sup'
    ? '/api/history?supervisor=' + enc(selection.name)
    : '/api/history?supervisor=' + enc(selection.sup) + '&child=' + enc(selection.id);
}

async function loadDetail() {
  if (state.detailLoading) {
    state.detailAgain = true;
    return;
  }
  const selection = state.selected;
  if (!selection) {
    return;
  }
  state.detailLoading = true;
  const key = selectionKey(selection);
  const found = findInTree(selection);
  const sig = signature(found);
  try {
    let detail;
    if (selection.kind === 'sup' && found && found.sup.status === 'failed') {
      detail = { supervisor: found.sup, events: [] };
    } else {
      detail = selection.kind === 'sup'
        ? await api('GET', '/api/supervisors/' + enc(selection.name))
        : await api('GET', '/api/supervisors/' + enc(selection.sup) + '/children/' + enc(selection.id));
    }
    const history = await api('GET', historyPath(selection)).catch(() => null);
    state.detailKey = key;
    state.detailSignature = sig;
    if (state.selected && selectionKey(state.selected) === key) {
      state.detail = detail;
      state.history = history;
      renderDetail();
    }
  } catch (err) {
    state.detailKey = key;
    state.detailSignature = sig;
    if (state.selected && selectionKey(state.selected) === key) {
      replace($('detail'), message(err.status === 404 ? 'Gone' : 'Could not load the details', err.message));
    }
  } finally {
    state.detailLoading = false;
    if (state.detailAgain) {
      state.detailAgain = false;
      loadDetail();
    }
  }
}

function renderDetail() {
  const d = state.detail;
  const sel = state.selected;
  if (!d || !sel) {
    return;
  }
  const ctx = { readOnly: state.readOnly, history: state.history };
  replace($('detail'), sel.kind === 'sup' ? supervisorDetail(ctx, d) : childDetail(ctx, d, findInTree(sel)));
}

// the window of the chart moves even when nothing happens
setInterval(async () => {
  const sel = state.selected;
  if (!sel || state.view !== 'tree' || !$('history')) {
    return;
  }
  try {
    const history = await api('GET', historyPath(sel));
    if (state.selected === sel && $('history')) {
      state.history = history;
      const limit = sel.kind === 'sup' && state.detail && state.detail.supervisor ? state.detail.supervisor.intensity : undefined;
      replace($('history'), h('h4', { text: 'Restarts and crashes over time' }), chart(history, limit));
    }
  } catch (ignored) {
    // the next tick tries again
  }
}, HISTORY_REFRESH_MS);

// ---------------------------------------------------------------- actions

const VERBS = {
  restart: { title: 'Restart child', verb: 'Restart', text: (s, id) => 'Start the stopped child "' + id + '" of supervisor "' + s + '" again from its spec?' },
  terminate: { title: 'Terminate child', verb: 'Terminate', danger: true, text: (s, id) => 'Stop the child "' + id + '" of supervisor "' + s + '"? Its spec is kept (a temporary child, or a dynamic supervisor\'s child, is deleted).' },
  delete: { title: 'Delete child', verb: 'Delete', danger: true, text: (s, id) => 'Forget the spec of the stopped child "' + id + '" of supervisor "' + s + '"?' },
  start: { title: 'Start child', verb: 'Start', text: (s, t, id) => 'Start a child of supervisor "' + s + '" from the template "' + t + '"' + (id ? ' with the id "' + id + '"' : '') + '?' },
};

function confirmDialog(title, text, verb, danger) {
  return new Promise((resolve) => {
    const dialog = $('confirm');
    $('confirm-title').textContent = title;
    $('confirm-text').textContent = text;
    const ok = $('confirm-ok');
    ok.textContent = verb;
    ok.className = 'btn btn-primary' + (danger ? ' btn-danger' : '');
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

function toast(text, error) {
  const el = h('div', { class: 'toast' + (error ? ' error' : ' success'), role: error ? 'alert' : 'status', text });
  $('toasts').appendChild(el);
  setTimeout(() => el.remove(), error ? 8000 : 4000);
}

$('detail').addEventListener('click', async (e) => {
  const btn = e.target.closest('[data-action]');
  if (!btn || btn.disabled || state.readOnly) {
    return;
  }
  const action = btn.dataset.action;
  const v = VERBS[action];
  let method; let path; let body; let text; let label;
  if (action === 'start') {
    const sup = btn.dataset.sup;
    const template = btn.dataset.template;
    const input = document.querySelector('[data-start-id="' + CSS.escape(template) + '"]');
    const id = input && input.value.trim();
    text = v.text(sup, template, id);
    method = 'POST';
    path = '/api/supervisors/' + enc(sup) + '/children';
    body = id ? { template, id } : { template };
    label = 'template ' + template + ' on ' + sup;
  } else {
    const sel = state.selected;
    text = v.text(sel.sup, sel.id);
    path = '/api/supervisors/' + enc(sel.sup) + '/children/' + enc(sel.id);
    method = action === 'delete' ? 'DELETE' : 'POST';
    if (action !== 'delete') {
      path += '/' + action;
    }
    label = sel.sup + '/' + sel.id;
  }
  if (!(await confirmDialog(v.title, text, v.verb, v.danger))) {
    return;
  }
  btn.disabled = true;
  try {
    const result = await api(method, path, body);
    toast(v.verb + ' ' + (action === 'start' ? '"' + result.id + '" from ' + label : label) + ': done');
    if (action === 'delete') {
      state.selected = null;
      treeView.setSelected(null);
      replace($('detail'), message('Deleted', label + ' was deleted.'));
    } else {
      loadDetail();
    }
  } catch (err) {
    toast(v.verb + ' ' + label + ' failed: ' + err.error + ' — ' + err.message, true);
    btn.disabled = false;
  }
});

// ---------------------------------------------------------------- events

const events = new EventLogView();

function addEvents(list, dropped, fresh) {
  events.add(list, dropped, fresh);
  cluster.addEvents(list);
  const sel = state.selected;
  if (sel && list.some((e) => (sel.kind === 'sup' ? e.supervisor === sel.name : e.supervisor === sel.sup && e.childId === sel.id))) {
    loadDetail();
  }
}

// ---------------------------------------------------------------- start

function setConn(kind, text) {
  $('conn').dataset.state = kind;
  $('conn-text').textContent = text;
}

// Without a token the API is tried anyway (a console mounted behind the application's own
// authentication needs none); a 401 opens the token dialog.
async function boot() {
  try {
    const [tree, recent, clusterNow] = await Promise.all([api('GET', '/api/tree'), api('GET', '/api/events?limit=100'),
      api('GET', '/api/cluster').catch(() => null)]);
    state.tree = tree;
    $('member').textContent = tree.members && tree.members[0] ? tree.members[0].name : '';
    addEvents(recent.events || [], 0, false);
    setCluster(clusterNow);
    render();
    if (!state.live) {
      state.live = openLive({
        status: setConn,
        hello(hello) {
          state.readOnly = !!hello.readOnly;
          $('readonly').hidden = !state.readOnly;
          if (hello.member) {
            $('member').textContent = hello.member.name;
          }
        },
        tree(t) {
          state.tree = t;
          queueRender();
        },
        events(list, dropped) {
          addEvents(list, dropped, true);
        },
        cluster(snapshot) {
          setCluster(snapshot);
        },
      });
    }
  } catch (err) {
    if (err.status !== 401) {
      setConn('offline', 'Offline');
      treeView.setRows([], err.message);
      setTimeout(boot, 2000);
    }
  }
}

readToken();
boot();

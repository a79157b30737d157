// Overseer console: the page. Plain JavaScript, no build step, nothing loaded from elsewhere.
//
// Data flow: GET /api/tree once, then a WebSocket at /api/live pushes {type: "tree"} and
// {type: "events"} messages (already coalesced by the server). The page keeps only the latest
// tree and renders it at most once per animation frame, so a restart storm cannot freeze it.
// Details of the selected node come from GET /api/supervisors/... and are fetched again when the
// node changes, one request at a time.
(function () {
  'use strict';

  const TOKEN_KEY = 'overseer.console.token';
  const MAX_EVENT_ROWS = 150;
  const MAX_CHILD_ROWS = 200;

  const state = {
    token: null,
    tree: null,
    readOnly: false,
    selected: null,          // {kind: 'sup', name} or {kind: 'child', sup, id}
    collapsed: new Set(),    // supervisor names folded in the tree
    detail: null,            // last detail JSON for the selection
    detailKey: null,
    detailSignature: null,   // what the selection looked like in the tree when detail was fetched
    detailLoading: false,
    detailAgain: false,
    renderQueued: false,
    socket: null,
    retryMs: 500,
    eventsDropped: 0,
  };

  const $ = (id) => document.getElementById(id);

  function esc(value) {
    return String(value === undefined || value === null ? '' : value)
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }

  // ---------------------------------------------------------------- token

  function readToken() {
    const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
    const fromHash = hash.get('token');
    if (fromHash) {
      sessionStorage.setItem(TOKEN_KEY, fromHash);
      // keep the token out of the address bar, bookmarks and screenshots
      history.replaceState(null, '', location.pathname + location.search);
      return fromHash;
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function askToken(message) {
    const dialog = $('login');
    if (message) {
      $('login-text').textContent = message;
    }
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $('login-token').value.trim();
    if (!value) {
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, value);
    state.token = value;
    $('login').close();
    boot();
  });

  // ---------------------------------------------------------------- HTTP

  async function api(method, path, body) {
    const headers = { 'Authorization': 'Bearer ' + state.token };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch (err) {
      throw { status: 0, error: 'NETWORK', message: 'the console is unreachable (' + err.message + ')' };
    }
    let json = null;
    try {
      json = await response.json();
    } catch (ignored) {
      json = null;
    }
    if (!response.ok) {
      if (response.status === 401) {
        askToken('The token was refused. Open the URL the console printed at start, or paste the token.');
      }
      throw { status: response.status, error: (json && json.error) || 'HTTP_' + response.status, message: (json && json.message) || response.statusText };
    }
    return json;
  }

  const enc = encodeURIComponent;

  // ---------------------------------------------------------------- live channel

  function connect() {
    setConn('connecting', 'Connecting…');
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/live';
    let socket;
    try {
      socket = new WebSocket(url, ['overseer.v1', 'bearer.' + state.token]);
    } catch (err) {
      scheduleReconnect();
      return;
    }
    state.socket = socket;
    socket.onopen = () => {
      state.retryMs = 500;
      setConn('live', 'Live');
    };
    socket.onmessage = (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch (ignored) {
        return;
      }
      if (data.type === 'hello') {
        applyHello(data);
      } else if (data.type === 'tree') {
        state.tree = data.tree;
        queueRender();
      } else if (data.type === 'events') {
        addEvents(data.events || [], data.dropped || 0);
      }
    };
    socket.onclose = () => {
      if (state.socket === socket) {
        state.socket = null;
        setConn('offline', 'Disconnected — retrying');
        scheduleReconnect();
      }
    };
  }

  function scheduleReconnect() {
    const wait = state.retryMs;
    state.retryMs = Math.min(state.retryMs * 2, 5000);
    setTimeout(() => {
      // a refused token closes the socket before it opens; ask HTTP why, then connect again
      api('GET', '/api/tree').then((tree) => { state.tree = tree; queueRender(); connect(); }, (err) => {
        if (err.status !== 401) {
          scheduleReconnect();
        }
      });
    }, wait);
  }

  function setConn(kind, text) {
    $('conn').dataset.state = kind;
    $('conn-text').textContent = text;
  }

  function applyHello(hello) {
    state.readOnly = !!hello.readOnly;
    $('readonly').hidden = !state.readOnly;
    if (hello.member) {
      $('member').textContent = hello.member.name;
    }
  }

  // ---------------------------------------------------------------- tree

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
    renderTree(tree);
    refreshDetailIfChanged();
  }

  function walk(tree, visit) {
    (tree.members || []).forEach((member) => {
      (member.supervisors || []).forEach((sup) => walkSup(sup, null, visit));
    });
  }

  function walkSup(sup, parentRow, visit) {
    visit(sup, null, parentRow);
    (sup.children || []).forEach((child) => {
      visit(sup, child, parentRow);
      if (child.supervisor) {
        walkSup(child.supervisor, child, visit);
      }
    });
  }

  function renderStats(tree) {
    let sups = 0; let children = 0; let running = 0; let restarting = 0; let stopped = 0; let failed = 0; let restarts = 0;
    walk(tree, (sup, child) => {
      if (!child) {
        sups++;
        if (sup.status === 'failed') {
          failed++;
        }
        return;
      }
      children++;
      restarts += child.restartCount || 0;
      if (child.state === 'running') {
        running++;
      } else if (child.state === 'restarting' || child.state === 'starting' || child.state === 'stopping') {
        restarting++;
      } else if (child.state === 'failed') {
        failed++;
      } else {
        stopped++;
      }
    });
    const stat = (label, value, cls) =>
      '<div class="stat ' + (cls || '') + '" data-stat="' + esc(label) + '"><div class="stat-value">' + esc(value) +
      '</div><div class="stat-label">' + esc(label) + '</div></div>';
    $('stats').innerHTML =
      stat('Supervisors', sups) +
      stat('Children', children) +
      stat('Running', running, running ? 'good' : '') +
      stat('Restarting', restarting, restarting ? 'warn' : '') +
      stat('Stopped', stopped) +
      stat('Failed', failed, failed ? 'bad' : '') +
      stat('Restarts', restarts, restarts ? 'warn' : '') +
      stat('Events seen', tree.eventsSeen || 0);
  }

  const ICON_SUP = '<svg class="node-icon" viewBox="0 0 16 16" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="1.4" d="M8 2.5v4M8 6.5H3.5v3M8 6.5h4.5v3M8 6.5v3"/><circle cx="8" cy="2.5" r="1.6" fill="currentColor"/><rect x="1.8" y="9.6" width="3.4" height="3.4" rx=".8" fill="currentColor"/><rect x="6.3" y="9.6" width="3.4" height="3.4" rx=".8" fill="currentColor"/><rect x="10.8" y="9.6" width="3.4" height="3.4" rx=".8" fill="currentColor"/></svg>';
  const ICON_WORKER = '<svg class="node-icon" viewBox="0 0 16 16" aria-hidden="true"><rect x="2.5" y="3" width="11" height="10" rx="2" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M5 7h6M5 9.5h4" stroke="currentColor" stroke-width="1.4"/></svg>';

  function meter(used, limit, big) {
    const ratio = limit > 0 ? Math.min(used / limit, 1) : (used > 0 ? 1 : 0);
    const cls = used > limit ? 'bad' : (ratio >= 0.5 ? 'warn' : '');
    return '<span class="meter' + (big ? ' big' : '') + '" title="restarts in the current period / intensity">' +
      '<span class="meter-bar"><span class="meter-fill ' + cls + '" style="width:' + Math.round(ratio * 100) + '%"></span></span>' +
      '<span class="meter-text">' + esc(used) + '/' + esc(limit) + '</span></span>';
  }

  function strategyLabel(sup) {
    return sup.kind === 'dynamic' ? 'dynamic' : String(sup.strategy || '').toLowerCase();
  }

  function renderTree(tree) {
    const html = [];
    (tree.members || []).forEach((member) => {
      html.push('<div class="member-row">' + esc(member.name) + '</div>');
      if (!member.supervisors || member.supervisors.length === 0) {
        html.push('<div class="empty">No supervisors run on this node.</div>');
      }
      (member.supervisors || []).forEach((sup) => renderRoot(sup, html));
    });
    // the tree is redrawn whole: keep the keyboard focus on the same node
    const active = document.activeElement;
    const focused = active && active.classList && active.classList.contains('node') ? active.dataset.key : null;
    $('tree').innerHTML = html.join('');
    if (focused) {
      const again = $('tree').querySelector('[data-key="' + CSS.escape(focused) + '"]');
      if (again) {
        again.focus();
      }
    }
  }

  function renderRoot(sup, html) {
    const open = !state.collapsed.has(sup.name);
    const key = 'sup:' + sup.name;
    const selected = state.selected && state.selected.kind === 'sup' && state.selected.name === sup.name;
    html.push('<div class="node is-sup' + (selected ? ' selected' : '') + '" role="treeitem" tabindex="0" style="--depth:0"' +
      ' data-key="' + esc(key) + '" data-kind="sup" data-sup="' + esc(sup.name) + '" data-state="' + esc(sup.status) + '">' +
      '<button class="caret' + (open ? ' open' : '') + '" data-toggle="' + esc(sup.name) + '" aria-label="expand">▶</button>' +
      '<span class="dot" data-state="' + esc(sup.status) + '"></span>' + ICON_SUP +
      '<span class="node-name">' + esc(sup.name) + '</span>' +
      '<span class="node-meta"><span class="chip chip-strategy">' + esc(strategyLabel(sup)) + '</span>' +
      meter(sup.intensityUsed, sup.intensity) +
      '<span class="state-label" data-state="' + esc(sup.status) + '">' + esc(sup.status) + '</span></span></div>');
    if (open) {
      renderChildren(sup, 1, html);
    }
  }

  function renderChildren(sup, depth, html) {
    const children = sup.children || [];
    children.slice(0, MAX_CHILD_ROWS).forEach((child) => {
      const nested = child.supervisor;
      const key = 'child:' + sup.name + '/' + child.id;
      const selected = state.selected && state.selected.kind === 'child' &&
        state.selected.sup === sup.name && state.selected.id === child.id;
      const open = nested && !state.collapsed.has(nested.name);
      const caret = nested
        ? '<button class="caret' + (open ? ' open' : '') + '" data-toggle="' + esc(nested.name) + '" aria-label="expand">▶</button>'
        : '<span class="caret-space"></span>';
      const restarts = child.restartCount || 0;
      let meta = '';
      if (child.server) {
        meta += '<span class="chip chip-server" title="a server">server</span>';
      }
      if (nested) {
        meta += '<span class="chip chip-strategy">' + esc(strategyLabel(nested)) + '</span>' + meter(nested.intensityUsed, nested.intensity);
      } else {
        meta += '<span class="chip">' + esc(String(child.restart || '').toLowerCase()) + '</span>';
      }
      meta += '<span class="restarts' + (restarts > 0 ? ' hot' : '') + '" title="restarts" data-restarts="' + esc(restarts) + '">↻ ' + esc(restarts) + '</span>';
      meta += '<span class="state-label" data-state="' + esc(child.state) + '">' + esc(child.state) + '</span>';
      html.push('<div class="node' + (nested || child.type === 'SUPERVISOR' ? ' is-sup' : '') + (selected ? ' selected' : '') +
        '" role="treeitem" tabindex="0" style="--depth:' + depth + '" data-key="' + esc(key) + '" data-kind="child" data-sup="' + esc(sup.name) +
        '" data-id="' + esc(child.id) + '" data-state="' + esc(child.state) + '">' + caret +
        '<span class="dot" data-state="' + esc(child.state) + '"></span>' + (child.type === 'SUPERVISOR' ? ICON_SUP : ICON_WORKER) +
        '<span class="node-name">' + esc(child.id) + '</span><span class="node-meta">' + meta + '</span></div>');
      if (open) {
        renderChildren(nested, depth + 1, html);
      }
    });
    if (children.length > MAX_CHILD_ROWS) {
      html.push('<div class="more" style="--depth:' + depth + '">… and ' + (children.length - MAX_CHILD_ROWS) +
        ' more children (see the API)</div>');
    }
  }

  $('tree').addEventListener('click', (e) => {
    const toggle = e.target.closest('[data-toggle]');
    if (toggle) {
      const name = toggle.dataset.toggle;
      if (state.collapsed.has(name)) {
        state.collapsed.delete(name);
      } else {
        state.collapsed.add(name);
      }
      render();
      return;
    }
    const node = e.target.closest('.node');
    if (!node) {
      return;
    }
    state.selected = node.dataset.kind === 'sup'
      ? { kind: 'sup', name: node.dataset.sup }
      : { kind: 'child', sup: node.dataset.sup, id: node.dataset.id };
    state.detail = null;
    render();
    loadDetail();
  });

  $('tree').addEventListener('keydown', (e) => {
    if ((e.key === 'Enter' || e.key === ' ') && e.target.classList.contains('node')) {
      e.preventDefault();
      e.target.click();
    }
  });

  $('expand-all').addEventListener('click', () => { state.collapsed.clear(); render(); });
  $('collapse-all').addEventListener('click', () => {
    if (state.tree) {
      walk(state.tree, (sup, child) => { if (!child) { state.collapsed.add(sup.name); } });
    }
    render();
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
    return selection.kind === 'sup' ? 'sup:' + selection.name : 'child:' + selection.sup + '/' + selection.id;
  }

  function signature(found) {
    if (!found) {
      return 'gone';
    }
    const c = found.child;
    const s = found.sup;
    return c
      ? [c.state, c.restartCount, c.deploymentId, c.lastCrashAt, c.supervisor ? c.supervisor.intensityUsed : ''].join('|')
      : [s.status, s.intensityUsed, (s.children || []).map((x) => x.id + x.state + x.restartCount).join(',')].join('|');
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
    const sig = signature(findInTree(selection));
    try {
      const found = findInTree(selection);
      if (selection.kind === 'sup' && found && found.sup.status === 'failed') {
        state.detail = { supervisor: found.sup, events: [] };
      } else {
        state.detail = selection.kind === 'sup'
          ? await api('GET', '/api/supervisors/' + enc(selection.name))
          : await api('GET', '/api/supervisors/' + enc(selection.sup) + '/children/' + enc(selection.id));
      }
      state.detailKey = key;
      state.detailSignature = sig;
      if (state.selected && selectionKey(state.selected) === key) {
        renderDetail();
      }
    } catch (err) {
      state.detailKey = key;
      state.detailSignature = sig;
      if (state.selected && selectionKey(state.selected) === key) {
        $('detail').innerHTML = '<div class="empty empty-detail"><p class="empty-title">' +
          (err.status === 404 ? 'Gone' : 'Could not load the details') + '</p><p>' + esc(err.message) + '</p></div>';
      }
    } finally {
      state.detailLoading = false;
      if (state.detailAgain) {
        state.detailAgain = false;
        loadDetail();
      }
    }
  }

  function kv(rows, compact) {
    return '<dl class="kv' + (compact ? ' compact' : '') + '">' + rows.filter((r) => r[1] !== undefined && r[1] !== null && r[1] !== '')
      .map((r) => '<dt>' + esc(r[0]) + '</dt><dd' + (r[3] ? ' class="wide"' : '') + '>' + (r[2] ? r[1] : esc(r[1])) + '</dd>').join('') + '</dl>';
  }

  function time(ts) {
    if (!ts) {
      return '';
    }
    const d = new Date(ts);
    return isNaN(d) ? String(ts) : d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  function ago(ms) {
    if (ms === undefined || ms === null) {
      return '';
    }
    if (ms < 1000) {
      return ms + ' ms';
    }
    if (ms < 120000) {
      return (ms / 1000).toFixed(1) + ' s';
    }
    return Math.round(ms / 60000) + ' min';
  }

  function pretty(value) {
    if (value === undefined) {
      return '';
    }
    return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  }

  function reasonText(reason) {
    if (!reason) {
      return '';
    }
    if (reason.crashReport && reason.crashReport.reason) {
      // a server's crash: the cause its callback threw says more than the wrapping exception
      reason = reason.crashReport.reason;
    }
    if (reason.kind !== 'FAILURE') {
      return String(reason.kind).toLowerCase();
    }
    return (reason.error || 'failure') + (reason.message ? ': ' + reason.message : '');
  }

  function durationText(ms) {
    if (ms === undefined || ms === null) {
      return '';
    }
    return ms % 1000 === 0 ? (ms / 1000) + ' s' : ms + ' ms';
  }

  function shutdownText(s) {
    if (s === undefined || s === null) {
      return '';
    }
    if (typeof s === 'number') {
      return 'timeout ' + durationText(s);
    }
    return String(s).replace('_', ' ');
  }

  function backoffText(b) {
    if (!b || b.min === undefined) {
      return 'none';
    }
    return durationText(b.min) + ' → ' + durationText(b.max) + ', jitter ' + b.jitter + ', reset after ' + durationText(b.resetAfter);
  }

  function button(action, label, enabled, danger) {
    if (state.readOnly) {
      return '';
    }
    return '<button class="btn' + (danger ? ' btn-danger' : '') + '" type="button" data-action="' + action + '"' +
      (enabled ? '' : ' disabled') + '>' + esc(label) + '</button>';
  }

  function eventsTable(events) {
    if (!events || events.length === 0) {
      return '<p class="muted">No events seen since the console started.</p>';
    }
    return '<table class="mini-events">' + events.slice().reverse().map((e) =>
      '<tr><td class="mono">' + esc(time(e.timestamp)) + '</td><td class="etype ' + eventClass(e) + '">' + esc(e.type) +
      '</td><td class="reason">' + esc(reasonText(e.reason)) + '</td></tr>').join('') + '</table>';
  }

  function supervisorSection(sup, title) {
    const rows = [
      ['Kind', sup.kind === 'dynamic' ? 'dynamic supervisor' : 'supervisor'],
      ['Strategy', sup.strategy],
      ['Intensity', meter(sup.intensityUsed, sup.intensity, true) + ' <span class="muted">restarts in ' + esc(durationText(sup.period)) + '</span>', true],
      ['Auto-shutdown', sup.autoShutdown],
      ['Backoff', backoffText(sup.backoff)],
      ['Max children', sup.maxChildren !== undefined && sup.maxChildren < 2147483647 ? sup.maxChildren : (sup.kind === 'dynamic' ? 'unlimited' : undefined)],
      ['Children', (sup.children || []).length],
    ];
    if (sup.status === 'failed') {
      rows.push(['Stopped at', time(sup.stoppedAt)]);
      rows.push(['Reason', reasonText(sup.reason)]);
    }
    let html = '<div class="section"><h4>' + esc(title) + '</h4>' + kv(rows) + '</div>';
    const startables = sup.startables || [];
    if (startables.length && !state.readOnly && sup.status !== 'failed') {
      html += '<div class="section"><h4>Start a child</h4><div class="startables">' + startables.map((t) =>
        '<div class="startable"><span class="startable-name">' + esc(t) + '</span>' +
        '<input class="input" data-start-id="' + esc(t) + '" placeholder="id (optional)" aria-label="child id">' +
        '<button class="btn btn-primary" type="button" data-action="start" data-sup="' + esc(sup.name) +
        '" data-template="' + esc(t) + '">Start</button></div>').join('') + '</div></div>';
    }
    return html;
  }

  function renderDetail() {
    const d = state.detail;
    const sel = state.selected;
    if (!d || !sel) {
      return;
    }
    if (sel.kind === 'sup') {
      const sup = d.supervisor;
      $('detail').innerHTML =
        '<div class="detail-head"><div class="detail-title"><h3>' + ICON_SUP + esc(sup.name) +
        ' <span class="pill" data-state="' + esc(sup.status) + '">' + esc(sup.status) + '</span></h3>' +
        '<div class="detail-path">root supervisor</div></div></div>' +
        supervisorSection(sup, 'Flags') +
        '<div class="section"><h4>Recent supervisor events</h4>' + eventsTable(d.events) + '</div>';
      return;
    }
    const c = d.child;
    const spec = d.spec || {};
    const found = findInTree(sel);
    const nested = found && found.child && found.child.supervisor;
    const running = c.status === 'RUNNING';
    const stopped = c.status === 'STOPPED';
    const dynamicParent = found && found.sup && found.sup.kind === 'dynamic';
    let html =
      '<div class="detail-head"><div class="detail-title"><h3>' + (c.type === 'SUPERVISOR' ? ICON_SUP : ICON_WORKER) + esc(c.id) +
      ' <span class="pill" data-state="' + esc(c.state) + '" id="detail-state">' + esc(c.state) + '</span></h3>' +
      '<div class="detail-path">child of <b>' + esc(d.supervisor) + '</b></div></div>' +
      '<div class="actions">' +
      (dynamicParent ? '' : button('restart', 'Restart', stopped)) +
      button('terminate', 'Terminate', running || c.status === 'RESTARTING' || c.status === 'STARTING', true) +
      (dynamicParent ? '' : button('delete', 'Delete', stopped, true)) +
      '</div></div>';
    html += '<div class="section"><h4>Status</h4>' + kv([
      ['State', c.state],
      ['Restarts', c.restartCount],
      ['Type', String(c.type).toLowerCase()],
      ['Deployment', c.deploymentId ? '<span class="mono">' + esc(c.deploymentId) + '</span>' : '—', true],
      ['Last exit', c.lastExit ? reasonText(c.lastExit) : undefined, false, true],
    ], true) + '</div>';
    if (d.server) {
      html += serverSection(d.server);
    }
    html += crashSection(d.lastCrash);
    if (nested) {
      html += supervisorSection(nested, 'Supervisor ' + nested.name);
    }
    html += '<div class="section"><h4>Spec</h4>' + kv([
      ['Id', spec.id],
      ['Start', spec.verticle ? '<span class="mono">' + esc(spec.verticle) + '</span>' : 'supplier (code)', true],
      ['Restart', String(spec.restart || '').toLowerCase()],
      ['Shutdown', shutdownText(spec.shutdown)],
      ['Type', String(spec.type || '').toLowerCase()],
      ['Significant', spec.significant ? 'yes' : 'no'],
    ], true) + '</div>';
    html += '<div class="section"><h4>Recent events</h4>' + eventsTable(d.events) + '</div>';
    $('detail').innerHTML = html;
  }

  // A server's status as Server.status() reports it: stash = {key, epoch, entry?: {schemaVersion,
  // epoch, updatedAt, revision, ageMillis}, load?: {outcome, attempts, detail}}.
  function serverSection(s) {
    const stash = s.stash;
    const entry = stash && (stash.entry || (stash.schemaVersion !== undefined ? stash : null));
    const persistence = s.persistence && s.persistence.mode ? String(s.persistence.mode).toLowerCase().replace(/_/g, ' ') : undefined;
    return '<div class="section" id="server"><h4>Server · ' + esc(s.name || '') + '</h4>' + kv([
      ['Ready', s.ready === undefined ? undefined : (s.ready ? 'yes' : 'loading state')],
      ['Handled', s.handled],
      ['Queued', s.queued],
      ['Persistence', persistence],
      ['Stash key', stash ? stash.key : 'not kept'],
      ['Epoch', stash ? stash.epoch : undefined],
      ['Schema version', entry ? entry.schemaVersion : (stash ? 'no entry yet' : undefined)],
      ['Entry age', entry ? ago(entry.ageMillis) : undefined],
      ['Written at', entry && entry.updatedAt ? time(entry.updatedAt) : undefined],
      ['Revision', entry ? entry.revision : undefined],
      ['Last load', stash && stash.load ? String(stash.load.outcome).toLowerCase() + (stash.load.detail ? ' — ' + stash.load.detail : '') : undefined],
    ], true) + '<div class="muted" style="margin-top:8px">State (as formatStatus renders it)</div>' +
      '<pre class="block light" id="server-state">' + esc(pretty(s.state)) + '</pre></div>';
  }

  function crashSection(crash) {
    if (!crash) {
      return '<div class="section"><h4>Last crash</h4><p class="muted">No crash seen since the console started.</p></div>';
    }
    const exit = crash.reason || {};
    const report = exit.crashReport;
    // a server's crash report carries the cause its callback threw; show that, not the wrapper
    const reason = report && report.reason ? report.reason : exit;
    let html = '<div class="section" id="last-crash"><h4>Last crash · ' + esc(time(crash.timestamp)) + '</h4><div class="crash-box">' +
      '<div class="crash-title">' + esc(reasonText(reason)) + '</div>';
    if (report) {
      html += '<div style="margin-top:8px">' + kv([
        ['Server', report.name],
        ['Last message', '<span class="mono">' + esc(pretty(report.lastMessage)) + '</span>', true],
      ]) + '<div class="muted" style="margin-top:6px">State (as formatStatus renders it)</div>' +
        '<pre class="block light">' + esc(pretty(report.state)) + '</pre></div>';
    }
    if (reason.stack && reason.stack.length) {
      html += '<pre class="block">' + esc((reason.error || '') + ': ' + (reason.message || '') + '\n' +
        reason.stack.map((f) => (f.startsWith('Caused by') ? f : '    at ' + f)).join('\n')) + '</pre>';
    }
    return html + '</div></div>';
  }

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
    const el = document.createElement('div');
    el.className = 'toast' + (error ? ' error' : ' success');
    el.setAttribute('role', error ? 'alert' : 'status');
    el.textContent = text;
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
        $('detail').innerHTML = '<div class="empty empty-detail"><p class="empty-title">Deleted</p><p>' + esc(label) + ' was deleted.</p></div>';
      } else {
        loadDetail();
      }
    } catch (err) {
      toast(v.verb + ' ' + label + ' failed: ' + err.error + ' — ' + err.message, true);
      btn.disabled = false;
    }
  });

  // ---------------------------------------------------------------- events

  function eventClass(e) {
    if (e.type === 'CHILD_EXITED' || e.type === 'START_FAILED' || e.type === 'SHUTDOWN_ERROR' || e.type === 'MAX_INTENSITY_REACHED') {
      return e.reason && e.reason.kind !== 'FAILURE' && e.type === 'CHILD_EXITED' ? '' : 'bad';
    }
    if (e.type === 'CHILD_RESTARTED') {
      return 'warn';
    }
    if (e.type === 'CHILD_STARTED' || e.type === 'SUPERVISOR_STARTED') {
      return 'good';
    }
    if (e.type === 'SUPERVISOR_STOPPED') {
      return e.reason && e.reason.kind === 'FAILURE' ? 'bad' : '';
    }
    return '';
  }

  function addEvents(events, dropped) {
    const body = $('events');
    state.eventsDropped += dropped;
    const rows = events.slice(-MAX_EVENT_ROWS).reverse().map((e) =>
      '<tr class="fresh"><td class="mono">' + esc(time(e.timestamp)) + '</td><td class="etype ' + eventClass(e) + '">' + esc(e.type) +
      '</td><td>' + esc(e.supervisor) + (e.childId ? ' / <b>' + esc(e.childId) + '</b>' : '') +
      '</td><td class="reason">' + esc(reasonText(e.reason)) + '</td></tr>').join('');
    body.insertAdjacentHTML('afterbegin', rows);
    while (body.rows.length > MAX_EVENT_ROWS) {
      body.deleteRow(body.rows.length - 1);
    }
    $('events-note').textContent = state.eventsDropped ? state.eventsDropped + ' events skipped during bursts' : '';
    const sel = state.selected;
    if (sel && events.some((e) => (sel.kind === 'sup' ? e.supervisor === sel.name && !e.childId : e.supervisor === sel.sup && e.childId === sel.id))) {
      loadDetail();
    }
  }

  // ---------------------------------------------------------------- start

  async function boot() {
    if (!state.token) {
      askToken();
      return;
    }
    try {
      const [tree, recent] = await Promise.all([api('GET', '/api/tree'), api('GET', '/api/events?limit=100')]);
      state.tree = tree;
      $('member').textContent = tree.members && tree.members[0] ? tree.members[0].name : '';
      addEvents((recent.events || []).map((e) => e), 0);
      document.querySelectorAll('#events tr.fresh').forEach((r) => r.classList.remove('fresh'));
      render();
      connect();
    } catch (err) {
      if (err.status !== 401) {
        setConn('offline', 'Offline');
        $('tree').innerHTML = '<div class="empty">' + esc(err.message) + '</div>';
        scheduleReconnect();
      }
    }
  }

  state.token = readToken();
  boot();
}());

// The details panel of the selected supervisor or child, built as DOM nodes.

import { h, supIcon, workerIcon } from './dom.js';
import { ago, backoffText, durationText, eventClass, pretty, reasonText, shutdownText, time } from './format.js';
import { meter } from './tree-view.js';
import { chart } from './chart.js';

/** A definition list; rows are [label, value (text or node), wide?]; empty values are left out. */
function kv(rows, compact) {
  const dl = h('dl', { class: 'kv' + (compact ? ' compact' : '') });
  for (const [label, value, wide] of rows) {
    if (value === undefined || value === null || value === '') {
      continue;
    }
    dl.append(h('dt', { text: label }), h('dd', { class: wide ? 'wide' : null }, value instanceof Node ? value : String(value)));
  }
  return dl;
}

function section(title, ...body) {
  return h('div', { class: 'section' }, h('h4', { text: title }), ...body);
}

function button(ctx, action, label, enabled, danger) {
  if (ctx.readOnly) {
    return null;
  }
  return h('button', { class: 'btn' + (danger ? ' btn-danger' : ''), type: 'button', data: { action }, disabled: !enabled, text: label });
}

function eventsTable(events) {
  if (!events || events.length === 0) {
    return h('p', { class: 'muted', text: 'No events seen since the console started.' });
  }
  return h('table', { class: 'mini-events' }, events.slice().reverse().map((e) =>
    h('tr', null,
      h('td', { class: 'mono', text: time(e.timestamp) }),
      h('td', { class: 'etype ' + eventClass(e), text: e.type }),
      h('td', { class: 'reason', text: reasonText(e.reason) }))));
}

function historySection(history, limit) {
  const body = history ? chart(history, limit) : h('p', { class: 'muted', text: 'Loading the history…' });
  return h('div', { class: 'section', id: 'history' }, h('h4', { text: 'Restarts and crashes over time' }), body);
}

function supervisorSection(ctx, sup, title) {
  const rows = [
    ['Kind', sup.kind === 'dynamic' ? 'dynamic supervisor' : 'supervisor'],
    ['Strategy', sup.strategy],
    ['Intensity', h('span', null, meter(sup.intensityUsed, sup.intensity, true), ' ', h('span', { class: 'muted', text: 'restarts in ' + durationText(sup.period) }))],
    ['Auto-shutdown', sup.autoShutdown],
    ['Backoff', backoffText(sup.backoff)],
    ['Max children', sup.maxChildren !== undefined && sup.maxChildren < 2147483647 ? sup.maxChildren : (sup.kind === 'dynamic' ? 'unlimited' : undefined)],
    ['Children', (sup.children || []).length],
  ];
  if (sup.status === 'failed') {
    rows.push(['Stopped at', time(sup.stoppedAt)]);
    rows.push(['Reason', reasonText(sup.reason)]);
  }
  const out = [section(title, kv(rows))];
  const startables = sup.startables || [];
  if (startables.length && !ctx.readOnly && sup.status !== 'failed') {
    out.push(section('Start a child', h('div', { class: 'startables' }, startables.map((t) =>
      h('div', { class: 'startable' },
        h('span', { class: 'startable-name', text: t }),
        h('input', { class: 'input', data: { startId: t }, placeholder: 'id (optional)', 'aria-label': 'child id' }),
        h('button', { class: 'btn btn-primary', type: 'button', data: { action: 'start', sup: sup.name, template: t }, text: 'Start' }))))));
  }
  return out;
}

/** @param d {supervisor, events}; ctx {readOnly, history} */
export function supervisorDetail(ctx, d) {
  const sup = d.supervisor;
  return [
    h('div', { class: 'detail-head' }, h('div', { class: 'detail-title' },
      h('h3', null, supIcon(), h('span', { class: 'detail-name', text: sup.name }), h('span', { class: 'pill', data: { state: sup.status }, text: sup.status })),
      h('div', { class: 'detail-path', text: 'supervisor' }))),
    historySection(ctx.history, sup.intensity),
    ...supervisorSection(ctx, sup, 'Flags'),
    section('Recent supervisor events', eventsTable(d.events)),
  ];
}

/** @param d the child detail from the API; found {sup, child} from the tree; ctx {readOnly, history} */
export function childDetail(ctx, d, found) {
  const c = d.child;
  const spec = d.spec || {};
  const nested = found && found.child && found.child.supervisor;
  const running = c.status === 'RUNNING';
  const stopped = c.status === 'STOPPED';
  const dynamicParent = found && found.sup && found.sup.kind === 'dynamic';
  const out = [
    h('div', { class: 'detail-head' },
      h('div', { class: 'detail-title' },
        h('h3', null, c.type === 'SUPERVISOR' ? supIcon() : workerIcon(), h('span', { class: 'detail-name', text: c.id }),
          h('span', { class: 'pill', id: 'detail-state', data: { state: c.state }, text: c.state })),
        h('div', { class: 'detail-path' }, 'child of ', h('b', { text: d.supervisor }))),
      h('div', { class: 'actions' },
        dynamicParent ? null : button(ctx, 'restart', 'Restart', stopped),
        button(ctx, 'terminate', 'Terminate', running || c.status === 'RESTARTING' || c.status === 'STARTING', true),
        dynamicParent ? null : button(ctx, 'delete', 'Delete', stopped, true))),
    section('Status', kv([
      ['State', c.state],
      ['Restarts', c.restartCount],
      ['Type', String(c.type).toLowerCase()],
      ['Deployment', c.deploymentId ? h('span', { class: 'mono', text: c.deploymentId }) : '—'],
      ['Last exit', c.lastExit ? reasonText(c.lastExit) : undefined, true],
    ], true)),
    historySection(ctx.history),
  ];
  if (d.server) {
    out.push(serverSection(d.server));
  }
  out.push(crashSection(d.lastCrash));
  if (nested) {
    out.push(...supervisorSection(ctx, nested, 'Supervisor ' + nested.name));
  }
  out.push(section('Spec', kv([
    ['Id', spec.id],
    ['Start', spec.verticle ? h('span', { class: 'mono', text: spec.verticle }) : 'supplier (code)'],
    ['Restart', String(spec.restart || '').toLowerCase()],
    ['Shutdown', shutdownText(spec.shutdown)],
    ['Type', String(spec.type || '').toLowerCase()],
    ['Significant', spec.significant ? 'yes' : 'no'],
  ], true)));
  out.push(section('Recent events', eventsTable(d.events)));
  return out;
}

// A server's status as Server.status() reports it: stash = {key, epoch, entry?: {schemaVersion,
// epoch, updatedAt, revision, ageMillis}, load?: {outcome, attempts, detail}}.
function serverSection(srv) {
  const stash = srv.stash;
  const entry = stash && (stash.entry || (stash.schemaVersion !== undefined ? stash : null));
  const persistence = srv.persistence && srv.persistence.mode ? String(srv.persistence.mode).toLowerCase().replace(/_/g, ' ') : undefined;
  return h('div', { class: 'section', id: 'server' },
    h('h4', { text: 'Server · ' + (srv.name || '') }),
    kv([
      ['Ready', srv.ready === undefined ? undefined : (srv.ready ? 'yes' : 'loading state')],
      ['Handled', srv.handled],
      ['Queued', srv.queued],
      ['Persistence', persistence],
      ['Stash key', stash ? stash.key : 'not kept'],
      ['Epoch', stash ? stash.epoch : undefined],
      ['Schema version', entry ? entry.schemaVersion : (stash ? 'no entry yet' : undefined)],
      ['Entry age', entry ? ago(entry.ageMillis) : undefined],
      ['Written at', entry && entry.updatedAt ? time(entry.updatedAt) : undefined],
      ['Revision', entry ? entry.revision : undefined],
      ['Last load', stash && stash.load ? String(stash.load.outcome).toLowerCase() + (stash.load.detail ? ' — ' + stash.load.detail : '') : undefined],
    ], true),
    h('div', { class: 'muted caption', text: 'State (as formatStatus renders it)' }),
    h('pre', { class: 'block light', id: 'server-state', text: pretty(srv.state) }));
}

function crashSection(crash) {
  if (!crash) {
    return section('Last crash', h('p', { class: 'muted', text: 'No crash seen since the console started.' }));
  }
  const exit = crash.reason || {};
  const report = exit.crashReport;
  // a server's crash report carries the cause its callback threw; show that, not the wrapper
  const reason = report && report.reason ? report.reason : exit;
  const box = h('div', { class: 'crash-box' }, h('div', { class: 'crash-title', text: reasonText(reason) }));
  if (report) {
    box.append(h('div', { class: 'crash-report' },
      kv([['Server', report.name], ['Last message', h('span', { class: 'mono', text: pretty(report.lastMessage) })]]),
      h('div', { class: 'muted caption', text: 'State (as formatStatus renders it)' }),
      h('pre', { class: 'block light', text: pretty(report.state) })));
  }
  if (reason.stack && reason.stack.length) {
    box.append(h('pre', { class: 'block', text: (reason.error || '') + ': ' + (reason.message || '') + '\n' +
      reason.stack.map((f) => (f.startsWith('Caused by') ? f : '    at ' + f)).join('\n') }));
  }
  return h('div', { class: 'section', id: 'last-crash' }, h('h4', { text: 'Last crash · ' + time(crash.timestamp) }), box);
}

export function message(title, text) {
  return h('div', { class: 'empty empty-detail' }, h('p', { class: 'empty-title', text: title }), h('p', { text }));
}

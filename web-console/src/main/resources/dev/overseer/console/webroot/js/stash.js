// The stash page: every stash's entries with their metadata, and quarantined entries with the
// reason they were refused. Values are never sent by the server, so none can be shown.

import { $, h } from './dom.js';
import { ago, plural, time } from './format.js';
import { api } from './api.js';

function table(columns, rows, empty) {
  if (!rows.length) {
    return h('p', { class: 'muted', text: empty });
  }
  return h('div', { class: 'table-scroll' }, h('table', { class: 'grid' },
    h('thead', null, h('tr', null, columns.map((c) => h('th', { text: c[0] })))),
    h('tbody', null, rows.map((r) => h('tr', { data: { key: r.key } }, columns.map((c) => h('td', { class: c[2] || null, text: c[1](r) })))))));
}

const ENTRY_COLUMNS = [
  ['Key', (r) => r.key, 'mono'],
  ['Schema', (r) => r.schemaVersion, 'num'],
  ['Epoch', (r) => r.epoch, 'num'],
  ['Revision', (r) => r.revision, 'num'],
  ['Written', (r) => time(r.updatedAt), 'mono'],
  ['Age', (r) => ago(r.ageMillis), 'num'],
];

const QUARANTINE_COLUMNS = [
  ['Key', (r) => r.key, 'mono'],
  ['Reason', (r) => r.reason, 'reason'],
  ['Quarantined', (r) => time(r.quarantinedAt), 'mono'],
  ['Schema', (r) => r.schemaVersion, 'num'],
  ['Epoch', (r) => r.epoch, 'num'],
  ['Revision', (r) => r.revision, 'num'],
];

function stashBlock(st) {
  const more = (shown, total) => (total > shown ? ' (first ' + shown + ' of ' + total + ')' : '');
  return h('section', { class: 'panel stash', data: { stash: st.name } },
    h('div', { class: 'panel-head' }, h('h2', { text: 'Stash · ' + st.name }),
      h('span', { class: 'muted', text: plural(st.total || 0, 'entry', 'entries') + ', ' + (st.quarantinedTotal || 0) + ' quarantined' })),
    st.error ? h('p', { class: 'empty', text: 'Could not read this stash: ' + st.error }) : null,
    h('div', { class: 'section quarantine' }, h('h4', { text: 'Quarantined entries' + more(st.quarantined.length, st.quarantinedTotal) }),
      h('p', { class: 'muted hint', text: 'A server refused these entries (corrupt, failed to migrate, invalid) and started from its initial state.' }),
      table(QUARANTINE_COLUMNS, st.quarantined, 'Nothing quarantined.')),
    h('div', { class: 'section' }, h('h4', { text: 'Entries' + more(st.entries.length, st.total) }),
      table(ENTRY_COLUMNS, st.entries, 'No entries.')));
}

/** Loads and draws the stash page. */
export async function loadStash() {
  const root = $('stash-list');
  try {
    const answer = await api('GET', '/api/stash');
    root.replaceChildren(...answer.stashes.map(stashBlock));
    $('stash-updated').textContent = 'updated ' + time(new Date().toISOString());
  } catch (err) {
    root.replaceChildren(h('div', { class: 'empty', text: 'Could not load the stash: ' + err.message }));
  }
}

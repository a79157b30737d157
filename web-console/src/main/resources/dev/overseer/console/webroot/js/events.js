// The lifecycle event log, newest first, with filters by type, supervisor and child.

import { $, h } from './dom.js';
import { eventClass, eventMatches, moveText, reasonText, time } from './format.js';

const KEPT = 500;        // events remembered in the page
const SHOWN = 150;       // rows drawn at most

const TYPES = ['SUPERVISOR_STARTED', 'CHILD_STARTED', 'CHILD_EXITED', 'CHILD_RESTARTED', 'START_FAILED', 'SHUTDOWN_ERROR',
  'MAX_INTENSITY_REACHED', 'SUPERVISOR_STOPPED', 'CHILD_HANDED_OFF', 'CHILD_FAILED_OVER'];

export class EventLogView {
  constructor() {
    this.events = [];       // oldest first
    this.fresh = new Set();
    this.dropped = 0;
    this.filter = { type: '', supervisor: '', child: '' };
    this.supervisors = new Set();
    this.body = $('events');
    this.typeSelect = $('filter-type');
    this.supSelect = $('filter-sup');
    this.childInput = $('filter-child');
    this.typeSelect.replaceChildren(h('option', { value: '', text: 'All types' }), ...TYPES.map((t) => h('option', { value: t, text: t })));
    this.typeSelect.addEventListener('change', () => { this.filter.type = this.typeSelect.value; this.draw(); });
    this.supSelect.addEventListener('change', () => { this.filter.supervisor = this.supSelect.value; this.draw(); });
    this.childInput.addEventListener('input', () => { this.filter.child = this.childInput.value.trim(); this.draw(); });
    this.syncSupervisors();
  }

  /** Adds events (oldest first); fresh ones flash. */
  add(events, dropped, fresh) {
    this.dropped += dropped;
    for (const e of events) {
      this.events.push(e);
      if (fresh) {
        this.fresh.add(e);
      }
      this.knowSupervisor(e.supervisor);
    }
    if (this.events.length > KEPT) {
      this.events.splice(0, this.events.length - KEPT);
    }
    this.draw();
    this.fresh.clear();
  }

  /** Offers in the supervisor filter every supervisor seen in events or in the tree. */
  knowSupervisor(name) {
    if (name && !this.supervisors.has(name)) {
      this.supervisors.add(name);
      this.syncSupervisors();
    }
  }

  syncSupervisors() {
    const names = [...this.supervisors].sort();
    this.supSelect.replaceChildren(h('option', { value: '', text: 'All supervisors' }),
      ...names.map((n) => h('option', { value: n, text: n, selected: n === this.filter.supervisor })));
  }

  draw() {
    const shown = [];
    let matching = 0;
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i];
      if (eventMatches(e, this.filter)) {
        matching++;
        if (shown.length < SHOWN) {
          shown.push(e);
        }
      }
    }
    this.body.replaceChildren(...shown.map((e) => h('tr', { class: this.fresh.has(e) ? 'fresh' : null, data: { type: e.type } },
      h('td', { class: 'mono', text: time(e.timestamp) }),
      h('td', { class: 'etype ' + eventClass(e), text: e.type }),
      h('td', null, e.supervisor, e.childId ? [' / ', h('b', { text: e.childId })] : null),
      h('td', { class: 'reason', text: e.details && e.details.to ? moveText(e.details) : reasonText(e.reason) }))));
    const filtered = this.filter.type || this.filter.supervisor || this.filter.child;
    const notes = [];
    if (filtered) {
      notes.push(matching + ' of ' + this.events.length + ' match');
    }
    if (this.dropped) {
      notes.push(this.dropped + ' events skipped during bursts');
    }
    $('events-note').textContent = notes.join(' · ');
  }
}

// Pure formatting and filtering: no DOM, no state. Unit-tested in the browser test.

export function time(ts) {
  if (!ts) {
    return '';
  }
  const d = new Date(ts);
  if (isNaN(d)) {
    return String(ts);
  }
  const two = (n) => String(n).padStart(2, '0');
  return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds()) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

export function ago(ms) {
  if (ms === undefined || ms === null) {
    return '';
  }
  if (ms < 1000) {
    return ms + ' ms';
  }
  if (ms < 120000) {
    return (ms / 1000).toFixed(1) + ' s';
  }
  if (ms < 7200000) {
    return Math.round(ms / 60000) + ' min';
  }
  return Math.round(ms / 3600000) + ' h';
}

export function durationText(ms) {
  if (ms === undefined || ms === null) {
    return '';
  }
  if (ms >= 60000 && ms % 60000 === 0) {
    return (ms / 60000) + ' min';
  }
  return ms % 1000 === 0 ? (ms / 1000) + ' s' : ms + ' ms';
}

export function shutdownText(s) {
  if (s === undefined || s === null) {
    return '';
  }
  if (typeof s === 'number') {
    return 'timeout ' + durationText(s);
  }
  return String(s).toLowerCase().replace(/_/g, ' ');
}

export function backoffText(b) {
  if (!b || b.min === undefined) {
    return 'none';
  }
  return durationText(b.min) + ' → ' + durationText(b.max) + ', jitter ' + b.jitter + ', reset after ' + durationText(b.resetAfter);
}

/** @return '1 crash', '2 crashes': a count and its noun */
export function plural(n, one, many) {
  return n + ' ' + (n === 1 ? one : many);
}

export function pretty(value) {
  if (value === undefined) {
    return '';
  }
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** An exit reason as one line; a server's crash shows the cause its callback threw. */
export function reasonText(reason) {
  if (!reason) {
    return '';
  }
  if (reason.crashReport && reason.crashReport.reason) {
    reason = reason.crashReport.reason;
  }
  if (reason.kind !== 'FAILURE') {
    return String(reason.kind).toLowerCase();
  }
  return (reason.error || 'failure') + (reason.message ? ': ' + reason.message : '');
}

export function strategyLabel(sup) {
  return sup.kind === 'dynamic' ? 'dynamic' : String(sup.strategy || '').toLowerCase();
}

/** @return 'bad', 'warn', 'good' or '' for an event's colour */
/** @return the text of a move's details: from and to members (short ids), epoch, time unavailable */
export function moveText(d) {
  if (!d) {
    return '';
  }
  const short = (id) => (id ? String(id).slice(0, 8) : '?');
  return 'from ' + short(d.from) + ' to ' + short(d.to) + (d.epoch !== undefined ? ', epoch ' + d.epoch : '') +
    (d.unavailableMillis !== undefined ? ', unavailable ' + d.unavailableMillis + ' ms' : '');
}

export function eventClass(e) {
  if (e.type === 'CHILD_FAILED_OVER') {
    return 'warn';
  }
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

/** @return {ratio 0..1, level '' | 'warn' | 'bad'} of an intensity meter */
export function meterLevel(used, limit) {
  const ratio = limit > 0 ? Math.min(used / limit, 1) : (used > 0 ? 1 : 0);
  return { ratio, level: used > limit ? 'bad' : (ratio >= 0.5 ? 'warn' : '') };
}

// 'moving' and 'unknown': a distributed child's status in the cluster view
const STATES = ['running', 'starting', 'restarting', 'stopping', 'stopped', 'failed', 'moving', 'unknown'];

/**
 * Parses a tree search: words match a child's id (or a supervisor's name) as substrings, case
 * insensitive; 'status:x' or 'state:x', or a bare state name, keeps that state only.
 * @return {text: [lowercase words], states: [states]} or null for an empty query
 */
export function parseQuery(query) {
  const words = String(query || '').trim().toLowerCase().split(/\s+/).filter((w) => w);
  if (!words.length) {
    return null;
  }
  const parsed = { text: [], states: [] };
  for (const w of words) {
    const m = /^(?:status|state|is):(.*)$/.exec(w);
    if (m && m[1]) {
      parsed.states.push(m[1]);
    } else if (!m && STATES.includes(w)) {
      parsed.states.push(w);
    } else if (!m) {
      parsed.text.push(w);
    }
  }
  return parsed;
}

/** @return whether a node (a child's id and state, or a supervisor's name and status) matches a parsed query */
export function matches(parsed, name, state) {
  if (!parsed) {
    return true;
  }
  const n = String(name).toLowerCase();
  const st = String(state || '').toLowerCase();
  return parsed.text.every((w) => n.includes(w)) && (parsed.states.length === 0 || parsed.states.includes(st));
}

/** @return whether an event passes the log's filters {type, supervisor, child} ('' means any) */
export function eventMatches(e, filter) {
  if (filter.type && e.type !== filter.type) {
    return false;
  }
  if (filter.supervisor && e.supervisor !== filter.supervisor) {
    return false;
  }
  if (filter.child) {
    return String(e.childId || '').toLowerCase().includes(filter.child.toLowerCase());
  }
  return true;
}

/**
 * Lays out a history chart: one slot per bucket, bars for restarts and crashes scaled to the
 * tallest, and intensity points scaled to the supervisor's limit (or the highest value).
 * @return {max, slot, bars: [{x, restarts, crashes, hr, hc}], line: [[x, y]] | null, totals}
 */
export function chartLayout(buckets, width, height, limit) {
  const n = Math.max(buckets.length, 1);
  const slot = width / n;
  const max = Math.max(1, ...buckets.map((b) => Math.max(b.restarts || 0, b.crashes || 0)));
  const scale = (v) => (v / max) * height;
  const bars = buckets.map((b, i) => ({ x: i * slot, restarts: b.restarts || 0, crashes: b.crashes || 0, hr: scale(b.restarts || 0), hc: scale(b.crashes || 0) }));
  const hasIntensity = buckets.some((b) => b.intensity !== undefined);
  const top = Math.max(1, limit || 0, ...buckets.map((b) => b.intensity || 0));
  const line = hasIntensity ? buckets.map((b, i) => [i * slot + slot / 2, height - ((b.intensity || 0) / top) * height]) : null;
  const totals = buckets.reduce((t, b) => ({ restarts: t.restarts + (b.restarts || 0), crashes: t.crashes + (b.crashes || 0) }), { restarts: 0, crashes: 0 });
  return { max, slot, bars, line, totals };
}

// The history chart: restarts (amber) and crashes (red) per time bucket as bars, and for a
// supervisor its restart intensity used as a line against its limit. Plain SVG, no library.

import { h, s } from './dom.js';
import { chartLayout, durationText, plural } from './format.js';

const WIDTH = 300;
const HEIGHT = 60;

/**
 * @param history {bucketMillis, buckets: [{start, restarts, crashes, intensity?}]}
 * @param limit the supervisor's intensity, when the chart is a supervisor's
 */
export function chart(history, limit) {
  const buckets = history.buckets || [];
  const layout = chartLayout(buckets, WIDTH, HEIGHT, limit);
  const bar = Math.max(1, layout.slot / 2 - 1);
  const svg = s('svg', {
    class: 'chart', viewBox: '0 0 ' + WIDTH + ' ' + (HEIGHT + 1), preserveAspectRatio: 'none', role: 'img',
    'aria-label': plural(layout.totals.restarts, 'restart', 'restarts') + ' and ' + plural(layout.totals.crashes, 'crash', 'crashes') + ' in the last ' +
      durationText(buckets.length * history.bucketMillis),
    data: { restarts: layout.totals.restarts, crashes: layout.totals.crashes },
  });
  svg.appendChild(s('line', { class: 'chart-axis', x1: 0, y1: HEIGHT + 0.5, x2: WIDTH, y2: HEIGHT + 0.5 }));
  layout.bars.forEach((b, i) => {
    const when = new Date(buckets[i].start).toLocaleTimeString([], { hour12: false });
    if (b.restarts) {
      svg.appendChild(s('rect', { class: 'chart-restarts', x: b.x + 0.5, y: HEIGHT - b.hr, width: bar, height: b.hr },
        s('title', { text: plural(b.restarts, 'restart', 'restarts') + ' from ' + when })));
    }
    if (b.crashes) {
      svg.appendChild(s('rect', { class: 'chart-crashes', x: b.x + 0.5 + bar, y: HEIGHT - b.hc, width: bar, height: b.hc },
        s('title', { text: plural(b.crashes, 'crash', 'crashes') + ' from ' + when })));
    }
  });
  if (layout.line) {
    svg.appendChild(s('polyline', { class: 'chart-intensity', points: layout.line.map((p) => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ') }));
  }
  return h('figure', { class: 'chart-box' }, svg,
    h('figcaption', { class: 'chart-legend' },
      h('span', { class: 'legend legend-restarts', text: plural(layout.totals.restarts, 'restart', 'restarts') }),
      h('span', { class: 'legend legend-crashes', text: plural(layout.totals.crashes, 'crash', 'crashes') }),
      layout.line ? h('span', { class: 'legend legend-intensity', text: 'intensity used' + (limit ? ' (of ' + limit + ')' : '') }) : null,
      h('span', { class: 'muted', text: 'last ' + durationText(buckets.length * history.bucketMillis) + ', max ' + layout.max + ' per ' + durationText(history.bucketMillis) })));
}

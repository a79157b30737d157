// The history chart: restarts (amber) and crashes (red) per time bucket as bars, and for a
// supervisor its restart intensity used as a line against its limit. Plain SVG, no library.

import { h, s } from './dom.js';
import { chartLayout, durationText } from './format.js';

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
    'aria-label': layout.totals.restarts + ' restarts and ' + layout.totals.crashes + ' crashes in the last ' +
      durationText(buckets.length * history.bucketMillis),
    data: { restarts: layout.totals.restarts, crashes: layout.totals.crashes },
  });
  svg.appendChild(s('line', { class: 'chart-axis', x1: 0, y1: HEIGHT + 0.5, x2: WIDTH, y2: HEIGHT + 0.5 }));
  layout.bars.forEach((b, i) => {
    const when = new Date(buckets[i].start).toLocaleTimeString([], { hour12: false });
    if (b.restarts) {
      svg.appendChild(s('rect', { class: 'chart-restarts', x: b.x + 0.5, y: HEIGHT - b.hr, width: bar, height: b.hr },
        s('title', { text: b.restarts + ' restarts from ' + when })));
    }
    if (b.crashes) {
      svg.appendChild(s('rect', { class: 'chart-crashes', x: b.x + 0.5 + bar, y: HEIGHT - b.hc, width: bar, height: b.hc },
        s('title', { text: b.crashes + ' crashes from ' + when })));
    }
  });
  if (layout.line) {
    svg.appendChild(s('polyline', { class: 'chart-intensity', points: layout.line.map((p) => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ') }));
  }
  return h('figure', { class: 'chart-box' }, svg,
    h('figcaption', { class: 'chart-legend' },
      h('span', { class: 'legend legend-restarts', text: layout.totals.restarts + ' restarts' }),
      h('span', { class: 'legend legend-crashes', text: layout.totals.crashes + ' crashes' }),
      layout.line ? h('span', { class: 'legend legend-intensity', text: 'intensity used' + (limit ? ' (of ' + limit + ')' : '') }) : null,
      h('span', { class: 'muted', text: 'last ' + durationText(buckets.length * history.bucketMillis) + ', max ' + layout.max + ' per ' + durationText(history.bucketMillis) })));
}

// The live channel: a WebSocket at /api/live that pushes {type: 'hello' | 'tree' | 'events' | 'cluster'}
// messages, already coalesced by the server. Reconnects by itself (0.5 s doubling to 5 s).

import { api, apiUrl, getToken } from './api.js';

/**
 * @param handlers {hello(msg), tree(tree), events(events, dropped), cluster(cluster)?, status(kind, text)}
 */
export function openLive(handlers) {
  let retryMs = 500;
  let socket = null;

  function connect() {
    handlers.status('connecting', 'Connecting…');
    const url = apiUrl('/api/live');
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.hash = '';
    let ws;
    try {
      ws = new WebSocket(url, getToken() ? ['overseer.v1', 'bearer.' + getToken()] : ['overseer.v1']);
    } catch (err) {
      retry();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      retryMs = 500;
      handlers.status('live', 'Live');
    };
    ws.onmessage = (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch (ignored) {
        return;
      }
      if (data.type === 'hello') {
        handlers.hello(data);
      } else if (data.type === 'tree') {
        handlers.tree(data.tree);
      } else if (data.type === 'cluster') {
        if (handlers.cluster) {
          handlers.cluster(data.cluster);
        }
      } else if (data.type === 'events') {
        handlers.events(data.events || [], data.dropped || 0);
      }
    };
    ws.onclose = () => {
      if (socket === ws) {
        socket = null;
        handlers.status('offline', 'Disconnected — retrying');
        retry();
      }
    };
  }

  function retry() {
    const wait = retryMs;
    retryMs = Math.min(retryMs * 2, 5000);
    setTimeout(() => {
      // a refused token closes the socket before it opens; ask HTTP why, then connect again
      api('GET', '/api/tree').then((tree) => { handlers.tree(tree); connect(); }, (err) => {
        if (err.status !== 401) {
          retry();
        }
      });
    }, wait);
  }

  connect();
  return { retry };
}

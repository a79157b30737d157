// The token and the JSON API. The token comes from the URL's fragment (never sent to the server),
// is kept in sessionStorage and sent in a header; see docs/console.md, Security.

const TOKEN_KEY = 'overseer.console.token';
let token = null;
let onUnauthorized = () => {};

/** Reads the token from #token=… (then drops it from the address bar) or from sessionStorage. */
export function readToken() {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromHash = hash.get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    // keep the token out of the address bar, bookmarks and screenshots
    history.replaceState(null, '', location.pathname + location.search);
    token = fromHash;
  } else {
    token = sessionStorage.getItem(TOKEN_KEY);
  }
  return token;
}

export function setToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
  token = value;
}

export function getToken() {
  return token;
}

/** @param handler called with a message when the API refuses the token */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export const enc = encodeURIComponent;

/**
 * The URL of an API path ('/api/…'), relative to the page: the console may be mounted under a
 * prefix in the application's router (/ops/console/api/…).
 */
export function apiUrl(path) {
  return new URL(path.replace(/^\//, ''), location.href);
}

/**
 * Calls the API; rejects with {status, error, message}. Without a token no Authorization header
 * is sent: a console mounted behind the application's authentication (a session cookie, Basic)
 * is let in by what the browser sends by itself.
 */
export async function api(method, path, body) {
  const headers = {};
  if (token) {
    headers['Authorization'] = 'Bearer ' + token;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(apiUrl(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
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
      onUnauthorized('The token was refused. Open the URL the console printed at start, or paste the token.');
    }
    throw { status: response.status, error: (json && json.error) || 'HTTP_' + response.status, message: (json && json.message) || response.statusText };
  }
  return json;
}

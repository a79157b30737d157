// Building DOM nodes. Text is always set as text (a node or textContent), never parsed as HTML,
// so nothing the server sends can become markup and nothing needs escaping by hand.

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, props) {
  if (!props) {
    return el;
  }
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      el.setAttribute('class', value);
    } else if (name === 'text') {
      el.textContent = String(value);
    } else if (name === 'data') {
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined && v !== null) {
          el.dataset[k] = String(v);
        }
      }
    } else if (name === 'vars') {
      // custom properties through the CSSOM: allowed by a CSP without 'unsafe-inline'
      for (const [k, v] of Object.entries(value)) {
        el.style.setProperty(k, String(v));
      }
    } else if (name.startsWith('on')) {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(el, child);
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }
  return el;
}

/**
 * An HTML element: h('td', {class: 'mono', data: {key: 'x'}}, 'text', otherNode).
 * Props: class, text, data (dataset), vars (CSS custom properties), on<Event> handlers, and any
 * other attribute (false/null/undefined leave it out, true sets it empty).
 */
export function h(tag, props, ...children) {
  return append(apply(document.createElement(tag), props), children);
}

/** An SVG element, with the same props as {@link h}. */
export function s(tag, props, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), props), children);
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Sets el's text only when it changed (a live tree updates many rows that did not). */
export function setText(el, text) {
  const value = text === undefined || text === null ? '' : String(text);
  if (el.textContent !== value) {
    el.textContent = value;
  }
}

/** Sets or removes an attribute only when it changed. */
export function setAttr(el, name, value) {
  if (value === undefined || value === null || value === false) {
    if (el.hasAttribute(name)) {
      el.removeAttribute(name);
    }
    return;
  }
  const v = value === true ? '' : String(value);
  if (el.getAttribute(name) !== v) {
    el.setAttribute(name, v);
  }
}

export const $ = (id) => document.getElementById(id);

/** The two icons of the tree, as fresh nodes. */
export function supIcon() {
  return s('svg', { class: 'node-icon', viewBox: '0 0 16 16', 'aria-hidden': 'true' },
    s('path', { fill: 'none', stroke: 'currentColor', 'stroke-width': '1.4', d: 'M8 2.5v4M8 6.5H3.5v3M8 6.5h4.5v3M8 6.5v3' }),
    s('circle', { cx: '8', cy: '2.5', r: '1.6', fill: 'currentColor' }),
    s('rect', { x: '1.8', y: '9.6', width: '3.4', height: '3.4', rx: '.8', fill: 'currentColor' }),
    s('rect', { x: '6.3', y: '9.6', width: '3.4', height: '3.4', rx: '.8', fill: 'currentColor' }),
    s('rect', { x: '10.8', y: '9.6', width: '3.4', height: '3.4', rx: '.8', fill: 'currentColor' }));
}

export function workerIcon() {
  return s('svg', { class: 'node-icon', viewBox: '0 0 16 16', 'aria-hidden': 'true' },
    s('rect', { x: '2.5', y: '3', width: '11', height: '10', rx: '2', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.4' }),
    s('path', { d: 'M5 7h6M5 9.5h4', stroke: 'currentColor', 'stroke-width': '1.4' }));
}

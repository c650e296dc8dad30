// Tiny DOM helpers: elements are built with textContent, never innerHTML, so model names, log
// lines and captured bodies can't inject markup.

/**
 * Creates an element. `props` keys: `on<event>` adds a listener, `text` sets textContent,
 * `className`, `value`, `checked`, `disabled`, `hidden` set properties, anything else is an attribute.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'text') {
      element.textContent = value;
    } else if (['className', 'value', 'checked', 'disabled', 'hidden'].includes(key)) {
      element[key] = value;
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(parent, child);
    } else {
      parent.append(child instanceof Node ? child : String(child));
    }
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/** A page header: title on the left, controls on the right. */
export function toolbar(title, ...controls) {
  return h('div', { className: 'toolbar' }, h('h1', { text: title }), h('span', { className: 'spacer' }), controls);
}

/** An element that shows the last error of a page (empty when there is none). */
export function errorLine(testId) {
  const element = h('p', { className: 'error', role: 'alert', 'data-testid': testId, hidden: true });
  return {
    element,
    show(message) {
      element.textContent = message;
      element.hidden = !message;
    },
    clear() {
      this.show('');
    },
  };
}

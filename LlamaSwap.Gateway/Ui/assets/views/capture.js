// Capture viewer: one stored request/response pair (reference 2.4.3). Bodies arrive base64-encoded;
// JSON is pretty-printed, server-sent events and other text shown as they are.
import { getJson } from '../api.js';
import { errorLine, h } from '../dom.js';

export function mount(container, { id }) {
  const error = errorLine('capture-error');
  const content = h('div', { className: 'capture', 'data-testid': 'capture-view', 'aria-busy': 'true' });
  let disposed = false;

  container.append(
    h('div', { className: 'toolbar' },
      h('h1', { text: `Capture #${id}` }),
      h('span', { className: 'spacer' }),
      h('a', { href: '#/activity', text: '← Activity' })),
    error.element,
    content);

  load();

  async function load() {
    try {
      const capture = await getJson(`/api/captures/${encodeURIComponent(id)}`);
      if (disposed) {
        return;
      }
      content.removeAttribute('aria-busy');
      content.append(
        h('p', { className: 'mono', 'data-testid': 'capture-path', text: capture.req_path ?? '' }),
        section('Request headers', headerList(capture.req_headers, 'capture-req-headers')),
        section('Request body', bodyView(capture.req_body, capture.req_headers, 'capture-req-body')),
        section('Response headers', headerList(capture.resp_headers, 'capture-resp-headers')),
        section('Response body', bodyView(capture.resp_body, capture.resp_headers, 'capture-resp-body')));
    } catch (e) {
      if (!disposed) {
        error.show(`Could not load capture ${id}: ${e.message}`);
      }
    }
  }

  return () => {
    disposed = true;
  };
}

function section(title, body) {
  return h('section', {}, h('h2', { text: title }), h('div', { className: 'panel' }, body));
}

function headerList(headers, testId) {
  const entries = Object.entries(headers ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) {
    return h('p', { className: 'notice', 'data-testid': testId, text: 'No headers captured.' });
  }
  return h('dl', { className: 'headers', 'data-testid': testId },
    entries.map(([name, value]) => [
      h('dt', { text: name }),
      h('dd', { text: Array.isArray(value) ? value.join(', ') : String(value) }),
    ]));
}

function bodyView(base64, headers, testId) {
  if (base64 === undefined || base64 === null || base64 === '') {
    return h('p', { className: 'notice', 'data-testid': testId, text: base64 === '' ? 'Empty body.' : 'Body not captured.' });
  }
  let bytes;
  try {
    bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    return h('pre', { className: 'body', 'data-testid': testId, text: String(base64) });
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  if ((text.match(/\uFFFD/g)?.length ?? 0) > text.length / 20) {
    return h('p', { className: 'notice', 'data-testid': testId, text: `${bytes.length.toLocaleString()} bytes of binary data.` });
  }
  return h('pre', { className: 'body', 'data-testid': testId, text: pretty(text, contentType(headers)) });
}

function contentType(headers) {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type');
  return String(Array.isArray(entry?.[1]) ? entry[1][0] : entry?.[1] ?? '').toLowerCase();
}

function pretty(text, type) {
  if (type.includes('event-stream')) {
    return text;
  }
  const trimmed = text.trim();
  if (type.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(trimmed), null, 2);
    } catch {
      // Not JSON after all.
    }
  }
  return text;
}

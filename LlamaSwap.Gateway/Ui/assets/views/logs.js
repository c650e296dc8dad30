// Logs: the history and then live output of /logs/stream (all), /logs/stream/proxy, /upstream or one
// model's own log (reference 2.9), streamed with fetch so the browser shows it as it arrives.
import { ensureOk, getJson, modelPath, textChunks } from '../api.js';
import { errorLine, h, toolbar } from '../dom.js';

const sourceKey = 'llamaswap.logs.source';
const maxChars = 1_000_000;
const retryDelay = 3000;

export function mount(container) {
  const error = errorLine('logs-error');
  const source = h('select', { id: 'logs-source', 'data-testid': 'logs-source' },
    h('option', { value: '', text: 'All' }),
    h('option', { value: 'proxy', text: 'Proxy' }),
    h('option', { value: 'upstream', text: 'Upstream (all models)' }));
  const follow = h('input', { type: 'checkbox', id: 'logs-follow', 'data-testid': 'logs-follow', checked: true });
  const clear = h('button', { type: 'button', 'data-testid': 'logs-clear', text: 'Clear', onclick: () => { output.textContent = ''; } });
  const output = h('pre', { className: 'log panel', 'data-testid': 'logs-output', tabindex: 0, 'aria-label': 'Log output', 'aria-live': 'off' });
  let controller = null;
  let retryTimer = null;
  let disposed = false;

  container.append(
    toolbar('Logs',
      h('label', { className: 'inline', for: 'logs-source' }, 'Source', source),
      h('label', { className: 'inline', for: 'logs-follow' }, follow, 'Follow'),
      clear),
    error.element,
    output);

  source.addEventListener('change', () => {
    localStorage.setItem(sourceKey, source.value);
    output.textContent = '';
    connect();
  });

  addModels().then(() => {
    const remembered = localStorage.getItem(sourceKey);
    if (remembered && [...source.options].some((o) => o.value === remembered)) {
      source.value = remembered;
    }
    connect();
  });

  async function addModels() {
    try {
      const models = await getJson('/v1/models');
      for (const model of models.data.filter((m) => (m.meta?.llamaswap?.type ?? 'model') === 'model')) {
        source.append(h('option', { value: model.id, text: `Model: ${model.id}` }));
      }
    } catch (e) {
      error.show(`Could not list models: ${e.message}`);
    }
  }

  async function connect() {
    controller?.abort();
    clearTimeout(retryTimer);
    if (disposed) {
      return;
    }
    const mine = new AbortController();
    controller = mine;
    const path = source.value ? `/logs/stream/${modelPath(source.value)}` : '/logs/stream';
    try {
      const response = await fetch(path, { signal: mine.signal, headers: { Accept: 'text/plain' } });
      await ensureOk(response);
      error.clear();
      // A reconnect replays the history: start from a clean slate so nothing shows twice.
      output.textContent = '';
      for await (const chunk of textChunks(response)) {
        append(chunk);
      }
      throw new Error('the log stream ended');
    } catch (e) {
      if (mine.signal.aborted || disposed) {
        return;
      }
      error.show(`Log stream ${path}: ${e.message}; retrying…`);
      retryTimer = setTimeout(connect, retryDelay);
    }
  }

  function append(text) {
    output.append(text);
    if (output.textContent.length > maxChars) {
      output.textContent = output.textContent.slice(-maxChars / 2);
    }
    if (follow.checked) {
      output.scrollTop = output.scrollHeight;
    }
  }

  return () => {
    disposed = true;
    clearTimeout(retryTimer);
    controller?.abort();
  };
}

// Logs: the history and then live output of the proxy log, the upstream log or one model's own log
// (reference 2.9), streamed with fetch so the browser shows it as it arrives. "All" follows the
// proxy and upstream streams together (llama-swap's combined /logs holds only what logToStdout
// routes to stdout: by default no model output). ANSI colours are rendered by ansi_up, which
// escapes the text itself; llama-swap's per-request access lines are dimmed.
import { AnsiUp } from '../vendor/ansi_up/ansi_up.js';
import { ensureOk, getJson, modelPath, textChunks } from '../api.js';
import { errorLine, h, toolbar } from '../dom.js';

const sourceKey = 'llamaswap.logs.source';
const maxChars = 1_000_000;
const retryDelay = 3000;
const accessLine = /^(?:\S+ )?\[INFO\] Request \S+ "[A-Z]+ /;

export function mount(container) {
  const error = errorLine('logs-error');
  const source = h('select', { id: 'logs-source', 'data-testid': 'logs-source' },
    h('option', { value: '', text: 'All (proxy + upstream)' }),
    h('option', { value: 'proxy', text: 'Proxy' }),
    h('option', { value: 'upstream', text: 'Upstream (all models)' }));
  const follow = h('input', { type: 'checkbox', id: 'logs-follow', 'data-testid': 'logs-follow', checked: true });
  const clear = h('button', { type: 'button', 'data-testid': 'logs-clear', text: 'Clear', onclick: () => reset() });
  const output = h('pre', { className: 'log panel', 'data-testid': 'logs-output', tabindex: 0, 'aria-label': 'Log output', 'aria-live': 'off' });
  let controller = null;
  let retryTimer = null;
  let disposed = false;
  let chars = 0;

  container.append(
    toolbar('Logs',
      h('label', { className: 'inline', for: 'logs-source' }, 'Source', source),
      h('label', { className: 'inline', for: 'logs-follow' }, follow, 'Follow'),
      clear),
    error.element,
    output);

  source.addEventListener('change', () => {
    localStorage.setItem(sourceKey, source.value);
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

  function reset() {
    output.replaceChildren();
    chars = 0;
  }

  function pathsOf(value) {
    if (!value) {
      return ['/logs/stream/proxy', '/logs/stream/upstream'];
    }
    return [value === 'proxy' || value === 'upstream' ? `/logs/stream/${value}` : `/logs/stream/${modelPath(value)}`];
  }

  async function connect() {
    controller?.abort();
    clearTimeout(retryTimer);
    if (disposed) {
      return;
    }
    const mine = new AbortController();
    controller = mine;
    // A reconnect replays the history: start from a clean slate so nothing shows twice.
    reset();
    try {
      await Promise.all(pathsOf(source.value).map((path) => follow1(path, mine.signal)));
      throw new Error('the log stream ended');
    } catch (e) {
      if (mine.signal.aborted || disposed) {
        return;
      }
      mine.abort();
      error.show(`Log stream: ${e.message}; retrying…`);
      retryTimer = setTimeout(connect, retryDelay);
    }
  }

  /** One stream, appended line by line (so two streams interleave whole lines), colours kept per stream. */
  async function follow1(path, signal) {
    const response = await fetch(path, { signal, headers: { Accept: 'text/plain' } });
    try {
      await ensureOk(response);
    } catch (e) {
      throw new Error(`${path}: ${e.message}`);
    }
    error.clear();
    const ansi = new AnsiUp();
    ansi.use_classes = true;
    ansi.escape_html = true;
    let partial = '';
    for await (const chunk of textChunks(response)) {
      const text = partial + chunk;
      const end = text.lastIndexOf('\n') + 1;
      partial = text.slice(end);
      if (end > 0 && !signal.aborted) {
        append(ansi, text.slice(0, end));
      }
    }
    throw new Error(`${path} ended`);
  }

  function append(ansi, text) {
    const block = document.createDocumentFragment();
    for (const line of text.split(/(?<=\n)/)) {
      const span = document.createElement('span');
      // ansi_up escapes the text (escape_html) and emits only <span class>/<a href> of its own.
      span.innerHTML = ansi.ansi_to_html(line);
      // Bold, italic, 256-colour and true-colour come as style attributes, which the page's CSP
      // (style-src 'self') ignores in markup; set through the CSSOM they apply. ansi_up writes
      // them from numbers and flags only, never from the log's text.
      for (const styled of span.querySelectorAll('[style]')) {
        const css = styled.getAttribute('style');
        styled.removeAttribute('style');
        styled.style.cssText = css;
      }
      if (accessLine.test(line)) {
        span.className = 'access';
        span.dataset.access = '';
      }
      block.append(span);
    }
    output.append(block);
    chars += text.length;
    while (chars > maxChars && output.firstChild) {
      chars -= output.firstChild.textContent.length;
      output.firstChild.remove();
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

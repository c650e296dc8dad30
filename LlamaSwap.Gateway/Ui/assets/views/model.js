// Model detail (#/models/<id>, as llama-swap's UI): one model's live state with load/unload, its
// effective config (GET /api/models/config/<id>, secrets redacted), capabilities and aliases, its state
// history (GET /api/models/history), its recent requests and its own log (/logs/stream/<id>).
// An alias resolves to its model.
import { ensureOk, getJson, modelPath, post, textChunks } from '../api.js';
import { errorLine, h, replaceChildren } from '../dom.js';
import { count, dateTime, duration, rate, time } from '../format.js';

const recentRows = 10;
const maxLogChars = 500_000;
const retryDelay = 3000;

export function mount(container, { events, id: requested }) {
  const error = errorLine('model-error');
  const title = h('h1', { className: 'mono', 'data-testid': 'model-title', text: requested });
  const badge = h('span', { className: 'badge', 'data-testid': 'model-state', text: '…' });
  const progress = h('progress', { max: 1, hidden: true, 'data-testid': 'model-progress' });
  const load = h('button', { type: 'button', 'data-testid': 'model-load', text: 'Load', disabled: true, onclick: loadModel });
  const unload = h('button', { type: 'button', className: 'danger', 'data-testid': 'model-unload', text: 'Unload', disabled: true, onclick: unloadModel });
  const subtitle = h('p', { className: 'notice', 'data-testid': 'model-subtitle' });
  const overview = h('div', { className: 'panel pad', 'data-testid': 'model-overview' }, h('p', { className: 'notice', text: 'Loading…' }));
  const config = h('div', { className: 'panel pad', 'data-testid': 'model-config' }, h('p', { className: 'notice', text: 'Loading…' }));
  const historyBody = h('tbody');
  const requestsBody = h('tbody');
  const log = h('pre', { className: 'log panel', 'data-testid': 'model-logs', tabindex: 0, 'aria-label': 'Model log' });
  let modelId = null;
  let state = null;
  let pending = null;
  let history = [];
  let controller = null;
  let retryTimer = null;
  let refreshTimer = null;
  let disposed = false;

  container.append(h('div', { className: 'model-detail' },
    h('div', { className: 'toolbar' },
      h('a', { href: '#/models', text: '← Models' }),
      title, badge, progress,
      h('span', { className: 'spacer' }),
      load, unload),
    subtitle,
    error.element,
    h('div', { className: 'grid' },
      h('section', {}, h('h2', { text: 'Overview' }), overview),
      h('section', {}, h('h2', { text: 'State history' }),
        h('div', { className: 'panel' },
          h('table', { 'data-testid': 'model-history' },
            h('thead', {}, h('tr', {}, h('th', { text: 'Time' }), h('th', { text: 'State' }), h('th', { className: 'num', text: 'Load time' }))),
            historyBody)))),
    h('section', {}, h('h2', { text: 'Config' }), config),
    h('section', {}, h('h2', { text: 'Recent requests' }),
      h('div', { className: 'panel' },
        h('table', { 'data-testid': 'model-requests' },
          h('thead', {}, h('tr', {},
            ['#', 'Time', 'Path', 'Status', 'Output', 'Gen tok/s', 'TTFT', 'Duration', 'Capture'].map((label, i) => h('th', { className: i === 0 || (i >= 4 && i <= 7) ? 'num' : null, text: label })))),
          requestsBody))),
    h('section', {}, h('h2', { text: 'Log' }), log)));

  const unsubscribe = [
    events.on('modelStatus', onModelStatus),
    events.on('activity', () => soon(loadRequests)),
    events.on('tick', () => soon(loadRequests)),
  ];
  start();

  async function start() {
    let view;
    try {
      view = await getJson(`/api/models/config/${modelPath(requested)}`);
    } catch (e) {
      if (!disposed) {
        error.show(`Model ${requested}: ${e.message}`);
        replaceChildren(overview, h('p', { className: 'notice', text: 'Unknown model.' }));
        replaceChildren(config, h('p', { className: 'notice', text: '—' }));
      }
      return;
    }
    if (disposed) {
      return;
    }
    modelId = view.id;
    title.textContent = modelId;
    document.title = `${modelId} · LlamaSwap`;
    subtitle.textContent = [
      view.name && view.name.trim() !== modelId ? view.name.trim() : null,
      modelId !== requested ? `${requested} is an alias of ${modelId}` : null,
      view.description,
    ].filter(Boolean).join(' · ');
    renderOverview(view);
    renderConfig(view);
    loadState();
    loadHistory();
    loadRequests();
    connectLog();
  }

  function soon(action) {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(action, 250);
  }

  function renderOverview(view) {
    const caps = view.capabilities;
    const rows = [
      ['Aliases', view.aliases?.length ? view.aliases.join(', ') : '—'],
      ['Input', caps?.in?.length ? caps.in.join(', ') : '—'],
      ['Output', caps?.out?.length ? caps.out.join(', ') : '—'],
      ['Tools', caps ? (caps.tools ? 'yes' : 'no') : '—'],
      ['Reranker', caps ? (caps.reranker ? 'yes' : 'no') : '—'],
      ['Context', caps?.context ? caps.context.toLocaleString() : '—'],
      ['Group', view.group ?? '—'],
      ['Disabled', view.disabledReason ?? null],
    ].filter(([, value]) => value !== null);
    replaceChildren(overview, h('dl', { className: 'config', 'data-testid': 'model-capabilities' },
      rows.map(([name, value]) => [h('dt', { text: name }), h('dd', { text: value })])));
  }

  function renderConfig(view) {
    const scalar = (value) => (value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));
    const settings = [
      ['proxy', view.proxy],
      ['checkEndpoint', view.checkEndpoint],
      ['ttl', view.ttl === 0 ? '0 (never unload)' : `${view.ttl} s`],
      ['unloadTimeout', `${view.unloadTimeout} s`],
      ['healthCheckTimeout', `${view.healthCheckTimeout} s`],
      ['concurrencyLimit', view.concurrencyLimit],
      ['useModelName', view.useModelName],
      ['sendLoadingState', view.sendLoadingState],
      ['forwardClientAuth', view.forwardClientAuth],
      ['unlisted', view.unlisted],
      ['env', view.env?.length ? view.env.join('\n') : null],
      ['cmdStop', view.cmdStop?.join(' ')],
      ['filters', view.filters],
      ['metadata', view.metadata],
      ['timeouts', view.timeouts],
    ].filter(([, value]) => value !== null && value !== undefined);
    replaceChildren(config,
      h('pre', { className: 'cmd', 'data-testid': 'model-cmd', text: view.cmd }),
      h('dl', { className: 'config', 'data-testid': 'model-settings' },
        settings.map(([name, value]) => [h('dt', { text: name }), h('dd', { text: scalar(value) })])));
  }

  async function loadState() {
    try {
      const running = await getJson('/running');
      if (!disposed && state === null) {
        setState(running.running.find((r) => r.model === modelId)?.state ?? 'stopped', null);
      }
    } catch {
      if (!disposed && state === null) {
        setState('unknown', null);
      }
    }
  }

  function onModelStatus(status) {
    if (!Array.isArray(status) || modelId === null) {
      return;
    }
    const mine = status.find((m) => m.id === modelId && !m.peerID);
    if (!mine) {
      return;
    }
    const before = state;
    setState(mine.state, mine.progress ?? null);
    if (before !== null && before !== mine.state) {
      // The server records the change with its own time; until it answers, show it as seen here.
      history = [...history, { model: modelId, state: mine.state, timestamp: new Date().toISOString() }];
      renderHistory();
      setTimeout(loadHistory, 300);
    }
  }

  function setState(value, loadProgress) {
    state = value;
    badge.textContent = value;
    badge.dataset.state = value;
    // Load progress (task C's contract): present only while starting and when known.
    const fraction = value === 'starting' && typeof loadProgress?.fraction === 'number' ? loadProgress.fraction : null;
    progress.hidden = fraction === null;
    if (fraction !== null) {
      progress.value = fraction;
      progress.title = `${Math.round(fraction * 100)}%${typeof loadProgress.eta_ms === 'number' ? `, ${duration(loadProgress.eta_ms)} left` : ''}`;
    }
    refreshButtons();
  }

  function refreshButtons() {
    load.disabled = modelId === null || pending !== null || state === 'ready' || state === 'starting';
    unload.disabled = modelId === null || pending === 'unload' || state === 'stopped' || state === 'shutdown';
  }

  async function loadHistory() {
    try {
      const entries = await getJson(`/api/models/history?model=${encodeURIComponent(modelId)}`);
      if (!disposed) {
        history = entries;
        renderHistory();
      }
    } catch (e) {
      if (!disposed) {
        replaceChildren(historyBody, h('tr', {}, h('td', { colspan: 3, className: 'empty', text: `History unavailable: ${e.message}` })));
      }
    }
  }

  function renderHistory() {
    if (history.length === 0) {
      replaceChildren(historyBody, h('tr', {}, h('td', { colspan: 3, className: 'empty', text: 'No state changes recorded yet.' })));
      return;
    }
    replaceChildren(historyBody, [...history].reverse().map((entry) => h('tr', { 'data-testid': 'model-history-row' },
      h('td', { title: dateTime(entry.timestamp), text: time(entry.timestamp) }),
      h('td', {}, h('span', { className: 'badge', 'data-state': entry.state, text: entry.state })),
      h('td', { className: 'num', text: typeof entry.load_ms === 'number' ? duration(entry.load_ms) : '' }))));
  }

  async function loadRequests() {
    if (modelId === null) {
      return;
    }
    try {
      const page = await getJson(`/api/metrics/activity?model=${encodeURIComponent(modelId)}&limit=${recentRows}&sort=id&order=desc`);
      if (disposed) {
        return;
      }
      if (page.data.length === 0) {
        replaceChildren(requestsBody, h('tr', {}, h('td', { colspan: 9, className: 'empty', text: 'No requests recorded yet.' })));
        return;
      }
      replaceChildren(requestsBody, page.data.map((row) => {
        const ok = row.resp_status_code >= 200 && row.resp_status_code < 300;
        return h('tr', { 'data-testid': `model-request-${row.id}` },
          h('td', { className: 'num', text: row.id }),
          h('td', { title: dateTime(row.timestamp), text: time(row.timestamp) }),
          h('td', { className: 'mono', text: row.req_path }),
          h('td', {}, h('span', { className: ok ? 'status-ok' : 'status-err', text: row.resp_status_code })),
          h('td', { className: 'num', text: count(row.tokens?.output_tokens) }),
          h('td', { className: 'num', text: rate(row.tokens?.tokens_per_second) }),
          h('td', { className: 'num', text: duration(row.first_byte_ms) }),
          h('td', { className: 'num', text: duration(row.duration_ms) }),
          h('td', {}, row.has_capture
            ? h('a', { href: `#/captures/${encodeURIComponent(row.id)}`, 'data-testid': `model-capture-${row.id}`, text: 'View' })
            : h('span', { className: 'notice', text: '—' })));
      }));
    } catch (e) {
      if (!disposed) {
        error.show(`Could not load requests: ${e.message}`);
      }
    }
  }

  async function connectLog() {
    controller?.abort();
    clearTimeout(retryTimer);
    if (disposed) {
      return;
    }
    const mine = new AbortController();
    controller = mine;
    const path = `/logs/stream/${modelPath(modelId)}`;
    try {
      const response = await fetch(path, { signal: mine.signal, headers: { Accept: 'text/plain' } });
      await ensureOk(response);
      // A reconnect replays the history: start clean so nothing shows twice.
      log.textContent = '';
      for await (const chunk of textChunks(response)) {
        const follow = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
        log.append(chunk);
        if (log.textContent.length > maxLogChars) {
          log.textContent = log.textContent.slice(-maxLogChars / 2);
        }
        if (follow) {
          log.scrollTop = log.scrollHeight;
        }
      }
      throw new Error('the log stream ended');
    } catch (e) {
      if (mine.signal.aborted || disposed) {
        return;
      }
      error.show(`Log stream ${path}: ${e.message}; retrying…`);
      retryTimer = setTimeout(connectLog, retryDelay);
    }
  }

  async function act(name, action) {
    pending = name;
    refreshButtons();
    try {
      await action();
      error.clear();
    } catch (e) {
      // A load cut short by the user's own unload is no error worth showing.
      if (!disposed && pending === name) {
        error.show(`${modelId}: ${e.message}`);
      }
    } finally {
      if (pending === name) {
        pending = null;
      }
      if (!disposed) {
        refreshButtons();
      }
    }
  }

  function loadModel() {
    // As the Models page (and llama-swap's UI) does: a request through /upstream starts the model.
    return act('load', async () => ensureOk(await fetch(`/upstream/${modelPath(modelId)}/?_=${Date.now()}`)));
  }

  function unloadModel() {
    return act('unload', () => post(`/api/models/unload/${modelPath(modelId)}`));
  }

  return () => {
    disposed = true;
    clearTimeout(retryTimer);
    clearTimeout(refreshTimer);
    controller?.abort();
    unsubscribe.forEach((off) => off());
  };
}

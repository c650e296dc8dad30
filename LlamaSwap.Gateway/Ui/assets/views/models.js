// Models: every listed model with its live state, and load/unload buttons. Rows come from
// /v1/models; states from modelStatus messages (or the initial /running snapshot). A starting model
// shows how far its files have loaded (the supervisor's estimate) as a bar with an ETA.
import { ensureOk, getJson, modelPath, post } from '../api.js';
import { errorLine, h, replaceChildren, toolbar } from '../dom.js';

export function mount(container, { events }) {
  const states = new Map();
  const progress = new Map();
  const rows = new Map();
  const pending = new Map();
  const error = errorLine('models-error');
  const tbody = h('tbody');
  const unloadAll = h('button', { className: 'danger', 'data-testid': 'unload-all', text: 'Unload all', onclick: unloadEverything });
  let listed = [];
  let disposed = false;
  let reloadTimer = null;

  container.append(
    toolbar('Models', unloadAll),
    error.element,
    h('div', { className: 'panel' },
      h('table', { 'data-testid': 'models-table' },
        h('thead', {}, h('tr', {},
          h('th', { text: 'Model' }),
          h('th', { text: 'State' }),
          h('th', { className: 'num', text: 'Actions' }))),
        tbody)));

  const unsubscribe = events.on('modelStatus', (status) => {
    if (!Array.isArray(status)) {
      return;
    }
    let unknown = false;
    for (const model of status) {
      if (model.peerID) {
        continue;
      }
      states.set(model.id, model.state);
      progress.set(model.id, model.progress ?? null);
      unknown ||= !model.unlisted && !listed.some((m) => m.id === model.id);
    }
    if (unknown) {
      // A config reload added a model: the listing has changed.
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(load, 250);
    }
    refreshStates();
  });

  load();

  async function load() {
    try {
      const [models, running] = await Promise.all([getJson('/v1/models'), getJson('/running').catch(() => null)]);
      if (disposed) {
        return;
      }
      listed = models.data;
      for (const entry of running?.running ?? []) {
        if (!states.has(entry.model)) {
          states.set(entry.model, entry.state);
          progress.set(entry.model, entry.progress ?? null);
        }
      }
      renderRows();
      error.clear();
    } catch (e) {
      error.show(`Could not list models: ${e.message}`);
    }
  }

  function renderRows() {
    rows.clear();
    if (listed.length === 0) {
      replaceChildren(tbody, h('tr', {}, h('td', { colspan: 3, className: 'empty', text: 'No models configured.' })));
      return;
    }
    replaceChildren(tbody, listed.map(renderRow));
    refreshStates();
  }

  function renderRow(model) {
    const meta = model.meta?.llamaswap ?? {};
    const type = meta.type ?? 'model';
    const local = type === 'model' || type === 'alias';
    const badge = h('span', { className: 'badge', 'data-testid': `model-state-${model.id}` });
    const bar = h('span', { className: 'bar' });
    const barLabel = h('span', { className: 'label' });
    const loading = h('span', {
      className: 'load-progress', hidden: true, role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
      'aria-label': `loading ${model.id}`, 'data-testid': `progress-${model.id}`,
    }, h('span', { className: 'track' }, bar), barLabel);
    const load = local && h('button', { 'data-testid': `model-load-${model.id}`, text: 'Load', onclick: () => loadModel(model.id) });
    const unload = local && h('button', { className: 'danger', 'data-testid': `model-unload-${model.id}`, text: 'Unload', onclick: () => unloadModel(model.id) });
    const details = [model.description, type !== 'model' ? describeType(type, meta) : null, meta.aliases?.length ? `aliases: ${meta.aliases.join(', ')}` : null]
      .filter(Boolean).join(' · ');
    const row = h('tr', { 'data-testid': `model-row-${model.id}`, 'data-model': model.id },
      h('td', {},
        local
          ? h('a', { className: 'mono', href: `#/models/${modelPath(model.id)}`, 'data-testid': `model-link-${model.id}`, text: model.id })
          : h('span', { className: 'mono', text: model.id }),
        model.name && model.name !== model.id ? h('span', { text: `  ${model.name}` }) : null,
        details ? h('span', { className: 'sub', text: details }) : null),
      h('td', {}, badge, loading),
      h('td', { className: 'actions' }, load, unload));
    rows.set(model.id, { model, type, target: type === 'alias' ? meta.modelID : model.id, badge, load, unload, loading, bar, barLabel });
    return row;
  }

  function describeType(type, meta) {
    switch (type) {
      case 'alias': return `alias of ${meta.modelID}`;
      case 'peer': return `peer ${meta.peerID}`;
      case 'selector': return `selector (${meta.strategy ?? 'fallback'})`;
      default: return type;
    }
  }

  function refreshStates() {
    for (const row of rows.values()) {
      const local = row.type === 'model' || row.type === 'alias';
      const state = local ? (states.get(row.target) ?? (row.model.status?.value === 'loaded' ? 'loaded' : 'stopped')) : row.model.status?.value ?? 'unknown';
      row.badge.textContent = state;
      row.badge.dataset.state = state;
      showProgress(row, local && state === 'starting' ? progress.get(row.target) : null);
      if (local) {
        // An unload stays possible while a load is pending: it is how a slow start is cancelled.
        const action = pending.get(row.model.id);
        row.load.disabled = action !== undefined || state === 'ready' || state === 'starting';
        row.unload.disabled = action === 'unload' || state === 'stopped' || state === 'shutdown';
      }
    }
  }

  function showProgress(row, estimate) {
    row.loading.hidden = !estimate;
    if (!estimate) {
      return;
    }
    const percent = Math.floor(Math.min(1, Math.max(0, estimate.fraction)) * 100);
    row.bar.style.width = `${percent}%`;
    row.loading.setAttribute('aria-valuenow', String(percent));
    row.loading.dataset.source = estimate.source;
    const eta = estimate.eta_ms > 0 ? ` · ~${etaText(estimate.eta_ms)} left` : '';
    row.barLabel.textContent = `${percent}% · ${size(estimate.bytes)} of ${size(estimate.total_bytes)}${eta}`;
    row.loading.title = `measured from ${estimate.source}`;
  }

  function etaText(ms) {
    return ms >= 90_000 ? `${Math.ceil(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`;
  }

  function size(bytes) {
    if (bytes >= 1e9) {
      return `${(bytes / 1e9).toFixed(1)} GB`;
    }
    return bytes >= 1e7 ? `${Math.round(bytes / 1e6)} MB` : `${(bytes / 1e6).toFixed(1)} MB`;
  }

  async function act(id, name, action) {
    pending.set(id, name);
    refreshStates();
    try {
      await action();
      error.clear();
    } catch (e) {
      // A load cut short by the user's own unload is no error worth showing.
      if (!disposed && pending.get(id) === name) {
        error.show(`${id}: ${e.message}`);
      }
    } finally {
      if (pending.get(id) === name) {
        pending.delete(id);
      }
      if (!disposed) {
        refreshStates();
      }
    }
  }

  function loadModel(id) {
    // As the reference UI does: any request through /upstream/<model>/ starts the model, and this one
    // returns once it is ready. The timestamp keeps caches out of the way.
    return act(id, 'load', async () => ensureOk(await fetch(`/upstream/${modelPath(id)}/?_=${Date.now()}`)));
  }

  function unloadModel(id) {
    return act(id, 'unload', () => post(`/api/models/unload/${modelPath(id)}`));
  }

  async function unloadEverything() {
    unloadAll.disabled = true;
    try {
      await post('/api/models/unload');
      error.clear();
    } catch (e) {
      error.show(`Unload all: ${e.message}`);
    } finally {
      unloadAll.disabled = false;
    }
  }

  return () => {
    disposed = true;
    clearTimeout(reloadTimer);
    unsubscribe();
  };
}

// Activity: recorded requests with their token metrics (reference 2.4.2), filtered, sorted and paged
// by /api/metrics/activity's own parameters, with charts above the table: speed, time to first token
// and queue wait per model, a timeline of which models were loaded when, and each swap's cost. New
// rows arrive live (`activity` messages) without the user's filters or page changing.
import { getJson, modelPath } from '../api.js';
import { palette, timeChart } from '../charts.js';
import { errorLine, h, replaceChildren, toolbar } from '../dom.js';
import { count, dateTime, duration, rate, time } from '../format.js';

const viewKey = 'llamaswap.activity.view';
const chartRows = 999; // the API's largest page: the charts plot the newest this many matching rows
const ranges = [
  ['', 'All time'],
  ['900', 'Last 15 min'],
  ['3600', 'Last hour'],
  ['21600', 'Last 6 hours'],
  ['86400', 'Last 24 hours'],
  ['604800', 'Last 7 days'],
];
const pageSizes = [10, 25, 50, 100];
// Column header -> the API's sort key (null: not sortable by the API).
const columns = [
  ['#', 'id', 'num'],
  ['Time', 'time'],
  ['Model', 'model'],
  ['Path', 'req_path'],
  ['Status', 'resp_status_code'],
  ['Input', 'prompt', 'num'],
  ['Cached', 'cached', 'num'],
  ['Output', 'generated', 'num'],
  ['Prompt tok/s', 'prompt_speed', 'num'],
  ['Gen tok/s', 'gen_speed', 'num'],
  ['TTFT', null, 'num'],
  ['Queue', null, 'num'],
  ['Duration', 'duration', 'num'],
  ['Capture', null],
];

function defaultView() {
  return { models: [], status: '', range: '', path: '', page: 1, limit: 25, sort: 'id', order: 'desc' };
}

function loadView() {
  try {
    return { ...defaultView(), ...JSON.parse(sessionStorage.getItem(viewKey) ?? '{}') };
  } catch {
    return defaultView();
  }
}

export function mount(container, { events }) {
  // The user's filters, sort and page survive live refreshes and a visit to a capture and back.
  const view = loadView();
  const error = errorLine('activity-error');
  const total = h('span', { className: 'notice', 'data-testid': 'activity-total' });
  const tbody = h('tbody');
  const headRow = h('tr');
  const charts = h('section', { className: 'chart-grid', 'data-testid': 'activity-charts' });
  const timeline = h('div', { className: 'timeline panel', 'data-testid': 'activity-timeline' });
  const modelMenu = h('div', { className: 'multi-options' });
  const modelSummary = h('summary', { 'data-testid': 'activity-filter-models', text: 'All models' });
  const status = h('select', { id: 'activity-status', 'data-testid': 'activity-filter-status' },
    h('option', { value: '', text: 'Any status' }),
    h('option', { value: 'ok', text: 'OK (2xx)' }),
    h('option', { value: 'errors', text: 'Errors' }));
  const range = h('select', { id: 'activity-range', 'data-testid': 'activity-filter-range' },
    ranges.map(([value, label]) => h('option', { value, text: label })));
  const path = h('input', { type: 'text', id: 'activity-path', placeholder: 'e.g. /v1/chat', 'data-testid': 'activity-filter-path' });
  const limit = h('select', { id: 'activity-limit', 'data-testid': 'activity-page-size' },
    pageSizes.map((n) => h('option', { value: String(n), text: String(n) })));
  const prev = h('button', { type: 'button', 'data-testid': 'activity-prev', text: '← Prev', onclick: () => goTo(view.page - 1) });
  const next = h('button', { type: 'button', 'data-testid': 'activity-next', text: 'Next →', onclick: () => goTo(view.page + 1) });
  const pageInfo = h('span', { className: 'notice', 'data-testid': 'activity-page-info' });
  const clientNote = h('p', { className: 'notice', 'data-testid': 'activity-client-filter-note', hidden: true });
  let chartSet = [];
  let chartModels = '';
  let knownModels = [];
  let history = [];
  let historyAnswered = false;
  const observed = [];
  const lastStates = new Map();
  let refreshTimer = null;
  let historyTimer = null;
  let pathTimer = null;
  let generation = 0;
  let disposed = false;

  status.value = view.status;
  range.value = view.range;
  path.value = view.path;
  limit.value = String(view.limit);

  container.append(
    toolbar('Activity', total, h('button', { type: 'button', 'data-testid': 'activity-refresh', text: 'Refresh', onclick: () => refresh() })),
    h('div', { className: 'filters', 'data-testid': 'activity-filters' },
      h('details', { className: 'multi' }, modelSummary, modelMenu),
      h('label', { className: 'inline', for: 'activity-status' }, 'Status', status),
      h('label', { className: 'inline', for: 'activity-range' }, 'Time', range),
      h('label', { className: 'inline', for: 'activity-path' }, 'Path', path)),
    error.element,
    charts,
    h('h2', { text: 'Models loaded' }),
    timeline,
    h('h2', { text: 'Requests' }),
    clientNote,
    h('div', { className: 'panel' },
      h('table', { 'data-testid': 'activity-table' }, h('thead', {}, headRow), tbody)),
    h('div', { className: 'pager' },
      h('label', { className: 'inline', for: 'activity-limit' }, 'Rows per page', limit),
      h('span', { className: 'spacer' }),
      h('span', { className: 'pages' }, prev, pageInfo, next)));

  renderHead();
  status.addEventListener('change', () => changeFilter({ status: status.value }));
  range.addEventListener('change', () => changeFilter({ range: range.value }));
  limit.addEventListener('change', () => changeFilter({ limit: Number(limit.value) }));
  path.addEventListener('input', () => {
    clearTimeout(pathTimer);
    pathTimer = setTimeout(() => changeFilter({ path: path.value.trim() }), 300);
  });

  // At most two refreshes a second however fast requests arrive: each one reads up to 999 rows.
  const soon = () => {
    refreshTimer ??= setTimeout(() => {
      refreshTimer = null;
      refresh();
    }, 500);
  };
  const unsubscribe = [
    events.on('activity', soon),
    events.on('tick', soon),
    events.on('modelStatus', onModelStatus),
  ];
  loadModels();
  loadHistory();
  refresh();

  function changeFilter(change) {
    Object.assign(view, change, { page: 1 });
    save();
    refresh();
  }

  function goTo(page) {
    view.page = Math.max(1, page);
    save();
    refresh();
  }

  function save() {
    sessionStorage.setItem(viewKey, JSON.stringify(view));
  }

  function renderHead() {
    replaceChildren(headRow, columns.map(([label, key, className]) => {
      if (!key) {
        return h('th', { className, text: label });
      }
      const active = view.sort === key;
      const arrow = active ? (view.order === 'asc' ? ' ▲' : ' ▼') : '';
      return h('th', { className, 'aria-sort': active ? (view.order === 'asc' ? 'ascending' : 'descending') : null },
        h('button', {
          type: 'button',
          className: 'sort',
          'data-testid': `activity-sort-${key}`,
          text: label + arrow,
          onclick: () => {
            if (view.sort === key) {
              view.order = view.order === 'asc' ? 'desc' : 'asc';
            } else {
              view.sort = key;
              view.order = key === 'model' || key === 'req_path' ? 'asc' : 'desc';
            }
            view.page = 1;
            save();
            renderHead();
            refresh();
          },
        }));
    }));
  }

  async function loadModels() {
    try {
      const models = await getJson('/v1/models');
      knownModels = models.data.filter((m) => (m.meta?.llamaswap?.type ?? 'model') === 'model').map((m) => m.id);
    } catch {
      knownModels = [];
    }
    renderModelMenu();
  }

  function renderModelMenu() {
    // Models that are no longer configured still have rows: keep any the user picked.
    const ids = [...new Set([...knownModels, ...view.models])].sort();
    replaceChildren(modelMenu, ids.map((id) => h('label', { className: 'inline' },
      h('input', {
        type: 'checkbox',
        value: id,
        checked: view.models.includes(id),
        'data-testid': `activity-model-${id}`,
        onchange: (e) => {
          const chosen = new Set(view.models);
          if (e.target.checked) {
            chosen.add(id);
          } else {
            chosen.delete(id);
          }
          changeFilter({ models: ids.filter((m) => chosen.has(m)) });
          summarizeModels();
        },
      }),
      id)));
    summarizeModels();
  }

  function summarizeModels() {
    modelSummary.textContent = view.models.length === 0 ? 'All models' : `Models: ${view.models.join(', ')}`;
  }

  function serverQuery(extra) {
    const params = new URLSearchParams();
    for (const model of view.models) {
      params.append('model', model);
    }
    if (view.range) {
      params.set('start', new Date(Date.now() - Number(view.range) * 1000).toISOString());
    }
    for (const [key, value] of Object.entries(extra)) {
      params.set(key, String(value));
    }
    return `/api/metrics/activity?${params}`;
  }

  // The API filters by model and time; status and path it does not know, so with either set the page
  // filters the newest `chartRows` matching rows itself and pages through what is left.
  function clientFiltered() {
    return Boolean(view.status || view.path);
  }

  function keep(row) {
    const ok = row.resp_status_code >= 200 && row.resp_status_code < 300;
    return (!view.status || (view.status === 'ok' ? ok : !ok))
      && (!view.path || String(row.req_path).toLowerCase().includes(view.path.toLowerCase()));
  }

  async function refresh() {
    const mine = ++generation;
    try {
      const sort = { sort: view.sort, order: view.order };
      const [tablePage, recent] = await Promise.all([
        clientFiltered() ? null : getJson(serverQuery({ ...sort, limit: view.limit, page: view.page })),
        getJson(serverQuery({ sort: 'id', order: 'desc', limit: chartRows })),
      ]);
      if (disposed || mine !== generation) {
        return;
      }
      error.clear();
      const chartSource = recent.data.filter(keep);
      let rows;
      let totalRows;
      let totalPages;
      if (tablePage) {
        rows = tablePage.data;
        totalRows = tablePage.total ?? rows.length;
        totalPages = tablePage.total_pages ?? 1;
        clientNote.hidden = true;
      } else {
        const sorted = clientFiltered() && (view.sort !== 'id' || view.order !== 'desc')
          ? await sortedMatches()
          : chartSource;
        if (disposed || mine !== generation) {
          return;
        }
        totalRows = sorted.length;
        totalPages = Math.ceil(totalRows / view.limit);
        rows = sorted.slice((view.page - 1) * view.limit, view.page * view.limit);
        clientNote.hidden = recent.total <= chartRows;
        clientNote.textContent = `Status and path filters apply to the newest ${chartRows} of ${recent.total} requests.`;
      }
      if (view.page > Math.max(1, totalPages)) {
        // The filter shrank the result under the user's page: show the last page there is.
        view.page = Math.max(1, totalPages);
        save();
        refresh();
        return;
      }
      total.textContent = `${totalRows} requests`;
      pageInfo.textContent = `Page ${totalPages === 0 ? 0 : view.page} of ${totalPages}`;
      prev.disabled = view.page <= 1;
      next.disabled = view.page >= totalPages;
      if (rows.length === 0) {
        replaceChildren(tbody, h('tr', {}, h('td', { colspan: columns.length, className: 'empty', text: 'No requests match.' })));
      } else {
        replaceChildren(tbody, rows.map(renderRow));
      }
      drawCharts(chartSource);
    } catch (e) {
      if (!disposed && mine === generation) {
        error.show(`Could not load activity: ${e.message}`);
      }
    }
  }

  async function sortedMatches() {
    const page = await getJson(serverQuery({ sort: view.sort, order: view.order, limit: chartRows }));
    return page.data.filter(keep);
  }

  function modelsIn(rows) {
    return [...new Set(rows.map((r) => r.model))].sort();
  }

  function drawCharts(rows) {
    // uPlot needs ascending x: by arrival time (a long request is recorded, and numbered, after later ones).
    const ascending = [...rows].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    const rangeStart = view.range ? Date.now() - Number(view.range) * 1000 : null;
    const swaps = mergedHistory().filter((e) => typeof e.load_ms === 'number'
      && (view.models.length === 0 || view.models.includes(e.model))
      && (rangeStart === null || Date.parse(e.timestamp) >= rangeStart));
    const models = [...new Set([...modelsIn(ascending), ...swaps.map((e) => e.model)])].sort();
    if (models.join('\n') !== chartModels) {
      // One series per model: a new model means new charts.
      chartSet.forEach((c) => c.destroy());
      chartModels = models.join('\n');
      const series = models.map((m, i) => ({ label: m, color: palette[i % palette.length] }));
      const options = { series, spanGaps: true, points: true, height: 200 };
      chartSet = [
        timeChart(charts, { ...options, title: 'Generation speed', unit: 'tokens/s', testId: 'chart-tokens-per-second' }),
        timeChart(charts, { ...options, title: 'Time to first token', unit: 'ms', testId: 'chart-ttft' }),
        timeChart(charts, { ...options, title: 'Queue wait', unit: 'ms', testId: 'chart-queue-wait' }),
        timeChart(charts, { ...options, title: 'Swap cost (starting → ready)', unit: 'ms', testId: 'chart-swap-cost' }),
      ];
    }
    // Every chart spans the same window, the selected range (or the data's) up to now: the two ends
    // are x values without data, so a single request still gets a sensible time axis.
    const now = Date.now() / 1000;
    const windowStart = chartStart(ascending, swaps) / 1000;
    const framed = (xs, ys) => [[windowStart, ...xs, now], ...ys.map((values) => [null, ...values, null])];
    const xs = ascending.map((r) => Date.parse(r.timestamp) / 1000);
    const plot = (chart, pick) => {
      const ys = models.map((m) => ascending.map((r) => (r.model === m && pick(r) >= 0 ? pick(r) : null)));
      chart.update(...framed(xs, ys));
      chart.element.dataset.points = String(ys.flat().filter((v) => v !== null).length);
    };
    plot(chartSet[0], (r) => r.tokens?.tokens_per_second ?? -1);
    // The first response byte: for a stream, the first token; otherwise the whole answer's wait.
    plot(chartSet[1], (r) => r.first_byte_ms ?? -1);
    plot(chartSet[2], (r) => r.queue_wait_ms ?? -1);
    const swapXs = swaps.map((e) => Date.parse(e.timestamp) / 1000);
    const swapYs = models.map((m) => swaps.map((e) => (e.model === m ? e.load_ms : null)));
    chartSet[3].update(...framed(swapXs, swapYs));
    chartSet[3].element.dataset.points = String(swaps.length);
    drawTimeline(ascending, models);
  }

  /** Where the charts' and the timeline's time axis starts (ms): the selected range, else the oldest data. */
  function chartStart(rows, entries) {
    const now = Date.now();
    if (view.range) {
      return now - Number(view.range) * 1000;
    }
    const times = [...rows.slice(0, 1), ...entries.slice(0, 1)].map((x) => Date.parse(x.timestamp));
    const first = times.length > 0 ? Math.min(...times) : now - 60_000;
    // A little room before the first point, so it is not drawn on the axis.
    return first - Math.max(1000, (now - first) * 0.03);
  }

  function mergedHistory() {
    // The server's history plus changes seen here that it does not have (an older gateway has none).
    const seen = new Set(history.map((e) => `${e.model}\n${e.state}\n${Date.parse(e.timestamp)}`));
    const extra = history.length > 0 ? [] : observed.filter((e) => !seen.has(`${e.model}\n${e.state}\n${Date.parse(e.timestamp)}`));
    return [...history, ...extra].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  }

  function drawTimeline(rows, chartModelList) {
    const entries = mergedHistory().filter((e) => view.models.length === 0 || view.models.includes(e.model));
    const now = Date.now();
    const start = chartStart(rows, entries);
    const span = now - start;
    const models = [...new Set(entries.map((e) => e.model))].sort();
    if (models.length === 0) {
      replaceChildren(timeline, h('p', { className: 'empty', text: historyAnswered ? 'No model state changes recorded yet.' : 'Loading…' }));
      return;
    }
    const lanes = models.map((model) => {
      const color = palette[Math.max(0, chartModelList.indexOf(model)) % palette.length];
      const segments = [];
      const mine = entries.filter((e) => e.model === model);
      mine.forEach((entry, i) => {
        if (entry.state !== 'starting' && entry.state !== 'ready') {
          return;
        }
        const from = Math.max(start, Date.parse(entry.timestamp));
        const to = i + 1 < mine.length ? Date.parse(mine[i + 1].timestamp) : now;
        if (to <= start) {
          return;
        }
        const cost = mine[i + 1]?.state === 'ready' && typeof mine[i + 1].load_ms === 'number' ? ` (load ${duration(mine[i + 1].load_ms)})` : '';
        const segment = h('span', {
          className: `segment ${entry.state}`,
          title: `${model}: ${entry.state} ${time(entry.timestamp)} → ${i + 1 < mine.length ? time(mine[i + 1].timestamp) : 'now'}${cost}`,
          'data-testid': `timeline-segment-${model}`,
        });
        // Through the CSSOM: the UI's Content-Security-Policy refuses style attributes.
        segment.style.left = `${((from - start) / span) * 100}%`;
        segment.style.width = `${Math.max(0.3, ((to - from) / span) * 100)}%`;
        segment.style.setProperty('--lane', color);
        segments.push(segment);
      });
      return h('div', { className: 'lane' },
        h('span', { className: 'lane-label mono', title: model, text: model }),
        h('span', { className: 'lane-track' }, segments));
    });
    replaceChildren(timeline,
      lanes,
      h('div', { className: 'lane axis' },
        h('span', { className: 'lane-label' }),
        h('span', { className: 'lane-track' },
          h('span', { className: 'tick start', text: time(new Date(start).toISOString()) }),
          h('span', { className: 'tick end', text: 'now' }))),
      h('p', { className: 'legend notice' },
        h('span', { className: 'swatch starting' }), ' starting  ',
        h('span', { className: 'swatch ready' }), ' ready'));
  }

  async function loadHistory() {
    try {
      const entries = await getJson('/api/models/history');
      if (!disposed && Array.isArray(entries)) {
        history = entries;
        historyAnswered = true;
        soon();
      }
    } catch (e) {
      historyAnswered = true;
      console.warn('model state history unavailable; showing the changes seen while this page is open', e);
    }
  }

  function onModelStatus(status) {
    if (!Array.isArray(status)) {
      return;
    }
    let changed = false;
    for (const model of status) {
      if (model.peerID) {
        continue;
      }
      const before = lastStates.get(model.id);
      lastStates.set(model.id, model.state);
      if (before !== undefined && before !== model.state) {
        observed.push({ model: model.id, state: model.state, timestamp: new Date().toISOString() });
        changed = true;
      }
    }
    if (changed) {
      clearTimeout(historyTimer);
      historyTimer = setTimeout(loadHistory, 300);
    }
  }

  return () => {
    disposed = true;
    clearTimeout(refreshTimer);
    clearTimeout(historyTimer);
    clearTimeout(pathTimer);
    unsubscribe.forEach((off) => off());
    chartSet.forEach((c) => c.destroy());
  };
}

function renderRow(row) {
  const tokens = row.tokens ?? {};
  const ok = row.resp_status_code >= 200 && row.resp_status_code < 300;
  return h('tr', { 'data-testid': `activity-row-${row.id}` },
    h('td', { className: 'num', text: row.id }),
    h('td', { title: dateTime(row.timestamp), text: time(row.timestamp) }),
    h('td', { className: 'mono' }, h('a', { href: `#/models/${modelPath(row.model)}`, text: row.model })),
    h('td', { className: 'mono', text: row.req_path }),
    h('td', {},
      h('span', { className: ok ? 'status-ok' : 'status-err', text: row.resp_status_code }),
      row.error_msg ? h('span', { className: 'sub', title: row.error_msg, text: truncate(row.error_msg, 60) }) : null),
    h('td', { className: 'num', text: count(tokens.input_tokens) }),
    h('td', { className: 'num', text: count(tokens.cache_tokens) }),
    h('td', { className: 'num', text: count(tokens.output_tokens) }),
    h('td', { className: 'num', text: rate(tokens.prompt_per_second) }),
    h('td', { className: 'num', text: rate(tokens.tokens_per_second) }),
    h('td', { className: 'num', text: duration(row.first_byte_ms) }),
    h('td', { className: 'num', title: row.load_ms > 0 ? `load ${duration(row.load_ms)}` : null, text: duration(row.queue_wait_ms) }),
    h('td', { className: 'num', text: duration(row.duration_ms) }),
    h('td', {}, row.has_capture
      ? h('a', { href: `#/captures/${encodeURIComponent(row.id)}`, 'data-testid': `activity-capture-${row.id}`, text: 'View' })
      : h('span', { className: 'notice', text: '—' })));
}

function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

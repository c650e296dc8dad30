// Activity: recorded requests with their token metrics (reference 2.4.2), newest first, refreshed
// when an `activity` message announces a new row.
import { getJson } from '../api.js';
import { errorLine, h, replaceChildren, toolbar } from '../dom.js';
import { count, dateTime, duration, rate, time } from '../format.js';

const pageSize = 100;

export function mount(container, { events }) {
  const error = errorLine('activity-error');
  const total = h('span', { className: 'notice', 'data-testid': 'activity-total' });
  const tbody = h('tbody');
  let refreshTimer = null;
  let disposed = false;

  container.append(
    toolbar('Activity', total, h('button', { type: 'button', 'data-testid': 'activity-refresh', text: 'Refresh', onclick: refresh })),
    error.element,
    h('div', { className: 'panel' },
      h('table', { 'data-testid': 'activity-table' },
        h('thead', {}, h('tr', {},
          h('th', { className: 'num', text: '#' }),
          h('th', { text: 'Time' }),
          h('th', { text: 'Model' }),
          h('th', { text: 'Path' }),
          h('th', { text: 'Status' }),
          h('th', { className: 'num', text: 'Input' }),
          h('th', { className: 'num', text: 'Cached' }),
          h('th', { className: 'num', text: 'Output' }),
          h('th', { className: 'num', text: 'Prompt tok/s' }),
          h('th', { className: 'num', text: 'Gen tok/s' }),
          h('th', { className: 'num', text: 'Duration' }),
          h('th', { text: 'Capture' }))),
        tbody)));

  const soon = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 200);
  };
  const unsubscribe = [events.on('activity', soon), events.on('tick', soon)];
  refresh();

  async function refresh() {
    try {
      const page = await getJson(`/api/metrics/activity?limit=${pageSize}&sort=id&order=desc`);
      if (disposed) {
        return;
      }
      error.clear();
      total.textContent = `${page.total ?? page.data.length} requests`;
      if (page.data.length === 0) {
        replaceChildren(tbody, h('tr', {}, h('td', { colspan: 12, className: 'empty', text: 'No requests recorded yet.' })));
        return;
      }
      replaceChildren(tbody, page.data.map(renderRow));
    } catch (e) {
      if (!disposed) {
        error.show(`Could not load activity: ${e.message}`);
      }
    }
  }

  return () => {
    disposed = true;
    clearTimeout(refreshTimer);
    unsubscribe.forEach((off) => off());
  };
}

function renderRow(row) {
  const tokens = row.tokens ?? {};
  const ok = row.resp_status_code >= 200 && row.resp_status_code < 300;
  return h('tr', { 'data-testid': `activity-row-${row.id}` },
    h('td', { className: 'num', text: row.id }),
    h('td', { title: dateTime(row.timestamp), text: time(row.timestamp) }),
    h('td', { className: 'mono', text: row.model }),
    h('td', { className: 'mono', text: row.req_path }),
    h('td', {},
      h('span', { className: ok ? 'status-ok' : 'status-err', text: row.resp_status_code }),
      row.error_msg ? h('span', { className: 'sub', title: row.error_msg, text: truncate(row.error_msg, 60) }) : null),
    h('td', { className: 'num', text: count(tokens.input_tokens) }),
    h('td', { className: 'num', text: count(tokens.cache_tokens) }),
    h('td', { className: 'num', text: count(tokens.output_tokens) }),
    h('td', { className: 'num', text: rate(tokens.prompt_per_second) }),
    h('td', { className: 'num', text: rate(tokens.tokens_per_second) }),
    h('td', { className: 'num', text: duration(row.duration_ms) }),
    h('td', {}, row.has_capture
      ? h('a', { href: `#/captures/${encodeURIComponent(row.id)}`, 'data-testid': `activity-capture-${row.id}`, text: 'View' })
      : h('span', { className: 'notice', text: '—' })));
}

function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

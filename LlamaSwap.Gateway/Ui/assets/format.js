// Display formats shared by the pages. Unknown metric values are -1 (reference 2.4.2): shown as a dash.

const dash = '—';

export function count(value) {
  return typeof value === 'number' && value >= 0 ? value.toLocaleString() : dash;
}

export function rate(value) {
  return typeof value === 'number' && value >= 0 ? value.toFixed(1) : dash;
}

export function duration(ms) {
  if (typeof ms !== 'number' || ms < 0) {
    return dash;
  }
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function time(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso ?? dash) : date.toLocaleTimeString();
}

export function dateTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso ?? '') : date.toLocaleString();
}

// What the non-chat kinds share: a form panel beside a result panel, one request at a time.
import { ensureOk } from '../../api.js';
import { h } from '../../dom.js';

/**
 * Lays out `fields` and a submit button (`data-testid="playground-<kind>-run"`) beside a result
 * panel (`playground-<kind>-result`). `submit(signal)` runs on submit; its errors go to `error`.
 */
export function kindForm(panel, { kind, fields, label, error, submit }) {
  const run = h('button', { type: 'submit', className: 'primary', 'data-testid': `playground-${kind}-run`, text: label });
  const result = h('div', { className: 'result', 'data-testid': `playground-${kind}-result`, 'aria-live': 'polite' });
  const stats = h('div', { className: 'stats', 'data-testid': `playground-${kind}-stats` });
  let controller = null;
  const form = h('form', {
    className: 'panel',
    onsubmit: async (e) => {
      e.preventDefault();
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      error.clear();
      run.disabled = true;
      stats.textContent = 'Waiting for the model…';
      const started = performance.now();
      try {
        await submit(mine.signal, result);
        stats.textContent = `${((performance.now() - started) / 1000).toFixed(2)} s`;
      } catch (err) {
        stats.textContent = '';
        if (err.name !== 'AbortError') {
          error.show(err.message);
        }
      } finally {
        run.disabled = false;
      }
    },
  }, fields, h('div', { className: 'toolbar' }, run));
  panel.append(h('div', { className: 'playground' }, form, h('section', { className: 'panel', 'aria-label': 'Result' }, result, stats)));
  return () => controller?.abort();
}

/** A labelled field. */
export function field(id, label, control) {
  control.id = id;
  return h('div', { className: 'field' }, h('label', { for: id, text: label }), control);
}

/** POSTs JSON and returns the response (throws the server's message on an error status). */
export async function postJson(path, body, signal) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  return ensureOk(response);
}

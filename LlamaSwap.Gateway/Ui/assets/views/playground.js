// Playground: one chat turn against a chosen model, streamed from /v1/chat/completions.
import { ensureOk, getJson, serverSentEvents } from '../api.js';
import { errorLine, h, toolbar } from '../dom.js';

const modelKey = 'llamaswap.playground.model';

export function mount(container) {
  const error = errorLine('playground-error');
  const model = h('select', { id: 'pg-model', 'data-testid': 'playground-model', required: true });
  const system = h('textarea', { id: 'pg-system', rows: 3, 'data-testid': 'playground-system', placeholder: 'You are a helpful assistant.' });
  const user = h('textarea', { id: 'pg-user', rows: 6, 'data-testid': 'playground-user', placeholder: 'Ask something… (Ctrl+Enter sends)' });
  const send = h('button', { type: 'submit', className: 'primary', 'data-testid': 'playground-send', text: 'Send' });
  const stop = h('button', { type: 'button', 'data-testid': 'playground-stop', text: 'Stop', disabled: true, onclick: () => controller?.abort() });
  const reasoning = h('div', { className: 'reasoning', 'data-testid': 'playground-reasoning', hidden: true, 'aria-label': 'Reasoning' });
  const reply = h('div', { className: 'reply', 'data-testid': 'playground-reply', 'aria-live': 'polite' });
  const stats = h('div', { className: 'stats', 'data-testid': 'playground-stats' });
  let controller = null;

  const form = h('form', { className: 'panel', onsubmit: (e) => { e.preventDefault(); run(); } },
    h('div', { className: 'field' }, h('label', { for: 'pg-model', text: 'Model' }), model),
    h('div', { className: 'field' }, h('label', { for: 'pg-system', text: 'System message' }), system),
    h('div', { className: 'field' }, h('label', { for: 'pg-user', text: 'User message' }), user),
    h('div', { className: 'toolbar' }, send, stop));

  user.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  model.addEventListener('change', () => localStorage.setItem(modelKey, model.value));

  container.append(
    toolbar('Playground'),
    error.element,
    h('div', { className: 'playground' },
      form,
      h('section', { className: 'panel', 'aria-label': 'Reply' }, reasoning, reply, stats)));

  loadModels();

  async function loadModels() {
    try {
      const models = await getJson('/v1/models');
      const remembered = localStorage.getItem(modelKey);
      model.replaceChildren(...models.data.map((m) => h('option', { value: m.id, text: m.name && m.name !== m.id ? `${m.id} (${m.name})` : m.id })));
      if (models.data.some((m) => m.id === remembered)) {
        model.value = remembered;
      }
    } catch (e) {
      error.show(`Could not list models: ${e.message}`);
    }
  }

  async function run() {
    if (!model.value || !user.value.trim()) {
      error.show('Choose a model and write a message.');
      return;
    }
    error.clear();
    reply.textContent = '';
    reasoning.textContent = '';
    reasoning.hidden = true;
    stats.textContent = 'Waiting for the model…';
    controller = new AbortController();
    send.disabled = true;
    stop.disabled = false;

    const messages = [];
    if (system.value.trim()) {
      messages.push({ role: 'system', content: system.value });
    }
    messages.push({ role: 'user', content: user.value });

    const started = performance.now();
    let firstToken = null;
    let usage = null;
    let timings = null;
    try {
      const response = await fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: JSON.stringify({ model: model.value, messages, stream: true, stream_options: { include_usage: true } }),
        signal: controller.signal,
      });
      await ensureOk(response);
      stats.textContent = '';
      for await (const data of serverSentEvents(response)) {
        if (data === '[DONE]') {
          break;
        }
        let chunk;
        try {
          chunk = JSON.parse(data);
        } catch {
          continue;
        }
        const delta = chunk.choices?.[0]?.delta ?? {};
        const thought = delta.reasoning_content ?? delta.reasoning;
        if (thought) {
          reasoning.hidden = false;
          reasoning.append(thought);
        }
        if (delta.content) {
          firstToken ??= performance.now();
          reply.append(delta.content);
        }
        usage = chunk.usage ?? usage;
        timings = chunk.timings ?? timings;
      }
      stats.textContent = summary(started, firstToken, performance.now(), usage, timings);
    } catch (e) {
      if (e.name === 'AbortError') {
        stats.textContent = `Stopped. ${summary(started, firstToken, performance.now(), usage, timings)}`;
      } else {
        stats.textContent = '';
        error.show(e.message);
      }
    } finally {
      controller = null;
      send.disabled = false;
      stop.disabled = true;
    }
  }

  return () => controller?.abort();
}

function summary(started, firstToken, ended, usage, timings) {
  const parts = [`${((ended - started) / 1000).toFixed(2)} s`];
  if (firstToken !== null) {
    parts.push(`first token after ${Math.round(firstToken - started)} ms`);
  }
  if (usage) {
    parts.push(`${usage.prompt_tokens ?? '?'} prompt tokens`, `${usage.completion_tokens ?? '?'} completion tokens`);
  }
  // llama.cpp's own timing is exact. Otherwise estimate from the streamed time, unless the reply
  // came too fast (or in one piece) for that window to mean anything.
  // The first token opens the window, so it is not counted in it.
  const streamed = firstToken === null ? 0 : ended - firstToken;
  if (timings?.predicted_per_second) {
    parts.push(`${timings.predicted_per_second.toFixed(1)} tokens/s`);
  } else if (usage?.completion_tokens > 1 && streamed >= 100) {
    parts.push(`≈ ${((usage.completion_tokens - 1) / (streamed / 1000)).toFixed(1)} tokens/s`);
  }
  return parts.join(' · ');
}

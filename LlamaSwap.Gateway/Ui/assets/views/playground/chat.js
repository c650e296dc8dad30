// Chat: a multi-turn conversation streamed from /v1/chat/completions. Replies render as sanitised
// markdown while they stream; Export downloads the conversation as a markdown file.
import { ensureOk, serverSentEvents } from '../../api.js';
import { h } from '../../dom.js';
import { renderMarkdown } from './markdown.js';

export function mount(panel, { model, error }) {
  const system = h('textarea', { id: 'pg-system', rows: 2, 'data-testid': 'playground-system', placeholder: 'You are a helpful assistant.' });
  const user = h('textarea', { id: 'pg-user', rows: 4, 'data-testid': 'playground-user', placeholder: 'Ask something… (Ctrl+Enter sends)' });
  const send = h('button', { type: 'submit', className: 'primary', 'data-testid': 'playground-send', text: 'Send' });
  const stop = h('button', { type: 'button', 'data-testid': 'playground-stop', text: 'Stop', disabled: true, onclick: () => controller?.abort() });
  const clear = h('button', { type: 'button', 'data-testid': 'playground-new', text: 'New chat', onclick: () => reset() });
  const exportButton = h('button', { type: 'button', 'data-testid': 'playground-export', text: 'Export', disabled: true, onclick: () => download() });
  const conversation = h('div', { className: 'conversation', 'data-testid': 'playground-conversation', 'aria-live': 'polite' },
    h('p', { className: 'notice', text: 'The conversation appears here.' }));
  const stats = h('div', { className: 'stats', 'data-testid': 'playground-stats' });
  // Every turn so far: { role, content, model? }. The system message is read at each send.
  let turns = [];
  let controller = null;

  const form = h('form', { className: 'panel', onsubmit: (e) => { e.preventDefault(); run(); } },
    h('div', { className: 'field' }, h('label', { for: 'pg-system', text: 'System message' }), system),
    h('div', { className: 'field' }, h('label', { for: 'pg-user', text: 'User message' }), user),
    h('div', { className: 'toolbar' }, send, stop, clear, exportButton));
  user.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  panel.append(h('div', { className: 'playground' },
    form,
    h('section', { className: 'panel', 'aria-label': 'Conversation' }, conversation, stats)));

  function reset() {
    controller?.abort();
    turns = [];
    conversation.replaceChildren(h('p', { className: 'notice', text: 'The conversation appears here.' }));
    stats.textContent = '';
    exportButton.disabled = true;
  }

  function bubble(role, label) {
    const content = h('div', { className: role === 'assistant' ? 'markdown' : 'plain' });
    const element = h('article', { className: `message ${role}`, 'data-role': role }, h('h3', { text: label }), content);
    conversation.querySelector('.notice')?.remove();
    conversation.append(element);
    return { element, content };
  }

  async function run() {
    const chosen = model();
    if (!chosen || !user.value.trim()) {
      error.show('Choose a model and write a message.');
      return;
    }
    error.clear();
    const question = user.value;
    user.value = '';
    bubble('user', 'User').content.textContent = question;
    turns.push({ role: 'user', content: question });

    // Only the newest reply carries the test id, so it always names one element.
    conversation.querySelectorAll('[data-testid="playground-reply"], [data-testid="playground-reasoning"]').forEach((e) => e.removeAttribute('data-testid'));
    const answer = bubble('assistant', `Assistant · ${chosen}`);
    answer.content.setAttribute('data-testid', 'playground-reply');
    const reasoning = h('details', { className: 'reasoning', 'data-testid': 'playground-reasoning', hidden: true }, h('summary', { text: 'Reasoning' }));
    const reasoningText = h('div');
    reasoning.append(reasoningText);
    answer.content.before(reasoning);

    stats.textContent = 'Waiting for the model…';
    controller = new AbortController();
    send.disabled = true;
    stop.disabled = false;
    exportButton.disabled = true;

    const messages = [];
    if (system.value.trim()) {
      messages.push({ role: 'system', content: system.value });
    }
    messages.push(...turns.map(({ role, content }) => ({ role, content })));

    const started = performance.now();
    let firstToken = null;
    let usage = null;
    let timings = null;
    let text = '';
    let pending = false;
    // Re-rendering the whole reply once per frame keeps long streams cheap and the markdown whole.
    const render = () => {
      if (!pending) {
        pending = true;
        requestAnimationFrame(() => {
          pending = false;
          renderMarkdown(answer.content, text);
        });
      }
    };
    try {
      const response = await fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: JSON.stringify({ model: chosen, messages, stream: true, stream_options: { include_usage: true } }),
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
          reasoningText.append(thought);
        }
        if (delta.content) {
          firstToken ??= performance.now();
          text += delta.content;
          render();
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
      renderMarkdown(answer.content, text);
      if (text) {
        turns.push({ role: 'assistant', content: text, model: chosen });
      } else {
        // Nothing came back: the question stays for the next try, the empty answer goes.
        answer.element.remove();
      }
      controller = null;
      send.disabled = false;
      stop.disabled = true;
      exportButton.disabled = turns.length === 0;
    }
  }

  function download() {
    const markdown = toMarkdown(system.value, turns, new Date());
    const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown;charset=utf-8' }));
    const link = h('a', { href: url, download: `chat-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.md` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return () => controller?.abort();
}

/** The conversation as markdown: a title, then one `## Role` heading per message. */
export function toMarkdown(systemMessage, turns, when) {
  const parts = [`# Chat exported from LlamaSwap`, '', `_${when.toISOString()}_`, ''];
  if (systemMessage.trim()) {
    parts.push('## System', '', systemMessage.trim(), '');
  }
  for (const turn of turns) {
    parts.push(turn.role === 'user' ? '## User' : `## Assistant (${turn.model})`, '', turn.content.trim(), '');
  }
  return parts.join('\n');
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

// Playground: one model, and the kinds it offers (views/playground/kinds.js) as tabs: chat,
// embeddings, rerank, images, transcription and speech. Kinds the model does not say it can do are
// disabled tabs that say why.
import { getJson } from '../api.js';
import { errorLine, h, toolbar } from '../dom.js';
import * as chat from './playground/chat.js';
import * as embeddings from './playground/embeddings.js';
import * as rerank from './playground/rerank.js';
import * as images from './playground/images.js';
import { mountSpeech, mountTranscription } from './playground/audio.js';
import { kinds, whyNot } from './playground/kinds.js';

const modelKey = 'llamaswap.playground.model';
const kindKey = 'llamaswap.playground.kind';
const mounts = {
  chat: chat.mount,
  embeddings: embeddings.mount,
  rerank: rerank.mount,
  images: images.mount,
  transcription: mountTranscription,
  speech: mountSpeech,
};

export function mount(container) {
  const error = errorLine('playground-error');
  const model = h('select', { id: 'pg-model', 'data-testid': 'playground-model', required: true });
  const tabs = h('div', { className: 'tabs', role: 'tablist', 'aria-label': 'Kind' });
  const why = h('p', { className: 'notice', 'data-testid': 'playground-why', hidden: true });
  const panel = h('div', { role: 'tabpanel', 'data-testid': 'playground-panel' });
  let models = [];
  let current = null;
  let unmountKind = null;

  container.append(
    toolbar('Playground', h('label', { className: 'inline', for: 'pg-model' }, 'Model', model)),
    tabs,
    why,
    error.element,
    panel);

  model.addEventListener('change', () => {
    localStorage.setItem(modelKey, model.value);
    refreshTabs();
  });
  loadModels();

  async function loadModels() {
    try {
      models = (await getJson('/v1/models')).data ?? [];
      const remembered = localStorage.getItem(modelKey);
      model.replaceChildren(...models.map((m) => h('option', { value: m.id, text: m.name && m.name !== m.id ? `${m.id} (${m.name})` : m.id })));
      if (models.some((m) => m.id === remembered)) {
        model.value = remembered;
      }
    } catch (e) {
      error.show(`Could not list models: ${e.message}`);
    }
    refreshTabs();
  }

  /** Rebuilds the tabs for the chosen model; keeps the open kind if the model offers it. */
  function refreshTabs() {
    const chosen = models.find((m) => m.id === model.value);
    const reasons = Object.fromEntries(kinds.map((k) => [k.id, chosen ? whyNot(chosen, k.id) : 'no model chosen']));
    tabs.replaceChildren(...kinds.map((k) => h('button', {
      type: 'button',
      role: 'tab',
      'data-testid': `playground-tab-${k.id}`,
      'aria-selected': String(k.id === current),
      disabled: reasons[k.id] !== null,
      title: reasons[k.id] ?? '',
      text: k.label,
      onclick: () => open(k.id),
    })));
    const missing = kinds.filter((k) => reasons[k.id] !== null);
    why.hidden = !chosen || missing.length === 0;
    why.textContent = chosen ? `${chosen.id} does not offer ${missing.map((k) => `${k.label} (${reasons[k.id]})`).join('; ')}.` : '';

    const remembered = localStorage.getItem(kindKey);
    const wanted = [current, remembered, ...kinds.map((k) => k.id)].find((id) => id && reasons[id] === null);
    if (wanted && wanted !== current) {
      open(wanted);
    } else if (!wanted) {
      close();
    }
  }

  function open(kind) {
    close();
    current = kind;
    localStorage.setItem(kindKey, kind);
    for (const tab of tabs.children) {
      tab.setAttribute('aria-selected', String(tab.dataset.testid === `playground-tab-${kind}`));
    }
    error.clear();
    unmountKind = mounts[kind](panel, { model: () => model.value, error });
  }

  function close() {
    unmountKind?.();
    unmountKind = null;
    current = null;
    panel.replaceChildren();
  }

  return () => close();
}

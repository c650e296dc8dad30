// Embeddings: /v1/embeddings for one or two texts; shows the dimension count, the first values and,
// for two texts, their cosine similarity.
import { h } from '../../dom.js';
import { field, kindForm, postJson } from './form.js';

const shown = 8;

export function mount(panel, { model, error }) {
  const first = h('textarea', { rows: 3, 'data-testid': 'playground-embeddings-input', placeholder: 'A text to embed' });
  const second = h('textarea', { rows: 3, 'data-testid': 'playground-embeddings-input2', placeholder: 'Optional: a second text, to compare' });
  return kindForm(panel, {
    kind: 'embeddings',
    label: 'Embed',
    error,
    fields: [field('pg-emb-1', 'Text', first), field('pg-emb-2', 'Second text (optional)', second)],
    submit: async (signal, result) => {
      const inputs = [first.value, second.value].filter((t) => t.trim());
      if (inputs.length === 0) {
        throw new Error('Write a text to embed.');
      }
      const body = await (await postJson('/v1/embeddings', { model: model(), input: inputs }, signal)).json();
      const vectors = (body.data ?? []).sort((a, b) => a.index - b.index).map((d) => d.embedding);
      if (vectors.length === 0 || !Array.isArray(vectors[0])) {
        throw new Error('The answer holds no embedding.');
      }
      result.replaceChildren(
        h('p', { 'data-testid': 'playground-embeddings-dimensions', text: `${vectors[0].length} dimensions` }),
        ...vectors.map((v, i) => h('p', { className: 'mono', 'data-testid': `playground-embeddings-values-${i}` },
          `#${i + 1}: [${v.slice(0, shown).map((x) => x.toFixed(4)).join(', ')}${v.length > shown ? ', …' : ''}]`)),
        vectors.length === 2
          ? h('p', { 'data-testid': 'playground-embeddings-cosine', text: `Cosine similarity: ${cosine(vectors[0], vectors[1]).toFixed(4)}` })
          : null,
        body.usage ? h('p', { className: 'notice', text: `${body.usage.prompt_tokens ?? '?'} prompt tokens` }) : null);
    },
  });
}

export function cosine(a, b) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

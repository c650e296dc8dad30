// Rerank: a query and documents (one per line) to /v1/rerank; the documents come back ranked with
// their scores.
import { h } from '../../dom.js';
import { field, kindForm, postJson } from './form.js';

export function mount(panel, { model, error }) {
  const query = h('input', { type: 'text', 'data-testid': 'playground-rerank-query', placeholder: 'How do LLMs work?' });
  const documents = h('textarea', { rows: 6, 'data-testid': 'playground-rerank-documents', placeholder: 'One document per line' });
  return kindForm(panel, {
    kind: 'rerank',
    label: 'Rerank',
    error,
    fields: [field('pg-rr-query', 'Query', query), field('pg-rr-docs', 'Documents (one per line)', documents)],
    submit: async (signal, result) => {
      const docs = documents.value.split('\n').map((d) => d.trim()).filter(Boolean);
      if (!query.value.trim() || docs.length === 0) {
        throw new Error('Write a query and at least one document.');
      }
      const body = await (await postJson('/v1/rerank', { model: model(), query: query.value, documents: docs }, signal)).json();
      const ranked = [...(body.results ?? [])].sort((a, b) => b.relevance_score - a.relevance_score);
      result.replaceChildren(h('table', { 'data-testid': 'playground-rerank-table' },
        h('thead', {}, h('tr', {}, h('th', { text: '#' }), h('th', { text: 'Score' }), h('th', { text: 'Document' }))),
        h('tbody', {}, ranked.map((r, i) => h('tr', {},
          h('td', { text: String(i + 1) }),
          h('td', { className: 'mono', text: Number(r.relevance_score).toFixed(4) }),
          h('td', { text: docs[r.index] ?? r.document?.text ?? `document ${r.index}` }))))));
    },
  });
}

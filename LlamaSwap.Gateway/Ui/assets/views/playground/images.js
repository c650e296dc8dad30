// Images: a prompt to /v1/images/generations; each image shown from its b64_json or url.
import { h } from '../../dom.js';
import { field, kindForm, postJson } from './form.js';

export function mount(panel, { model, error }) {
  const prompt = h('textarea', { rows: 4, 'data-testid': 'playground-images-prompt', placeholder: 'A lighthouse at dusk, watercolour' });
  const size = h('select', { 'data-testid': 'playground-images-size' },
    ['256x256', '512x512', '1024x1024'].map((s) => h('option', { value: s, text: s })));
  size.value = '512x512';
  const count = h('input', { type: 'number', min: 1, max: 4, value: '1', 'data-testid': 'playground-images-n' });
  return kindForm(panel, {
    kind: 'images',
    label: 'Generate',
    error,
    fields: [field('pg-img-prompt', 'Prompt', prompt), field('pg-img-size', 'Size', size), field('pg-img-n', 'Images', count)],
    submit: async (signal, result) => {
      if (!prompt.value.trim()) {
        throw new Error('Write a prompt.');
      }
      const n = Math.min(4, Math.max(1, Number(count.value) || 1));
      const body = await (await postJson('/v1/images/generations',
        { model: model(), prompt: prompt.value, n, size: size.value, response_format: 'b64_json' }, signal)).json();
      const images = (body.data ?? []).map((d, i) => {
        const src = d.b64_json ? `data:image/png;base64,${d.b64_json}` : d.url;
        return src ? h('img', { src, alt: `${prompt.value} (${i + 1})`, className: 'generated', 'data-testid': 'playground-image' }) : null;
      }).filter(Boolean);
      if (images.length === 0) {
        throw new Error('The answer holds no image.');
      }
      result.replaceChildren(h('div', { className: 'images' }, images));
    },
  });
}

// Audio: transcription (a file uploaded as multipart to /v1/audio/transcriptions -> text) and
// speech (text to /v1/audio/speech -> an audio element).
import { ensureOk } from '../../api.js';
import { h } from '../../dom.js';
import { field, kindForm, postJson } from './form.js';

export function mountTranscription(panel, { model, error }) {
  const file = h('input', { type: 'file', accept: 'audio/*,video/*', 'data-testid': 'playground-transcription-file' });
  const language = h('input', { type: 'text', placeholder: 'e.g. en (optional)', 'data-testid': 'playground-transcription-language' });
  return kindForm(panel, {
    kind: 'transcription',
    label: 'Transcribe',
    error,
    fields: [field('pg-tr-file', 'Audio file', file), field('pg-tr-lang', 'Language', language)],
    submit: async (signal, result) => {
      const chosen = file.files?.[0];
      if (!chosen) {
        throw new Error('Choose an audio file.');
      }
      const form = new FormData();
      form.append('model', model());
      form.append('file', chosen, chosen.name);
      if (language.value.trim()) {
        form.append('language', language.value.trim());
      }
      const response = await ensureOk(await fetch('/v1/audio/transcriptions', { method: 'POST', body: form, signal }));
      const body = await response.json();
      result.replaceChildren(h('p', { className: 'transcript', 'data-testid': 'playground-transcription-text', text: body.text ?? JSON.stringify(body) }));
    },
  });
}

export function mountSpeech(panel, { model, error }) {
  const input = h('textarea', { rows: 4, 'data-testid': 'playground-speech-input', placeholder: 'Text to speak' });
  const voice = h('input', { type: 'text', value: 'alloy', 'data-testid': 'playground-speech-voice' });
  let url = null;
  const unmount = kindForm(panel, {
    kind: 'speech',
    label: 'Speak',
    error,
    fields: [field('pg-sp-input', 'Text', input), field('pg-sp-voice', 'Voice', voice)],
    submit: async (signal, result) => {
      if (!input.value.trim()) {
        throw new Error('Write something to speak.');
      }
      const response = await postJson('/v1/audio/speech', { model: model(), input: input.value, voice: voice.value || 'alloy' }, signal);
      const blob = await response.blob();
      if (url) {
        URL.revokeObjectURL(url);
      }
      url = URL.createObjectURL(blob);
      result.replaceChildren(
        h('audio', { controls: true, preload: 'metadata', src: url, 'data-testid': 'playground-speech-audio' }),
        h('p', { className: 'notice', text: `${blob.type || 'audio'}, ${blob.size} bytes` }));
    },
  });
  return () => {
    unmount();
    if (url) {
      URL.revokeObjectURL(url);
    }
  };
}

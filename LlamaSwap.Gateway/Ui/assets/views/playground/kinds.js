// Which playground kinds a model offers, from what /v1/models says it can do (its `capabilities`,
// rendered from the config's capabilities.in/out/reranker, reference 2.2). A model that says
// nothing is a text model: chat and embeddings (llama-swap has no embeddings flag; the upstream
// answers or explains, e.g. llama-server without --embeddings).

export const kinds = [
  { id: 'chat', label: 'Chat' },
  { id: 'embeddings', label: 'Embeddings' },
  { id: 'rerank', label: 'Rerank' },
  { id: 'images', label: 'Images' },
  { id: 'transcription', label: 'Transcription' },
  { id: 'speech', label: 'Speech' },
];

/** Null when `model` offers `kind`, else why not (shown on the disabled tab). */
export function whyNot(model, kind) {
  const caps = model?.capabilities ?? {};
  const inputs = model?.architecture?.input_modalities ?? [];
  const outputs = model?.architecture?.output_modalities ?? [];
  const rerankerOnly = caps.reranker && inputs.length === 0 && outputs.length === 0;
  const text = !rerankerOnly && (inputs.length === 0 || inputs.includes('text')) && (outputs.length === 0 || outputs.includes('text'));
  switch (kind) {
    case 'chat':
    case 'embeddings':
      if (text) {
        return null;
      }
      return rerankerOnly ? 'a reranker (capabilities.reranker) without text in/out' : `it takes ${list(inputs)} and gives ${list(outputs)}, not text to text`;
    case 'rerank':
      return caps.reranker ? null : 'capabilities.reranker is not set';
    case 'images':
      return caps.image_generation ? null : 'needs capabilities in: [text] and out: [image]';
    case 'transcription':
      return caps.audio_transcriptions ? null : 'needs capabilities in: [audio] and out: [text]';
    case 'speech':
      return caps.audio_speech ? null : 'needs capabilities in: [text] and out: [audio]';
    default:
      return 'unknown kind';
  }
}

function list(values) {
  return values.length ? values.join(' + ') : 'anything';
}

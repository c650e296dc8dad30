// HTTP helpers. Every URL is an absolute path on the page's own origin, so the UI works the same on
// the gateway's port and behind the auth proxy (where the browser re-sends its Basic credentials).

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** A model ID as a URL path: IDs may contain '/', which stays a separator (reference 2.3). */
export function modelPath(id) {
  return id.split('/').map(encodeURIComponent).join('/');
}

/** Throws an HttpError carrying the server's message (llama-swap's error envelope, reference 2.8). */
export async function ensureOk(response) {
  if (response.ok) {
    return response;
  }
  let detail = '';
  try {
    const text = (await response.text()).trim();
    try {
      const body = JSON.parse(text);
      const message = body?.error?.message ?? body?.error ?? body?.message;
      detail = typeof message === 'string' ? message : text;
    } catch {
      detail = text;
    }
  } catch {
    // The body is unreadable: the status line is all there is.
  }
  const status = `${response.status} ${response.statusText}`.trim();
  throw new HttpError(response.status, detail ? `${status}: ${detail}` : status);
}

export async function getJson(path, options = {}) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, ...options });
  await ensureOk(response);
  return response.json();
}

export async function post(path, options = {}) {
  const response = await fetch(path, { method: 'POST', headers: { Accept: 'application/json' }, ...options });
  return ensureOk(response);
}

/** Yields decoded text chunks of a streamed response body as they arrive. */
export async function* textChunks(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Yields the `data` of each server-sent event of a streamed response (multi-line data joined with
 * '\n', comments and other fields ignored).
 */
export async function* serverSentEvents(response) {
  let buffer = '';
  let data = [];
  for await (const chunk of textChunks(response)) {
    buffer += chunk;
    let newline;
    while ((newline = buffer.search(/\r?\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(buffer[newline] === '\r' ? newline + 2 : newline + 1);
      if (line === '') {
        if (data.length > 0) {
          yield data.join('\n');
          data = [];
        }
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line[5] === ' ' ? 6 : 5));
      }
    }
  }
  if (data.length > 0) {
    yield data.join('\n');
  }
}

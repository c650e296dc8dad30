// Live updates from /api/events (reference 2.4): each SSE frame is `event:message` with
// `data:{"type":..,"data":"<JSON string>"}`. While the stream is not open (not deployed, restarting,
// refused), model states are polled from /running and /v1/models every 2 s instead and announced as
// the same `modelStatus` messages, and a `tick` message lets other pages refresh too.
import { getJson } from './api.js';

const pollInterval = 2000;
const reconnectDelay = 15000;

export class LiveEvents {
  #listeners = new Map();
  #source = null;
  #pollTimer = null;
  #reconnectTimer = null;
  #statusElement;

  constructor(statusElement) {
    this.#statusElement = statusElement;
  }

  /** True while /api/events is connected (pages then need no polling of their own). */
  get live() {
    return this.#source?.readyState === EventSource.OPEN;
  }

  /** Subscribes to one message type; returns the unsubscribe function. */
  on(type, listener) {
    if (!this.#listeners.has(type)) {
      this.#listeners.set(type, new Set());
    }
    this.#listeners.get(type).add(listener);
    return () => this.#listeners.get(type)?.delete(listener);
  }

  start() {
    this.#connect();
  }

  #emit(type, payload) {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`listener for ${type} failed`, error);
      }
    }
  }

  #connect() {
    clearTimeout(this.#reconnectTimer);
    this.#setStatus('connecting');
    this.#startPolling();
    const source = new EventSource('/api/events');
    this.#source = source;
    source.addEventListener('open', () => {
      this.#setStatus('live');
      this.#stopPolling();
    });
    source.addEventListener('message', (event) => this.#dispatch(event.data));
    source.addEventListener('error', () => {
      this.#startPolling();
      if (source.readyState === EventSource.CLOSED) {
        // Refused for good (404, wrong content type): the browser won't retry, so we do, later.
        this.#setStatus('polling');
        this.#reconnectTimer = setTimeout(() => this.#connect(), reconnectDelay);
      } else {
        this.#setStatus('connecting');
      }
    });
  }

  #dispatch(raw) {
    let envelope;
    try {
      envelope = JSON.parse(raw);
    } catch {
      return;
    }
    let payload = envelope?.data;
    if (typeof payload === 'string') {
      try {
        payload = JSON.parse(payload);
      } catch {
        // Not double-encoded after all: pass the string through.
      }
    }
    if (typeof envelope?.type === 'string') {
      this.#emit(envelope.type, payload);
    }
  }

  #startPolling() {
    if (this.#pollTimer === null) {
      this.#pollTimer = setInterval(() => this.#poll(), pollInterval);
      this.#poll();
    }
  }

  #stopPolling() {
    clearInterval(this.#pollTimer);
    this.#pollTimer = null;
  }

  async #poll() {
    this.#emit('tick', null);
    if (!this.#listeners.get('modelStatus')?.size) {
      return;
    }
    try {
      const [models, running] = await Promise.all([getJson('/v1/models'), getJson('/running')]);
      if (this.#pollTimer === null) {
        return;
      }
      const states = new Map(running.running.map((r) => [r.model, r.state]));
      const status = models.data
        .filter((m) => (m.meta?.llamaswap?.type ?? 'model') === 'model')
        .map((m) => ({
          id: m.id,
          name: m.name ?? '',
          description: m.description ?? '',
          state: states.get(m.id) ?? 'stopped',
          unlisted: false,
          peerID: '',
        }));
      this.#emit('modelStatus', status);
    } catch (error) {
      console.warn('polling model states failed', error);
    }
  }

  #setStatus(state) {
    const labels = { live: 'live', polling: 'polling', connecting: 'connecting' };
    this.#statusElement.dataset.state = state;
    this.#statusElement.textContent = labels[state];
    this.#statusElement.title = state === 'live'
      ? 'Live updates from /api/events'
      : 'Live events unavailable: refreshing every 2 s';
  }
}

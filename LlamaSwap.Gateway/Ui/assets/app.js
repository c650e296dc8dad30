// Entry point: a hash router over the pages in ./views. Each page's mount(container, context)
// returns a function that stops its timers, streams and subscriptions when the user navigates away.
import { LiveEvents } from './events.js';
import * as models from './views/models.js';
import * as playground from './views/playground.js';
import * as logs from './views/logs.js';
import * as activity from './views/activity.js';
import * as capture from './views/capture.js';
import * as performance from './views/performance.js';
import * as hardware from './views/hardware.js';
import * as model from './views/model.js';

const pages = { models, playground, logs, activity, performance, hardware };
const view = document.getElementById('view');
const events = new LiveEvents(document.querySelector('[data-testid="events-status"]'));
let unmount = null;

function currentRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  if (hash) {
    return hash;
  }
  // /ui/models (where GET /upstream redirects) and friends: deep links without a hash.
  const fromPath = location.pathname.replace(/^\/ui\/?/, '');
  return fromPath in pages ? fromPath : 'models';
}

function render() {
  unmount?.();
  unmount = null;
  const route = currentRoute();
  const [name, ...rest] = route.split('/');
  view.replaceChildren();

  let navName = name;
  if (name === 'captures' && rest.length > 0) {
    navName = 'activity';
    unmount = capture.mount(view, { events, id: decodeURIComponent(rest.join('/')) });
  } else if (name === 'models' && rest.length > 0) {
    // Model IDs may contain '/': every remaining segment is part of the ID.
    unmount = model.mount(view, { events, id: rest.map(decodeURIComponent).join('/') });
  } else if (name in pages) {
    unmount = pages[name].mount(view, { events });
  } else {
    location.replace('#/models');
    return;
  }

  for (const link of document.querySelectorAll('nav a[data-route]')) {
    if (link.dataset.route === navName) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  document.title = `${navName[0].toUpperCase()}${navName.slice(1)} · LlamaSwap`;
}

window.addEventListener('hashchange', render);
events.start();
render();

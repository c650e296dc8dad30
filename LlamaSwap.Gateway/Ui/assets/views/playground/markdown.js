// Model output as markdown: marked turns it into HTML, DOMPurify removes everything that could run
// or load (scripts, event handlers, javascript: links, remote images), and only then is it set as
// innerHTML. Model output is untrusted input like any other.
import { marked } from '../../vendor/marked/marked.esm.js';
import createDOMPurify from '../../vendor/dompurify/purify.es.js';

const purify = createDOMPurify(window);
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
  // A remote image would be fetched as the page renders: a tracking pixel in a reply. Inline data only.
  if (node.tagName === 'IMG' && !/^data:image\//i.test(node.getAttribute('src') ?? '')) {
    node.replaceWith(document.createTextNode(`[image: ${node.getAttribute('alt') || node.getAttribute('src') || ''}]`));
  }
});

const options = { gfm: true, breaks: false, async: false };

/** Replaces `element`'s content with `text` rendered as sanitised markdown. */
export function renderMarkdown(element, text) {
  element.innerHTML = purify.sanitize(marked.parse(text, options), {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe'],
    FORBID_ATTR: ['style'],
  });
}

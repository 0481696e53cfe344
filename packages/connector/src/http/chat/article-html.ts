// Article bodies come from Salesforce rich-text fields, written by whoever may edit Knowledge: the chat shows them
// only after sanitize-html keeps an allowlist of structural tags, links to http(s) and mailto only (opened in a new
// tab without an opener), and images from https only. No attribute that runs code or styles survives; the chat
// page's CSP (no inline script, no inline style) is the second wall.

import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'code',
    'pre',
    'kbd',
    'blockquote',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'caption',
    'figure',
    'figcaption',
    'span',
    'div',
    'sub',
    'sup',
  ],
  allowedAttributes: {
    // target and rel are the ones transformTags sets (it runs before this filter)
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    th: ['scope'],
    td: ['colspan'],
  },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  // an article's own h1 would compete with the page's heading: it becomes an h2
  transformTags: {
    h1: 'h2',
    a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer' }),
  },
  disallowedTagsMode: 'discard',
  // a relative image would load from casebridge's own origin: only absolute https images are kept
  exclusiveFilter: (frame) => frame.tag === 'img' && !/^https:\/\//i.test(frame.attribs['src'] ?? ''),
};

export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

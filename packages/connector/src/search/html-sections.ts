// Clean text from article HTML, split into sections at headings. htmlparser2's streaming parser does the HTML
// (entities decoded, unclosed tags forgiven); this file only decides what becomes a line, a list item or a cell.

import { Parser } from 'htmlparser2';

import type { ArticleSection } from '../domain/knowledge/article.js';

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** content no reader sees */
const HIDDEN = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'title',
  'svg',
  'iframe',
  'object',
]);
const BLOCKS = new Set([
  'p',
  'div',
  'br',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'tr',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'caption',
  'blockquote',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'aside',
  'nav',
  'figure',
  'figcaption',
  'hr',
  'address',
  'details',
  'summary',
]);

const SPACE = /\s+/g;

/** Parses the HTML of an article body into sections of readable text. Never throws on malformed HTML. */
export function htmlToSections(html: string): ArticleSection[] {
  const sections: ArticleSection[] = [];
  let heading: string | null = null;
  let lines: string[] = [];
  let line = '';
  let headingText: string | null = null;
  let hiddenDepth = 0;
  let cellInRow = 0;

  const flushLine = (): void => {
    const text = line.replace(SPACE, ' ').trim();
    if (text !== '' && text !== '-') lines.push(text);
    line = '';
  };
  const closeSection = (): void => {
    flushLine();
    if (heading !== null || lines.length > 0) sections.push({ heading, text: lines.join('\n') });
    lines = [];
  };

  const endHeading = (): void => {
    const text = (headingText ?? '').replace(SPACE, ' ').trim();
    heading = text === '' ? null : text;
    headingText = null;
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (HIDDEN.has(name)) {
          hiddenDepth++;
          return;
        }
        if (hiddenDepth > 0) return;
        // a block inside a heading (an unclosed <h2>, or a <div> in one) ends the heading: headings are one line
        if (headingText !== null && (BLOCKS.has(name) || HEADINGS.has(name))) endHeading();
        if (HEADINGS.has(name)) {
          closeSection();
          headingText = '';
        } else if (name === 'li') {
          flushLine();
          line = '- ';
        } else if (name === 'tr') {
          flushLine();
          cellInRow = 0;
        } else if (name === 'td' || name === 'th') {
          if (cellInRow++ > 0) line += ' | ';
        } else if (BLOCKS.has(name)) {
          flushLine();
        }
      },
      ontext(text) {
        if (hiddenDepth > 0) return;
        if (headingText !== null) headingText += text;
        else line += text;
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) {
          hiddenDepth = Math.max(0, hiddenDepth - 1);
          return;
        }
        if (hiddenDepth > 0) return;
        if (HEADINGS.has(name) && headingText !== null) endHeading();
        else if (BLOCKS.has(name)) flushLine();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  if (headingText !== null) endHeading();
  closeSection();
  return sections;
}

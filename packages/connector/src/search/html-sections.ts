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

/**
 * How every packed text of this parser starts: bump the number whenever htmlToSections changes what it makes, so
 * texts stored by an older parser are parsed again from their HTML instead of being trusted.
 */
export const SECTIONS_PREFIX = 's1\u001d';
/** ends a section's heading (empty for none) in a packed text */
export const HEADING_END = '\u001f';
/** ends a section in a packed text */
export const SECTION_END = '\u001e';
/** the separators, wherever a text holds them (an entity such as &#31;), become spaces: they would split a section */
function withoutSeparators(text: string): string {
  let out = text;
  for (const separator of ['\u001d', HEADING_END, SECTION_END])
    if (out.includes(separator)) out = out.replaceAll(separator, ' ');
  return out;
}

/**
 * Sections packed into one string: the prefix, then per section its heading (empty when none), HEADING_END, its
 * text and SECTION_END. One string is what the index keeps for snippets, and what the store keeps beside the HTML.
 */
export function packSections(sections: readonly ArticleSection[]): string {
  const parts = [SECTIONS_PREFIX];
  for (const section of sections) {
    parts.push(
      withoutSeparators(section.heading ?? ''),
      HEADING_END,
      withoutSeparators(section.text),
      SECTION_END,
    );
  }
  return parts.join('');
}

/** The sections of a packed text (the inverse of packSections); none when the text is not one. */
export function unpackSections(packed: string): ArticleSection[] {
  const sections: ArticleSection[] = [];
  if (!packed.startsWith(SECTIONS_PREFIX)) return sections;
  for (let at = SECTIONS_PREFIX.length; at < packed.length;) {
    const headingEnd = packed.indexOf(HEADING_END, at);
    const end = packed.indexOf(SECTION_END, headingEnd + 1);
    if (headingEnd < 0 || end < 0) break;
    sections.push({
      heading: headingEnd === at ? null : packed.slice(at, headingEnd),
      text: packed.slice(headingEnd + 1, end),
    });
    at = end + 1;
  }
  return sections;
}

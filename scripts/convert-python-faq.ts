// Converts the Python FAQ (the HTML of Debian's python3.11-doc package) into a knowledge-base evaluation set for
// `npm run bench -- --only search-quality --kb bench/data/kb/python-faq` (articles.jsonl + queries.jsonl).
//
//   apt-get download python3.11-doc && dpkg -x python3.11-doc_*.deb /tmp/pydoc
//   node --import tsx scripts/convert-python-faq.ts /tmp/pydoc/usr/share/doc/python3.11/html bench/data/kb/python-faq
//
// Articles: every FAQ entry, i.e. every <section> of faq/*.html (not faq/index.html) that holds no further section:
// its heading is the title, the rest of the section's HTML the body. Headings that group entries ("Core Language")
// are not articles, nor is a section with no text besides its heading. Queries: one per entry, made from the entry's question by one fixed rule (keywordQuery below), so
// no query is the title verbatim, but every query word is a title word: see bench/data/kb/python-faq/NOTICE.md.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { stopwords } from '@orama/stopwords/english';
import { DomUtils, ElementType, parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';

const STOP = new Set(stopwords);
const HEADING = /^h[1-6]$/;

const isElement = (node: ChildNode): node is Element => node.type === ElementType.Tag;
const isSection = (node: ChildNode): node is Element => isElement(node) && node.name === 'section';

/**
 * The query rule: the question's words (letters, digits, underscores), lower-cased, each once, in their order, with
 * the English stop words dropped (the list both rankers use, @orama/stopwords; "isn't" is one word here, so it goes)
 * and no stemming. "How do I create a
 * multidimensional list?" becomes "create multidimensional list". When nothing is left, the question's first three
 * words are kept instead.
 */
export function keywordQuery(question: string): string {
  const words = [
    ...question
      .toLowerCase()
      .replaceAll('’', "'")
      .matchAll(/[\p{L}\p{N}_]+(?:'\p{L}+)*/gu),
  ].map((m) => m[0]);
  const kept = [...new Set(words.filter((w) => !STOP.has(w) && w.length > 1))];
  return (kept.length > 0 ? kept : words.slice(0, 3)).join(' ');
}

interface Entry {
  id: string;
  title: string;
  body: string;
}

function entriesOf(page: string, html: string): Entry[] {
  const doc = parseDocument(html);
  const sections = DomUtils.findAll(
    (el) => el.name === 'section' && !el.children.some(isSection),
    doc.children,
  );
  const entries: Entry[] = [];
  for (const section of sections) {
    const heading = section.children.find((n): n is Element => isElement(n) && HEADING.test(n.name));
    if (heading === undefined || heading.name === 'h1') continue;
    // the heading's text without Sphinx's permalink mark
    const title = DomUtils.textContent(heading).replace(/¶\s*$/u, '').replace(/\s+/g, ' ').trim();
    const rest = section.children.filter((n) => n !== heading);
    const body = rest
      .map((n) => DomUtils.getOuterHTML(n, { decodeEntities: true }))
      .join('')
      .trim();
    if (DomUtils.textContent(rest).trim() === '') continue; // a group heading with no answer of its own
    const id = `pyfaq-${page}-${section.attribs['id'] ?? String(entries.length)}`;
    entries.push({ id, title, body });
  }
  return entries;
}

function main(): void {
  const [htmlDir, outDir] = process.argv.slice(2);
  if (htmlDir === undefined || outDir === undefined) {
    console.error('usage: convert-python-faq.ts PYTHON_HTML_DIR OUT_DIR');
    process.exit(2);
  }
  const faqDir = join(htmlDir, 'faq');
  const pages = readdirSync(faqDir)
    .filter((f) => f.endsWith('.html') && f !== 'index.html')
    .sort();
  const entries = pages.flatMap((f) =>
    entriesOf(f.replace(/\.html$/, ''), readFileSync(join(faqDir, f), 'utf8')),
  );
  const ids = new Set(entries.map((e) => e.id));
  if (ids.size !== entries.length) throw new Error('two FAQ entries share an id');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'articles.jsonl'),
    entries.map((e) => JSON.stringify({ id: e.id, title: e.title, body: e.body })).join('\n') + '\n',
  );
  writeFileSync(
    join(outDir, 'queries.jsonl'),
    entries
      .map((e) => JSON.stringify({ id: `${e.id}-q`, query: keywordQuery(e.title), relevant_ids: [e.id] }))
      .join('\n') + '\n',
  );
  // the licence terms of the documentation (history, PSF agreement and the earlier ones, Zero-Clause BSD for code
  // in the documentation), as the package's own license page gives them; the incorporated-software list is left out
  const licence = readFileSync(join(htmlDir, '_sources', 'license.rst.txt'), 'utf8');
  const end = licence.indexOf('.. _OtherLicenses:');
  writeFileSync(
    join(outDir, 'LICENSE.rst'),
    (end > 0 ? licence.slice(0, end) : licence).replaceAll('|release|', '3.11.2').trimEnd() + '\n',
  );
  console.log(`${entries.length} articles and queries from ${pages.length} pages into ${outDir}`);
}

main();

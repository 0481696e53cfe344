// The demo org's Knowledge articles: the 100 articles of data/kb/articles.jsonl, their plain-text bodies turned
// into the HTML a rich-text field (Answer__c) holds.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface SourceArticle {
  id: string;
  title: string;
  body: string;
}

export const DEFAULT_ARTICLES_PATH = fileURLToPath(new URL('../../data/kb/articles.jsonl', import.meta.url));

export async function loadArticles(path = DEFAULT_ARTICLES_PATH): Promise<SourceArticle[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SourceArticle);
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** short lines without closing punctuation read as section headings in these articles */
function isHeading(line: string): boolean {
  return line.length <= 60 && !/[.:!?;,]$/.test(line);
}

export function bodyToHtml(body: string): string {
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => (isHeading(line) ? `<h2>${escapeHtml(line)}</h2>` : `<p>${escapeHtml(line)}</p>`))
    .join('');
}

export function urlNameOf(title: string, taken: Set<string>): string {
  const base =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 200) || 'article';
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

/** the first sentence, as the article's Summary */
export function summaryOf(body: string): string {
  const first = body.split('\n')[0] ?? '';
  const sentence = /^.*?[.!?](\s|$)/.exec(first)?.[0] ?? first;
  return sentence.trim().slice(0, 1000);
}

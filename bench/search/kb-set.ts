// A knowledge-base evaluation set on disk: `articles.jsonl` ({id, title, body}, body plain text or HTML) and
// `queries.jsonl` ({id, query, relevant_ids}). The format of ../shared/data/kb/*, so an operator's own set works too.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { bodyToHtml } from '../../packages/emulator/src/seed/articles.js';

export interface KbArticle {
  id: string;
  title: string;
  /** as the set gives it */
  body: string;
  /** the body as an org would hold it: HTML as given, plain text turned into paragraphs and headings */
  html: string;
}

export interface KbQuery {
  id: string;
  query: string;
  relevant: string[];
}

export interface KbSet {
  name: string;
  articles: KbArticle[];
  queries: KbQuery[];
}

function jsonl(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`${path}:${i + 1} is not JSON`);
      }
    });
}

const looksLikeHtml = (text: string): boolean => /<(p|div|h[1-6]|ul|ol|li|table|br)\b/i.test(text);

export function loadKbSet(dir: string): KbSet {
  const articles = jsonl(join(dir, 'articles.jsonl')).map((row, i) => {
    const r = row as { id?: unknown; title?: unknown; body?: unknown };
    if (typeof r.id !== 'string' || typeof r.title !== 'string' || typeof r.body !== 'string') {
      throw new Error(`articles.jsonl line ${i + 1}: needs string id, title and body`);
    }
    // plain text is turned into HTML the way the demo org seeds its articles (short lines become headings)
    return {
      id: r.id,
      title: r.title,
      body: r.body,
      html: looksLikeHtml(r.body) ? r.body : bodyToHtml(r.body),
    };
  });
  const queries = jsonl(join(dir, 'queries.jsonl')).map((row, i) => {
    const r = row as { id?: unknown; query?: unknown; relevant_ids?: unknown };
    if (typeof r.query !== 'string' || !Array.isArray(r.relevant_ids)) {
      throw new Error(`queries.jsonl line ${i + 1}: needs string query and relevant_ids`);
    }
    return {
      id: typeof r.id === 'string' ? r.id : `q${i}`,
      query: r.query,
      relevant: r.relevant_ids.map(String),
    };
  });
  return { name: dir.split('/').filter(Boolean).pop() ?? dir, articles, queries };
}

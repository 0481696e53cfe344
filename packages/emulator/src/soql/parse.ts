// Parses SOQL with @jetstreamapp/soql-parser-js behind a bounded LRU cache keyed by the query text, and turns
// parser failures into Salesforce's MALFORMED_QUERY "unexpected token" errors.

import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import { malformed } from './query-errors.js';

/** SOQL statements are capped at 100,000 characters (salesforce.md 4.1). */
const MAX_LENGTH = 100_000;
const CACHE_SIZE = 1000;

const cache = new Map<string, Query>();

/** Extracts the token the parser stumbled on from its message ('' means end of input). */
function offendingToken(message: string): string {
  const found = /but found:? (?:-->\s*)?'?(.*?)'?(?:\s*<--|$)/m.exec(message);
  if (found) return (found[1] ?? '').trim();
  const char = /unexpected character: ->(.)<-/.exec(message);
  if (char) return char[1] ?? '';
  return '';
}

/** Parses a statement, returning a cached AST when the same text was seen before. Never mutate the result. */
export function parseSoql(soql: string): Query {
  const hit = cache.get(soql);
  if (hit) {
    // Refresh recency: Map iteration order is insertion order, so re-insert to mark as most recent.
    cache.delete(soql);
    cache.set(soql, hit);
    return hit;
  }
  if (soql.length > MAX_LENGTH) throw malformed(soql, '', 'Query is too long');
  let query: Query;
  try {
    query = parseQuery(soql);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw malformed(soql, offendingToken(message));
  }
  cache.set(soql, query);
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return query;
}

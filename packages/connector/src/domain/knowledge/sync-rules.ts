// The rules of knowledge sync, without I/O: which body fields a tenant loads, how many rows a page may hold, which
// channels count, when the id-only scan for removed articles runs, and what of an article version is kept.

import type { KnowledgeArticleRecord } from './article.js';

/** The channel flags of an article version; the tenant's list picks which make an article loadable. */
export type KnowledgeChannel = 'App' | 'Pkb' | 'Csp' | 'Prm';
export const KNOWLEDGE_CHANNELS: readonly KnowledgeChannel[] = ['App', 'Pkb', 'Csp', 'Prm'];
/** Customer and public knowledge base: what an employee without a Salesforce licence may be shown. */
export const DEFAULT_CHANNELS: readonly KnowledgeChannel[] = ['Csp', 'Pkb'];

/** A field of an article object as describe shows it to the service user (only readable fields are shown). */
export interface ArticleFieldInfo {
  name: string;
  /** rich text or long text area: a body candidate, and counted for the 200-row page cap */
  longText: boolean;
}

/** Salesforce pages hold at most 2,000 rows, but only 200 once a query selects two or more long-text fields. */
export function pageSizeFor(longTextSelected: number): number {
  return longTextSelected >= 2 ? 200 : 2000;
}

/** The least number of query calls that read `rows` rows in pages of `pageSize` (one call even for none). */
export function minimumCalls(rows: number, pageSize: number): number {
  return Math.max(1, Math.ceil(rows / pageSize));
}

/**
 * A full load reads by a Bulk API 2.0 query job once the REST read would take at least this many query calls. A job
 * costs one create, one or two status polls and one call per result page (10,000 rows), and waits a second or more
 * before its first poll; below 10 REST pages (2,000 rows with two long-text bodies, 20,000 without) the REST read is
 * about as cheap in calls and quicker (`npm run bench -- --only knowledge-bulk` measures both).
 */
export const BULK_FROM_REST_CALLS = 10;

/** Whether a full load of `rows` rows in REST pages of `pageSize` goes through a Bulk API 2.0 query job. */
export function readsByBulk(rows: number, pageSize: number): boolean {
  return minimumCalls(rows, pageSize) >= BULK_FROM_REST_CALLS;
}

export interface BodyFieldChoice {
  fields: string[];
  /** configured fields the object does not have (or the user cannot read) */
  missing: string[];
}

/**
 * The body fields to select: the configured ones the object has; when none is configured (or none remains), every
 * long-text field the user can read, in describe order.
 */
export function chooseBodyFields(
  configured: readonly string[] | undefined,
  fields: readonly ArticleFieldInfo[],
): BodyFieldChoice {
  const readable = new Map(fields.map((f) => [f.name.toLowerCase(), f] as const));
  const wanted = configured ?? [];
  const present = wanted.flatMap((name) => {
    const f = readable.get(name.toLowerCase());
    return f === undefined ? [] : [f.name];
  });
  const missing = wanted.filter((name) => !readable.has(name.toLowerCase()));
  if (present.length > 0) return { fields: present, missing };
  return { fields: fields.filter((f) => f.longText).map((f) => f.name), missing };
}

/** The languages to load: the tenant's list that the org has, and those it lacks (a warning each). */
export function chooseLanguages(
  wanted: readonly string[],
  orgLanguages: readonly string[],
): { languages: string[]; unknown: string[] } {
  const known = new Set(orgLanguages);
  return {
    languages: wanted.filter((l) => known.has(l)),
    unknown: wanted.filter((l) => !known.has(l)),
  };
}

/** How often at least the id-only scan runs, whatever the counts say. */
export const ID_SCAN_EVERY_MS = 24 * 60 * 60 * 1000;

/**
 * Removed articles (archived, deleted, moved off the tenant's channels) leave no trace the service user may read
 * (no View Archived Articles), so they are found by comparing: a scan of the Online ids runs when the remote count
 * disagrees with the local one after the increment, and at least daily (a removal and a new article on one day
 * leave the counts equal).
 */
export function needsIdScan(input: {
  remoteCount: number;
  localCount: number;
  lastScanAt: string | null;
  now: Date;
}): boolean {
  if (input.remoteCount !== input.localCount) return true;
  if (input.lastScanAt === null) return true;
  return input.now.getTime() - Date.parse(input.lastScanAt) >= ID_SCAN_EVERY_MS;
}

/** The largest body kept per article; past it the body is cut (on a tag boundary) and a warning is given. */
export const MAX_BODY_CHARS = 1_000_000;

/** An article version as the org gives it, with its body fields in the order chosen. */
export interface ArticleVersionInput {
  versionId: string;
  articleId: string;
  language: string;
  articleNumber: string;
  versionNumber: number;
  title: string;
  urlName: string;
  lastPublishedAt: string | null;
  bodies: (string | null)[];
}

/** The stored record of a version: bodies joined in order, cut at MAX_BODY_CHARS. */
export function articleRecord(
  tenantId: string,
  v: ArticleVersionInput,
): { record: KnowledgeArticleRecord; truncated: boolean } {
  let body = v.bodies.filter((b): b is string => b !== null && b !== '').join('\n');
  let truncated = false;
  if (body.length > MAX_BODY_CHARS) {
    const cut = body.lastIndexOf('<', MAX_BODY_CHARS);
    body = body.slice(0, cut > MAX_BODY_CHARS / 2 ? cut : MAX_BODY_CHARS);
    truncated = true;
  }
  return {
    record: {
      tenantId,
      articleId: v.articleId,
      language: v.language,
      versionId: v.versionId,
      articleNumber: v.articleNumber,
      versionNumber: v.versionNumber,
      title: v.title,
      urlName: v.urlName,
      bodyHtml: body,
      lastPublishedAt: v.lastPublishedAt,
    },
    truncated,
  };
}

/** The cursor stream of one article object and language (one cursor per language: a query takes one). */
export function knowledgeStream(object: string, language: string): string {
  return `knowledge:${object}:${language}`;
}

/** Where the time of the last id-only scan of an object and language is kept. */
export function knowledgeScanStream(object: string, language: string): string {
  return `knowledge-scan:${object}:${language}`;
}

// A knowledge article as casebridge keeps it: one row per tenant, article and language (never per version), the
// fields search shows, and the body HTML it is indexed from.

/** The identity of an article in a tenant: stable across versions, one per translation. */
export interface ArticleKey {
  tenantId: string;
  /** the article's stable id (the same for every version) */
  articleId: string;
  /** the language code of the translation, as the org spells it (en_US, de, ...) */
  language: string;
}

export interface KnowledgeArticleRecord extends ArticleKey {
  /** the id of the version this row holds: data for links, never a key (it changes with every version) */
  versionId: string | null;
  articleNumber: string;
  versionNumber: number;
  title: string;
  urlName: string;
  bodyHtml: string;
  /** ISO time, null when the org does not say */
  lastPublishedAt: string | null;
  /**
   * The body's clean sections as the search index packs them (opening with the parser's version), written beside
   * the HTML so a rebuild parses no HTML; absent or null when not made yet (rows older than migration 0090).
   */
  sectionsText?: string | null;
}

/** A stored article with the change sequence number of its last write. */
export interface StoredKnowledgeArticle extends KnowledgeArticleRecord {
  changeSeq: number;
}

/** One section of an article's clean text: the heading that opens it (null before the first) and its text. */
export interface ArticleSection {
  heading: string | null;
  /** readable text: paragraphs, list items ("- ") and table rows ("a | b") on their own lines */
  text: string;
}

export function articleKeyString(key: Pick<ArticleKey, 'articleId' | 'language'>): string {
  return `${key.articleId}\u0000${key.language}`;
}

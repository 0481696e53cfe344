// What a knowledge search answers: ranked hits with the section and a marked snippet, or no hits and why.

export interface KnowledgeSnippet {
  text: string;
  /** [start, end) character ranges of matched words in `text` */
  marks: [number, number][];
}

export interface KnowledgeHit {
  articleId: string;
  language: string;
  articleNumber: string;
  versionNumber: number;
  title: string;
  urlName: string;
  /** the heading of the best-matching section (null: the part before the first heading) */
  section: string | null;
  snippet: KnowledgeSnippet;
  score: number;
  link: string | null;
  lastPublishedAt: string | null;
}

/** Why a search found nothing, so the bot (or a person) can say something better than "no results". */
export type EmptyReason =
  | { code: 'no-words'; message: string }
  | { code: 'only-stop-words'; message: string }
  | { code: 'no-match'; message: string }
  | { code: 'language-not-indexed'; message: string; languages: string[] }
  | { code: 'no-articles'; message: string }
  /** the tenant's index is still being built from the store (after a restart): ask again shortly */
  | { code: 'index-warming'; message: string; indexed: number };

export interface KnowledgeQueryWord {
  word: string;
  /** true when the index holds the word as written (after stemming) */
  found: boolean;
  /** spellings searched instead, when it does not */
  corrections: string[];
}

export interface KnowledgeSearchResult {
  tenantId: string;
  language: string;
  query: string;
  hits: KnowledgeHit[];
  /** set when hits is empty */
  reason: EmptyReason | null;
  words: KnowledgeQueryWord[];
  /** distinct words past the limit that were not searched */
  ignoredWords: number;
  /** articles in the tenant's index for this language */
  articles: number;
  tookMs: number;
}

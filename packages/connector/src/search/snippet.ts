// The part of an article a result points at: the section whose words match the query best, and a short passage of
// it with the matched words marked (character ranges, so any client can render them its own way).

import type { Token } from './analyzer.js';
import type { TermSequence } from './proximity.js';

export interface Snippet {
  text: string;
  /** [start, end) character ranges of matched words within `text` */
  marks: [number, number][];
}

/** The section holding the most query weight (distinct words by idf, more when they sit together). */
export function bestSection(
  seq: TermSequence,
  sectionStarts: TermSequence,
  index: Map<number, number>,
  weights: readonly number[],
): number {
  let best = 0;
  let bestScore = 0;
  for (let s = 0; s < sectionStarts.length; s++) {
    const start = sectionStarts[s] ?? 0;
    const end = s + 1 < sectionStarts.length ? (sectionStarts[s + 1] ?? seq.length) : seq.length;
    const seen = new Set<number>();
    let score = 0;
    for (let i = start; i < end; i++) {
      const q = index.get(seq[i] ?? -1);
      if (q === undefined) continue;
      score += seen.has(q) ? (weights[q] ?? 0) * 0.1 : (weights[q] ?? 0);
      seen.add(q);
    }
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best;
}

const WINDOW_WORDS = 30;
const MAX_CHARS = 280;
const LEAD_CHARS = 60;

/**
 * A passage of about thirty words around the densest cluster of query words, matched words marked. `hits` are the
 * text's tokens whose term is wanted, in text order.
 */
export function snippetOf(text: string, hits: readonly Token[], wanted: Map<string, number>): Snippet {
  let from = 0;
  let bestScore = -1;
  // slide a window of WINDOW_WORDS positions over the matches; distinct words count fully, repeats a little
  for (let i = 0; i < hits.length; i++) {
    const startPos = (hits[i]?.position ?? 0) - 3;
    const seen = new Set<string>();
    let score = 0;
    for (let j = i; j < hits.length && (hits[j]?.position ?? 0) < startPos + WINDOW_WORDS; j++) {
      const term = hits[j]?.term ?? '';
      score += seen.has(term) ? 0.1 : (wanted.get(term) ?? 0);
      seen.add(term);
    }
    if (score > bestScore) {
      bestScore = score;
      from = i;
    }
  }
  const anchor = hits[from];
  let start = 0;
  if (anchor !== undefined) {
    // begin up to LEAD_CHARS before the first match, at the start of its line or of a word
    const lineStart = text.lastIndexOf('\n', anchor.start - 1) + 1;
    start = Math.max(lineStart, anchor.start - LEAD_CHARS);
    if (start > lineStart) {
      const space = text.indexOf(' ', start);
      start = space >= 0 && space < anchor.start ? space + 1 : anchor.start;
    }
  }
  let end = Math.min(text.length, start + MAX_CHARS);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + MAX_CHARS / 2) end = space;
  }
  const prefix = start > 0 ? '\u2026' : '';
  const suffix = end < text.length ? '\u2026' : '';
  const body = text.slice(start, end).replace(/\n/g, ' ');
  // a hyphenated word matches as a whole and by its parts: one mark, the widest
  const marks: [number, number][] = [];
  let markedTo = -1;
  for (const t of hits) {
    if (t.start < start || t.end > end || t.start < markedTo) continue;
    marks.push([t.start - start + prefix.length, t.end - start + prefix.length]);
    markedTo = t.end;
  }
  return { text: `${prefix}${body}${suffix}`, marks };
}

/** The snippet with its marks rendered as **bold** (Markdown), for people and chat messages. */
export function markSnippet(snippet: Snippet, open = '**', close = '**'): string {
  let out = '';
  let at = 0;
  for (const [start, end] of snippet.marks) {
    out += snippet.text.slice(at, start) + open + snippet.text.slice(start, end) + close;
    at = end;
  }
  return out + snippet.text.slice(at);
}

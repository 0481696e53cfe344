// The short reference a write carries so an ambiguous failure can be reconciled by it, never by content.
// CaseComment has no external-ID field, so the reference rides in the comment's header line (`[cb:7KQ2XW]`), and
// in a case's description. Two identical replies sent on purpose have different keys, so different references:
// both are written. A retry of one reply has the same key, so the same reference: it finds the first and stops.
// Derived by hashing (pure: the same key always gives the same reference).

import { createHash } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a reference read aloud or retyped is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 6;
const TAG = /\[cb:([0-9A-HJKMNP-TV-Z]{6})\]/;

/** `[cb:XXXXXX]`: 30 bits of SHA-256 of the idempotency key. */
export function writeReference(idempotencyKey: string): string {
  if (idempotencyKey === '') throw new TypeError('an idempotency key is required');
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < LENGTH) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === LENGTH) break;
  }
  return `[cb:${out}]`;
}

/** The body with the reference at the end of its first (header) line. */
export function tagFirstLine(body: string, reference: string): string {
  const newline = body.indexOf('\n');
  if (newline === -1) return body === '' ? reference : `${body} ${reference}`;
  return `${body.slice(0, newline)} ${reference}${body.slice(newline)}`;
}

/** The text with the reference as a last line of its own (a case description). */
export function tagLastLine(text: string, reference: string): string {
  return text === '' ? reference : `${text}\n\n${reference}`;
}

/** The reference in a comment's header line, or null: how the bot knows a comment is its own. */
export function referenceInHeader(body: string | null): string | null {
  if (body === null) return null;
  const newline = body.indexOf('\n');
  const match = TAG.exec(newline === -1 ? body : body.slice(0, newline));
  return match === null ? null : match[0];
}

/** Whether `text` carries `reference` anywhere (a case description, where the admin may have edited around it). */
export function carriesReference(text: string | null, reference: string): boolean {
  return text !== null && text.includes(reference);
}

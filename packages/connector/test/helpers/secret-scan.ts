// assertNoSecrets: fails when any secret appears in some output, raw or in the forms it takes on the way out
// (base64, base64url, URL-encoded, JSON-escaped, and each line of a multi-line secret such as a PEM body).

import assert from 'node:assert/strict';

/** Lines shorter than this (PEM armour, short words) are too common to mean a leak on their own. */
const MIN_FRAGMENT = 16;

function forms(secret: string): string[] {
  const out = new Set<string>([secret]);
  const utf8 = Buffer.from(secret, 'utf8');
  out.add(utf8.toString('base64'));
  out.add(utf8.toString('base64').replace(/=+$/, ''));
  out.add(utf8.toString('base64url'));
  out.add(encodeURIComponent(secret));
  out.add(encodeURIComponent(secret).replace(/%20/g, '+'));
  out.add(JSON.stringify(secret).slice(1, -1));
  for (const line of secret.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.length >= MIN_FRAGMENT && !/^-----(BEGIN|END) /.test(trimmed)) {
      out.add(trimmed);
      out.add(encodeURIComponent(trimmed));
    }
  }
  return [...out].filter((form) => form.length >= Math.min(MIN_FRAGMENT, secret.length));
}

/**
 * Asserts that `text` contains none of `secrets` in any of their usual encodings. The failure message names which
 * secret (by index) and which form leaked, never the secret itself, so a failing test does not leak it either.
 */
export function assertNoSecrets(text: string, secrets: readonly string[]): void {
  secrets.forEach((secret, index) => {
    if (secret.length === 0) return;
    for (const [formIndex, form] of forms(secret).entries()) {
      if (text.includes(form)) {
        assert.fail(
          `secret #${index} leaked (encoding #${formIndex}, ${form.length} chars) at offset ${text.indexOf(form)}`,
        );
      }
    }
  });
}

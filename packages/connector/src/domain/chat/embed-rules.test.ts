import assert from 'node:assert/strict';
import { test } from 'node:test';

import { frameAncestors, normalizeOrigin, originAllowed, sessionCookieAttributes } from './embed-rules.js';

void test('an origin is scheme, host and port only: paths, credentials and wildcards are refused', () => {
  assert.equal(normalizeOrigin('https://Intranet.Example.com/'), 'https://intranet.example.com');
  assert.equal(normalizeOrigin('http://localhost:8790'), 'http://localhost:8790');
  assert.equal(normalizeOrigin('https://intranet.example.com:443'), 'https://intranet.example.com');
  for (const bad of [
    'https://intranet.example.com/portal',
    'https://user:pw@intranet.example.com',
    'https://*.example.com',
    'javascript:alert(1)',
    'intranet.example.com',
    'https://a.com https://b.com',
  ])
    assert.equal(normalizeOrigin(bad), null, bad);
});

void test('only an exact allowlisted origin may hand over an identity; a look-alike suffix may not', () => {
  const allowed = ['https://intranet.example.com'];
  assert.equal(originAllowed('https://intranet.example.com', allowed), true);
  assert.equal(originAllowed('https://intranet.example.com.evil.net', allowed), false);
  assert.equal(originAllowed('http://intranet.example.com', allowed), false, 'the scheme counts');
  assert.equal(originAllowed('null', allowed), false);
  assert.equal(originAllowed(undefined, allowed), false);
});

void test("frame-ancestors is the allowlist, or 'none' when the chat is embedded nowhere", () => {
  assert.equal(frameAncestors([]), "'none'");
  assert.equal(
    frameAncestors(['https://a.example', 'https://b.example']),
    'https://a.example https://b.example',
  );
});

void test('the embedded cookie is Secure, SameSite=None and Partitioned; the stand-alone one is Lax', () => {
  assert.equal(
    sessionCookieAttributes('embedded', false, 60),
    'Path=/; HttpOnly; Max-Age=60; Secure; SameSite=None; Partitioned',
  );
  assert.equal(
    sessionCookieAttributes('standalone', false, 60),
    'Path=/; HttpOnly; Max-Age=60; SameSite=Lax',
  );
  assert.equal(
    sessionCookieAttributes('standalone', true, 60),
    'Path=/; HttpOnly; Max-Age=60; SameSite=Lax; Secure',
  );
});

// Sealed secrets open only under the same tenant and field, with an untouched envelope and a key in the ring.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { inspect } from 'node:util';

import { isAppError } from '../errors/app-error.js';
import { MasterKey } from './master-key.js';
import { AesGcmSecretBox } from './secret-box.js';

const k1 = new MasterKey('k1', randomBytes(32));
const k2 = new MasterKey('k2', randomBytes(32));
const sut = new AesGcmSecretBox({ keys: [k1], current: k1 });
const acmeKey = { tenantId: 'acme', field: 'private_key' };
const SECRET = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';

void test('a sealed secret opens to the same text and its envelope shows neither the text nor the key', () => {
  const envelope = sut.seal(SECRET, acmeKey);
  assert.match(envelope, /^cb1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
  assert.equal(sut.open(envelope, acmeKey), SECRET);
  assert.ok(!envelope.includes('MIIEvQ'));
  assert.equal(sut.keyIdOf(envelope), 'k1');
  assert.equal(sut.currentKeyId, 'k1');
  assert.notEqual(sut.seal(SECRET, acmeKey), envelope, 'a fresh IV each time');
  assert.equal(sut.open(sut.seal('', acmeKey), acmeKey), '', 'empty values round-trip');
});

void test('opening under another tenant or another field fails with SECRETS_OPEN_FAILED, naming neither secret nor key', () => {
  const envelope = sut.seal(SECRET, acmeKey);
  for (const binding of [
    { tenantId: 'globex', field: 'private_key' },
    { tenantId: 'acme', field: 'password' },
  ]) {
    assert.throws(
      () => sut.open(envelope, binding),
      (err: unknown) =>
        isAppError(err, 'SECRETS_OPEN_FAILED') &&
        err.message.includes(binding.tenantId) &&
        !err.message.includes('MIIEvQ') &&
        !err.message.includes(k1.bytes().toString('base64')),
    );
  }
});

void test('a tampered envelope fails: flipped ciphertext, swapped tag, relabelled key id, truncated, wrong version', () => {
  const envelope = sut.seal(SECRET, acmeKey);
  const [version, keyId, iv, ciphertext, tag] = envelope.split('.') as [
    string,
    string,
    string,
    string,
    string,
  ];
  const flip = (part: string): string => {
    const bytes = Buffer.from(part, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    return bytes.toString('base64url');
  };
  const ringOfTwo = new AesGcmSecretBox({ keys: [k1, k2], current: k1 });
  const cases: [string, string, AesGcmSecretBox][] = [
    [[version, keyId, iv, flip(ciphertext), tag].join('.'), 'SECRETS_OPEN_FAILED', sut],
    [[version, keyId, flip(iv), ciphertext, tag].join('.'), 'SECRETS_OPEN_FAILED', sut],
    [[version, keyId, iv, ciphertext, flip(tag)].join('.'), 'SECRETS_OPEN_FAILED', sut],
    [[version, 'k2', iv, ciphertext, tag].join('.'), 'SECRETS_OPEN_FAILED', ringOfTwo],
    [[version, keyId, iv, ciphertext].join('.'), 'SECRETS_ENVELOPE_INVALID', sut],
    [['cb9', keyId, iv, ciphertext, tag].join('.'), 'SECRETS_ENVELOPE_INVALID', sut],
    ['not an envelope', 'SECRETS_ENVELOPE_INVALID', sut],
  ];
  for (const [bad, code, box] of cases) {
    assert.throws(
      () => box.open(bad, acmeKey),
      (err: unknown) => isAppError(err, code),
      `${code} for ${bad.slice(0, 12)}`,
    );
  }
});

void test('an envelope under a key that is not in the ring fails with SECRETS_UNKNOWN_KEY naming the key id', () => {
  const other = new AesGcmSecretBox({ keys: [k2], current: k2 });
  const envelope = other.seal(SECRET, acmeKey);
  assert.throws(
    () => sut.open(envelope, acmeKey),
    (err: unknown) =>
      isAppError(err, 'SECRETS_UNKNOWN_KEY') && err.message.includes('"k2"') && err.fix.includes('k2'),
  );
});

void test('the first key seals and every key in the ring opens', () => {
  const oldBox = new AesGcmSecretBox({ keys: [k1], current: k1 });
  const rotated = new AesGcmSecretBox({ keys: [k2, k1], current: k2 });
  const old = oldBox.seal(SECRET, acmeKey);
  assert.equal(rotated.open(old, acmeKey), SECRET);
  assert.equal(rotated.keyIdOf(rotated.seal(SECRET, acmeKey)), 'k2');
});

void test('a master key never prints its bytes', () => {
  const text = `${inspect(k1)} ${JSON.stringify({ k1 })} ${String(k1)} ${inspect(sut)}`;
  assert.ok(!text.includes(k1.bytes().toString('base64')));
  assert.ok(!text.includes(k1.bytes().toString('hex')));
});

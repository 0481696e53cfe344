// The generated pair is what openssl would make and openssl agrees with us about it; describe() catches a
// mismatched pair and accepts openssl 1.x's PKCS#1 key.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';

import type { GeneratedKeyPair } from '../domain/ports.js';
import { isAppError } from '../errors/app-error.js';
import { normalizePrivateKeyPem, X509KeyFactory } from './key-factory.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const sut = new X509KeyFactory({ now: () => NOW });
let pair: GeneratedKeyPair;
let dir: string;

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' }).trim();
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-keys-'));
  pair = await sut.generate({ commonName: 'casebridge acme', days: 36500 });
  writeFileSync(join(dir, 'salesforce.key'), pair.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'salesforce.crt'), pair.certificatePem);
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

void test('openssl reads the certificate: sha256WithRSAEncryption, 2048-bit key, our CN, 100 years from now', () => {
  const text = openssl('x509', '-in', join(dir, 'salesforce.crt'), '-noout', '-text');
  assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  assert.match(text, /Public-Key: \(2048 bit\)/);
  assert.match(text, /Subject: CN\s?=\s?casebridge acme/);
  assert.match(text, /CA:TRUE/);
  assert.match(pair.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.equal(pair.info.notAfter, '2126-10-31T12:00:00.000Z');
  assert.equal(
    openssl('x509', '-in', join(dir, 'salesforce.crt'), '-noout', '-enddate'),
    'notAfter=Oct 31 12:00:00 2126 GMT',
  );
});

void test("the key is the certificate's key: openssl prints the same modulus for both", () => {
  const certModulus = openssl('x509', '-in', join(dir, 'salesforce.crt'), '-noout', '-modulus');
  const keyModulus = openssl('rsa', '-in', join(dir, 'salesforce.key'), '-noout', '-modulus');
  assert.equal(certModulus, keyModulus);
  assert.match(
    openssl('x509', '-in', join(dir, 'salesforce.crt'), '-noout', '-checkend', '86400'),
    /will not expire/,
  );
});

void test('the fingerprint is the one `openssl x509 -fingerprint -sha256` prints', () => {
  const printed = openssl('x509', '-in', join(dir, 'salesforce.crt'), '-noout', '-fingerprint', '-sha256');
  assert.equal(printed.replace(/^sha256 Fingerprint=/i, ''), pair.info.fingerprint);
  assert.match(pair.info.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
});

void test('a shorter validity is honoured; 0 or more than 36500 days is KEYS_INVALID_VALIDITY', async () => {
  const short = await sut.generate({ commonName: 'short', days: 30 });
  assert.equal(short.info.notAfter, '2026-12-24T12:00:00.000Z');
  for (const days of [0, 36501, 1.5]) {
    await assert.rejects(sut.generate({ commonName: 'x', days }), (err: unknown) =>
      isAppError(err, 'KEYS_INVALID_VALIDITY'),
    );
  }
});

void test("describe: a key with another key's certificate is KEYS_MISMATCH naming the certificate, not the key", async () => {
  const other = await sut.generate({ commonName: 'other', days: 1 });
  await assert.rejects(
    sut.describe(pair.privateKeyPem, other.certificatePem),
    (err: unknown) =>
      isAppError(err, 'KEYS_MISMATCH') &&
      err.message.includes(other.info.fingerprint) &&
      !err.message.includes('PRIVATE'),
  );
  assert.deepEqual(await sut.describe(pair.privateKeyPem, pair.certificatePem), pair.info);
});

void test('describe accepts the PKCS#1 key openssl 1.x writes, and an openssl-made pair; garbage is a clear error', async () => {
  const pkcs1 = createPrivateKey(pair.privateKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
  assert.match(pkcs1, /BEGIN RSA PRIVATE KEY/);
  assert.equal((await sut.describe(pkcs1, pair.certificatePem)).fingerprint, pair.info.fingerprint);
  assert.equal(normalizePrivateKeyPem(pkcs1), pair.privateKeyPem);

  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-sha256',
      '-nodes',
      '-days',
      '36500',
      '-newkey',
      'rsa:2048',
      '-subj',
      '/CN=admin',
      '-keyout',
      join(dir, 'o.key'),
      '-out',
      join(dir, 'o.crt'),
    ],
    { stdio: 'ignore' },
  );
  const described = sut.inspect(
    readFileSync(join(dir, 'o.key'), 'utf8'),
    readFileSync(join(dir, 'o.crt'), 'utf8'),
  );
  assert.equal(described.signatureAlgorithm, 'RSASSA-PKCS1-v1_5 SHA-256');
  assert.equal(described.subject, 'CN=admin');

  await assert.rejects(sut.describe('not a key', pair.certificatePem), (err: unknown) =>
    isAppError(err, 'KEYS_INVALID_PRIVATE_KEY'),
  );
  await assert.rejects(sut.describe(pair.privateKeyPem, 'not a cert'), (err: unknown) =>
    isAppError(err, 'KEYS_INVALID_CERTIFICATE'),
  );
  const ec = execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], {
    encoding: 'utf8',
  });
  await assert.rejects(sut.describe(ec, pair.certificatePem), /not RSA/);
});

// The setup package lands on disk as built, and an existing package folder is not overwritten without force.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { assertNoSecrets } from '../../test/helpers/secret-scan.js';
import { isAppError } from '../errors/app-error.js';
import { writeSetupPackage } from './setup-files.js';

void test('writes every file under the directory, refuses a non-empty one without force', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-setup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'pkg');
  const written = writeSetupPackage(out, { 'a/b.xml': '<x/>\n', 'sfdx-project.json': '{}\n' });
  assert.deepEqual(written.files, ['a/b.xml', 'sfdx-project.json']);
  assert.equal(readFileSync(join(out, 'a/b.xml'), 'utf8'), '<x/>\n');
  writeFileSync(join(out, 'a/b.xml'), 'edited by the admin');
  assert.throws(
    () => writeSetupPackage(out, { 'a/b.xml': 'new' }),
    (err: unknown) => isAppError(err, 'CLI_USAGE') && err.message.includes('--force'),
  );
  assert.equal(readFileSync(join(out, 'a/b.xml'), 'utf8'), 'edited by the admin');
  writeSetupPackage(out, { 'a/b.xml': 'new' }, { force: true });
  assert.equal(readFileSync(join(out, 'a/b.xml'), 'utf8'), 'new');
  assert.throws(() => writeSetupPackage(join(dir, 'other'), { '../escape': 'x' }), /escapes/);
});

void test('assertNoSecrets finds a secret raw, base64, URL-encoded, JSON-escaped or by one PEM line', () => {
  const pem =
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----';
  const token = '00D5g00000AbCdE!AQEAQFake.Token';
  assertNoSecrets('nothing to see [REDACTED]', [pem, token]);
  for (const leak of [
    token,
    Buffer.from(token).toString('base64'),
    `oauth_token=${encodeURIComponent(token)}`,
    JSON.stringify({ pem }),
    'line: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
  ]) {
    assert.throws(
      () => assertNoSecrets(leak, [pem, token]),
      (err: unknown) => err instanceof Error && !err.message.includes('AQEAQFake'),
    );
  }
});

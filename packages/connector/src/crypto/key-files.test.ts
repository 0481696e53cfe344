// keygen's files: key 0600 and certificate 0644 in a 0700 directory, and an existing key is never overwritten
// without force.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { isAppError } from '../errors/app-error.js';
import { readKeyFile, removeKeyFile, writeKeyPair } from './key-files.js';

const pairA = { privateKeyPem: 'KEY A\n', certificatePem: 'CERT A\n' };
const pairB = { privateKeyPem: 'KEY B\n', certificatePem: 'CERT B\n' };
const mode = (path: string): number => statSync(path).mode & 0o777;

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cb-keyfiles-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

void test('writes salesforce.key 0600 and salesforce.crt 0644 into a new 0700 directory', (t) => {
  const out = join(tempDir(t), 'keys', 'acme');
  const written = writeKeyPair(out, pairA);
  assert.equal(written.keyPath, join(out, 'salesforce.key'));
  assert.equal(written.createdDirectory, true);
  assert.equal(mode(out), 0o700);
  assert.equal(mode(written.keyPath), 0o600);
  assert.equal(mode(written.certificatePath), 0o644);
  assert.equal(readFileSync(written.keyPath, 'utf8'), 'KEY A\n');
});

void test('refuses to overwrite an existing key without force (KEYS_FILE_EXISTS names the path); force replaces both', (t) => {
  const out = tempDir(t);
  writeKeyPair(out, pairA);
  assert.throws(
    () => writeKeyPair(out, pairB),
    (err: unknown) =>
      isAppError(err, 'KEYS_FILE_EXISTS') &&
      err.message.includes(join(out, 'salesforce.key')) &&
      err.fix.includes('--force'),
  );
  assert.equal(readFileSync(join(out, 'salesforce.key'), 'utf8'), 'KEY A\n', 'the old key is untouched');
  assert.equal(readFileSync(join(out, 'salesforce.crt'), 'utf8'), 'CERT A\n', 'and so is its certificate');
  const replaced = writeKeyPair(out, pairB, { force: true });
  assert.equal(replaced.replacedKey, true);
  assert.equal(readFileSync(join(out, 'salesforce.key'), 'utf8'), 'KEY B\n');
  assert.equal(mode(join(out, 'salesforce.key')), 0o600);
});

void test('readKeyFile reports a key others can read, so the CLI can warn; removeKeyFile deletes it', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'imported.key');
  writeFileSync(path, 'KEY\n');
  chmodSync(path, 0o644);
  assert.deepEqual(readKeyFile(path), { pem: 'KEY\n', mode: '0644', readableByOthers: true });
  chmodSync(path, 0o600);
  assert.equal(readKeyFile(path).readableByOthers, false);
  removeKeyFile(path);
  assert.throws(
    () => readKeyFile(path),
    (err: unknown) => isAppError(err, 'KEYS_FILE_UNREADABLE') && err.message.includes('ENOENT'),
  );
});

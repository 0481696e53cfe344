// Where the master keys come from: inline, a 0600 file, or a file created once in the data directory.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { isAppError } from '../errors/app-error.js';
import {
  addMasterKeyToFile,
  dropRetiredMasterKeys,
  ensureMasterKeyFile,
  loadMasterKeyRing,
  parseMasterKeys,
  readMasterKeyFile,
} from './master-key.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cb-master-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const b64 = (): string => randomBytes(32).toString('base64');

void test('inline keys: "id:base64,id:base64" keeps order (first seals); a bare base64 key is k1', () => {
  const [a, b] = [b64(), b64()];
  const keys = parseMasterKeys(`new:${a},old:${b}`);
  assert.deepEqual(
    keys.map((k) => k.id),
    ['new', 'old'],
  );
  assert.equal(keys[0]?.bytes().toString('base64'), a);
  assert.deepEqual(
    parseMasterKeys(` ${a}\n`).map((k) => k.id),
    ['k1'],
  );
  assert.equal(
    loadMasterKeyRing({ inline: `x:${a}`, dataDir: '/nonexistent', embedded: true }).current.id,
    'x',
  );
});

void test('a key that is not exactly 32 bytes, not base64, or a repeated id is CONFIG_MASTER_KEY_INVALID without echoing it', () => {
  const short = randomBytes(16).toString('base64');
  for (const bad of [
    short,
    `k1:${b64()}!`,
    `a:${b64()},a:${b64()}`,
    '',
    `bad.id:${b64()}`,
    `${b64()},${b64()}`,
  ]) {
    assert.throws(
      () => parseMasterKeys(bad),
      (err: unknown) =>
        isAppError(err, 'CONFIG_MASTER_KEY_INVALID') &&
        (bad.length < 8 || !err.message.includes(bad.slice(-20))),
      bad,
    );
  }
  assert.throws(() => parseMasterKeys(short), /16 bytes; it must be exactly 32 bytes/);
});

void test('a key file readable by group or others is refused with a clear error; 0600 is read', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'keys');
  writeFileSync(file, `k1:${b64()}\n`, { mode: 0o644 });
  chmodSync(file, 0o644);
  assert.throws(
    () => loadMasterKeyRing({ file, dataDir: dir, embedded: false }),
    (err: unknown) =>
      isAppError(err, 'SECRETS_KEY_FILE_PERMISSIONS') &&
      err.message.includes('0644') &&
      err.fix.includes(`chmod 600 ${file}`),
  );
  chmodSync(file, 0o600);
  assert.equal(loadMasterKeyRing({ file, dataDir: dir, embedded: false }).current.id, 'k1');
  assert.throws(() => loadMasterKeyRing({ inline: b64(), file, dataDir: dir, embedded: false }), /not both/);
});

void test('without a key, PostgreSQL mode refuses and embedded mode creates master.key 0600 in a 0700 directory, once', (t) => {
  const dataDir = join(tempDir(t), 'data');
  assert.throws(
    () => loadMasterKeyRing({ dataDir, embedded: false }),
    (err: unknown) => isAppError(err, 'CONFIG_MASTER_KEY_MISSING'),
  );
  const first = loadMasterKeyRing({ dataDir, embedded: true });
  assert.deepEqual(first.source, { kind: 'file', path: join(dataDir, 'master.key'), created: true });
  assert.equal(statSync(dataDir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dataDir, 'master.key')).mode & 0o777, 0o600);
  const second = loadMasterKeyRing({ dataDir, embedded: true });
  assert.equal(second.source.kind === 'file' && second.source.created, false);
  assert.ok(second.current.bytes().equals(first.current.bytes()), 'the same key on the next start');
});

void test('two starts racing to create the key end with one key both use, and no temp files left', (t) => {
  const dataDir = tempDir(t);
  const rings = Array.from({ length: 8 }, () => ensureMasterKeyFile(dataDir));
  assert.equal(rings.filter((ring) => ring.source.kind === 'file' && ring.source.created).length, 1);
  for (const ring of rings)
    assert.ok(ring.current.bytes().equals(rings[0]?.current.bytes() ?? Buffer.alloc(0)));
  assert.deepEqual(readFileSync(join(dataDir, 'master.key'), 'utf8').split('\n').filter(Boolean).length, 1);
});

void test('rotation helpers: a new key goes first (old ones kept), then retired keys are dropped only when unused', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'master.key');
  writeFileSync(file, `k1:${b64()}\n`, { mode: 0o600 });
  const before = readMasterKeyFile(file);
  assert.equal(addMasterKeyToFile(file), 'k2');
  const after = readMasterKeyFile(file);
  assert.deepEqual(
    after.map((k) => k.id),
    ['k2', 'k1'],
  );
  assert.ok(after[1]?.bytes().equals(before[0]?.bytes() ?? Buffer.alloc(0)));
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.throws(
    () => addMasterKeyToFile(file, { id: 'k1' }),
    (err: unknown) => isAppError(err, 'SECRETS_KEY_ID_EXISTS'),
  );
  assert.throws(
    () => dropRetiredMasterKeys(file, new Map([['k1', 3]])),
    (err: unknown) => isAppError(err, 'SECRETS_KEY_STILL_USED') && err.message.includes('3'),
  );
  assert.deepEqual(dropRetiredMasterKeys(file, new Map([['k2', 5]])), ['k1']);
  assert.deepEqual(
    readMasterKeyFile(file).map((k) => k.id),
    ['k2'],
  );
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

void test('key ids never repeat across rotations: k1, k2, k3, then k4 (never k2 again), past any id the store saw', (t) => {
  const file = join(tempDir(t), 'master.key');
  writeFileSync(file, `k1:${b64()}\n`, { mode: 0o600 });
  const made: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    made.push(addMasterKeyToFile(file));
    dropRetiredMasterKeys(file, new Map());
  }
  assert.deepEqual(made, ['k2', 'k3', 'k4']);
  assert.equal(addMasterKeyToFile(file, { usedIds: ['k1', 'k9'] }), 'k10');
});

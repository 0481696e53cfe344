// A worker started with another master key is refused at start, before it can seal a secret the other workers
// cannot open; a retired key never seals again; key ids the store has seen are never handed out again.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { isAppError } from '../errors/app-error.js';
import { keyCheckValue, verifyMasterKeyRing, type MasterKeyCheckStore } from './master-key-check.js';
import { MasterKey, type MasterKeyRing } from './master-key.js';

function memoryChecks(): MasterKeyCheckStore & {
  rows: Map<string, { checkValue: string; retiredAt: string | null }>;
} {
  const rows = new Map<string, { checkValue: string; retiredAt: string | null }>();
  return {
    rows,
    list: () => Promise.resolve([...rows].map(([keyId, row]) => ({ keyId, ...row }))),
    record: (keyId, checkValue) => {
      if (!rows.has(keyId)) rows.set(keyId, { checkValue, retiredAt: null });
      return Promise.resolve();
    },
    retire: (keyIds, at) => {
      for (const id of keyIds) {
        const row = rows.get(id);
        if (row) row.retiredAt = at.toISOString();
      }
      return Promise.resolve();
    },
  };
}

const ringOf = (...keys: MasterKey[]): MasterKeyRing => ({
  keys,
  current: keys[0] as MasterKey,
  source: { kind: 'inline' },
});
const now = new Date('2026-11-24T12:00:00Z');

void test('the check value names the key, not just the id, and reveals nothing of the key', () => {
  const bytes = randomBytes(32);
  const a = new MasterKey('k1', bytes);
  assert.equal(keyCheckValue(a), keyCheckValue(new MasterKey('k1', bytes)));
  assert.notEqual(keyCheckValue(a), keyCheckValue(new MasterKey('k1', randomBytes(32))));
  assert.ok(!keyCheckValue(a).includes(bytes.toString('hex').slice(0, 8)));
});

void test('a ring is refused when an id names another key, when none of its keys is known, or when it seals with a retired key', async () => {
  const checks = memoryChecks();
  const k1 = new MasterKey('k1', randomBytes(32));
  assert.deepEqual(await verifyMasterKeyRing(ringOf(k1), checks, now), ['k1']);
  await assert.rejects(
    verifyMasterKeyRing(ringOf(new MasterKey('k1', randomBytes(32))), checks, now),
    (err) => isAppError(err, 'SECRETS_MASTER_KEY_MISMATCH') && /"k1"/.test(err.message),
  );
  await assert.rejects(
    verifyMasterKeyRing(ringOf(new MasterKey('other', randomBytes(32))), checks, now),
    (err) => isAppError(err, 'SECRETS_MASTER_KEY_UNKNOWN') && /other/.test(err.message),
  );
  const k2 = new MasterKey('k2', randomBytes(32));
  assert.deepEqual((await verifyMasterKeyRing(ringOf(k2, k1), checks, now)).sort(), ['k1', 'k2']);
  await checks.retire(['k1'], now);
  await assert.rejects(verifyMasterKeyRing(ringOf(k1), checks, now), (err) =>
    isAppError(err, 'SECRETS_MASTER_KEY_RETIRED'),
  );
  await verifyMasterKeyRing(ringOf(k2), checks, now);
});

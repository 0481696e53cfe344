// Master-key rotation ends with every secret under the new key and opening to the same text, even when it is
// interrupted and run again, run twice, or races a writer.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { MemorySecretRepository, MemorySessionRepository } from '../../test/fakes/memory-tenant-store.js';
import { MasterKey } from '../crypto/master-key.js';
import { AesGcmSecretBox } from '../crypto/secret-box.js';
import type { StoredSecret, StoredSession } from '../domain/ports.js';
import type { SecretName } from '../domain/tenant.js';
import { silentLogger } from '../logging/logger.js';
import { countEnvelopesByKey, rotateMasterKey } from './rotate-master-key.js';

const k1 = new MasterKey('k1', randomBytes(32));
const k2 = new MasterKey('k2', randomBytes(32));
const oldBox = new AesGcmSecretBox({ keys: [k1], current: k1 });
const newBox = (): AesGcmSecretBox => new AesGcmSecretBox({ keys: [k2, k1], current: k2 });
const NAMES: SecretName[] = ['private_key', 'consumer_secret', 'access_token'];

function seeded(tenants = 4): { store: MemorySecretRepository; plain: Map<string, string> } {
  const store = new MemorySecretRepository();
  const plain = new Map<string, string>();
  for (let t = 0; t < tenants; t += 1) {
    for (const name of NAMES) {
      const text = `${name} of tenant-${t}: ${randomBytes(8).toString('hex')}`;
      plain.set(`tenant-${t}/${name}`, text);
      void store.put(`tenant-${t}`, name, oldBox.seal(text, { tenantId: `tenant-${t}`, field: name }));
    }
  }
  return { store, plain };
}

async function assertAllUnderK2(store: MemorySecretRepository, plain: Map<string, string>): Promise<void> {
  const box = newBox();
  for (const secret of await store.list()) {
    assert.equal(box.keyIdOf(secret.envelope), 'k2', `${secret.tenantId}/${secret.name} under k2`);
    assert.equal(
      box.open(secret.envelope, { tenantId: secret.tenantId, field: secret.name }),
      plain.get(`${secret.tenantId}/${secret.name}`),
    );
  }
}

/** Dies (throws) on the n-th replace, as a killed process would stop mid-rotation. */
class CrashingSecretRepository extends MemorySecretRepository {
  constructor(private replacesLeft: number) {
    super();
  }
  override replace(secret: StoredSecret, expected: string): Promise<boolean> {
    if (this.replacesLeft === 0) return Promise.reject(new Error('process killed'));
    this.replacesLeft -= 1;
    return super.replace(secret, expected);
  }
}

void test('re-seals every secret under the new key, reporting progress done/total; the same text opens', async () => {
  const { store, plain } = seeded();
  const progress: string[] = [];
  const result = await rotateMasterKey({
    secrets: store,
    sessions: new MemorySessionRepository(),
    box: newBox(),
    log: silentLogger(),
    onProgress: (p) => progress.push(`${p.done}/${p.total}`),
  });
  assert.equal(result.total, 12);
  assert.equal(result.resealed, 12);
  assert.deepEqual(result.failed, []);
  assert.deepEqual([...result.byKeyId], [['k2', 12]]);
  assert.deepEqual(progress.slice(0, 2), ['0/12', '1/12']);
  assert.equal(progress.at(-1), '12/12');
  await assertAllUnderK2(store, plain);
  const again = await rotateMasterKey({
    secrets: store,
    sessions: new MemorySessionRepository(),
    box: newBox(),
    log: silentLogger(),
  });
  assert.deepEqual([again.total, again.resealed], [0, 0], 'a second run finds nothing to do');
});

void test('resumes after a crash mid-way: the second run finishes the rest and everything opens', async () => {
  const { store: seed, plain } = seeded();
  const store = new CrashingSecretRepository(5);
  for (const row of await seed.list()) await store.put(row.tenantId, row.name, row.envelope);
  await assert.rejects(
    rotateMasterKey({
      secrets: store,
      sessions: new MemorySessionRepository(),
      box: newBox(),
      log: silentLogger(),
    }),
    /process killed/,
  );
  const mid = await countEnvelopesByKey(store, newBox());
  assert.deepEqual(
    [mid.get('k2'), mid.get('k1')],
    [5, 7],
    'half-way: some under each key, all still readable',
  );

  const restarted = new MemorySecretRepository();
  for (const row of await store.list()) await restarted.put(row.tenantId, row.name, row.envelope);
  const result = await rotateMasterKey({
    secrets: restarted,
    sessions: new MemorySessionRepository(),
    box: newBox(),
    log: silentLogger(),
  });
  assert.deepEqual([result.total, result.resealed], [7, 7]);
  await assertAllUnderK2(restarted, plain);
});

void test('a secret rewritten by someone else during the rotation is re-read, not overwritten with stale text', async () => {
  const { store, plain } = seeded(1);
  const original = store.replace.bind(store);
  let raced = false;
  store.replace = async (secret, expected) => {
    if (!raced && secret.name === 'consumer_secret') {
      raced = true;
      // a tenant update lands between our read and our swap, sealed by a worker still on the old key
      plain.set('tenant-0/consumer_secret', 'rotated by the admin');
      await store.put(
        'tenant-0',
        'consumer_secret',
        oldBox.seal('rotated by the admin', { tenantId: 'tenant-0', field: 'consumer_secret' }),
      );
    }
    return original(secret, expected);
  };
  const result = await rotateMasterKey({
    secrets: store,
    sessions: new MemorySessionRepository(),
    box: newBox(),
    log: silentLogger(),
  });
  assert.deepEqual([result.resealed, result.failed.length], [3, 0]);
  await assertAllUnderK2(store, plain);
});

void test('a secret under a key missing from the ring is reported by code and left alone; the others proceed', async () => {
  const { store } = seeded(1);
  const stray = new AesGcmSecretBox({
    keys: [new MasterKey('lost', randomBytes(32))],
    current: new MasterKey('lost', randomBytes(32)),
  });
  await store.put('tenant-9', 'password', stray.seal('x', { tenantId: 'tenant-9', field: 'password' }));
  const result = await rotateMasterKey({
    secrets: store,
    sessions: new MemorySessionRepository(),
    box: newBox(),
    log: silentLogger(),
  });
  assert.deepEqual(result.failed, [{ tenantId: 'tenant-9', name: 'password', code: 'SECRETS_UNKNOWN_KEY' }]);
  assert.deepEqual([result.resealed, result.byKeyId.get('lost')], [3, 1]);
});

function sessionOf(tenantId: string, box: AesGcmSecretBox, token: string, generation = 1): StoredSession {
  return {
    tenantId,
    accessTokenEnvelope: box.seal(token, { tenantId, field: 'access_token' }),
    instanceUrl: 'https://acme.my.salesforce.com',
    identityUrl: 'https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA',
    issuedAt: '2026-11-24T12:00:00.000Z',
    generation,
  };
}

void test('stored sessions are re-sealed too and counted: no envelope is left under the old key', async () => {
  const { store } = seeded(2);
  const sessions = new MemorySessionRepository();
  await sessions.put(sessionOf('tenant-0', oldBox, '00D!token-0', 3));
  await sessions.put(sessionOf('tenant-1', oldBox, '00D!token-1'));
  assert.deepEqual([...(await countEnvelopesByKey(store, newBox(), sessions))], [['k1', 8]]);
  const result = await rotateMasterKey({ secrets: store, sessions, box: newBox(), log: silentLogger() });
  assert.deepEqual([result.total, result.resealed, result.sessionsCleared], [8, 8, 0]);
  assert.deepEqual([...result.byKeyId], [['k2', 8]]);
  const box = newBox();
  const stored = await sessions.get('tenant-0');
  assert.equal(box.keyIdOf(stored?.accessTokenEnvelope ?? ''), 'k2');
  assert.equal(
    box.open(stored?.accessTokenEnvelope ?? '', { tenantId: 'tenant-0', field: 'access_token' }),
    '00D!token-0',
  );
  assert.equal(stored?.generation, 3, 'only the envelope changes');
  const onlyK2 = new AesGcmSecretBox({ keys: [k2], current: k2 });
  assert.equal(
    onlyK2.open((await sessions.get('tenant-1'))?.accessTokenEnvelope ?? '', {
      tenantId: 'tenant-1',
      field: 'access_token',
    }),
    '00D!token-1',
    'opens once the old key is dropped',
  );
});

void test('a session that cannot be opened is cleared (its tenant logs in again), not reported as a failure', async () => {
  const sessions = new MemorySessionRepository();
  const lost = new MasterKey('lost', randomBytes(32));
  await sessions.put(sessionOf('tenant-0', new AesGcmSecretBox({ keys: [lost], current: lost }), '00D!t'));
  const result = await rotateMasterKey({
    secrets: new MemorySecretRepository(),
    sessions,
    box: newBox(),
    log: silentLogger(),
  });
  assert.deepEqual([result.sessionsCleared, result.failed.length, result.byKeyId.size], [1, 0, 0]);
  assert.equal(await sessions.get('tenant-0'), null);
});

void test('a session a worker replaced during the rotation is re-read, not overwritten with the old token', async () => {
  const sessions = new MemorySessionRepository();
  await sessions.put(sessionOf('tenant-0', oldBox, '00D!old'));
  const original = sessions.replace.bind(sessions);
  let raced = false;
  sessions.replace = async (session, expected) => {
    if (!raced) {
      raced = true;
      await sessions.put(sessionOf('tenant-0', newBox(), '00D!fresh-login', 2));
    }
    return original(session, expected);
  };
  const result = await rotateMasterKey({
    secrets: new MemorySecretRepository(),
    sessions,
    box: newBox(),
    log: silentLogger(),
  });
  assert.equal(result.resealed, 0);
  const stored = await sessions.get('tenant-0');
  assert.equal(
    newBox().open(stored?.accessTokenEnvelope ?? '', { tenantId: 'tenant-0', field: 'access_token' }),
    '00D!fresh-login',
  );
});

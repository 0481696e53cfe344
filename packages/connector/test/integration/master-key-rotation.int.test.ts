// `casebridge secrets rotate` through the real runtime (key file, PGlite on disk) against the emulator: after the
// rotation and a restart the stored session still opens, so nobody is cut off; and a stored session that cannot be
// opened heals itself with one new login.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { controlClient, startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { loadConfig } from '../../src/config/load-config.js';
import { MasterKey } from '../../src/crypto/master-key.js';
import { AesGcmSecretBox } from '../../src/crypto/secret-box.js';
import { silentLogger } from '../../src/logging/logger.js';
import { addEmulatorTenant } from '../helpers/emulator-tenant.js';
import { openRuntime, type Runtime } from '../../src/main.js';

let tmp: string;
let data: string;
let em: StartedEmulator;

interface TokenLogEntry {
  seq: number;
  outcome: string;
}

async function tokenRequests(): Promise<number> {
  const log = await controlClient(em)<{ entries: TokenLogEntry[] }>('GET', '/token-log?org=demo&afterSeq=0');
  return log.entries.length;
}

function keyIds(): string[] {
  return readFileSync(join(data, 'master.key'), 'utf8')
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((entry) => entry.split(':')[0] ?? '');
}

const open = (): Promise<Runtime> =>
  openRuntime(loadConfig({ CASEBRIDGE_DATA_DIR: data }), { log: silentLogger() });

async function identity(rt: Runtime, id: string): Promise<string> {
  return (await rt.gateways.forTenant(await rt.admin.showTenant(id), 'test').identity()).username;
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-rotate-int-'));
  data = join(tmp, 'data');
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
  const rt = await open();
  try {
    await addEmulatorTenant(rt.admin, em, 'acme');
  } finally {
    await rt.close();
  }
});

after(async () => {
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

void test('after secrets rotate and a restart the stored session opens: identity works without a new login', async () => {
  const rt = await open();
  const oldKeys = keyIds();
  try {
    assert.equal(await identity(rt, 'acme'), em.username);
    assert.ok(await rt.store.sessions.get('acme'), 'a session is stored, sealed under the old key');
    const rotated = await rt.admin.rotateMasterKey();
    assert.ok(rotated.total >= 2, `the session is among what was re-sealed (${rotated.total})`);
    assert.notDeepEqual(keyIds(), oldKeys);
    assert.equal(keyIds().length, 1, 'the old key was dropped');
    assert.equal(await identity(rt, 'acme'), em.username, 'the running process goes on');
  } finally {
    await rt.close();
  }
  const loginsBefore = await tokenRequests();
  const restarted = await open();
  try {
    assert.equal(await identity(restarted, 'acme'), em.username);
    assert.equal(restarted.sessions.stats('acme').logins, 0, 'the re-sealed session was adopted');
    assert.equal(await tokenRequests(), loginsBefore);
  } finally {
    await restarted.close();
  }
});

void test('a stored session sealed under a key the ring no longer has heals itself with one new login', async () => {
  const rt = await open();
  try {
    const stored = await rt.store.sessions.get('acme');
    assert.ok(stored);
    const lost = new MasterKey('lost', randomBytes(32));
    const foreign = new AesGcmSecretBox({ keys: [lost], current: lost });
    await rt.store.sessions.put({
      ...stored,
      accessTokenEnvelope: foreign.seal('00Dlost!token', { tenantId: 'acme', field: 'access_token' }),
    });
  } finally {
    await rt.close();
  }
  const loginsBefore = await tokenRequests();
  const restarted = await open();
  try {
    assert.equal(await identity(restarted, 'acme'), em.username);
    assert.equal(restarted.sessions.stats('acme').logins, 1);
    assert.equal(await tokenRequests(), loginsBefore + 1);
  } finally {
    await restarted.close();
  }
});

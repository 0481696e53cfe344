// The master key check at start, on a real embedded store: a second worker with another key is refused, and key
// ids made by rotations through a key file never repeat; a retired key never seals again.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadConfig } from '../../src/config/load-config.js';
import { isAppError } from '../../src/errors/app-error.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime } from '../../src/main.js';

void test('a second worker with a different master key is refused at start; the first key still opens the store', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casebridge-keycheck-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const start = (key: Buffer) =>
    openRuntime(loadConfig({ CASEBRIDGE_DATA_DIR: dataDir, CASEBRIDGE_MASTER_KEY: key.toString('base64') }), {
      log: silentLogger(),
    });
  const first = Buffer.alloc(32, 1);
  await (await start(first)).close();
  await assert.rejects(start(Buffer.alloc(32, 2)), (err) => isAppError(err, 'SECRETS_MASTER_KEY_MISMATCH'));
  const again = await start(first);
  await again.close();
});

void test('rotations through a key file make k2, k3, k4 and the retired k1 can never seal again', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casebridge-keyids-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const keyFile = join(dataDir, 'keys');
  const original = `k1:${randomBytes(32).toString('base64')}\n`;
  writeFileSync(keyFile, original, { mode: 0o600 });
  const config = loadConfig({ CASEBRIDGE_DATA_DIR: dataDir, CASEBRIDGE_MASTER_KEY_FILE: keyFile });
  const runtime = await openRuntime(config, { log: silentLogger() });
  const ids: string[] = [];
  try {
    for (let i = 0; i < 3; i += 1) ids.push((await runtime.admin.rotateMasterKey()).keyId);
  } finally {
    await runtime.close();
  }
  assert.deepEqual(ids, ['k2', 'k3', 'k4']);
  assert.match(readFileSync(keyFile, 'utf8'), /^k4:/);
  writeFileSync(keyFile, original, { mode: 0o600 });
  await assert.rejects(openRuntime(config, { log: silentLogger() }), (err) =>
    isAppError(err, 'SECRETS_MASTER_KEY_RETIRED'),
  );
});

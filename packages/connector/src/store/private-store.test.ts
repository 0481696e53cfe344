// The embedded store's directory and files are private whatever the master key source: a data directory that
// already exists at 0755 is tightened to 0700, PGlite's 0644 files to 0600.

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { silentLogger } from '../logging/logger.js';
import { embeddedStoreDir, openStore } from './open-store.js';

void test('an existing 0755 data directory and every store file end up 0700/0600 (no key file involved)', async (t) => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'casebridge-private-')), 'data');
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  mkdirSync(embeddedStoreDir(dataDir), { recursive: true });
  chmodSync(dataDir, 0o755);
  chmodSync(embeddedStoreDir(dataDir), 0o755);
  const store = await openStore(
    { dataDir, store: { kind: 'pglite' } },
    { log: silentLogger(), clock: new FixedClock() },
  );
  await store.close();
  assert.equal(statSync(dataDir).mode & 0o777, 0o700);
  const open: string[] = [];
  for (const entry of readdirSync(embeddedStoreDir(dataDir), { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) open.push(`${path} ${mode.toString(8)}`);
  }
  assert.deepEqual(open.slice(0, 5), [], `${open.length} store entries readable by others`);
  assert.equal(statSync(embeddedStoreDir(dataDir)).mode & 0o777, 0o700);
});

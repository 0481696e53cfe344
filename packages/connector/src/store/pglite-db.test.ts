// The embedded store is durable: a commit in a data directory reaches the disk (an fsync of the file), not only
// the OS page cache. PGlite ships with fsync off and a file system layer without fsync; pglite-db.ts turns both on.

import assert from 'node:assert/strict';
import fs, { mkdtempSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { silentLogger } from '../logging/logger.js';
import { PgliteDb } from './pglite-db.js';

const root = mkdtempSync(join(tmpdir(), 'casebridge-pglite-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a commit in the embedded store is fsynced to the disk, with PostgreSQL fsync on', async (t) => {
  const db = await PgliteDb.open(join(root, 'data'), silentLogger());
  try {
    const fsync = await db.query<{ fsync: string }>('SHOW fsync');
    assert.equal(fsync.rows[0]?.fsync, 'on', 'PostgreSQL runs with fsync on');
    await db.exec('CREATE TABLE durable (id int primary key)');

    // pglite-db.ts imports fsyncSync by name; syncBuiltinESMExports carries the mock to that binding.
    let calls = 0;
    const real = fs.fsyncSync;
    t.mock.method(fs, 'fsyncSync', (fd: number) => {
      calls += 1;
      real(fd);
    });
    syncBuiltinESMExports();
    try {
      await db.transaction((tx) => tx.query('INSERT INTO durable VALUES (1)'));
    } finally {
      t.mock.restoreAll();
      syncBuiltinESMExports();
    }
    assert.ok(calls > 0, 'the commit called fsync on the WAL file');
  } finally {
    await db.close();
  }
});

// A separate process for embedded-store tests: holds the store and keeps committing, or tries to open it and reports.
// Usage: node --import tsx store-child.fixture.ts <dataDir> hold|open

import { isAppError } from '../errors/app-error.js';
import { silentLogger } from '../logging/logger.js';
import { openStore } from './open-store.js';
import { makeTenantRecord, TestClock } from '../../test/helpers/store-test-kit.js';
import { writeServiceInfo } from './store-lock.js';

const [dataDir, mode] = process.argv.slice(2);
if (dataDir === undefined || (mode !== 'hold' && mode !== 'open')) {
  process.stderr.write('usage: <dataDir> hold|open\n');
  process.exit(2);
}

const say = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

try {
  const store = await openStore(
    { dataDir, store: { kind: 'pglite' } },
    { log: silentLogger(), clock: new TestClock() },
  );
  if (mode === 'open') {
    const rows = await store.db.query<{ id: string }>(`SELECT id FROM tenants ORDER BY id`);
    say({ ok: true, ids: rows.rows.map((r) => r.id) });
    await store.close();
  } else {
    writeServiceInfo(dataDir, { pid: process.pid, adminUrl: 'http://127.0.0.1:7071' });
    say({ ready: true, pid: process.pid });
    // Commit one tenant after another, reporting each only after its commit returned, until killed.
    for (let i = 0; ; i += 1) {
      const id = `t${String(i).padStart(5, '0')}`;
      await store.tenants.insert(makeTenantRecord(id));
      say({ committed: id });
    }
  }
} catch (err) {
  say({
    ok: false,
    code: isAppError(err) ? err.code : 'UNEXPECTED',
    message: err instanceof Error ? err.message : String(err),
  });
  process.exitCode = 1;
}

// The embedded store across processes: one holder at a time, refused openers told the holder's pid,
// and every committed row still there after the holder is killed with SIGKILL.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { isAppError } from '../errors/app-error.js';
import { silentLogger } from '../logging/logger.js';
import { openStore } from './open-store.js';
import { makeTenantRecord, TestClock } from '../../test/helpers/store-test-kit.js';
import { readServiceInfo, readStoreHolder } from './store-lock.js';

const fixture = fileURLToPath(new URL('./store-child.fixture.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'casebridge-store-'));
after(() => rmSync(root, { recursive: true, force: true }));

type Line = Record<string, unknown>;

function child(dataDir: string, mode: 'hold' | 'open'): { proc: ChildProcess; lines: AsyncGenerator<Line> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const reader = createInterface({ input: proc.stdout });
  const lines = (async function* () {
    for await (const line of reader) yield JSON.parse(line) as Line;
  })();
  return { proc, lines };
}

async function next(lines: AsyncGenerator<Line>): Promise<Line> {
  const result = await lines.next();
  if (result.done === true) throw new Error('child ended early');
  return result.value;
}

async function runOpen(dataDir: string): Promise<Line> {
  const { proc, lines } = child(dataDir, 'open');
  const line = await next(lines);
  await new Promise((resolve) => proc.once('exit', resolve));
  return line;
}

const config = (dataDir: string) => ({ dataDir, store: { kind: 'pglite' as const } });
const options = { log: silentLogger(), clock: new TestClock() };

test('a second process is refused with the holder pid, and a SIGKILLed holder loses no committed row', async () => {
  const dataDir = join(root, 'data');
  const holder = child(dataDir, 'hold');
  const ready = await next(holder.lines);
  assert.equal(ready['pid'], holder.proc.pid);
  assert.equal(statSync(dataDir).mode & 0o777, 0o700, 'the data directory is private');

  const refused = await runOpen(dataDir);
  assert.equal(refused['code'], 'STORE_LOCKED');
  assert.match(String(refused['message']), new RegExp(`pid ${holder.proc.pid}\\b`));
  await assert.rejects(openStore(config(dataDir), options), (err) => isAppError(err, 'STORE_LOCKED'));
  assert.deepEqual(readServiceInfo(dataDir), { pid: holder.proc.pid, adminUrl: 'http://127.0.0.1:7071' });

  const committed: string[] = [];
  while (committed.length < 15) committed.push(String((await next(holder.lines))['committed']));
  holder.proc.kill('SIGKILL');
  await new Promise((resolve) => holder.proc.once('exit', resolve));
  assert.equal(readStoreHolder(dataDir), null, 'a dead holder holds nothing');
  assert.equal(readServiceInfo(dataDir), null, "a dead service's info is not offered to the CLI");

  const reopened = await runOpen(dataDir);
  assert.equal(reopened['ok'], true, JSON.stringify(reopened));
  const ids = reopened['ids'] as string[];
  for (const id of committed) assert.ok(ids.includes(id), `committed row ${id} survived the kill`);
});

test('closing releases the lock; data survives a clean reopen', async () => {
  const dataDir = join(root, 'reopen');
  const first = await openStore(config(dataDir), options);
  await first.tenants.insert(makeTenantRecord('acme'));
  await assert.rejects(
    openStore(config(dataDir), options),
    (err) => isAppError(err, 'STORE_LOCKED'),
    'same process, second open',
  );
  await first.close();
  const second = await openStore(config(dataDir), options);
  try {
    assert.equal((await second.tenants.get('acme'))?.id, 'acme');
  } finally {
    await second.close();
  }
});

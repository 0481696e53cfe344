// Two outbox worker processes drain one outbox on PostgreSQL, and one is SIGKILLed mid-batch, just after the
// receiver accepted a message from it: every message is delivered and completed, the survivor takes over the dead
// worker's claims once their lease runs out, and the only message delivered twice is the one it died inside
// (delivery is at least once; the stable event id lets the receiver drop the repeat).
// Runs in the PostgreSQL tier (`npm run test:pg`).

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import { silentLogger } from '../../src/logging/logger.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { startWorkerFixture, workerSchema } from '../helpers/pg-workers.js';
import { makeTenantRecord } from '../helpers/store-test-kit.js';

const db = workerSchema('cboutbox');
const TOTAL = 60;
const LEASE_MS = 2_000;
let store: Store;

before(async () => {
  if (db.url === undefined) return;
  store = await openStore(
    { dataDir: '/nonexistent', store: { kind: 'postgres', url: db.url } },
    { log: silentLogger(), clock: { now: () => new Date() }, schema: db.schema },
  );
  await store.tenants.insert(makeTenantRecord('w1'));
});

after(async () => {
  if (db.url === undefined) return;
  await store.close();
  await db.drop();
});

const startWorker = (
  name: string,
  receiver: string,
): { child: ChildProcess; exited: Promise<number | null> } =>
  startWorkerFixture('outbox-worker', [db.url ?? '', db.schema, name, receiver, String(LEASE_MS)]);

test(
  'two outbox workers, one killed mid-batch: every message delivered and completed once, one repeat at most',
  { skip: db.skip },
  async () => {
    const ids: string[] = [];
    for (let i = 0; i < TOTAL; i += 1)
      ids.push(
        (
          await store.outbox.enqueue({
            tenantId: 'w1',
            kind: 'work',
            idempotencyKey: `m${i}`,
            payload: { i },
          })
        ).id,
      );

    const deliveries: { eventId: string; worker: string }[] = [];
    let doomed: ChildProcess | null = null;
    let killedAfter: string | null = null;
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const delivery = JSON.parse(body) as { eventId: string; worker: string };
        deliveries.push(delivery);
        const fromDoomed = deliveries.filter((d) => d.worker === 'doomed').length;
        // accepted, and the sender dies before it hears so: it cannot complete the message
        if (delivery.worker === 'doomed' && fromDoomed === 8 && doomed !== null) {
          killedAfter = delivery.eventId;
          doomed.kill('SIGKILL');
        }
        setTimeout(() => res.writeHead(204).end(), 40);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    try {
      const a = startWorker('doomed', receiver);
      doomed = a.child;
      const b = startWorker('survivor', receiver);
      assert.equal(await a.exited, null, 'the doomed worker was killed');
      assert.equal(await b.exited, 0);
    } finally {
      server.close();
    }

    assert.ok(killedAfter !== null, 'the doomed worker delivered before it was killed');
    const rows = await Promise.all(ids.map((id) => store.outbox.get(id)));
    assert.deepEqual(
      rows.filter((r) => r?.status !== 'done').map((r) => r?.idempotencyKey),
      [],
      'every message completed',
    );
    const delivered = new Map<string, string[]>();
    for (const d of deliveries) delivered.set(d.eventId, [...(delivered.get(d.eventId) ?? []), d.worker]);
    for (const row of rows)
      assert.ok(delivered.has(row?.eventId ?? ''), `event of ${row?.idempotencyKey} delivered`);
    const repeats = [...delivered].filter(([, workers]) => workers.length > 1);
    assert.ok(repeats.length <= 1, `repeats: ${JSON.stringify(repeats)}`);
    for (const [eventId, workers] of repeats) {
      assert.equal(eventId, killedAfter, 'only the message the worker died inside is delivered again');
      assert.deepEqual(workers, ['doomed', 'survivor']);
    }
    // the dead worker's unfinished claims (its batch of 5 at most) were claimed again by the survivor, once
    const reclaimed = rows.filter((r) => (r?.attempts ?? 0) > 1);
    assert.ok(reclaimed.length >= 1 && reclaimed.length <= 5, `${reclaimed.length} reclaimed`);
    assert.ok(reclaimed.every((r) => r?.attempts === 2));
  },
);

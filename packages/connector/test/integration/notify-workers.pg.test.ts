// Two worker processes on one PostgreSQL database run the service's background work (ticket monitor job and outbox
// dispatcher) for one tenant; the worker caught in the middle of a webhook delivery is killed (SIGKILL) while the
// receiver holds its request. The other worker takes over the killed worker's claims when their lease ends: every
// notification reaches the receiver, the interrupted one is re-sent under the same event id, and the receiver,
// deduplicating on it, acts on each once. Runs in the PostgreSQL tier (`npm run test:pg`).

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import pg from 'pg';

import { controlClient, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { emulatorTenantOnSchema, startWorkerFixture, workerSchema } from '../helpers/pg-workers.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const db = workerSchema('cbnotify');
const { url, schema } = db;
const TENANT = 'acme';
let em: StartedEmulator;
let receiver: WebhookReceiver;
const workers: ChildProcess[] = [];

async function startWorker(): Promise<ChildProcess> {
  const worker = startWorkerFixture('notify-worker', [url ?? '', schema, db.masterKey], 600_000);
  workers.push(worker.child);
  await worker.printed('ready');
  return worker.child;
}

/** The process holding the client end of a loopback connection whose client port is `port` (Linux /proc). */
function pidOfClientPort(port: number, candidates: readonly ChildProcess[]): number | undefined {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6'])
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[9] !== undefined) inodes.add(cols[9]);
    }
  for (const child of candidates) {
    if (child.pid === undefined) continue;
    for (const fd of readdirSync(`/proc/${child.pid}/fd`)) {
      let link = '';
      try {
        link = readlinkSync(`/proc/${child.pid}/fd/${fd}`);
      } catch {
        continue; // closed meanwhile
      }
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode !== undefined && inodes.has(inode)) return child.pid;
    }
  }
  return undefined;
}

async function until(what: string, done: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

before(async () => {
  if (url === undefined) return;
  receiver = await startWebhookReceiver({ secrets: [], nowSeconds: () => Date.now() / 1000 });
  em = await emulatorTenantOnSchema(db, TENANT, {
    env: { CASEBRIDGE_WEBHOOK_ALLOW_HTTP: 'true', CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' },
    configure: async (runtime) => {
      await runtime.admin.updateTenant(TENANT, {
        settings: { monitor: { intervalSeconds: 10, lookBackMinutes: 5 } },
      });
      const { secret } = await runtime.webhooks.set(TENANT, receiver.url);
      assert.ok(secret !== null);
      receiver.secrets = [secret];
    },
  });
});

after(async () => {
  if (url === undefined) return;
  for (const child of workers)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await receiver.close();
  await em.close();
  await db.drop('boss');
});

test(
  'a worker killed mid-delivery: the other delivers everything, the receiver acts on each event once',
  { skip: db.skip },
  async (t) => {
    const control = controlClient(em);
    const act = async (name: string, body: Record<string, unknown>): Promise<string> =>
      (await control<{ id: string }>('POST', `/orgs/${em.orgId}/actions/${name}`, body)).id;
    const caseIds = [0, 1].map(() => '');
    for (let i = 0; i < caseIds.length; i += 1)
      caseIds[i] = await act('create-case', {
        fields: { Subject: `Laptop ${i}`, Status: 'New', Origin: 'Web', ContactId: em.demo?.contactIds[0] },
      });
    const pool = [await startWorker(), await startWorker()];
    let killed: number | undefined;
    // the first polls take the cases as their baseline
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const polledAt = async (): Promise<string> => {
      const { rows } = await db.query<{ polled_at: Date }>(
        `SELECT polled_at FROM "${schema}".monitor_stats WHERE tenant_id = $1`,
        [TENANT],
      );
      return rows[0]?.polled_at.toISOString() ?? '';
    };
    try {
      const end = Date.now() + 60_000;
      while ((await polledAt()) === '' && Date.now() < end) await sleep(200);

      // The first delivery is held open (the receiver acted on it, its answer never comes) and its worker killed.
      let held: string | undefined;
      receiver.fate = (request) => {
        if (held !== undefined) return { kind: 'answer', status: 204 };
        held = request.eventId;
        return { kind: 'slow', ms: 60_000 };
      };
      const comments: string[] = [];
      for (let i = 0; i < 30; i += 1)
        comments.push(
          await act('comment-case', { caseId: caseIds[i % 2], body: `step ${i}`, isPublic: true }),
        );
      await until('the first delivery', () => held !== undefined);
      const port = receiver.requests.find((r) => r.eventId === held)?.remotePort;
      assert.ok(port !== undefined);
      killed = pidOfClientPort(port, pool);
      assert.ok(killed !== undefined, 'found the worker holding the delivery');
      process.kill(killed, 'SIGKILL');

      const actedOnComment = (): string[] =>
        receiver.accepted
          .map((id) => receiver.requests.find((r) => r.eventId === id))
          .map((r) =>
            r === undefined ? '' : ((JSON.parse(r.body) as { comment?: { id: string } }).comment?.id ?? ''),
          );
      await until('every comment delivered', () => comments.every((id) => actedOnComment().includes(id)));
      const sends = receiver.requests.filter((r) => r.eventId === held).length;
      const resends = receiver.requests.length - new Set(receiver.requests.map((r) => r.eventId)).size;
      t.diagnostic(
        `comments ${comments.length}, acted on ${receiver.accepted.length}, requests ${receiver.requests.length}, raw re-sends ${resends}, sends of the interrupted event ${sends}`,
      );
      const acted = actedOnComment().filter((id) => comments.includes(id));
      assert.equal(acted.length, comments.length, 'each comment acted on once');
      assert.equal(new Set(acted).size, comments.length);
      assert.ok(sends >= 2, 'the interrupted delivery was sent again by the surviving worker');
      // in order per case, through the kill
      for (const caseId of caseIds) {
        const order = receiver.accepted
          .map((id) => receiver.requests.find((r) => r.eventId === id))
          .map((r) => JSON.parse(r?.body ?? '{}') as { case?: { id: string }; comment?: { id: string } })
          .filter((b) => b.case?.id === caseId)
          .map((b) => comments.indexOf(b.comment?.id ?? ''));
        assert.deepEqual(
          order,
          [...order].sort((a, b) => a - b),
          `case ${caseId} in order`,
        );
      }
    } finally {
      await db.end();
      for (const child of pool) if (child.pid !== killed) child.kill('SIGTERM');
    }
  },
);

// Two worker processes on one PostgreSQL database: a web chat page connected to worker B (GET /v1/events) receives
// the notifications worker A stores, each once and in order, carried by NOTIFY (worker B's safety-net poll is an
// hour away, so only a signal can bring them in time); a page that reconnects with Last-Event-ID gets what it
// missed from the table. The delivery latency is measured against the follower without signals (polling every
// 500 ms, as before migration 0061) and printed with worker B's CPU time. Runs in the PostgreSQL tier.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { hashSession } from '../../src/services/bot/bot-sessions.js';
import { openOnSchema, workerSchema } from '../helpers/pg-workers.js';
import { makeTenantRecord } from '../helpers/store-test-kit.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const db = workerSchema('cbchatw');
const ADA = '003000000000001AAA';
const BOB = '003000000000002AAA';
const session = `cbs_${randomBytes(24).toString('base64url')}`;
const workers: WorkerProcess[] = [];

interface Received {
  id: number;
  eventId: string;
  at: number;
}

/** An SSE client of the chat's event stream; `events` fills as they arrive (with the arrival time). */
async function openStream(botUrl: string, lastEventId?: string) {
  const controller = new AbortController();
  const res = await fetch(`${botUrl}/v1/events`, {
    headers: {
      cookie: `cb_session=${session}`,
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    },
    signal: controller.signal,
  });
  assert.equal(res.status, 200, await (res.status === 200 ? Promise.resolve('') : res.text()));
  const events: Received[] = [];
  let ready = false;
  const reading = (async () => {
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const at = Date.now();
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((l) => !l.startsWith(':') && l.includes(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
        );
        if (fields['event'] === 'ready') ready = true;
        if (fields['event'] === 'ticket')
          events.push({
            id: Number(fields['id']),
            eventId: (JSON.parse(fields['data'] ?? '{}') as { eventId: string }).eventId,
            at,
          });
      }
    }
  })().catch(() => undefined);
  await until('the stream ready', () => ready);
  return {
    events,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}

async function until(what: string, done: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

before(async () => {
  if (db.url === undefined) return;
  const runtime = await openOnSchema(db);
  try {
    await runtime.store.tenants.insert(makeTenantRecord('acme'));
    const now = runtime.clock.now();
    await runtime.store.bot.sessions.insert({
      tokenHash: hashSession(session),
      tenantId: 'acme',
      email: 'ada@acme.example',
      contactId: ADA,
      name: 'Ada',
      createdAt: now.toISOString(),
      lastUsedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
      revokedAt: null,
    });
  } finally {
    await runtime.close();
  }
});

after(async () => {
  if (db.url === undefined) return;
  for (const worker of workers) await worker.stop();
  await db.drop();
});

test(
  'an event stored by worker A reaches a page on worker B at once, by NOTIFY; a reconnect replays what it missed',
  { skip: db.skip },
  async (t) => {
    const writer = await startWorkerProcess([db.url ?? '', db.schema, db.masterKey, 'poll']);
    workers.push(writer);
    const rounds = 20;
    let n = 0;
    const measure = async (mode: 'poll' | 'notify', seenUpTo?: number) => {
      const server = await startWorkerProcess([db.url ?? '', db.schema, db.masterKey, mode]);
      workers.push(server);
      const stream = await openStream(server.botUrl, seenUpTo === undefined ? undefined : String(seenUpTo));
      const cpuBefore = await server.cpuMs();
      const stored = new Map<string, number>();
      const mine: string[] = [];
      for (let i = 0; i < rounds; i += 1) {
        // spaced irregularly, so the events fall anywhere in a poll's period
        await sleep(60 + ((i * 37) % 90));
        const eventId = `${mode}-${(n += 1)}`;
        // another employee's event in between: never on Ada's page
        await writer.ask(`append ${eventId}-bob ${BOB}`, 'stored');
        const [id, at] = await writer.ask(`append ${eventId} ${ADA}`, 'stored');
        stored.set(id ?? '', Number(at));
        mine.push(eventId);
      }
      await until(`${mode}: every event on B's page`, () => stream.events.length >= rounds);
      const cpuMs = (await server.cpuMs()) - cpuBefore;
      await sleep(100);
      assert.deepEqual(
        stream.events.map((e) => e.eventId),
        mine,
        "each of Ada's events once, in order, none of Bob's",
      );
      const latencies = stream.events.map((e) => e.at - (stored.get(e.eventId) ?? NaN)).sort((a, b) => a - b);
      t.diagnostic(
        `${mode}: delivery latency A stored → B's page over ${rounds} events: median ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${latencies.at(-1)} ms; worker B CPU ${cpuMs.toFixed(0)} ms`,
      );
      return { server, stream };
    };

    const before = await measure('poll');
    await before.stream.close();
    await before.server.stop();
    const { server, stream } = await measure('notify', before.stream.events.at(-1)?.id);

    // the page goes away; two events are stored meanwhile; it comes back with the last id it saw
    const last = stream.events.at(-1);
    assert.ok(last !== undefined);
    await stream.close();
    await writer.ask(`append missed-1 ${ADA}`, 'stored');
    await writer.ask(`append missed-2 ${ADA}`, 'stored');
    const again = await openStream(server.botUrl, String(last.id));
    await until('the replay', () => again.events.length >= 2);
    await writer.ask(`append live-after-replay ${ADA}`, 'stored');
    await until('the live event after the replay', () => again.events.length >= 3);
    await sleep(100);
    assert.deepEqual(
      again.events.map((e) => e.eventId),
      ['missed-1', 'missed-2', 'live-after-replay'],
    );
    await again.close();
  },
);

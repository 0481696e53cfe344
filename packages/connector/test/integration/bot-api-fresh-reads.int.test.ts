// A busy bot does not multiply Salesforce calls: listing and showing are answered again from what casebridge read
// while it is at most 15 seconds old (the answer says when it was read, `asOf`, and `maxAgeSeconds`), concurrent
// requests share one read, the employee's own writes are seen at once, and an agent's change within 15 seconds.
// Calls are counted in the emulator's own log.

import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { controlClient, type StartedEmulator } from '@casebridge/salesforce-emulator';

import type { Clock } from '../../src/domain/ports.js';
import { TicketDetailSchema, TicketListSchema } from '../../src/http/bot/contracts.js';
import { type Runtime } from '../../src/main.js';
import { botAppOn, openBotTenant, openEmployeeSession } from '../helpers/bot-tenant.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const EMAIL = 'busy.bot@example.com';
/** how far the test moved casebridge's clock ahead of the real one */
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
let tmp: string;
let em: StartedEmulator;
let runtime: Runtime;
let bot: string;
let stop: () => Promise<void>;
let session: string;

interface Listing {
  tickets: { number: string; subject: string; label: string }[];
  asOf: string;
  maxAgeSeconds: number;
}

async function get<T>(path: string): Promise<T> {
  const res = await fetch(`${bot}${path}`, { headers: { authorization: `Bearer ${session}` } });
  const body = (await res.json()) as T;
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${bot}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${session}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as T;
  assert.ok(res.status < 300, JSON.stringify(answer));
  return answer;
}

/** the counted Salesforce calls `fn` made, as the emulator logged them */
async function counted<T>(fn: () => Promise<T>): Promise<{ value: T; calls: number }> {
  const control = controlClient(em);
  const { lastSeq } = await control<{ lastSeq: number }>('GET', '/calls?limit=1');
  const value = await fn();
  const { calls } = await control<{ calls: unknown[] }>('GET', `/calls?counted=true&afterSeq=${lastSeq}`);
  return { value, calls: calls.length };
}

before(async () => {
  ({ tmp, em, runtime } = await openBotTenant('cb-bot-fresh-', rsa.publicKey, clock));
  em.org.data.insert(
    'Contact',
    { FirstName: 'Busy', LastName: 'Bot', Email: EMAIL },
    em.demo?.integrationUserId ?? '',
  );
  const { app } = botAppOn(runtime, clock);
  bot = await app.listen({ port: 0, host: '127.0.0.1' });
  stop = () => app.close();
  session = await openEmployeeSession(bot, rsa.privateKey, EMAIL, clock);
  await post('/v1/tickets', { subject: 'Monitor flickers', description: 'Every few minutes.' });
});

after(async () => {
  await stop();
  await runtime.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('20 concurrent and 20 more listings within 15 seconds cost one Salesforce query, and say how fresh they are', async () => {
  offsetMs += 60_000; // past anything read before
  const { value, calls } = await counted(async () => {
    const together = await Promise.all(Array.from({ length: 20 }, () => get<Listing>('/v1/tickets')));
    const after = [];
    for (let i = 0; i < 20; i++) after.push(await get<Listing>('/v1/tickets'));
    return [...together, ...after];
  });
  assert.equal(calls, 1, 'one read of Salesforce for 40 listings');
  const first = value[0];
  assert.ok(first !== undefined);
  assert.equal(first.maxAgeSeconds, 15);
  assert.ok(value.every((l) => l.asOf === first.asOf && l.tickets.length === 1));
  assert.ok(Math.abs(Date.parse(first.asOf) - clock.now().getTime()) < 5_000);
  // the answer is exactly what the OpenAPI document says, freshness included
  TicketListSchema.parse(first);
  type Schema = { required: string[] };
  type Doc = {
    paths: Record<
      string,
      Record<
        string,
        { responses: Record<string, { content: Record<string, { schema: Schema }> } | undefined> }
      >
    >;
  };
  const doc = (await (await fetch(`${bot}/v1/openapi.json`)).json()) as Doc;
  const schemaAt = (path: string, method: string): Schema | undefined =>
    doc.paths[path]?.[method]?.responses['200']?.content['application/json']?.schema;
  const listed = schemaAt('/v1/tickets', 'get');
  assert.ok(listed !== undefined);
  assert.deepEqual(listed.required.sort(), ['asOf', 'maxAgeSeconds', 'tickets']);
  const shown = schemaAt('/v1/tickets/{number}', 'get');
  assert.ok(shown?.required.includes('asOf') === true && shown.required.includes('maxAgeSeconds'));
  assert.ok(schemaAt('/v1/tickets/{number}/close', 'post') !== undefined, 'close answers 200');
});

test("an agent's change shows once the read is older than 15 seconds; the employee's own filing at once", async () => {
  offsetMs += 60_000;
  const listed = await get<Listing>('/v1/tickets');
  const [ticket] = listed.tickets;
  assert.ok(ticket !== undefined);
  const [row] = em.org.data.query(
    { userId: em.demo?.integrationUserId ?? '' } as never,
    `SELECT Id FROM Case WHERE CaseNumber = '${ticket.number}'`,
  ).records;
  em.org.data.patch('Case', String(row?.['Id']), { Status: 'Working' }, em.demo?.integrationUserId ?? '');
  offsetMs += 10_000;
  const stale = await counted(() => get<Listing>('/v1/tickets'));
  assert.equal(stale.calls, 0);
  assert.equal(stale.value.tickets[0]?.label, listed.tickets[0]?.label, 'within 15 s: the read held');
  offsetMs += 6_000;
  const fresh = await counted(() => get<Listing>('/v1/tickets'));
  assert.equal(fresh.calls, 1);
  assert.notEqual(fresh.value.tickets[0]?.label, listed.tickets[0]?.label, 'past 15 s: read again');
  assert.ok(Date.parse(fresh.value.asOf) > Date.parse(stale.value.asOf));

  await post('/v1/tickets', { subject: 'Keyboard sticks', description: 'The space bar.' });
  const mine = await get<Listing>('/v1/tickets');
  assert.deepEqual(mine.tickets.map((t) => t.subject).sort(), ['Keyboard sticks', 'Monitor flickers']);
});

test('showing one ticket is held the same way; a comment of the employee is seen on the next show', async () => {
  offsetMs += 60_000;
  const { tickets } = await get<Listing>('/v1/tickets');
  const number = tickets[0]?.number ?? '';
  type Shown = { number: string; comments: { body: string }[]; asOf: string; maxAgeSeconds: number };
  const shown = await counted(async () => {
    const all = await Promise.all(Array.from({ length: 10 }, () => get<Shown>(`/v1/tickets/${number}`)));
    return [...all, await get<Shown>(`/v1/tickets/${number}`)];
  });
  assert.ok(
    shown.calls <= 3,
    `one show's reads (case, comments, maybe the email's Contacts): ${shown.calls}`,
  );
  assert.ok(shown.value.every((s) => s.asOf === shown.value[0]?.asOf && s.maxAgeSeconds === 15));
  TicketDetailSchema.parse(shown.value[0]);
  await post(`/v1/tickets/${number}/comments`, { text: 'It also flickers on battery.' });
  const after = await get<Shown>(`/v1/tickets/${number}`);
  assert.ok(after.comments.some((c) => c.body.includes('It also flickers on battery.')));
});

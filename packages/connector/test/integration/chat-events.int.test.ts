// The web chat's session exchange and live events over HTTP, against the emulator: the cookie session (HttpOnly,
// Lax stand-alone, Secure + SameSite=None + Partitioned embedded), CSRF on every write made with the cookie, a
// sign-in refused from an origin off the allowlist, and the event stream: replay after Last-Event-ID exactly once,
// an employee's stream never carrying another's notification, and a notification written to the store reaching a
// page on another worker's follower (a second app over the same store, with its own LiveFeed).

import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';
import { SignJWT } from 'jose';

import { loadConfig } from '../../src/config/load-config.js';
import type { TicketNotification } from '../../src/domain/tickets/notification-rules.js';
import { buildBotApp } from '../../src/http/bot-app.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';
import { LiveFeed } from '../../src/notify/live/live-feed.js';
import { addEmulatorTenant } from '../helpers/emulator-tenant.js';
import { closeFetchConnections } from '../helpers/fetch-pool.js';

const ISSUER = 'https://intranet.example.com';
const INTRANET = 'https://intranet.example.com';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
let tmp: string;
let em: StartedEmulator;
let rt: Runtime;
let base: string;
let other: string;
let adaId: string;
const apps: { close(): Promise<unknown> }[] = [];

const token = (email: string): Promise<string> =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(ISSUER)
    .setAudience('casebridge:acme')
    .setSubject(email)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(rsa.privateKey);

let n = 0;
const notification = (employeeId: string, body: string): TicketNotification => {
  n += 1;
  return {
    eventId: `evt-${n}-${randomUUID()}`,
    kind: 'agent-comment',
    tenantId: 'acme',
    caseId: '500000000000001AAA',
    caseNumber: '00001001',
    employeeId,
    state: 'IN_PROGRESS',
    occurredAt: new Date().toISOString(),
    comment: { id: `00a00000000000${n}AAA`, body, createdAt: new Date().toISOString() },
  };
};

async function signIn(
  email: string,
  embedded = false,
): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const res = await fetch(`${base}/chat/acme/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ identityToken: await token(email), embedded }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const setCookie = res.headers.get('set-cookie') ?? '';
  const { csrf } = (await res.json()) as { csrf: string };
  return { cookie: setCookie.split(';')[0] ?? '', csrf, setCookie };
}

/** Reads server-sent events until the `ready` event (or `stopAfter` ticket events), then closes the stream. */
async function readEvents(
  url: string,
  headers: Record<string, string>,
  until: (events: { id: string; data: { comment?: { body: string } } }[]) => boolean = () => true,
): Promise<{ id: string; data: { comment?: { body: string } } }[]> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: { id: string; data: { comment?: { body: string } } }[] = [];
  let ready = false;
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    while (!(ready && until(events))) {
      const { value, done } = await reader.read();
      if (done) break;
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
            id: fields['id'] ?? '',
            data: JSON.parse(fields['data'] ?? '{}') as { comment?: { body: string } },
          });
      }
      if (ready && until(events)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-chat-events-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
  rt = await openRuntime(
    loadConfig({
      CASEBRIDGE_DATA_DIR: join(tmp, 'data'),
      CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 3).toString('base64'),
    }),
    { log: silentLogger(), inMemoryStore: true },
  );
  await addEmulatorTenant(rt.admin, em, 'acme');
  await rt.admin.updateTenant('acme', { settings: { chat: { allowedOrigins: [INTRANET] } } });
  await rt.bot.identity.set('acme', {
    issuer: ISSUER,
    audience: 'casebridge:acme',
    publicKeyPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  const insert = (fields: Record<string, unknown>): string =>
    em.org.data.insert('Contact', fields, em.demo?.integrationUserId ?? '');
  adaId = insert({ FirstName: 'Ada', LastName: 'Chat', Email: 'ada.chat@example.com' });
  insert({ FirstName: 'Ben', LastName: 'Chat', Email: 'ben.chat@example.com' });
  const app = buildBotApp({ ...rt.bot, log: silentLogger(), version: 't', chat: rt.chat });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  // a second worker: its own follower of the same store
  const live = new LiveFeed({ feed: rt.store.chatFeed, log: silentLogger(), everyMs: 100 });
  const second = buildBotApp({
    ...rt.bot,
    log: silentLogger(),
    version: 't',
    chat: { ...rt.chat, live },
  });
  other = await second.listen({ port: 0, host: '127.0.0.1' });
  apps.push(app, second);
});

after(async () => {
  await closeFetchConnections();
  for (const app of apps) await app.close();
  await rt.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('the session is an HttpOnly cookie: Lax on the page, Secure; SameSite=None; Partitioned embedded', async () => {
  const page = await signIn('ada.chat@example.com');
  assert.match(page.setCookie, /^cb_session=cbs_[\w-]+; Path=\/; HttpOnly; Max-Age=43200; SameSite=Lax$/);
  const framed = await signIn('ada.chat@example.com', true);
  assert.match(framed.setCookie, /HttpOnly; Max-Age=43200; Secure; SameSite=None; Partitioned$/);
  const me = await fetch(`${base}/chat/acme/session`, { headers: { cookie: page.cookie } });
  assert.equal(me.status, 200);
  assert.equal(((await me.json()) as { csrf: string }).csrf, page.csrf);
});

test('a write with the cookie needs the CSRF token; a read does not', async () => {
  const { cookie, csrf } = await signIn('ada.chat@example.com');
  assert.equal((await fetch(`${base}/v1/tickets`, { headers: { cookie } })).status, 200);
  const file = (headers: Record<string, string>) =>
    fetch(`${base}/v1/tickets`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...headers },
      body: JSON.stringify({ subject: 'Chat CSRF test', description: 'Filed with the cookie.' }),
    });
  const refused = await file({});
  assert.equal(refused.status, 403);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'CHAT_CSRF_REFUSED');
  assert.equal((await file({ 'x-casebridge-csrf': csrf })).status, 201);
});

test('a sign-in from an origin off the allowlist is refused; an allowlisted intranet may post one', async () => {
  const signInFrom = async (origin: string) =>
    fetch(`${base}/chat/acme/session`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ identityToken: await token('ada.chat@example.com') }).toString(),
    });
  const evil = await signInFrom('https://intranet.example.com.evil.net');
  assert.equal(evil.status, 403);
  assert.equal(((await evil.json()) as { error: { code: string } }).error.code, 'CHAT_ORIGIN_REFUSED');
  const ok = await signInFrom(INTRANET);
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/chat/acme/');
  const page = await fetch(`${base}/chat/acme/`);
  assert.match(
    page.headers.get('content-security-policy') ?? '',
    /frame-ancestors https:\/\/intranet\.example\.com(;|$)/,
  );
  assert.doesNotMatch(await page.text(), /<script>|<style>| on\w+=/, 'no inline script or style');
});

test('events replay after Last-Event-ID once each, carry only the employee’s own, and cross workers', async () => {
  const { cookie } = await signIn('ada.chat@example.com');
  for (const body of ['one', 'two', 'three']) await rt.store.chatFeed.append(notification(adaId, body));
  await rt.store.chatFeed.append(notification('003000000000OTHER', 'for someone else'));
  const all = await readEvents(`${base}/v1/events`, { cookie });
  assert.deepEqual(
    all.map((e) => e.data.comment?.body),
    ['one', 'two', 'three'],
  );
  const second = all[1]?.id ?? '';
  const rest = await readEvents(`${base}/v1/events`, { cookie, 'last-event-id': second });
  assert.deepEqual(
    rest.map((e) => e.data.comment?.body),
    ['three'],
    'after a reconnect: only what came after',
  );

  // live, on the other worker: written to the store after the stream opened
  const last = all[2]?.id ?? '';
  const later = readEvents(`${other}/v1/events?after=${last}`, { cookie }, (events) => events.length >= 1);
  await new Promise((r) => setTimeout(r, 300));
  await rt.store.chatFeed.append(notification(adaId, 'four'));
  const live = await later;
  assert.deepEqual(
    live.map((e) => e.data.comment?.body),
    ['four'],
  );
  assert.equal(
    await rt.store.chatFeed.append({
      ...notification(adaId, 'x'),
      eventId: (await rt.store.chatFeed.forEmployee('acme', adaId, 0, 10))[0]!.notification.eventId,
    }),
    false,
    'an event id is kept once',
  );
});

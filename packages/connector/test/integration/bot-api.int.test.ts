// The bot API over HTTP against the emulator: identity tokens (forgeries, expiry, replay, lifetime), employee
// sessions (idle and hard expiry on an injected clock, revocation), and every employee operation's success and bad
// input; another employee's ticket answers exactly like a missing one; a retried filing makes one Case.

import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, createSecretKey } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import { controlClient, type StartedEmulator } from '@casebridge/salesforce-emulator';
import { exportJWK, SignJWT, type JWTPayload } from 'jose';

import type { Clock } from '../../src/domain/ports.js';
import { buildAdminApp } from '../../src/http/admin-app.js';
import { MemoryRateCounter } from '../../src/domain/bot/rate-window.js';
import { buildBotApp } from '../../src/http/bot-app.js';
import { createLogger, silentLogger } from '../../src/logging/logger.js';
import { type Runtime } from '../../src/main.js';
import { createPolicyFetch } from '../../src/notify/webhook/policy-fetch.js';
import { webhookUrlPolicy } from '../../src/notify/webhook/url-policy.js';
import { BotSessionService } from '../../src/services/bot/bot-sessions.js';
import { IdentityVerifier } from '../../src/services/bot/identity-verifier.js';
import { BOT_AUDIENCE, BOT_ISSUER, botAppOn, openBotTenant } from '../helpers/bot-tenant.js';
import { addEmulatorTenant } from '../helpers/emulator-tenant.js';

const ISSUER = BOT_ISSUER;
const AUDIENCE = BOT_AUDIENCE;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

let tmp: string;
let em: StartedEmulator;
let runtime: Runtime;
let base: string;
let close: () => Promise<void>;
let adaId: string;
let benId: string;
let jti = 0;

/** The fields the assertions read from an answer (each test asserts the status first, then what it reads). */
interface Reply {
  session: string;
  employee: { contactId: string | null; name: string; email: string };
  idleTimeoutSeconds: number;
  error: {
    code: string;
    message: string;
    details: { candidates: { contactId: string; department: string }[] };
  };
  tickets: { number: string; subject: string }[];
  number: string;
  state: string;
  label: string;
  updatedAt: string;
  comments: { body: string; fromAgent: boolean }[];
  replayed: boolean;
  tenantId: string;
  openapi: string;
  paths: Record<
    string,
    {
      post?: {
        requestBody: {
          content: Record<string, { schema: { required: string[]; additionalProperties: boolean } }>;
        };
      };
    }
  >;
}

function insert(sobject: string, fields: Record<string, unknown>): string {
  return em.org.data.insert(sobject, fields, em.demo?.integrationUserId ?? '');
}
const numberOf = (caseId: string): string => String(em.org.data.peek(caseId)?.record['CaseNumber']);

async function identityToken(
  claims: JWTPayload = {},
  options: { alg?: string; key?: Parameters<SignJWT['sign']>[0]; expiresIn?: number; omit?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  jti += 1;
  const payload: JWTPayload = {
    sub: 'ada.ng@example.com',
    jti: `t-${jti}-${now}`,
    exp: now + (options.expiresIn ?? 300),
    iat: now,
    ...claims,
  };
  if (options.omit !== undefined) delete payload[options.omit];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'RS256' })
    .setIssuer(typeof claims.iss === 'string' ? claims.iss : ISSUER)
    .setAudience(typeof claims.aud === 'string' ? claims.aud : AUDIENCE)
    .sign(options.key ?? rsa.privateKey);
}

async function call(
  method: string,
  path: string,
  options: { session?: string; body?: unknown; key?: string; url?: string } = {},
): Promise<{ status: number; body: Reply }> {
  const headers: Record<string, string> = {};
  if (options.session !== undefined) headers['authorization'] = `Bearer ${options.session}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.key !== undefined) headers['idempotency-key'] = options.key;
  const response = await fetch(`${options.url ?? base}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Reply };
}

async function sessionFor(email: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', '/v1/sessions', {
    body: { tenant: 'acme', identityToken: await identityToken({ sub: email }), ...extra },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.session;
}

before(async () => {
  ({ tmp, em, runtime } = await openBotTenant('cb-bot-api-', rsa.publicKey));
  adaId = insert('Contact', { FirstName: 'Ada', LastName: 'Ng', Email: 'ada.ng@example.com' });
  benId = insert('Contact', { FirstName: 'Ben', LastName: 'Ode', Email: 'ben.ode@example.com' });
  insert('Contact', { FirstName: 'Sam', LastName: 'Lee', Email: 'sam@example.com', Department: 'Finance' });
  insert('Contact', { FirstName: 'Sam', LastName: 'Lee', Email: 'sam@example.com', Department: 'Legal' });
  const app = buildBotApp({ ...runtime.bot, log: silentLogger(), version: 'test' });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  close = () => app.close();
});

after(async () => {
  await close();
  await runtime.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

void test('an identity token becomes a session naming the employee; the session works until it is ended', async () => {
  const res = await call('POST', '/v1/sessions', {
    body: { tenant: 'acme', identityToken: await identityToken() },
  });
  assert.equal(res.status, 201);
  assert.match(res.body.session, /^cbs_[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(res.body.employee, { contactId: adaId, name: 'Ada Ng', email: 'ada.ng@example.com' });
  assert.equal(res.body.idleTimeoutSeconds, 1800);
  // the store keeps the session's SHA-256 only: a copy of the database opens no session
  const stored = await runtime.store.db.query<Record<string, unknown>>('SELECT * FROM bot_sessions');
  const hash = createHash('sha256').update(res.body.session).digest('hex');
  assert.ok(stored.rows.some((row) => row['token_hash'] === hash));
  assert.ok(
    !JSON.stringify(stored.rows).includes(res.body.session.slice(4)),
    'the session itself is not stored',
  );
  const me = await call('GET', '/v1/me', { session: res.body.session });
  assert.equal(me.status, 200);
  assert.equal(me.body.employee.contactId, adaId);
  assert.equal((await call('DELETE', '/v1/sessions/current', { session: res.body.session })).status, 204);
  const after = await call('GET', '/v1/me', { session: res.body.session });
  assert.equal(after.status, 401);
  assert.equal(after.body.error.code, 'BOT_SESSION_INVALID');
});

void test('forged, expired, replayed and over-long identity tokens are refused with coded 401s', async () => {
  const refused = async (token: string, code = 'BOT_IDENTITY_TOKEN_INVALID'): Promise<string> => {
    const res = await call('POST', '/v1/sessions', { body: { tenant: 'acme', identityToken: token } });
    assert.equal(res.status, 401, JSON.stringify(res.body));
    assert.equal(res.body.error.code, code);
    assert.ok(!JSON.stringify(res.body).includes(token), 'the token is never echoed');
    return res.body.error.message;
  };
  // alg none: an unsigned token with a valid-looking payload
  const now = Math.floor(Date.now() / 1000);
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const payload = { sub: 'ada.ng@example.com', iss: ISSUER, aud: AUDIENCE, jti: 'none-1', exp: now + 60 };
  assert.match(await refused(`${b64({ alg: 'none' })}.${b64(payload)}.`), /algorithm|malformed/);
  // HS256 keyed with the public key's PEM (the classic key-confusion forgery)
  const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  assert.match(
    await refused(await identityToken({}, { alg: 'HS256', key: createSecretKey(Buffer.from(pem)) })),
    /algorithm/,
  );
  assert.match(await refused(await identityToken({}, { key: otherRsa.privateKey })), /signature/);
  assert.match(await refused(await identityToken({ iss: 'https://evil.example.com' })), /iss/);
  assert.match(await refused(await identityToken({ aud: 'casebridge:other' })), /aud/);
  assert.match(await refused(await identityToken({}, { expiresIn: -120 })), /expired/);
  assert.match(await refused(await identityToken({}, { expiresIn: 3600 })), /10 minutes/);
  assert.match(await refused(await identityToken({}, { omit: 'jti' })), /jti/);
  assert.match(await refused(await identityToken({ sub: 'not-an-email' })), /email/);
  // within the 60 s skew an expired token still passes; a replay of it does not, even after the hourly purge of
  // expired token ids has run (its id is kept as long as the token verifies)
  const skewed = await identityToken({}, { expiresIn: -30 });
  const first = await call('POST', '/v1/sessions', { body: { tenant: 'acme', identityToken: skewed } });
  assert.equal(first.status, 201);
  await runtime.store.bot.tokenIds.purgeExpired();
  await refused(skewed, 'BOT_IDENTITY_TOKEN_REPLAYED');
});

void test('ES256 tokens verify against an EC key; a tenant without identity settings is refused', async () => {
  await runtime.store.bot.identity.put({
    tenantId: 'acme',
    issuer: ISSUER,
    audience: AUDIENCE,
    publicKeyPem: ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    jwksUrl: null,
  });
  try {
    const token = await identityToken({}, { alg: 'ES256', key: ec.privateKey });
    assert.equal(
      (await call('POST', '/v1/sessions', { body: { tenant: 'acme', identityToken: token } })).status,
      201,
    );
  } finally {
    await runtime.store.bot.identity.put({
      tenantId: 'acme',
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeyPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      jwksUrl: null,
    });
  }
  await addEmulatorTenant(runtime.admin, em, 'bare');
  const res = await call('POST', '/v1/sessions', {
    body: { tenant: 'bare', identityToken: await identityToken() },
  });
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, 'BOT_IDENTITY_NOT_CONFIGURED');
});

void test('several Contacts with one email: the employee chooses, with the same token; a wrong choice is refused', async () => {
  const token = await identityToken({ sub: 'sam@example.com' });
  const ambiguous = await call('POST', '/v1/sessions', { body: { tenant: 'acme', identityToken: token } });
  assert.equal(ambiguous.status, 409);
  assert.equal(ambiguous.body.error.code, 'BOT_EMPLOYEE_AMBIGUOUS');
  const candidates = ambiguous.body.error.details.candidates;
  assert.deepEqual(candidates.map((c) => c.department).sort(), ['Finance', 'Legal']);
  const wrong = await call('POST', '/v1/sessions', {
    body: { tenant: 'acme', identityToken: token, contactId: adaId },
  });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error.code, 'BOT_EMPLOYEE_CHOICE_INVALID');
  const legal = candidates.find((c) => c.department === 'Legal')?.contactId;
  const chosen = await call('POST', '/v1/sessions', {
    body: { tenant: 'acme', identityToken: token, contactId: legal },
  });
  assert.equal(chosen.status, 201);
  assert.equal(chosen.body.employee.contactId, legal);
});

void test('a session ends after 30 minutes unused and after 12 hours in any case (injected clock)', async () => {
  let now = Date.now();
  const clock: Clock = { now: () => new Date(now) };
  const { app } = botAppOn(runtime, clock);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const open = async (): Promise<string> =>
      (
        await call('POST', '/v1/sessions', {
          url,
          body: { tenant: 'acme', identityToken: await identityToken() },
        })
      ).body.session;
    const idle = await open();
    now += 29 * 60_000;
    assert.equal((await call('GET', '/v1/me', { url, session: idle })).status, 200);
    now += 29 * 60_000; // used 29 minutes ago: still alive
    assert.equal((await call('GET', '/v1/me', { url, session: idle })).status, 200);
    now += 30 * 60_000;
    const idleEnd = await call('GET', '/v1/me', { url, session: idle });
    assert.equal(idleEnd.status, 401);
    assert.match(idleEnd.body.error.message, /30 minutes/);

    now = Date.now();
    const long = await open();
    for (let i = 0; i < 25; i++) {
      now += 29 * 60_000;
      const res = await call('GET', '/v1/me', { url, session: long });
      if (i < 24) assert.equal(res.status, 200, `after ${(i + 1) * 29} minutes`);
      else {
        assert.equal(res.status, 401);
        assert.match(res.body.error.message, /12-hour/);
      }
    }
  } finally {
    await app.close();
  }
});

void test('no session, a wrong session, or one in a query string: 401, never a 500', async () => {
  for (const session of [undefined, 'cbs_nothing']) {
    const res = await call('GET', '/v1/tickets', session === undefined ? {} : { session });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'BOT_SESSION_INVALID');
  }
  const s = await sessionFor('ada.ng@example.com');
  const inUrl = await call('GET', `/v1/tickets?session=${s}`);
  assert.equal(inUrl.status, 401);
});

void test('neither the identity token nor the session reaches a log line, whatever the call answers', async () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => lines.push(line) } });
  const clock: Clock = { now: () => new Date() };
  const sessions = new BotSessionService({
    tenants: runtime.tenants,
    identity: runtime.store.bot.identity,
    tokenIds: runtime.store.bot.tokenIds,
    sessions: runtime.store.bot.sessions,
    verifier: new IdentityVerifier({ clock, fetch: () => Promise.reject(new Error('no JWKS here')) }),
    gateways: runtime.gateways,
    clock,
    log,
  });
  const app = buildBotApp({ ...runtime.bot, sessions, log, version: 'test' });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    // an employee of their own: the runtime's tickets hold a listing for 15 s, which the next test must not get
    const token = await identityToken({ sub: 'lou.logs@example.com' });
    const made = await call('POST', '/v1/sessions', { url, body: { tenant: 'acme', identityToken: token } });
    assert.equal(made.status, 201);
    const session = made.body.session;
    // a replay, a malformed body quoting the token, calls with the session, a refused one, the end of the session
    assert.equal(
      (await call('POST', '/v1/sessions', { url, body: { tenant: 'acme', identityToken: token } })).status,
      401,
    );
    assert.equal(
      (await call('POST', '/v1/sessions', { url, body: { tenant: 'acme', identityToken: token, x: 1 } }))
        .status,
      400,
    );
    assert.equal((await call('GET', '/v1/tickets', { url, session })).status, 200);
    assert.equal((await call('GET', '/v1/tickets/not-a-number', { url, session })).status, 400);
    assert.equal((await call('DELETE', '/v1/sessions/current', { url, session })).status, 204);
    assert.equal((await call('GET', '/v1/me', { url, session })).status, 401);
    assert.ok(
      lines.some((line) => line.includes('bot api call')),
      'the calls were logged',
    );
    const [, payload = '', signature = ''] = token.split('.');
    for (const secret of [payload, signature, session.slice(4)])
      assert.ok(!lines.some((line) => line.includes(secret)), 'a secret reached the log');
  } finally {
    await app.close();
  }
});

void test('listing and showing: only my tickets, public comments only, state in my words; another employee’s is a 404', async () => {
  const mine = insert('Case', { Subject: 'Laptop fan', Status: 'Waiting on Employee', ContactId: adaId });
  insert('CaseComment', { ParentId: mine, CommentBody: 'Can you send a photo?', IsPublished: true });
  insert('CaseComment', {
    ParentId: mine,
    CommentBody: 'internal: replace under warranty',
    IsPublished: false,
  });
  const byEmail = insert('Case', { Subject: 'Badge', Status: 'New', SuppliedEmail: 'ada.ng@example.com' });
  const bens = insert('Case', { Subject: 'Ben only', Status: 'New', ContactId: benId });
  const ada = await sessionFor('ada.ng@example.com');

  const list = await call('GET', '/v1/tickets', { session: ada });
  assert.equal(list.status, 200);
  const numbers = list.body.tickets.map((t) => t.number);
  assert.ok(numbers.includes(numberOf(mine)) && numbers.includes(numberOf(byEmail)));
  assert.ok(!numbers.includes(numberOf(bens)));

  const shown = await call('GET', `/v1/tickets/${numberOf(mine)}`, { session: ada });
  assert.equal(shown.status, 200);
  assert.equal(shown.body.state, 'WAITING_FOR_EMPLOYEE');
  assert.equal(shown.body.label, 'Waiting for you');
  assert.deepEqual(
    shown.body.comments.map((c) => c.body),
    ['Can you send a photo?'],
  );

  const other = await call('GET', `/v1/tickets/${numberOf(bens)}`, { session: ada });
  const missing = await call('GET', '/v1/tickets/99999999', { session: ada });
  assert.equal(other.status, 404);
  assert.equal(other.body.error.code, 'BOT_TICKET_NOT_FOUND');
  assert.deepEqual(
    { ...other.body, error: { ...other.body.error, message: '' } },
    { ...missing.body, error: { ...missing.body.error, message: '' } },
  );
  const bad = await call('GET', '/v1/tickets/not-a-number', { session: ada });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'BOT_BAD_REQUEST');
  // commenting on another's case is the same 404
  const comment = await call('POST', `/v1/tickets/${numberOf(bens)}/comments`, {
    session: ada,
    key: 'c-other',
    body: { text: 'hello' },
  });
  assert.equal(comment.status, 404);
});

void test('filing twice with one Idempotency-Key makes one Case; without a key or with a bad body it is a 400', async () => {
  const ben = await sessionFor('ben.ode@example.com');
  const body = { subject: 'VPN drops', description: 'Every hour the VPN disconnects.', priority: 'High' };
  const first = await call('POST', '/v1/tickets', { session: ben, key: 'file-1', body });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.state, 'NEW');
  const filed = await runtime.store.writeIntents.begin({
    tenantId: 'acme',
    idempotencyKey: `bot:${benId}:file-1`,
    kind: 'case',
  });
  const record = em.org.data.peek(filed.intent.recordId ?? '')?.record;
  assert.deepEqual(
    [record?.['Subject'], record?.['Priority'], record?.['ContactId'], record?.['Origin']],
    ['VPN drops', 'High', benId, 'Chat'],
  );
  const again = await call('POST', '/v1/tickets', { session: ben, key: 'file-1', body });
  assert.equal(again.status, 201);
  assert.equal(again.body.number, first.body.number);
  const vpn = (await call('GET', '/v1/tickets', { session: ben })).body.tickets.filter(
    (t) => t.subject === 'VPN drops',
  );
  assert.equal(vpn.length, 1);

  const noKey = await call('POST', '/v1/tickets', { session: ben, body });
  assert.equal(noKey.status, 400);
  assert.equal(noKey.body.error.code, 'BOT_IDEMPOTENCY_KEY_MISSING');
  for (const bad of [
    {},
    { subject: '', description: 'x' },
    { ...body, extra: 1 },
    { subject: 'a', description: 'b'.repeat(31_001) },
  ]) {
    const res = await call('POST', '/v1/tickets', { session: ben, key: `bad-${Math.random()}`, body: bad });
    assert.equal(res.status, 400, JSON.stringify(bad).slice(0, 80));
    assert.equal(res.body.error.code, 'BOT_BAD_REQUEST');
  }
});

void test('a filing whose answer was lost after Salesforce made the Case, retried with its key, makes one Case', async () => {
  const ben = await sessionFor('ben.ode@example.com');
  const subject = 'Dock stopped charging';
  const body = { subject, description: 'Since the update the dock no longer charges.' };
  const control = controlClient(em);
  // the Case is created, then the connection drops before Salesforce's answer arrives
  await control('POST', '/faults', { kind: 'drop-after', method: 'POST', path: '*/composite', count: 1 });
  try {
    const first = await call('POST', '/v1/tickets', { session: ben, key: 'lost-answer-1', body });
    assert.deepEqual(await control('GET', '/faults'), [], 'the connection really dropped');
    const again = await call('POST', '/v1/tickets', { session: ben, key: 'lost-answer-1', body });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    // reconciled at once by the reference the Case carries, and answered from the ledger on the retry
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(again.body.number, first.body.number);
  } finally {
    await control('DELETE', '/faults');
  }
  const asService = { userId: em.demo?.integrationUserId ?? '' } as never;
  const made = em.org.data.query(asService, `SELECT Id FROM Case WHERE Subject = '${subject}'`);
  assert.equal(made.totalSize, 1);
});

void test('a comment on my ticket is posted once per key; bad input is a 400', async () => {
  const ben = await sessionFor('ben.ode@example.com');
  const caseId = insert('Case', { Subject: 'Printer', Status: 'Working', ContactId: benId });
  const path = `/v1/tickets/${numberOf(caseId)}/comments`;
  const first = await call('POST', path, { session: ben, key: 'cm-1', body: { text: 'It jams on page 2.' } });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const again = await call('POST', path, { session: ben, key: 'cm-1', body: { text: 'It jams on page 2.' } });
  assert.equal(again.body.replayed, true);
  const shown = await call('GET', `/v1/tickets/${numberOf(caseId)}`, { session: ben });
  const { comments } = shown.body;
  assert.equal(comments.length, 1);
  assert.equal(comments[0]?.fromAgent, false);
  assert.equal((await call('POST', path, { session: ben, key: 'cm-2', body: { text: '' } })).status, 400);
  assert.equal((await call('POST', path, { session: ben, body: { text: 'no key' } })).status, 400);
});

void test('knowledge search answers for the session’s tenant; a bad body is a 400', async () => {
  const ada = await sessionFor('ada.ng@example.com');
  const res = await call('POST', '/v1/knowledge/search', { session: ada, body: { query: 'vpn' } });
  assert.equal(res.status, 200);
  assert.equal(res.body.tenantId, 'acme');
  const bad = await call('POST', '/v1/knowledge/search', { session: ada, body: { query: 'vpn', limit: 0 } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'BOT_BAD_REQUEST');
});

void test('the OpenAPI document lists every operation with its request schema', async () => {
  const res = await call('GET', '/v1/openapi.json');
  assert.equal(res.status, 200);
  assert.equal(res.body.openapi, '3.1.0');
  assert.deepEqual(Object.keys(res.body.paths).sort(), [
    '/v1/conversation',
    '/v1/conversation/messages',
    '/v1/knowledge/search',
    '/v1/me',
    '/v1/sessions',
    '/v1/sessions/current',
    '/v1/tickets',
    '/v1/tickets/{number}',
    '/v1/tickets/{number}/close',
    '/v1/tickets/{number}/comments',
    '/v1/tickets/{number}/reopen',
  ]);
  const fileSchema = res.body.paths['/v1/tickets']?.post?.requestBody.content['application/json']?.schema;
  assert.deepEqual(fileSchema?.required.sort(), ['description', 'subject']);
  assert.equal(fileSchema?.additionalProperties, false);
});

void test('closing and reopening my ticket move it by the mapping; a change made since I saw it is kept', async () => {
  const ben = await sessionFor('ben.ode@example.com');
  const caseId = insert('Case', { Subject: 'Monitor flickers', Status: 'Working', ContactId: benId });
  const number = numberOf(caseId);
  const seen = (await call('GET', `/v1/tickets/${number}`, { session: ben })).body;
  // an agent changed the case after the employee looked: the close is refused and the status stays
  const earlier = new Date(Date.parse(seen.updatedAt) - 3_600_000).toISOString();
  const stale = await call('POST', `/v1/tickets/${number}/close`, {
    session: ben,
    body: { lastSeenUpdatedAt: earlier },
  });
  assert.equal(stale.status, 409, JSON.stringify(stale.body));
  assert.equal(stale.body.error.code, 'BOT_TICKET_CHANGED');
  assert.equal(em.org.data.peek(caseId)?.record['Status'], 'Working');

  const closed = await call('POST', `/v1/tickets/${number}/close`, {
    session: ben,
    body: { lastSeenUpdatedAt: seen.updatedAt },
  });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  assert.equal(closed.body.state, 'CLOSED');
  assert.equal(em.org.data.peek(caseId)?.record['Status'], 'Closed');
  const reopened = await call('POST', `/v1/tickets/${number}/reopen`, { session: ben, body: {} });
  assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
  assert.equal(reopened.body.state, 'IN_PROGRESS');
  const again = await call('POST', `/v1/tickets/${number}/reopen`, { session: ben, body: {} });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'BOT_TICKET_STATE_REFUSED');
  const bad = await call('POST', `/v1/tickets/${number}/close`, {
    session: ben,
    body: { lastSeenUpdatedAt: 'yesterday' },
  });
  assert.equal(bad.status, 400);
  const ada = await sessionFor('ada.ng@example.com');
  assert.equal((await call('POST', `/v1/tickets/${number}/close`, { session: ada, body: {} })).status, 404);
});

void test("a filed ticket goes through the org's active assignment rule (the tenant's Origin default matches it)", async () => {
  const settings = async (body: unknown): Promise<void> => {
    const res = await fetch(`${em.controlUrl}/orgs/${em.orgId}/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${em.controlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.text());
  };
  await settings({
    queues: [{ developerName: 'Chat_Desk', name: 'Chat Desk', sobjectTypes: ['Case'] }],
    assignmentRules: [
      { name: 'Standard', active: true, entries: [{ criteria: { Origin: 'Chat' }, assignTo: 'Chat_Desk' }] },
    ],
  });
  try {
    const ben = await sessionFor('ben.ode@example.com');
    const filed = await call('POST', '/v1/tickets', {
      session: ben,
      key: 'assigned-1',
      body: { subject: 'Headset', description: 'The headset crackles.' },
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const made = await runtime.store.writeIntents.begin({
      tenantId: 'acme',
      idempotencyKey: `bot:${benId}:assigned-1`,
      kind: 'case',
    });
    const owner = em.org.data.peek(made.intent.recordId ?? '')?.record['OwnerId'];
    assert.match(String(owner), /^00G/, 'owned by the queue, not the service user');
  } finally {
    await settings({ assignmentRules: [] });
  }
});

void test('a JWKS URL is fetched under the URL policy and cached; a URL the policy refuses is a coded 503', async () => {
  const jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  const withPolicy = async (allow: boolean): Promise<{ url: string; stop: () => Promise<void> }> => {
    const policy = webhookUrlPolicy(allow ? { allowHttp: true, allowedCidrs: ['127.0.0.1/32'] } : {});
    const clock: Clock = { now: () => new Date() };
    const { app } = botAppOn(runtime, clock, createPolicyFetch({ policy }));
    return { url: await app.listen({ port: 0, host: '127.0.0.1' }), stop: () => app.close() };
  };
  await runtime.store.bot.identity.put({
    tenantId: 'acme',
    issuer: ISSUER,
    audience: AUDIENCE,
    publicKeyPem: null,
    jwksUrl,
  });
  const allowed = await withPolicy(true);
  const refused = await withPolicy(false);
  try {
    const signed = (): Promise<string> =>
      new SignJWT({ sub: 'ada.ng@example.com', jti: `jwks-${Math.random()}` })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(rsa.privateKey);
    for (let i = 0; i < 2; i++) {
      const res = await call('POST', '/v1/sessions', {
        url: allowed.url,
        body: { tenant: 'acme', identityToken: await signed() },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    assert.equal(fetches, 1, 'the key set is reused, not fetched per token');
    const res = await call('POST', '/v1/sessions', {
      url: refused.url,
      body: { tenant: 'acme', identityToken: await signed() },
    });
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'BOT_IDENTITY_KEYS_UNAVAILABLE');
    assert.equal(fetches, 1, 'a refused URL is never contacted');
  } finally {
    await allowed.stop();
    await refused.stop();
    server.close();
    await runtime.store.bot.identity.put({
      tenantId: 'acme',
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeyPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      jwksUrl: null,
    });
  }
});

void test('an employee past the per-employee limit gets 429 BOT_RATE_LIMITED with Retry-After; others do not', async () => {
  const app = buildBotApp({
    ...runtime.bot,
    log: silentLogger(),
    version: 'test',
    employeeLimit: { max: 3, windowMs: 60_000 },
    // this worker's own count: the store's already holds every earlier test's calls of these employees
    rates: new MemoryRateCounter(),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const ada = await sessionFor('ada.ng@example.com');
    const ben = await sessionFor('ben.ode@example.com');
    for (let i = 0; i < 3; i++)
      assert.equal((await call('GET', '/v1/me', { url, session: ada })).status, 200);
    const over = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${ada}` } });
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
    assert.equal(((await over.json()) as Reply).error.code, 'BOT_RATE_LIMITED');
    assert.equal((await call('GET', '/v1/me', { url, session: ben })).status, 200);
  } finally {
    await app.close();
  }
});

void test('the admin API saves identity settings after checking the key and the JWKS URL', async () => {
  const admin = buildAdminApp({
    ops: runtime.admin,
    token: 'admin-token-for-bot-tests',
    log: silentLogger(),
    botIdentity: runtime.bot.identity,
  });
  const put = async (payload: unknown) =>
    admin.inject({
      method: 'PUT',
      url: '/v1/tenants/acme/bot-identity',
      headers: { authorization: 'Bearer admin-token-for-bot-tests' },
      payload: payload as Record<string, unknown>,
    });
  const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  try {
    const saved = await put({ issuer: ISSUER, audience: AUDIENCE, publicKeyPem: pem });
    assert.equal(saved.statusCode, 200, saved.body);
    for (const bad of [
      { issuer: ISSUER, audience: AUDIENCE },
      { issuer: ISSUER, audience: AUDIENCE, publicKeyPem: pem, jwksUrl: 'https://idp.example.com/jwks' },
      { issuer: ISSUER, audience: AUDIENCE, publicKeyPem: 'not a key' },
    ]) {
      const res = await put(bad);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal((JSON.parse(res.body) as Reply).error.code, 'BOT_IDENTITY_SETTINGS_INVALID');
    }
    const privateUrl = await put({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: 'https://127.0.0.1/jwks' });
    assert.equal(privateUrl.statusCode, 400, privateUrl.body);
    assert.match((JSON.parse(privateUrl.body) as Reply).error.code, /^NOTIFY_WEBHOOK_/);
    const shown = await admin.inject({
      method: 'GET',
      url: '/v1/tenants/acme/bot-identity',
      headers: { authorization: 'Bearer admin-token-for-bot-tests' },
    });
    assert.equal(
      (JSON.parse(shown.body) as { settings: { publicKeyPem: string } }).settings.publicKeyPem,
      pem,
    );
  } finally {
    await admin.close();
  }
});

void test("the tenant's filing settings: bot fields mapped onto Case fields, no assignment rule, checked against describe", async () => {
  const refused = await runtime.admin
    .updateTenant('acme', { settings: { filing: { fields: { colour: 'Colour__c' } } } })
    .then(
      () => null,
      (err: { code?: string; message?: string }) => err,
    );
  assert.equal(refused?.code, 'TENANT_INVALID');
  assert.match(refused?.message ?? '', /filing\.fields\.colour/);
  await runtime.admin.updateTenant('acme', {
    settings: { filing: { fields: { category: 'Type', reason: 'Reason' }, assignment: 'none' } },
  });
  const settings = async (body: unknown): Promise<void> => {
    const res = await fetch(`${em.controlUrl}/orgs/${em.orgId}/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${em.controlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.text());
  };
  // an active rule that would take every Chat case: 'none' keeps it with the service user
  await settings({
    queues: [{ developerName: 'Chat_Desk_2', name: 'Chat Desk 2', sobjectTypes: ['Case'] }],
    assignmentRules: [
      {
        name: 'Standard',
        active: true,
        entries: [{ criteria: { Origin: 'Chat' }, assignTo: 'Chat_Desk_2' }],
      },
    ],
  });
  try {
    const ben = await sessionFor('ben.ode@example.com');
    const unmapped = await call('POST', '/v1/tickets', {
      session: ben,
      key: 'mapped-0',
      body: { subject: 'Mouse', description: 'Double-clicks.', fields: { colour: 'red' } },
    });
    assert.equal(unmapped.status, 400);
    assert.equal(unmapped.body.error.code, 'BOT_FIELD_UNMAPPED');
    const filed = await call('POST', '/v1/tickets', {
      session: ben,
      key: 'mapped-1',
      body: { subject: 'Mouse', description: 'Double-clicks.', fields: { category: 'Electronic' } },
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const made = await runtime.store.writeIntents.begin({
      tenantId: 'acme',
      idempotencyKey: `bot:${benId}:mapped-1`,
      kind: 'case',
    });
    const record = em.org.data.peek(made.intent.recordId ?? '')?.record;
    assert.equal(record?.['Type'], 'Electronic');
    assert.equal(record?.['Origin'], 'Chat', 'the defaults still apply');
    assert.match(String(record?.['OwnerId']), /^005/, 'no assignment rule ran');
  } finally {
    await settings({ assignmentRules: [] });
    await runtime.admin.updateTenant('acme', { settings: { filing: { fields: {}, assignment: 'active' } } });
  }
});

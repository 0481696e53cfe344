// The one retry layer: which failures are retried, how often, that writes are not repeated blindly, one re-login on
// INVALID_SESSION_ID, the pause on REQUEST_LIMIT_EXCEEDED, and an audit row (redacted) for every HTTP attempt.

import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import { FakeSecretBox } from '../../test/fakes/fake-crypto.js';
import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { MemoryApiAuditRepository } from '../../test/fakes/memory-api-audit.js';
import { MemoryTenantPauseRepository } from '../../test/fakes/memory-tenant-pause.js';
import { MemorySessionRepository } from '../../test/fakes/memory-tenant-store.js';
import { startScriptedSalesforce, type ScriptedSalesforce } from '../../test/helpers/scripted-salesforce.js';
import { isAppError } from '../errors/app-error.js';
import { silentLogger } from '../logging/logger.js';
import { SessionManager } from './auth/session-manager.js';
import { fetchFormPost, TokenClient } from './auth/token-client.js';
import { SalesforceClient, type ClientTenant } from './salesforce-client.js';
import { soql } from './soql.js';

let sf: ScriptedSalesforce;
let tenant: ClientTenant;
let audit: MemoryApiAuditRepository;
let pauses: MemoryTenantPauseRepository;
let sleeps: number[];
let sut: SalesforceClient;

before(async () => {
  sf = await startScriptedSalesforce();
});
after(async () => {
  await sf.close();
});
beforeEach(() => {
  sf.seen.length = 0;
  tenant = {
    id: `t${Math.random()}`,
    loginUrl: sf.url,
    consumerKey: 'ck',
    username: 'svc@acme.com',
    settings: { apiVersion: '62.0' },
  };
  audit = new MemoryApiAuditRepository();
  pauses = new MemoryTenantPauseRepository();
  sleeps = [];
  const clock = new FixedClock();
  const sessions = new SessionManager({
    sessions: new MemorySessionRepository(),
    box: new FakeSecretBox(),
    tokens: new TokenClient(fetchFormPost(5000)),
    clock,
    signerFor: () => Promise.resolve({ sign: () => Promise.resolve('a.b.c') }),
    log: silentLogger(),
  });
  sut = new SalesforceClient({
    sessions,
    audit,
    pauses,
    clock,
    log: silentLogger(),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    monotonic: () => 0,
  });
});

const ok = (body: unknown = { done: true, totalSize: 0, records: [] }) => ({
  status: 200,
  body,
  headers: { 'sforce-limit-info': 'api-usage=42/15000' },
});
const unavailable = {
  status: 503,
  body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server unavailable' }],
};

void test('a 503 burst on a read is retried with jittered exponential backoff; each attempt hits the server once', async () => {
  let n = 0;
  sf.handle(() => (++n <= 2 ? unavailable : ok()));
  await sut.request(tenant, { method: 'GET', url: '/limits' });
  assert.equal(sf.seen.length, 3, 'jsforce must not retry on its own');
  assert.deepEqual(sleeps, [250, 500]);
  assert.deepEqual(
    audit.entries.map((e) => [e.attempt, e.status, e.errorCode]),
    [
      [1, 503, 'SERVER_UNAVAILABLE'],
      [2, 503, 'SERVER_UNAVAILABLE'],
      [3, 200, null],
    ],
  );
  assert.deepEqual([audit.entries[2]?.apiUsed, audit.entries[2]?.apiMax], [42, 15000]);
  assert.deepEqual(sut.usage(tenant.id), {
    attempts: 3,
    calls: 1,
    retries: 2,
    reauths: 0,
    failures: 0,
    lastApiUsage: { used: 42, max: 15000 },
    streamRequests: 0,
  });
});

void test('attempts are bounded: a permanent outage ends in SF_API_UNAVAILABLE after 5 attempts', async () => {
  sf.handle(() => unavailable);
  await assert.rejects(sut.request(tenant, { method: 'GET', url: '/limits' }), (err) =>
    isAppError(err, 'SF_API_UNAVAILABLE'),
  );
  assert.equal(sf.seen.length, 5);
});

void test('UNABLE_TO_LOCK_ROW and 500 UNKNOWN_EXCEPTION are retried even for a POST (Salesforce rolled back)', async () => {
  const script = [
    {
      status: 400,
      body: [
        { errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' },
      ],
    },
    { status: 500, body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred' }] },
    { status: 201, body: { id: '500000000000001AAA', success: true, errors: [] } },
  ];
  sf.handle(() => script.shift() ?? unavailable);
  const res = await sut.request<{ id: string }>(tenant, {
    method: 'POST',
    url: '/sobjects/Case',
    body: { Subject: 'x' },
  });
  assert.equal(res.id, '500000000000001AAA');
  assert.equal(sf.seen.length, 3);
});

void test('a POST whose connection dropped after sending is not repeated without reconciliation', async () => {
  sf.handle(() => 'drop');
  await assert.rejects(
    sut.request(tenant, {
      method: 'POST',
      url: '/sobjects/CaseComment',
      body: { CommentBody: 'hi' },
      sobject: 'CaseComment',
    }),
    (err) => isAppError(err, 'SF_API_WRITE_OUTCOME_UNKNOWN'),
  );
  assert.equal(sf.seen.length, 1);
  assert.equal(audit.entries[0]?.status, null);
  assert.match(audit.entries[0]?.errorCode ?? '', /ECONNRESET|FetchError/);
});

void test('with reconciliation: a record the dropped attempt created is returned instead of writing twice', async () => {
  sf.handle(() => 'drop');
  let asked = 0;
  const res = await sut.request(tenant, {
    method: 'POST',
    url: '/sobjects/CaseComment',
    body: { CommentBody: 'hi' },
    reconcile: () => {
      asked += 1;
      return Promise.resolve({ id: '00a000000000001AAA' });
    },
  });
  assert.deepEqual(res, { id: '00a000000000001AAA' });
  assert.equal(asked, 1);
  assert.equal(sf.seen.length, 1);
});

void test('reconciliation waits for the backoff first, so a write still running in Salesforce can be found', async () => {
  sf.handle(() => 'drop');
  const order: string[] = [];
  const realSleep = sleeps;
  const res = await sut.request(tenant, {
    method: 'POST',
    url: '/sobjects/CaseComment',
    body: { CommentBody: 'hi' },
    reconcile: () => {
      order.push(`reconcile after ${realSleep.length} sleep(s)`);
      return Promise.resolve({ id: '00a000000000003AAA' });
    },
  });
  assert.deepEqual(res, { id: '00a000000000003AAA' });
  assert.deepEqual(order, ['reconcile after 1 sleep(s)']);
});

void test('with reconciliation that finds nothing, the write is retried', async () => {
  let n = 0;
  sf.handle(() =>
    ++n === 1 ? 'drop' : { status: 201, body: { id: '00a000000000002AAA', success: true, errors: [] } },
  );
  const res = await sut.request<{ id: string }>(tenant, {
    method: 'POST',
    url: '/sobjects/CaseComment',
    body: {},
    reconcile: () => Promise.resolve(null),
  });
  assert.equal(res.id, '00a000000000002AAA');
  assert.equal(sf.seen.length, 2);
});

void test('a PATCH (idempotent) is retried after a drop', async () => {
  let n = 0;
  sf.handle(() => (++n === 1 ? 'drop' : { status: 204 }));
  await sut.request(tenant, {
    method: 'PATCH',
    url: '/sobjects/Case/500000000000001AAA',
    body: { Status: 'Working' },
  });
  assert.equal(sf.seen.length, 2);
});

void test('INVALID_SESSION_ID → one re-login and one retry with the new token; twice → SF_API_SESSION_REJECTED, no loop', async () => {
  const expired = {
    status: 401,
    body: [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }],
  };
  let n = 0;
  sf.handle(() => (++n === 1 ? expired : ok()));
  const loginsBefore = sf.logins();
  await sut.request(tenant, { method: 'GET', url: '/limits' });
  assert.equal(sf.logins() - loginsBefore, 2);
  assert.notEqual(sf.seen[0]?.authorization, sf.seen[1]?.authorization);
  assert.deepEqual(
    audit.entries.map((e) => e.attempt),
    [1, 2],
  );

  sf.handle(() => expired);
  sf.seen.length = 0;
  await assert.rejects(sut.request(tenant, { method: 'GET', url: '/limits' }), (err) =>
    isAppError(err, 'SF_API_SESSION_REJECTED'),
  );
  assert.equal(sf.seen.length, 2);
});

void test('REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded." pauses the tenant for the day and is not retried', async () => {
  sf.handle(() => ({
    status: 403,
    body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
  }));
  await assert.rejects(
    sut.request(tenant, { method: 'GET', url: '/limits' }),
    (err) => isAppError(err, 'SF_API_REQUEST_LIMIT') && /2026-11-25T12:00:00/.test(err.message),
  );
  assert.equal(sf.seen.length, 1);
  assert.equal((await pauses.get(tenant.id))?.until, '2026-11-25T12:00:00.000Z');
});

void test('REQUEST_LIMIT_EXCEEDED with usage 131/15000 (the concurrent-request limit) backs off seconds, no pause', async () => {
  let n = 0;
  sf.handle(() =>
    (n += 1) <= 2
      ? {
          status: 403,
          body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded' }],
          headers: { 'sforce-limit-info': 'api-usage=131/15000' },
        }
      : ok(),
  );
  await sut.request(tenant, { method: 'GET', url: '/limits' });
  assert.equal(sf.seen.length, 3);
  assert.deepEqual(sleeps, [250, 500], 'jittered backoff of half a second, then a second');
  assert.equal(await pauses.get(tenant.id), null);
});

void test('REQUEST_LIMIT_EXCEEDED with another message pauses only when the usage header shows the allocation spent', async () => {
  sf.handle(() => ({
    status: 403,
    body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'Limit exceeded' }],
    headers: { 'sforce-limit-info': 'api-usage=15000/15000' },
  }));
  await assert.rejects(sut.request(tenant, { method: 'GET', url: '/limits' }), (err) =>
    isAppError(err, 'SF_API_REQUEST_LIMIT'),
  );
  assert.equal(sf.seen.length, 1);
  assert.ok(await pauses.get(tenant.id));
});

void test('a successful call after a pause lifts it', async () => {
  let spent = true;
  sf.handle(() =>
    spent
      ? {
          status: 403,
          body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
        }
      : ok(),
  );
  await assert.rejects(sut.request(tenant, { method: 'GET', url: '/limits' }));
  assert.ok(await pauses.get(tenant.id), 'paused');
  spent = false;
  await sut.request(tenant, { method: 'GET', url: '/limits' });
  assert.equal(await pauses.get(tenant.id), null, 'the pause is lifted');
  // another process's pause is noticed too (its own success clears it, at most once a minute per tenant)
  await pauses.pause(tenant.id, new Date('2026-11-25T12:00:00Z'), 'REQUEST_LIMIT_EXCEEDED');
  await sut.request(tenant, { method: 'GET', url: '/limits' });
  assert.ok(await pauses.get(tenant.id), 'checked at most once a minute');
});

void test('permanent errors map to their code with Salesforce details; never retried', async () => {
  sf.handle(() => ({
    status: 400,
    body: [
      { errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Subject required', fields: ['Subject'] },
    ],
  }));
  await assert.rejects(
    sut.request(tenant, { method: 'POST', url: '/sobjects/Case', body: {}, sobject: 'Case' }),
    (err) => {
      assert.ok(isAppError(err, 'SF_API_VALIDATION_FAILED'));
      assert.deepEqual(err.details, {
        errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'Subject required',
        fields: ['Subject'],
        status: 400,
        // the refusal in casebridge's words, for the bot to tell the employee (services/bot/employee-refusal.ts)
        refusal: { kind: 'rule', fields: ['subject'], message: 'Subject required' },
      });
      assert.ok(!JSON.stringify(err.toJSON()).includes('00D000000000001!'));
      return true;
    },
  );
  assert.equal(sf.seen.length, 1);
});

void test('the audit path hides SOQL string literals and oauth_token', async () => {
  sf.handle(() => ok());
  const q = soql`SELECT Id FROM Contact WHERE Email = ${"o'brien@x.com"} AND CreatedDate > ${new Date('2024-01-01T00:00:00Z')}`;
  await sut.request(tenant, {
    method: 'GET',
    url: `/query?q=${encodeURIComponent(q.text)}`,
    purpose: 'lookup',
  });
  await sut.request(tenant, {
    method: 'GET',
    url: '/services/oauth2/userinfo?oauth_token=00D000000000001!tok1&format=json',
  });
  assert.equal(
    audit.entries[0]?.path,
    "/services/data/v62.0/query?q=SELECT Id FROM Contact WHERE Email = '?' AND CreatedDate > 2024-01-01T00:00:00Z",
  );
  assert.equal(audit.entries[0]?.purpose, 'lookup');
  assert.equal(audit.entries[1]?.path, '/services/oauth2/userinfo?oauth_token=[REDACTED]&format=json');
  assert.ok(!JSON.stringify(audit.entries).includes('tok1'));
});

// The Salesforce adapter against the emulator over HTTP: login, queries and writes through jsforce, and surviving
// an expired token, a 503 burst, a write applied before the connection dropped, and a spent allocation.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';

import {
  startEmulator,
  type StartedEmulator,
  controlClient,
  type ControlCall,
} from '@casebridge/salesforce-emulator';
import type { SyncPage } from '../../src/domain/ports.js';
import { isAppError } from '../../src/errors/app-error.js';
import { MemorySessionRepository } from '../fakes/memory-tenant-store.js';
import { salesforceStack } from '../helpers/salesforce-stack.js';

let em: StartedEmulator;

/** the start of time: these tests read every row the demo org has */
const EPOCH = { modstamp: '1970-01-01T00:00:00.000Z', id: '' };

/** the control plane of the emulator under test (set once it has started) */
const control: ControlCall = (method, path, body) => controlClient(em)(method, path, body);

async function firstPage<T>(pages: AsyncIterable<SyncPage<T>>): Promise<SyncPage<T> | null> {
  for await (const page of pages) return page;
  return null;
}

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-sf-int-')) });
});
after(async () => {
  await em.close();
});
afterEach(async () => {
  await control('DELETE', '/faults');
});

void test('logs in with the JWT bearer flow and reads and writes through jsforce', async () => {
  const { gateway, sessions, tenant } = salesforceStack(em);
  const identity = await gateway.identity();
  assert.equal(identity.username, em.username);
  assert.ok((await gateway.versions()).includes('62.0'));

  const page = await firstPage(gateway.casesModifiedSince({ after: EPOCH, pageSize: 200 }));
  assert.ok(page && page.items.length > 0 && page.cursor !== null);
  const someCase = page.items[0];
  assert.ok(someCase);
  const fetched = await gateway.getCase(someCase.id);
  assert.equal(fetched.number, someCase.number);

  const created = await gateway.createCase({
    subject: "Badge for o'Brien",
    description: 'Lost my badge',
    status: 'New',
    employeeId: someCase.employeeId,
    origin: 'Web',
    idempotencyKey: 'badge-case-1',
  });
  assert.match(created.number, /^\d{8}$/);
  const comment = await gateway.addCaseComment({
    caseId: created.id,
    body: 'Thanks!',
    isPublic: true,
    idempotencyKey: 'thanks-1',
  });
  assert.equal(comment.caseId, created.id);
  await gateway.updateCaseStatus(created.id, 'Working');
  assert.equal((await gateway.getCase(created.id)).status, 'Working');

  assert.ok(someCase.employeeId, 'the seeded case names its employee');
  const email = em.org.data.peek(someCase.employeeId)?.record['Email'];
  assert.ok(typeof email === 'string', "the employee's Contact has an email");
  assert.ok((await gateway.findEmployeesByEmail(email)).some((e) => e.id === someCase.employeeId));
  assert.deepEqual(await gateway.findEmployeesByEmail("o'brien' OR Email != '@x.com"), []);

  let articles = 0;
  for await (const p of gateway.articlesModifiedSince({ after: EPOCH, pageSize: 200 }))
    articles += p.items.filter((a) => a.bodyHtml !== null).length;
  assert.ok(articles > 0);
  assert.equal(sessions.stats(tenant.id).logins, 1);
});

void test('an expired token costs one re-login and the call succeeds', async () => {
  const { gateway, sessions, tenant, audit } = salesforceStack(em, { tenantId: 'expiry' });
  await gateway.versions();
  await gateway.findEmployeesByEmail('nobody@example.com');
  await control('POST', '/orgs/demo/sessions/expire', {});
  await gateway.findEmployeesByEmail('nobody@example.com');
  assert.equal(sessions.stats(tenant.id).logins, 2);
  assert.deepEqual(
    audit.entries.slice(-2).map((e) => [e.status, e.errorCode]),
    [
      [401, 'INVALID_SESSION_ID'],
      [200, null],
    ],
  );
});

void test('a 503 burst is retried with backoff and every attempt is audited', async () => {
  const { gateway, audit, client, tenant } = salesforceStack(em, { tenantId: 'burst' });
  await gateway.versions();
  await control('POST', '/faults', { kind: 'server-unavailable', method: 'GET', path: '*/query*', count: 2 });
  await gateway.findEmployeesByEmail('nobody@example.com');
  assert.deepEqual(
    audit.entries.slice(-3).map((e) => [e.attempt, e.status]),
    [
      [1, 503],
      [2, 503],
      [3, 200],
    ],
  );
  assert.equal(client.usage(tenant.id).retries, 2);
  assert.ok(audit.entries.slice(-3).every((e) => e.path.includes("Email = '?'")));
});

void test('a comment applied before the connection dropped exists exactly once afterwards', async () => {
  const { gateway, audit } = salesforceStack(em, { tenantId: 'drop' });
  const someCase = (await firstPage(gateway.casesModifiedSince({ after: EPOCH, pageSize: 200 })))?.items[0];
  assert.ok(someCase);
  const body = `drop-after ${Date.now()}`;
  await control('POST', '/faults', { kind: 'drop-after', method: 'POST', path: '*/composite', count: 1 });
  const comment = await gateway.addCaseComment({
    caseId: someCase.id,
    body,
    isPublic: false,
    idempotencyKey: body,
  });
  assert.ok(comment.body.startsWith(body));
  let copies = 0;
  for await (const page of gateway.commentsModifiedSince({ after: EPOCH, pageSize: 2000 }))
    copies += page.items.filter((c) => c.body.startsWith(body)).length;
  assert.equal(copies, 1);
  const posts = audit.entries.filter((e) => e.method === 'POST');
  assert.deepEqual(
    posts.map((e) => [e.path, e.status]),
    [['/services/data/v62.0/composite', null]],
    'the write was sent once',
  );
  assert.ok(audit.entries.some((e) => e.purpose === 'reconcile'));
});

void test('a spent allocation pauses the tenant with a clear error', async () => {
  const { gateway, pauses, tenant } = salesforceStack(em, { tenantId: 'spent' });
  await gateway.versions();
  const max = 15000;
  await control('POST', '/orgs/demo/limits', { dailyApiLimit: max, used: max + 100 });
  try {
    await assert.rejects(
      gateway.findEmployeesByEmail('nobody@example.com'),
      (err) => isAppError(err, 'SF_API_REQUEST_LIMIT') && /paused until/.test(err.message),
    );
    assert.ok(await pauses.get(tenant.id));
  } finally {
    await control('POST', '/orgs/demo/limits', { dailyApiLimit: max, used: 0 });
  }
});

void test('two session managers sharing one store log in once', async () => {
  const store = new MemorySessionRepository();
  const a = salesforceStack(em, { store, tenantId: 'shared' });
  const b = salesforceStack(em, { store, tenantId: 'shared' });
  await Promise.all([
    a.gateway.findEmployeesByEmail('x@example.com'),
    b.gateway.findEmployeesByEmail('y@example.com'),
    a.gateway.findEmployeesByEmail('z@example.com'),
  ]);
  assert.equal(a.sessions.stats('shared').logins + b.sessions.stats('shared').logins, 1);
});

void test('a case created but not readable back is reported with its id, never as a failure that invites a second create', async () => {
  const { gateway } = salesforceStack(em);
  const grants = await control<{ fieldPermissions?: Record<string, unknown> }>(
    'GET',
    '/orgs/demo/grants/casebridge_connected_app',
  );
  // the service user may set Priority but no longer read it back (field-level security changed meanwhile)
  await control('PATCH', '/orgs/demo/grants/casebridge_connected_app', {
    fieldPermissions: { 'Case.Priority': { readable: false, editable: false } },
  });
  try {
    await assert.rejects(
      gateway.createCase({
        subject: 'Unreadable after create',
        description: 'Created while Priority is hidden',
        status: 'New',
        employeeId: null,
        origin: 'Web',
        idempotencyKey: 'unreadable-1',
      }),
      (err) => {
        assert.ok(isAppError(err, 'SF_API_CREATED_UNREADABLE'), String(err));
        const id = err.details?.['id'];
        assert.equal(typeof id, 'string');
        assert.equal(em.org.data.peek(id as string)?.record['Subject'], 'Unreadable after create');
        assert.match(err.fix, /Do not create it again/);
        return true;
      },
    );
  } finally {
    await control('PATCH', '/orgs/demo/grants/casebridge_connected_app', {
      fieldPermissions: {
        'Case.Priority': grants.fieldPermissions?.['Case.Priority'] ?? { readable: true, editable: true },
      },
    });
  }
});

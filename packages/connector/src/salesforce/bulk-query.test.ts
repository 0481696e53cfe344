// A Bulk API 2.0 query job against a scripted Salesforce: result pages follow Sforce-Locator until "null", a job
// that ends Failed or is not done after its last poll is BulkJobUnfinished, every call is counted; doctor's
// bulk.query line from the version and the day's DailyBulkV2QueryJobs.

import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import { FakeSecretBox } from '../../test/fakes/fake-crypto.js';
import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { MemoryApiAuditRepository } from '../../test/fakes/memory-api-audit.js';
import { MemoryTenantPauseRepository } from '../../test/fakes/memory-tenant-pause.js';
import { MemorySessionRepository } from '../../test/fakes/memory-tenant-store.js';
import { startScriptedSalesforce, type ScriptedSalesforce } from '../../test/helpers/scripted-salesforce.js';
import { silentLogger } from '../logging/logger.js';
import { SessionManager } from './auth/session-manager.js';
import { fetchFormPost, TokenClient } from './auth/token-client.js';
import { bulkQueryCheck } from './bulk-check.js';
import { BulkJobUnfinished, bulkQueryPages } from './bulk-query.js';
import { SalesforceClient, type ClientTenant } from './salesforce-client.js';
import { soql } from './soql.js';

let sf: ScriptedSalesforce;
let tenant: ClientTenant;
let client: SalesforceClient;
const sleeps: number[] = [];

before(async () => {
  sf = await startScriptedSalesforce();
});
after(async () => {
  await sf.close();
});
beforeEach(() => {
  sf.seen.length = 0;
  sleeps.length = 0;
  tenant = {
    id: `t${Math.random()}`,
    loginUrl: sf.url,
    consumerKey: 'ck',
    username: 'svc@acme.com',
    settings: { apiVersion: '62.0' },
  };
  const clock = new FixedClock('2026-12-01T10:00:00Z');
  client = new SalesforceClient({
    sessions: new SessionManager({
      sessions: new MemorySessionRepository(),
      box: new FakeSecretBox(),
      tokens: new TokenClient(fetchFormPost(5000)),
      clock,
      signerFor: () => Promise.resolve({ sign: () => Promise.resolve('a.b.c') }),
      log: silentLogger(),
    }),
    audit: new MemoryApiAuditRepository(),
    pauses: new MemoryTenantPauseRepository(),
    clock,
    log: silentLogger(),
    sleep: () => Promise.resolve(),
    random: () => 0.5,
    monotonic: () => 0,
  });
});

const options = {
  purpose: 'test',
  shape: 'Knowledge__kav',
  maxRecords: 2,
  pollDelaysMs: [10, 20, 40],
  sleep: (ms: number) => {
    sleeps.push(ms);
    return Promise.resolve();
  },
};
const csv = (body: string, locator: string) => ({
  status: 200,
  body,
  headers: { 'content-type': 'text/csv', 'sforce-locator': locator },
});

async function drain(): Promise<Record<string, string>[][]> {
  const pages: Record<string, string>[][] = [];
  for await (const page of bulkQueryPages(
    client,
    tenant,
    soql`SELECT Id, Title FROM Knowledge__kav`,
    options,
  ))
    pages.push(page);
  return pages;
}

test('result pages follow Sforce-Locator until "null"; create, one poll per state seen, one call a page', async () => {
  let polls = 0;
  sf.handle((req) => {
    if (req.method === 'POST') return { status: 200, body: { id: '750J', state: 'UploadComplete' } };
    if (!req.url.includes('/results'))
      return { status: 200, body: { id: '750J', state: ++polls === 1 ? 'InProgress' : 'JobComplete' } };
    if (!req.url.includes('locator=')) return csv('"Id","Title"\n"ka1","A, with comma"\n"ka2","B"\n', 'Mg');
    return csv('"Id","Title"\n"ka3","C ""quoted"""\n', 'null');
  });
  const pages = await drain();
  assert.deepEqual(pages, [
    [
      { Id: 'ka1', Title: 'A, with comma' },
      { Id: 'ka2', Title: 'B' },
    ],
    [{ Id: 'ka3', Title: 'C "quoted"' }],
  ]);
  assert.deepEqual(
    sf.seen.map((r) => `${r.method} ${r.url.replace(/^\/services\/data\/v62\.0/, '')}`),
    [
      'POST /jobs/query',
      'GET /jobs/query/750J',
      'GET /jobs/query/750J',
      'GET /jobs/query/750J/results?maxRecords=2',
      'GET /jobs/query/750J/results?maxRecords=2&locator=Mg',
    ],
  );
  assert.deepEqual(JSON.parse(sf.seen[0]?.body ?? '{}'), {
    operation: 'query',
    query: 'SELECT Id, Title FROM Knowledge__kav',
  });
  assert.deepEqual(sleeps, [10, 20]);
  assert.equal(client.usage(tenant.id).calls, 5);
});

test('a job that ends Failed, or is not done after its last poll, is BulkJobUnfinished', async () => {
  sf.handle((req) =>
    req.method === 'POST'
      ? { status: 200, body: { id: '750F', state: 'UploadComplete' } }
      : { status: 200, body: { id: '750F', state: 'Failed', errorMessage: 'retried more than 15 times' } },
  );
  await assert.rejects(drain(), (err: unknown) => err instanceof BulkJobUnfinished && err.state === 'Failed');
  sf.handle((req) =>
    req.method === 'POST'
      ? { status: 200, body: { id: '750S', state: 'UploadComplete' } }
      : req.method === 'PATCH'
        ? { status: 200, body: { id: '750S', state: 'Aborted' } }
        : { status: 200, body: { id: '750S', state: 'InProgress' } },
  );
  await assert.rejects(drain(), /still InProgress after its last poll/);
  const slow = sf.seen.filter((r) => r.url.endsWith('/750S'));
  assert.equal(slow.filter((r) => r.method === 'GET').length, 3, 'one poll per scheduled delay');
  assert.deepEqual(
    slow.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body) as unknown),
    [{ state: 'Aborted' }],
    'then aborted',
  );
});

test("doctor's bulk.query line: the day's query jobs left pass, none left warns with the fix", async () => {
  let remaining = 9_990;
  sf.handle(() => ({ status: 200, body: { DailyBulkV2QueryJobs: { Max: 10_000, Remaining: remaining } } }));
  const ok = await bulkQueryCheck(client, tenant);
  assert.equal(ok.status, 'pass');
  assert.match(ok.detail, /9990 of 10000 query jobs left today/);
  remaining = 0;
  const spent = await bulkQueryCheck(client, tenant);
  assert.equal(spent.status, 'warn');
  assert.match(spent.detail, /read by REST instead/);
  assert.match(spent.fix ?? '', /rolling 24 hours/);
});

test('a run being stopped ends the wait before a poll at once', async () => {
  sf.handle(() => ({ status: 200, body: { id: '750W', state: 'UploadComplete' } }));
  const stop = new AbortController();
  const started = Date.now();
  setTimeout(() => stop.abort(new Error('shutting down')), 20);
  const pages = bulkQueryPages(client, tenant, soql`SELECT Id FROM Knowledge__kav`, {
    purpose: 'test',
    shape: 'Knowledge__kav',
    pollDelaysMs: [60_000],
    signal: stop.signal,
  });
  await assert.rejects(pages.next(), /shutting down/);
  assert.ok(Date.now() - started < 5_000, 'not the minute the schedule asked for');
  assert.equal(sf.seen.length, 1, 'the create only: no poll after the stop');
});

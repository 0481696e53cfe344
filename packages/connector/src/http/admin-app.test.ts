// The admin API as a script or the CLI meets it: authenticated, validating, and always answering in the one error
// shape with a stable code and a fix; never a 500 for bad input, never a secret.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { loadConfig } from '../config/load-config.js';
import { silentLogger } from '../logging/logger.js';
import { openRuntime, type Runtime } from '../main.js';
import { buildAdminApp } from './admin-app.js';

const TOKEN = 'admin-token-for-tests';
let runtime: Runtime;
let sut: FastifyInstance;

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casebridge-admin-'));
  const config = loadConfig({
    CASEBRIDGE_DATA_DIR: dataDir,
    CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  });
  runtime = await openRuntime(config, { log: silentLogger(), inMemoryStore: true });
  sut = buildAdminApp({ ops: runtime.admin, token: TOKEN, log: silentLogger() });
});

after(async () => {
  await sut.close();
  await runtime.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };

test('every endpoint but health refuses a missing or wrong token with ADMIN_UNAUTHORIZED', async () => {
  assert.equal((await sut.inject({ method: 'GET', url: '/v1/health' })).statusCode, 200);
  for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: TOKEN }]) {
    const response = await sut.inject({ method: 'GET', url: '/v1/tenants', headers });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json<{ error: { code: string } }>().error.code, 'ADMIN_UNAUTHORIZED');
  }
});

test('bad input is a 400 naming each problem; unknown tenants and routes are 404s with a fix', async () => {
  const badJson = await sut.inject({
    method: 'POST',
    url: '/v1/tenants',
    headers: { ...auth, 'content-type': 'application/json' },
    payload: '{"id":',
  });
  assert.equal(badJson.statusCode, 400);
  assert.equal(badJson.json<{ error: { code: string } }>().error.code, 'ADMIN_BAD_REQUEST');

  const missing = await sut.inject({
    method: 'POST',
    url: '/v1/tenants',
    headers: auth,
    payload: { id: 'acme', extra: 1 },
  });
  assert.equal(missing.statusCode, 400);
  const issues = missing
    .json<{ error: { details: { issues: { path: string }[] } } }>()
    .error.details.issues.map((i) => i.path);
  for (const field of ['loginUrl', 'consumerKey', 'username'])
    assert.ok(issues.includes(field), `${field} reported`);

  const invalid = await sut.inject({
    method: 'POST',
    url: '/v1/tenants',
    headers: auth,
    payload: { id: 'acme', loginUrl: 'ftp://x', consumerKey: '3MVG9aaaaaaaaaaa', username: 'svc@acme.com' },
  });
  assert.equal(invalid.statusCode, 400);
  assert.equal(invalid.json<{ error: { code: string } }>().error.code, 'TENANT_INVALID');

  const unknown = await sut.inject({ method: 'GET', url: '/v1/tenants/nope', headers: auth });
  assert.equal(unknown.statusCode, 404);
  const body = unknown.json<{ error: { code: string; fix: string } }>().error;
  assert.equal(body.code, 'TENANT_NOT_FOUND');
  assert.match(body.fix, /tenants list/);

  const route = await sut.inject({ method: 'GET', url: '/v1/nothing-here', headers: auth });
  assert.equal(route.statusCode, 404);
  assert.equal(route.json<{ error: { code: string } }>().error.code, 'ADMIN_NOT_FOUND');
});

test('a tenant added through the API is shown without its key or secrets', async () => {
  const created = await sut.inject({
    method: 'POST',
    url: '/v1/tenants',
    headers: auth,
    payload: {
      id: 'acme',
      loginUrl: 'https://login.salesforce.com',
      consumerKey: '3MVG9consumerkey000',
      username: 'svc@acme.example.com',
      consumerSecret: 'very-secret-consumer-secret',
      password: 'hunter2hunter2',
    },
  });
  assert.equal(created.statusCode, 201);
  assert.match(created.json<{ certificatePem: string }>().certificatePem, /BEGIN CERTIFICATE/);
  const shown = await sut.inject({ method: 'GET', url: '/v1/tenants/acme', headers: auth });
  assert.equal(shown.json<{ hasConsumerSecret: boolean }>().hasConsumerSecret, true);
  for (const text of [created.body, shown.body]) {
    for (const secret of ['very-secret-consumer-secret', 'hunter2hunter2', 'PRIVATE KEY'])
      assert.ok(!text.includes(secret), secret);
  }
});

test('errors raised before routing (a path too long for the router) still come in the one error shape', async () => {
  const response = await sut.inject({ method: 'GET', url: `/v1/tenants/${'x'.repeat(5000)}`, headers: auth });
  assert.ok(response.statusCode >= 400 && response.statusCode < 500, String(response.statusCode));
  const body = response.json<{ error: { code: string; fix: string } }>();
  assert.ok(body.error.code.startsWith('ADMIN_') || body.error.code.startsWith('TENANT_'), body.error.code);
  assert.ok(body.error.fix.length > 0);
});

test('POST /v1/tenants/:id/jobs starts a job (202 with its id); GET /v1/jobs/:id follows it to its summary', async () => {
  // the tenant 'acme' added above; the in-process runtime runs the job itself (no service)
  const started = await sut.inject({
    method: 'POST',
    url: '/v1/tenants/acme/jobs',
    headers: auth,
    payload: { kind: 'certificate-watch' },
  });
  assert.equal(started.statusCode, 202, started.body);
  const { id } = started.json<{ id: string; state: string }>();
  let job: { state: string; summary: Record<string, unknown> | null } | undefined;
  for (let i = 0; i < 100 && job?.state !== 'succeeded'; i += 1) {
    const read = await sut.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers: auth });
    assert.equal(read.statusCode, 200);
    job = read.json();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(job?.state, 'succeeded');
  assert.equal(job?.summary?.['certificates'], 1);

  const listed = await sut.inject({ method: 'GET', url: '/v1/jobs?tenant=acme', headers: auth });
  assert.deepEqual(
    listed.json<{ jobs: { id: string }[]; kinds: string[] }>().jobs.map((j) => j.id),
    [id],
  );
  const cases: [string, string, unknown, number, string][] = [
    ['POST', '/v1/tenants/acme/jobs', { kind: 'no-such-kind' }, 404, 'JOBS_UNKNOWN_JOB'],
    ['POST', '/v1/tenants/nobody/jobs', { kind: 'certificate-watch' }, 404, 'TENANT_NOT_FOUND'],
    ['POST', '/v1/tenants/acme/jobs', { kind: 'certificate-watch', extra: 1 }, 400, 'ADMIN_BAD_REQUEST'],
    ['GET', '/v1/jobs/job_nope', undefined, 404, 'JOBS_NOT_FOUND'],
  ];
  for (const [method, url, payload, status, code] of cases) {
    const response = await sut.inject({
      method: method as 'GET' | 'POST',
      url,
      headers: auth,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    assert.equal(response.statusCode, status, `${method} ${url}: ${response.body}`);
    assert.equal(response.json<{ error: { code: string } }>().error.code, code);
  }
});

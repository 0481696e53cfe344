// Input an attacker sends the admin API: NUL bytes anywhere, prototype keys, huge names, huge bodies. Each is a 4xx
// with its own code and fix, never a 500, and the log never holds what was sent.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { loadConfig } from '../config/load-config.js';
import { createLogger, silentLogger } from '../logging/logger.js';
import { openRuntime, type Runtime } from '../main.js';
import { buildAdminApp } from './admin-app.js';

const TOKEN = 'admin-token-for-tests';
const auth = { authorization: `Bearer ${TOKEN}` };
let runtime: Runtime;
let sut: FastifyInstance;
let logged = '';

const tenant = {
  id: 'acme',
  loginUrl: 'https://login.salesforce.com',
  consumerKey: '3MVG9consumerkey000',
  username: 'svc@acme.example.com',
};

before(async () => {
  const config = loadConfig({
    CASEBRIDGE_DATA_DIR: mkdtempSync(join(tmpdir(), 'casebridge-input-')),
    CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  });
  runtime = await openRuntime(config, { log: silentLogger(), inMemoryStore: true });
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged += chunk.toString();
      done();
    },
  });
  sut = buildAdminApp({
    ops: runtime.admin,
    token: TOKEN,
    log: createLogger({ level: 'debug', destination: stream }),
  });
  assert.equal(
    (await sut.inject({ method: 'POST', url: '/v1/tenants', headers: auth, payload: tenant })).statusCode,
    201,
  );
});

after(async () => {
  await sut.close();
  await runtime.close();
});

interface WireError {
  error: { code: string; message: string; fix: string; details?: { issues?: { path: string }[] } };
}

void test('a NUL byte in a path, a name, a username or settings is ADMIN_INPUT_REFUSED naming where, never a 500', async () => {
  const attempts = [
    { method: 'GET' as const, url: '/v1/tenants/ac%00me', where: 'path.id' },
    { method: 'DELETE' as const, url: '/v1/tenants/ac%00me', where: 'path.id' },
    {
      method: 'POST' as const,
      url: '/v1/tenants',
      payload: { ...tenant, id: 'b', name: 'Ac\u0000me' },
      where: 'name',
    },
    {
      method: 'POST' as const,
      url: '/v1/tenants',
      payload: { ...tenant, id: 'c', username: 'a\u0000@b.c' },
      where: 'username',
    },
    {
      method: 'PATCH' as const,
      url: '/v1/tenants/acme',
      payload: { settings: { caseDefaults: { Origin: 'Bot\u0000' } } },
      where: 'settings.caseDefaults.Origin',
    },
    { method: 'GET' as const, url: '/v1/tenants?x=%00', where: 'query.x' },
  ];
  for (const attempt of attempts) {
    const response = await sut.inject({
      method: attempt.method,
      url: attempt.url,
      headers: auth,
      ...(attempt.payload ? { payload: attempt.payload } : {}),
    });
    assert.equal(response.statusCode, 400, `${attempt.method} ${attempt.url}: ${response.body}`);
    const body = response.json<WireError>().error;
    assert.equal(body.code, 'ADMIN_INPUT_REFUSED', response.body);
    assert.equal(body.details?.issues?.[0]?.path, attempt.where);
    assert.match(body.fix, /NUL/);
  }
  assert.doesNotMatch(logged, /"level":50/, 'nothing was logged as an unexpected error');
  assert.ok(!logged.includes('\\u0000'), 'the refused values were not logged');
});

void test('a __proto__ or constructor key is named as the problem, not called invalid JSON', async () => {
  for (const payload of [
    '{"id":"x","__proto__":{"admin":true}}',
    '{"settings":{"constructor":{"prototype":{}}}}',
  ]) {
    const response = await sut.inject({
      method: payload.includes('settings') ? 'PATCH' : 'POST',
      url: payload.includes('settings') ? '/v1/tenants/acme' : '/v1/tenants',
      headers: { ...auth, 'content-type': 'application/json' },
      payload,
    });
    assert.equal(response.statusCode, 400, response.body);
    const body = response.json<WireError>().error;
    assert.equal(body.code, 'ADMIN_INPUT_REFUSED');
    assert.match(body.message, /__proto__|constructor/);
    assert.doesNotMatch(body.message, /not valid JSON/);
  }
});

void test('a 200 KB name or a 100-character username is TENANT_INVALID naming the field and its limit', async () => {
  for (const [field, value, limit] of [
    ['name', 'n'.repeat(200_000), /120/],
    ['username', `${'u'.repeat(90)}@acme.com`, /80/],
  ] as const) {
    const response = await sut.inject({
      method: 'PATCH',
      url: '/v1/tenants/acme',
      headers: auth,
      payload: { [field]: value },
    });
    assert.equal(response.statusCode, 400, field);
    const body = response.json<WireError>().error;
    assert.equal(body.code, 'TENANT_INVALID');
    assert.equal(body.details?.issues?.[0]?.path, field);
    assert.match(body.message, limit);
  }
  const shown = await sut.inject({ method: 'GET', url: '/v1/tenants/acme', headers: auth });
  assert.equal(shown.json<{ name: string }>().name, 'acme', 'nothing was stored');
});

void test('a 10 MB body is 413 ADMIN_BODY_TOO_LARGE stating the limit', async () => {
  const response = await sut.inject({
    method: 'POST',
    url: '/v1/tenants',
    headers: { ...auth, 'content-type': 'application/json' },
    payload: JSON.stringify({ ...tenant, name: 'x'.repeat(10 * 1024 * 1024) }),
  });
  assert.equal(response.statusCode, 413);
  const body = response.json<WireError>().error;
  assert.equal(body.code, 'ADMIN_BODY_TOO_LARGE');
  assert.match(body.message, /262144 bytes/);
});

// The status API may face the network: a caller without the status token learns nothing of the admin token or the
// files behind it.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { silentLogger } from '../logging/logger.js';
import { buildStatusApp } from './status-app.js';

void test("the status API's 401 has its own code and names neither the admin token nor a file", async () => {
  const app = buildStatusApp({
    ops: {
      status: () => Promise.reject(new Error('not reached')),
      getJob: () => Promise.reject(new Error('not reached')),
    },
    token: 'status-token-for-tests-0123',
    log: silentLogger(),
  });
  try {
    for (const [url, headers] of ['/v1/status', '/v1/jobs/job_x'].flatMap((path) =>
      [{}, { authorization: 'Bearer wrong' }].map((h) => [path, h] as const),
    )) {
      const response = await app.inject({ method: 'GET', url, headers });
      assert.equal(response.statusCode, 401);
      const body = response.json<{ error: { code: string; message: string; fix: string } }>().error;
      assert.equal(body.code, 'ADMIN_STATUS_UNAUTHORIZED');
      assert.doesNotMatch(`${body.message} ${body.fix}`, /admin|file|data directory|0600/i);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  } finally {
    await app.close();
  }
});

void test("the status API's 404 has its own code, lists its endpoints and never sends the caller to the admin API", async () => {
  const token = 'status-token-for-tests-0123';
  const app = buildStatusApp({
    ops: {
      status: () => Promise.reject(new Error('not reached')),
      getJob: () => Promise.reject(new Error('not reached')),
    },
    token,
    log: silentLogger(),
  });
  try {
    for (const [method, url] of [
      ['GET', '/v1/tenants'],
      ['POST', '/v1/status'],
    ] as const) {
      const response = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.statusCode, 404);
      const body = response.json<{ error: { code: string; message: string; fix: string } }>().error;
      assert.equal(body.code, 'ADMIN_STATUS_NOT_FOUND');
      assert.match(body.message, new RegExp(`status API has no endpoint ${method} ${url}`));
      assert.match(body.fix, /GET \/v1\/status/);
      assert.doesNotMatch(`${body.message} ${body.fix}`, /admin/i);
    }
  } finally {
    await app.close();
  }
});

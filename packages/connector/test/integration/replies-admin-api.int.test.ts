// `cases reply` while a service holds the store: the CLI's RemoteAdmin posts to the admin API, which answers with
// the reply service's result, or its coded error restored on the CLI's side; bad bodies are ADMIN_BAD_REQUEST.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';
import type { FastifyInstance } from 'fastify';

import { RemoteAdmin } from '../../src/cli/remote-admin.js';
import { loadConfig } from '../../src/config/load-config.js';
import { isAppError } from '../../src/errors/app-error.js';
import { buildAdminApp } from '../../src/http/admin-app.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';
import { addEmulatorTenant } from '../helpers/emulator-tenant.js';

const TOKEN = 'admin-token-for-reply-tests';
let tmp: string;
let em: StartedEmulator;
let runtime: Runtime;
let app: FastifyInstance;
let sut: RemoteAdmin;
let contactId: string;

function insert(sobject: string, fields: Record<string, unknown>): string {
  return em.org.data.insert(sobject, fields, em.demo?.integrationUserId ?? '');
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-replies-admin-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
  runtime = await openRuntime(
    loadConfig({
      CASEBRIDGE_DATA_DIR: join(tmp, 'data'),
      CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    }),
    { log: silentLogger(), inMemoryStore: true },
  );
  await addEmulatorTenant(runtime.admin, em, 'acme');
  app = buildAdminApp({ ops: runtime.admin, token: TOKEN, log: silentLogger() });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  sut = new RemoteAdmin(url, TOKEN, process.pid);
  contactId = insert('Contact', { FirstName: 'Ada', LastName: 'Ng', Email: 'ada.ng@example.com' });
});

after(async () => {
  await app.close();
  await runtime.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

void test('a reply through the admin API is posted once per key and answered the same way again', async () => {
  const caseId = insert('Case', { Subject: 'Monitor', Status: 'Working', ContactId: contactId });
  const input = {
    tenantId: 'acme',
    caseRef: caseId,
    email: 'ada.ng@example.com',
    text: 'The second monitor stays black.',
    idempotencyKey: 'remote-1',
  };
  const first = await sut.replyToCase(input);
  assert.equal(first.parts, 1);
  assert.equal(first.replayed, false);
  const again = await sut.replyToCase(input);
  assert.deepEqual(again, { ...first, replayed: true });
  // every call counted under the reply's purpose: the Contact by email, the case, the one collections post; the
  // retry only finds the Contact again (the ledger answers the rest)
  const calls = (await runtime.store.audit.list('acme', {}))
    .filter((entry) => entry.purpose === 'reply')
    .map((entry) => `${entry.method} ${entry.path.replace(/^.*\/v[\d.]+/, '').split('?')[0] ?? ''}`)
    .sort();
  assert.deepEqual(calls, [
    'GET /query',
    'GET /query',
    `GET /sobjects/Case/${caseId}`,
    'POST /composite/sobjects',
  ]);
});

void test('a case given by its number is read once: the Contact, the case by number, the post', async () => {
  const caseId = insert('Case', { Subject: 'Keyboard', Status: 'Working', ContactId: contactId });
  const before = new Set((await runtime.store.audit.list('acme', {})).map((e) => `${e.at} ${e.path}`));
  const result = await sut.replyToCase({
    tenantId: 'acme',
    caseRef: String(em.org.data.peek(caseId)?.record['CaseNumber']),
    email: 'ada.ng@example.com',
    text: 'The Q key sticks.',
    idempotencyKey: 'remote-by-number',
  });
  assert.equal(result.caseId, caseId);
  const calls = (await runtime.store.audit.list('acme', {}))
    .filter((e) => e.purpose === 'reply' && !before.has(`${e.at} ${e.path}`))
    .map((e) => `${e.method} ${e.path.replace(/^.*\/v[\d.]+/, '').split('?')[0] ?? ''}`);
  assert.deepEqual(calls.sort(), ['GET /query', 'GET /query', 'POST /composite/sobjects']);
});

void test('a closed case comes back as REPLY_CASE_CLOSED on the CLI side; a bad body as ADMIN_BAD_REQUEST', async () => {
  const caseId = insert('Case', { Subject: 'Desk', Status: 'Closed', ContactId: contactId });
  await assert.rejects(
    sut.replyToCase({
      tenantId: 'acme',
      caseRef: caseId,
      email: 'ada.ng@example.com',
      text: 'Still wobbly.',
      idempotencyKey: 'remote-2',
    }),
    (err) => isAppError(err, 'REPLY_CASE_CLOSED') && err.httpStatus === 409,
  );
  const bad = await app.inject({
    method: 'POST',
    url: '/v1/tenants/acme/replies',
    headers: { authorization: `Bearer ${TOKEN}` },
    payload: { caseRef: caseId, text: 'no email', idempotencyKey: 'remote-3' },
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json<{ error: { code: string } }>().error.code, 'ADMIN_BAD_REQUEST');
});

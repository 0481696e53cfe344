// "A case or comment is never created twice, and two sent on purpose are two": writes carry an idempotency key
// whose reference ([cb:XXXXXX]) reconciles an ambiguous failure, never the text. Against the emulator over HTTP,
// with its connection-drop faults (before the write is applied, and after).

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';

import { controlClient, startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { referenceInHeader, writeReference } from '../../src/domain/write-reference.js';
import type { JsforceSalesforceGateway } from '../../src/salesforce/gateway.js';
import { salesforceStack } from '../helpers/salesforce-stack.js';

let em: StartedEmulator;
let gateway: JsforceSalesforceGateway;
let caseId: string;
const control = (method: string, path: string, body?: unknown) => controlClient(em)(method, path, body);

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-reconcile-')) });
  gateway = salesforceStack(em, { tenantId: 'reconcile' }).gateway;
  const created = await gateway.createCase({
    subject: 'Laptop will not boot',
    description: 'Black screen since the update',
    status: 'New',
    employeeId: null,
    origin: 'Web',
    idempotencyKey: 'case:laptop',
  });
  caseId = created.id;
});
after(async () => {
  await em.close();
});
afterEach(async () => {
  await control('DELETE', '/faults');
});

void test('a reply retried after a dropped connection makes one comment, found by its reference', async () => {
  await control('POST', '/faults', { kind: 'drop-after', method: 'POST', path: '*/composite', count: 1 });
  const reply = await gateway.addCaseComment({
    caseId,
    body: 'Reply from the assistant\nPlease hold the power button for 10 s.',
    isPublic: true,
    idempotencyKey: 'reply:conv-1:turn-1',
  });
  assert.equal(referenceInHeader(reply.body), writeReference('reply:conv-1:turn-1'));
  const found = await gateway.findCommentByKey(caseId, 'reply:conv-1:turn-1', new Date(Date.now() - 60_000));
  assert.equal(found?.id, reply.id);
  assert.equal(
    await gateway.findCommentByKey(caseId, 'reply:conv-1:turn-2', new Date(Date.now() - 60_000)),
    null,
  );
});

void test('two identical replies sent on purpose make two, even when the second one\u2019s connection drops', async () => {
  const body = 'Reply from the assistant\nIs there anything else?';
  await gateway.addCaseComment({ caseId, body, isPublic: true, idempotencyKey: 'reply:conv-2:turn-1' });
  // Dropped before Salesforce saw it: reconciling by text would "find" the first reply and write nothing.
  await control('POST', '/faults', { kind: 'drop-before', method: 'POST', path: '*/composite', count: 1 });
  const second = await gateway.addCaseComment({
    caseId,
    body,
    isPublic: true,
    idempotencyKey: 'reply:conv-2:turn-2',
  });
  assert.equal(referenceInHeader(second.body), writeReference('reply:conv-2:turn-2'));
  const ids = new Set<string>();
  for await (const page of gateway.commentsModifiedSince({
    after: { modstamp: new Date(Date.now() - 600_000).toISOString(), id: '' },
  }))
    for (const c of page.items)
      if (c.caseId === caseId && c.body.endsWith('Is there anything else?')) ids.add(c.id);
  assert.equal(ids.size, 2);
});

void test('a case retried after a dropped connection is created once; an identical one on purpose is another', async () => {
  const input = {
    subject: 'VPN drops every hour',
    description: 'Since Monday',
    status: 'New',
    employeeId: null,
    origin: 'Web',
  };
  await control('POST', '/faults', { kind: 'drop-after', method: 'POST', path: '*/composite', count: 1 });
  const first = await gateway.createCase({ ...input, idempotencyKey: 'case:vpn:1' });
  assert.ok(first.description?.endsWith(writeReference('case:vpn:1')));
  await control('POST', '/faults', { kind: 'drop-before', method: 'POST', path: '*/composite', count: 1 });
  const second = await gateway.createCase({ ...input, idempotencyKey: 'case:vpn:2' });
  assert.notEqual(second.id, first.id);
  const since = new Date(Date.now() - 600_000);
  assert.equal((await gateway.findCaseByKey({ idempotencyKey: 'case:vpn:1' }, since))?.id, first.id);
  assert.equal((await gateway.findCaseByKey({ idempotencyKey: 'case:vpn:2' }, since))?.id, second.id);
  const vpnCases = new Set<string>();
  for await (const page of gateway.casesModifiedSince({ after: { modstamp: since.toISOString(), id: '' } }))
    for (const c of page.items) if (c.subject === input.subject) vpnCases.add(c.id);
  assert.equal(vpnCases.size, 2);
});

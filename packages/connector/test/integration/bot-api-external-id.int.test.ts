// The tenant's External ID field for the bot's filings (filing.externalIdField), on the emulator over HTTP: saving
// it checks describe, doctor checks it, a filing writes its key there, and a retry whose first attempt left a Case
// behind finds that Case by the field even when the description no longer carries the reference.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { controlClient } from '@casebridge/salesforce-emulator';

import { startService, type RunningService } from '../../src/cli/service.js';
import { botCall, startBotStack, type BotStack } from '../helpers/bot-api-kit.js';

const KEY_FIELD = 'Casebridge_Key__c';
let stack: BotStack;
let service: RunningService;
let apiKey: string;
let session: string;
let contactId: string;

const control = () => controlClient(stack.em);
const casesWithSubject = (subject: string): Record<string, unknown>[] =>
  stack.em.org.data.query(
    { userId: stack.em.demo?.integrationUserId ?? '' } as never,
    `SELECT Id, CaseNumber, Description, ${KEY_FIELD} FROM Case WHERE Subject = '${subject}'`,
  ).records;
const file = (subject: string, key: string) =>
  botCall<{ number: string }>(service.botUrl, 'POST', '/v1/tickets', {
    apiKey,
    session,
    idempotencyKey: key,
    body: { subject, description: 'Filed through the bot.' },
  });

before(async () => {
  stack = await startBotStack(['acme'], {
    env: { CASEBRIDGE_BOT_PORT: '0', CASEBRIDGE_ADMIN_PORT: '0', CASEBRIDGE_HTTP_PORT: '0' },
  });
  // the admin added an External ID field for casebridge's key, and a plain text field beside it
  for (const [name, externalId] of [
    [KEY_FIELD, true],
    ['Plain_Note__c', false],
  ] as const)
    await control()('POST', `/orgs/${stack.em.orgId}/custom-fields`, {
      sobject: 'Case',
      name,
      type: 'Text',
      length: 255,
      externalId,
      unique: externalId,
    });
  contactId = stack.insert('Contact', { FirstName: 'Ida', LastName: 'Key', Email: 'ida.key@example.com' });
  service = await startService(stack.runtime);
  apiKey = (await stack.runtime.botKeys.create('acme', 'external-id-bot')).secret;
  const opened = await botCall<{ session: string }>(service.botUrl, 'POST', '/v1/sessions', {
    apiKey,
    body: { tenant: 'acme', identityToken: await stack.sign('acme', { sub: 'ida.key@example.com' }) },
  });
  assert.equal(opened.status, 201);
  session = opened.body.session;
});

after(async () => {
  await service.stop();
  await stack.close();
});

void test('the setting is refused for a field that is not an External ID, kept for one that is, and doctor checks it', async () => {
  await assert.rejects(
    stack.runtime.admin.updateTenant('acme', { settings: { filing: { externalIdField: 'Plain_Note__c' } } }),
    (err: Error & { code?: string }) =>
      err.code === 'TENANT_INVALID' && /not an External ID/.test(JSON.stringify(err)),
  );
  const saved = await stack.runtime.admin.updateTenant('acme', {
    settings: { filing: { externalIdField: KEY_FIELD } },
  });
  assert.equal(saved.settings.filing?.externalIdField, KEY_FIELD);
  const report = await stack.runtime.admin.doctor('acme', {});
  const fieldLines = report.checks.filter((c) => c.id.startsWith('field.Case.') || c.id === 'fields.Case');
  assert.deepEqual(
    fieldLines.map((c) => [c.id, c.status]),
    [['fields.Case', 'pass']],
  );
  // the permission set loses edit on the field: doctor names it, and says how to fix it
  const grant = `/orgs/${stack.em.orgId}/grants/${stack.em.demo?.permissionSetId ?? ''}`;
  await control()('PATCH', grant, {
    fieldPermissions: { [`Case.${KEY_FIELD}`]: { readable: true, editable: false } },
  });
  try {
    const line = (await stack.runtime.admin.doctor('acme', {})).checks.find(
      (c) => c.id === `field.Case.${KEY_FIELD}`,
    );
    assert.equal(line?.status, 'fail', JSON.stringify(line));
    assert.match(line.fix ?? '', /edit access/);
  } finally {
    await control()('PATCH', grant, {
      fieldPermissions: { [`Case.${KEY_FIELD}`]: { readable: true, editable: true } },
    });
  }
});

void test('a filing whose answer was lost after Salesforce made the Case is reconciled by the field: one Case, the key in it', async () => {
  const subject = 'Badge reader rejects my card';
  await control()('POST', '/faults', { kind: 'drop-after', method: 'POST', path: '*/composite', count: 1 });
  try {
    const first = await file(subject, 'lost-by-field-1');
    assert.deepEqual(await control()('GET', '/faults'), [], 'the connection really dropped');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const again = await file(subject, 'lost-by-field-1');
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.number, first.body.number);
  } finally {
    await control()('DELETE', '/faults');
  }
  const made = casesWithSubject(subject);
  assert.equal(made.length, 1);
  assert.equal(made[0]?.[KEY_FIELD], `bot:${contactId}:lost-by-field-1`);
});

void test('a retry after the first attempt died with its Case made, the reference since edited away, finds the Case by the field', async () => {
  const subject = 'Monitor flickers';
  const key = 'died-after-create-1';
  const scoped = `bot:${contactId}:${key}`;
  // the first attempt: key recorded, Case made in Salesforce, then the worker died before noting its id ...
  await stack.runtime.store.writeIntents.begin({ tenantId: 'acme', idempotencyKey: scoped, kind: 'case' });
  const caseId = stack.insert('Case', {
    Subject: subject,
    Status: 'New',
    ContactId: contactId,
    [KEY_FIELD]: scoped,
    // ... and an agent rewrote the description, so the reference that ended it is gone
    Description: 'Rewritten by the agent',
  });
  const retried = await file(subject, key);
  assert.equal(retried.status, 201, JSON.stringify(retried.body));
  assert.equal(retried.body.number, stack.caseNumber(caseId), 'found by the field, not made again');
  assert.equal(casesWithSubject(subject).length, 1);
});

// Salesforce's refusals as the employee is told them, over HTTP through the bot API (filing, comment, close) and the
// MCP tools: a validation rule's own message, a value a restricted picklist lacks, a required field missing, a text
// too long for its field, a case locked by an approval process, a default the operator set that the org refuses.
// Each is a coded 4xx whose text and details name no Salesforce field, errorCode or record id; never an SF_API_ code.

import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, beforeEach, test } from 'node:test';

import { controlClient, type StartedEmulator } from '@casebridge/salesforce-emulator';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

import { silentLogger } from '../../src/logging/logger.js';
import { type Runtime } from '../../src/main.js';
import { mountMcpEndpoint } from '../../src/mcp/http-endpoint.js';
import { botAppOn, openBotTenant, openEmployeeSession } from '../helpers/bot-tenant.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ADA = 'ada.refusals@example.com';
let tmp: string;
let em: StartedEmulator;
let runtime: Runtime;
let bot: string;
let stop: () => Promise<void>;
let session: string;
let control: ReturnType<typeof controlClient>;

interface Failure {
  code: string;
  message: string;
  fix: string;
  details?: Record<string, unknown>;
}
interface Answer {
  status: number;
  body: { error?: Failure; number?: string; updatedAt?: string; state?: string };
}

async function call(method: string, path: string, body?: unknown, idempotent = false): Promise<Answer> {
  const res = await fetch(`${bot}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${session}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(idempotent ? { 'idempotency-key': randomUUID() } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** Salesforce's vocabulary the employee must never see: field API names, errorCodes, record ids. */
const SALESFORCE_WORDS =
  /Product__c|Asset_Tag__c|Cost_Center__c|Origin|Subject:|FIELD_CUSTOM|RESTRICTED_PICKLIST|REQUIRED_FIELD|STRING_TOO_LONG|ENTITY_IS_LOCKED|SF_API_|\b500[0-9A-Za-z]{12,15}\b/;

function refusedWith(answer: Answer, status: number, code: string): Failure {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  const error = answer.body.error;
  assert.ok(error !== undefined);
  assert.equal(error.code, code, JSON.stringify(error));
  assert.doesNotMatch(JSON.stringify(error), SALESFORCE_WORDS, 'no Salesforce internals reach the employee');
  return error;
}

const rules = (list: object[]): Promise<unknown> =>
  control('PATCH', `/orgs/${em.orgId}/settings`, { validationRules: list });
const rule = (
  sobject: string,
  errorCondition: string,
  errorMessage: string,
  errorField?: string,
): object => ({
  sobject,
  name: `Rule_${Math.abs(errorCondition.length)}`,
  active: true,
  errorCondition,
  errorMessage,
  ...(errorField === undefined ? {} : { errorField }),
});

async function fileOne(subject: string): Promise<{ number: string; updatedAt: string }> {
  const made = await call('POST', '/v1/tickets', { subject, description: 'It broke.' }, true);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return { number: made.body.number ?? '', updatedAt: made.body.updatedAt ?? '' };
}

const asIntegrationUser = (): never => ({ userId: em.demo?.integrationUserId ?? '' }) as never;
const caseCount = (): number => em.org.data.query(asIntegrationUser(), 'SELECT Id FROM Case').totalSize;

function caseIdOf(number: string): string {
  const id = em.org.data
    .query(asIntegrationUser(), `SELECT Id FROM Case WHERE CaseNumber = '${number}'`)
    .records.map((r) => String(r['Id']))[0];
  assert.ok(id !== undefined);
  return id;
}

before(async () => {
  ({ tmp, em, runtime } = await openBotTenant('cb-bot-refusals-', rsa.publicKey));
  control = controlClient(em);
  for (const field of [
    { name: 'Product__c', type: 'Picklist', values: ['Laptop', 'Phone'], restricted: true },
    { name: 'Asset_Tag__c', type: 'Text', length: 10 },
  ])
    await control('POST', `/orgs/${em.orgId}/custom-fields`, { sobject: 'Case', ...field });
  await runtime.admin.updateTenant('acme', {
    settings: { filing: { fields: { product: 'Product__c', assetTag: 'Asset_Tag__c' } } },
  });
  em.org.data.insert(
    'Contact',
    { FirstName: 'Ada', LastName: 'Refusals', Email: ADA },
    em.demo?.integrationUserId ?? '',
  );
  const { app, sessions } = botAppOn(runtime, { now: () => new Date() });
  mountMcpEndpoint(app, {
    sessions,
    tickets: runtime.bot.tickets,
    log: silentLogger(),
    version: 'test',
    allowedOrigins: [],
    clock: { now: () => new Date() },
  });
  bot = await app.listen({ port: 0, host: '127.0.0.1' });
  stop = () => app.close();
  session = await openEmployeeSession(bot, rsa.privateKey, ADA, { now: () => new Date() });
});

beforeEach(async () => {
  await rules([]);
});

after(async () => {
  await stop();
  await runtime.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

test("filing refused by a validation rule answers 422 with the rule's own message, and files nothing", async () => {
  await rules([
    rule(
      'Case',
      "Subject = 'printer'",
      'Please name the printer and its floor, e.g. "3rd floor HP".',
      'Subject',
    ),
  ]);
  const before = caseCount();
  const error = refusedWith(
    await call('POST', '/v1/tickets', { subject: 'printer', description: 'Broken.' }, true),
    422,
    'BOT_TICKET_RULE_REFUSED',
  );
  assert.match(error.message, /Please name the printer and its floor/);
  assert.deepEqual(error.details, { field: 'subject' });
  assert.equal(caseCount(), before);
});

test('a value the restricted picklist lacks names the bot field and the value, never the Case field', async () => {
  const error = refusedWith(
    await call(
      'POST',
      '/v1/tickets',
      { subject: 'New tablet', description: 'Need one.', fields: { product: 'Tablet' } },
      true,
    ),
    422,
    'BOT_TICKET_VALUE_REFUSED',
  );
  assert.deepEqual(error.details, { field: 'product', value: 'Tablet' });
  assert.match(error.message, /"Tablet" as the product/);
});

test('a text longer than its field says which and how long it may be', async () => {
  const error = refusedWith(
    await call(
      'POST',
      '/v1/tickets',
      { subject: 'Asset', description: 'Tag below.', fields: { assetTag: 'TAG-0123456789' } },
      true,
    ),
    422,
    'BOT_TICKET_TEXT_TOO_LONG',
  );
  assert.deepEqual(error.details, { field: 'assetTag', maxLength: 10 });
});

test('a value the operator set (caseDefaults) that the org refuses is the operator’s setup error, not the employee’s', async () => {
  await runtime.admin.updateTenant('acme', { settings: { caseDefaults: { Product__c: 'Tablet' } } });
  try {
    const error = refusedWith(
      await call('POST', '/v1/tickets', { subject: 'Mouse', description: 'Broken.' }, true),
      422,
      'BOT_TICKET_SETUP_REFUSED',
    );
    assert.equal(error.details, undefined);
  } finally {
    await runtime.admin.updateTenant('acme', { settings: { caseDefaults: { Origin: 'Web' } } });
  }
});

test('a required field the bot maps asks for it by its bot name; one it does not map is a setup error', async () => {
  await control('POST', `/orgs/${em.orgId}/custom-fields`, {
    sobject: 'Case',
    name: 'Cost_Center__c',
    type: 'Text',
    length: 20,
    required: true,
  });
  try {
    const unmapped = refusedWith(
      await call('POST', '/v1/tickets', { subject: 'Dock', description: 'Broken.' }, true),
      422,
      'BOT_TICKET_SETUP_REFUSED',
    );
    assert.match(unmapped.message, /required field/);
    await runtime.admin.updateTenant('acme', {
      settings: {
        filing: { fields: { product: 'Product__c', assetTag: 'Asset_Tag__c', costCenter: 'Cost_Center__c' } },
      },
    });
    const error = refusedWith(
      await call('POST', '/v1/tickets', { subject: 'Dock', description: 'Broken.' }, true),
      422,
      'BOT_TICKET_FIELD_REQUIRED',
    );
    assert.deepEqual(error.details, { fields: ['costCenter'] });
    const filed = await call(
      'POST',
      '/v1/tickets',
      { subject: 'Dock', description: 'Broken.', fields: { costCenter: 'CC-42' } },
      true,
    );
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
  } finally {
    const { customFields } = em.org.data.settings;
    em.org.data.configure({ customFields: customFields.filter((f) => f.name !== 'Cost_Center__c') });
  }
});

test('closing a case an approval process locked answers 409 BOT_TICKET_LOCKED and leaves it as it was', async () => {
  const { number, updatedAt } = await fileOne('Locked laptop');
  await control('POST', `/orgs/${em.orgId}/actions/lock-record`, { id: caseIdOf(number) });
  try {
    const error = refusedWith(
      await call('POST', `/v1/tickets/${number}/close`, { lastSeenUpdatedAt: updatedAt }),
      409,
      'BOT_TICKET_LOCKED',
    );
    assert.match(error.message, new RegExp(`Ticket ${number} is locked`));
    assert.equal(em.org.data.peek(caseIdOf(number))?.record['Status'], 'New');
  } finally {
    await control('POST', `/orgs/${em.orgId}/actions/lock-record`, { id: caseIdOf(number), locked: false });
  }
});

test("closing refused by a validation rule on Case shows the rule's message", async () => {
  const { number } = await fileOne('Close me');
  await rules([rule('Case', "Status = 'Closed'", 'Tell us what fixed it before closing.')]);
  const error = refusedWith(
    await call('POST', `/v1/tickets/${number}/close`, {}),
    422,
    'BOT_TICKET_RULE_REFUSED',
  );
  assert.match(error.message, /Tell us what fixed it before closing\./);
});

test('a comment refused by a CaseComment rule, or on a locked case, is told in the employee’s words', async () => {
  const { number } = await fileOne('Comment on me');
  await rules([rule('CaseComment', 'IsPublished = true', 'Never send passwords in a ticket.')]);
  const byRule = refusedWith(
    await call('POST', `/v1/tickets/${number}/comments`, { text: 'password: hunter2' }, true),
    422,
    'BOT_TICKET_RULE_REFUSED',
  );
  assert.match(byRule.message, /Never send passwords in a ticket\./);
  await rules([]);
  // closed, and replies reopen closed cases: the reopen goes first, all or nothing, and a locked case refuses it
  await runtime.admin.updateTenant('acme', { settings: { replies: { reopenClosed: true } } });
  assert.equal((await call('POST', `/v1/tickets/${number}/close`, {})).status, 200);
  const id = caseIdOf(number);
  await control('POST', `/orgs/${em.orgId}/actions/lock-record`, { id });
  try {
    refusedWith(
      await call('POST', `/v1/tickets/${number}/comments`, { text: 'Still broken.' }, true),
      409,
      'BOT_TICKET_LOCKED',
    );
    assert.equal(em.org.data.peek(id)?.record['Status'], 'Closed');
    // replies do not reopen closed cases here: the refusal names the ticket by number, never its record id
    await runtime.admin.updateTenant('acme', { settings: { replies: { reopenClosed: false } } });
    const closed = refusedWith(
      await call('POST', `/v1/tickets/${number}/comments`, { text: 'Still broken.' }, true),
      409,
      'REPLY_CASE_CLOSED',
    );
    assert.match(closed.message, new RegExp(number));
  } finally {
    await control('POST', `/orgs/${em.orgId}/actions/lock-record`, { id, locked: false });
    await runtime.admin.updateTenant('acme', { settings: { replies: { reopenClosed: false } } });
  }
});

test('the MCP tools report the same coded refusals as isError results', async () => {
  const client = new Client({ name: 'refusals', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${bot}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${session}` } },
    }),
  );
  try {
    const tool = async (name: string, args: Record<string, unknown>, code: string): Promise<void> => {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      assert.equal(result.isError, true, JSON.stringify(result));
      const failure = (result.structuredContent as { error: Failure }).error;
      assert.equal(failure.code, code);
      const text = result.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
      assert.ok(text.startsWith(`${code}: `));
      assert.doesNotMatch(text + JSON.stringify(failure), SALESFORCE_WORDS);
    };
    await rules([rule('Case', "Subject = 'printer'", 'Please name the printer and its floor.', 'Subject')]);
    await tool('file_ticket', { subject: 'printer', description: 'Broken.' }, 'BOT_TICKET_RULE_REFUSED');
    await rules([]);
    const { number } = await fileOne('Locked by approval');
    await control('POST', `/orgs/${em.orgId}/actions/lock-record`, { id: caseIdOf(number) });
    await tool('close_ticket', { number }, 'BOT_TICKET_LOCKED');
    await control('POST', `/orgs/${em.orgId}/actions/lock-record`, { id: caseIdOf(number), locked: false });
  } finally {
    await client.close();
  }
});

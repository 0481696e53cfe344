// A Salesforce composite, collection or result body that does not match its wire schema is a coded error naming the
// field, never a TypeError; a created record whose create answer is unreadable is reported as created, not failed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startScriptedGateway } from '../../test/helpers/scripted-gateway.js';
import type { ScriptedSalesforce } from '../../test/helpers/scripted-salesforce.js';
import type { Tenant } from '../domain/tenant.js';
import { isAppError } from '../errors/app-error.js';
import { bulkQueryPages } from './bulk-query.js';
import { PollingCaseChangeSource } from './case-change-poller.js';
import type { JsforceSalesforceGateway } from './gateway.js';
import type { SalesforceClient } from './salesforce-client.js';
import { soql } from './soql.js';

let sf: ScriptedSalesforce;
let gateway: JsforceSalesforceGateway;
let client: SalesforceClient;
let tenant: Tenant;

before(async () => {
  ({ sf, client, gateway, tenant } = await startScriptedGateway('wire', 'Wire'));
});
after(async () => {
  await sf.close();
});

const newCase = {
  subject: 'VPN drops',
  description: 'Every hour',
  status: 'New',
  employeeId: null,
  idempotencyKey: 'case:vpn',
} as const;

const codeOf = (err: unknown): { code: string; message: string } => {
  assert.ok(isAppError(err), `an AppError, not ${String(err)}`);
  return { code: err.code, message: err.message };
};

void test('a failed create whose error body is malformed is SF_API_INVALID_RESPONSE naming the field', async () => {
  sf.handle((req) =>
    req.url.includes('/composite')
      ? {
          status: 200,
          body: {
            compositeResponse: [
              { referenceId: 'created', httpStatusCode: 400, body: [{ errorCode: 42, message: 'bad' }] },
              {
                referenceId: 'record',
                httpStatusCode: 400,
                body: [{ errorCode: 'PROCESSING_HALTED', message: '' }],
              },
            ],
          },
        }
      : { status: 404 },
  );
  const err = await gateway.createCase(newCase).then(
    () => assert.fail('the create must not succeed'),
    (e: unknown) => e,
  );
  const { code, message } = codeOf(err);
  assert.equal(code, 'SF_API_INVALID_RESPONSE');
  assert.match(message, /field 0\.errorCode/);
});

void test('a failed create with a well-formed error body is the coded refusal Salesforce gave', async () => {
  sf.handle(() => ({
    status: 200,
    body: {
      compositeResponse: [
        {
          referenceId: 'created',
          httpStatusCode: 400,
          body: [{ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Subject', fields: ['Subject'] }],
        },
        {
          referenceId: 'record',
          httpStatusCode: 400,
          body: [{ errorCode: 'PROCESSING_HALTED', message: '' }],
        },
      ],
    },
  }));
  const err = await gateway.createCase(newCase).then(
    () => assert.fail('the create must not succeed'),
    (e: unknown) => e,
  );
  const { code, message } = codeOf(err);
  assert.equal(code, 'SF_API_VALIDATION_FAILED');
  assert.match(message, /Subject/);
});

void test('a composite answer without compositeResponse is SF_API_INVALID_RESPONSE, not a TypeError', async () => {
  sf.handle(() => ({ status: 200, body: { results: [] } }));
  const err = await gateway.createCase(newCase).then(
    () => assert.fail('the create must not succeed'),
    (e: unknown) => e,
  );
  const { code, message } = codeOf(err);
  assert.equal(code, 'SF_API_INVALID_RESPONSE');
  assert.match(message, /field compositeResponse/);
});

void test('a create that succeeded but whose read failed says created-unreadable with the id', async () => {
  sf.handle(() => ({
    status: 200,
    body: {
      compositeResponse: [
        { referenceId: 'created', httpStatusCode: 201, body: { id: '500000000000009AAA', success: true } },
        { referenceId: 'record', httpStatusCode: 404, body: [{ errorCode: 'NOT_FOUND', message: 'gone' }] },
      ],
    },
  }));
  const err = await gateway.createCase(newCase).then(
    () => assert.fail('the create must not succeed'),
    (e: unknown) => e,
  );
  const { code, message } = codeOf(err);
  assert.equal(code, 'SF_API_CREATED_UNREADABLE');
  assert.match(message, /500000000000009AAA/);
  assert.match(message, /NOT_FOUND/);
});

void test('a Bulk API 2.0 result page that is neither CSV rows nor empty is SF_API_INVALID_RESPONSE', async () => {
  sf.handle((req) => {
    if (req.method === 'POST')
      return { status: 200, body: { id: '750000000000001AAA', state: 'UploadComplete' } };
    if (req.url.includes('/results')) return { status: 200, body: { rows: 3 } };
    return { status: 200, body: { id: '750000000000001AAA', state: 'JobComplete' } };
  });
  const err = await (async () => {
    for await (const page of bulkQueryPages(client, tenant, soql`SELECT Id FROM Case`, {
      purpose: 'test',
      shape: 'Case',
      pollDelaysMs: [0],
      sleep: () => Promise.resolve(),
    }))
      void page;
  })().then(
    () => assert.fail('the read must not succeed'),
    (e: unknown) => e,
  );
  const { code } = codeOf(err);
  assert.equal(code, 'SF_API_INVALID_RESPONSE');
});

const rejection = (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => assert.fail('the call must not succeed'),
    (e: unknown) => e,
  );

void test('a CaseComment collection answer that is not a list of save results is SF_API_INVALID_RESPONSE', async () => {
  const comment = {
    caseId: '500000000000001AAA',
    body: 'Still broken',
    isPublic: true,
    idempotencyKey: 'k-1',
  };
  sf.handle(() => ({ status: 200, body: { records: [] } }));
  const notAList = codeOf(await rejection(gateway.addCaseComments([comment])));
  assert.equal(notAList.code, 'SF_API_INVALID_RESPONSE');
  assert.match(notAList.message, /CaseComment collection .*field \(root\)/);

  sf.handle(() => ({ status: 200, body: [{ id: '00a000000000001AAA', errors: [] }] }));
  const noSuccess = codeOf(await rejection(gateway.addCaseComments([comment])));
  assert.equal(noSuccess.code, 'SF_API_INVALID_RESPONSE');
  assert.match(noSuccess.message, /field 0\.success/);
});

void test('a monitor composite whose answer or query page is malformed is SF_API_INVALID_RESPONSE', async () => {
  const source = new PollingCaseChangeSource(client, tenant);
  const start = {
    cases: { modstamp: '2026-01-01T00:00:00.000Z', id: '' },
    comments: { modstamp: '2026-01-01T00:00:00.000Z', id: '' },
  };
  const firstRound = async (): Promise<void> => {
    for await (const round of source.changesSince(start)) {
      void round;
      return;
    }
  };
  sf.handle(() => ({ status: 200, body: { results: [] } }));
  const noComposite = codeOf(await rejection(firstRound()));
  assert.equal(noComposite.code, 'SF_API_INVALID_RESPONSE');
  assert.match(noComposite.message, /monitor composite .*field compositeResponse/);

  sf.handle(() => ({
    status: 200,
    body: {
      compositeResponse: [0, 1].map((i) => ({
        referenceId: `stream${i}`,
        httpStatusCode: 200,
        httpHeaders: {},
        body: { totalSize: 1, done: true, records: 'not rows' },
      })),
    },
  }));
  const badPage = codeOf(await rejection(firstRound()));
  assert.equal(badPage.code, 'SF_API_INVALID_RESPONSE');
  assert.match(badPage.message, /monitor composite query page .*field records/);
});

// The official Salesforce CLI (`sf` 2.146.3, unmodified, offline) logs into the emulator by JWT and reads and writes what the emulator holds.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_APP_NAME } from '../../src/index.js';
import type { TokenLogEntry } from '../../src/index.js';
import { control, startDemoEmulator, type EmulatorFixture } from '../helpers/emulator-fixture.js';
import { readBlocked } from '../helpers/network-guard.js';
import { SfCli, type SfJson, type SfResult } from '../helpers/sf-cli.js';

interface SfRecord {
  attributes: { type: string; url: string };
  Id: string;
  [field: string]: unknown;
}

const ALIAS = 'emu';

void describe('sf CLI against the emulator', () => {
  let fx: EmulatorFixture;
  let sf: SfCli;
  let blockedLog = '';
  let integrationUserId = '';
  // the Case this suite creates, updates and deletes through sf
  let caseId = '';
  const subject = `sf created ${process.pid}-${Date.now()}`;

  /** a stored record as the emulator holds it (read in process, bypassing HTTP and permissions) */
  const held = (id: string): { sobject: string; record: Record<string, unknown>; deleted: boolean } => {
    const found = fx.em.org.data.peek(id);
    assert.ok(found, `the emulator holds no record ${id}`);
    return found;
  };

  const tokenLogAfter = async (seq: number): Promise<TokenLogEntry[]> =>
    (await control<{ entries: TokenLogEntry[] }>(fx.em, 'GET', `/token-log?afterSeq=${seq}`)).entries;

  const lastTokenSeq = async (): Promise<number> =>
    (await tokenLogAfter(0)).reduce((max, entry) => Math.max(max, entry.seq), 0);

  /** sf's JSON output, after asserting it exited 0 (the message carries sf's output and stderr) */
  const succeeded = ({ code, json, stderr }: SfResult): SfJson => {
    assert.equal(code, 0, `${JSON.stringify(json)}\n${stderr}`);
    return json;
  };

  /** `sf org login jwt` against the emulator's login URL with its connected app */
  const jwtLogin = (username: string, keyFile: string, alias: string): string[] => [
    'org',
    'login',
    'jwt',
    '--client-id',
    fx.em.consumerKey,
    '--jwt-key-file',
    keyFile,
    '--username',
    username,
    '--instance-url',
    fx.em.loginUrl,
    '--alias',
    alias,
  ];

  /** `sf data <verb> record --sobject Case <flags> --target-org emu` */
  const caseRecord = (verb: 'create' | 'get' | 'update' | 'delete', ...flags: string[]): string[] => [
    'data',
    verb,
    'record',
    '--sobject',
    'Case',
    ...flags,
    '--target-org',
    ALIAS,
  ];

  before(async () => {
    fx = await startDemoEmulator();
    blockedLog = join(fx.dir, 'blocked-connections.jsonl');
    sf = SfCli.inDir(fx.dir, blockedLog);
    assert.ok(fx.em.demo, 'the demo org is seeded');
    integrationUserId = fx.em.demo.integrationUserId;
  });

  after(async () => {
    await fx.close();
  });

  void it('sf org login jwt succeeds with --instance-url and stores the org the emulator issued the token for', async () => {
    const before = await lastTokenSeq();
    const json = succeeded(await sf.run(jwtLogin(fx.em.username, fx.em.privateKeyPath, ALIAS)));
    const result = json.result as Record<string, unknown>;
    assert.equal(result['orgId'], fx.em.orgId);
    assert.equal(result['username'], fx.em.username);
    assert.equal(result['instanceUrl'], fx.em.loginUrl);
    assert.equal(result['clientId'], fx.em.consumerKey);
    // sf fills these from its Organization query after login
    const org = fx.em.org.data.query(
      { userId: integrationUserId, apiVersion: '64.0' },
      'SELECT Name, OrganizationType, IsSandbox FROM Organization',
    );
    const orgRow = org.records[0];
    assert.ok(orgRow);
    assert.equal(result['name'], orgRow['Name']);
    assert.equal(result['orgEdition'], orgRow['OrganizationType']);
    assert.equal(result['isSandbox'], orgRow['IsSandbox']);

    const entries = await tokenLogAfter(before);
    assert.deepEqual(
      entries.map((e) => [e.grantType, e.clientId, e.username, e.userId, e.outcome]),
      [
        [
          'urn:ietf:params:oauth:grant-type:jwt-bearer',
          fx.em.consumerKey,
          fx.em.username,
          integrationUserId,
          'success',
        ],
      ],
      'exactly one successful JWT bearer grant: the first attempt was accepted',
    );
  });

  void it('sf data query returns the Cases the emulator holds', async () => {
    const soql = "SELECT Id, Subject, Status FROM Case WHERE Status = 'New' ORDER BY CaseNumber";
    const json = succeeded(await sf.run(['data', 'query', '--query', soql, '--target-org', ALIAS]));
    const result = json.result as { records: SfRecord[]; totalSize: number; done: boolean };
    const expected = fx.em.org.data.query({ userId: integrationUserId, apiVersion: '64.0' }, soql);
    assert.ok(expected.totalSize > 0, 'the demo org has New cases');
    assert.equal(result.totalSize, expected.totalSize);
    assert.equal(result.done, true);
    assert.deepEqual(
      result.records.map((r) => [r.Id, r['Subject'], r['Status']]),
      expected.records.map((r) => [r['Id'], r['Subject'], r['Status']]),
    );
    for (const record of result.records) {
      const stored = held(record.Id);
      assert.equal(stored.sobject, 'Case');
      assert.equal(stored.record['Subject'], record['Subject']);
      assert.equal(stored.record['Status'], 'New');
      assert.equal(record.attributes.type, 'Case');
    }
  });

  void it('sf data create record stores a Case owned and created by the integration user', async () => {
    const json = succeeded(
      await sf.run(caseRecord('create', '--values', `Subject='${subject}' Status=New Origin=Web`)),
    );
    const result = json.result as { id: string; success: boolean; errors: unknown[] };
    assert.equal(result.success, true);
    assert.deepEqual(result.errors, []);
    assert.match(result.id, /^500[A-Za-z0-9]{15}$/);
    caseId = result.id;
    const stored = held(caseId);
    assert.equal(stored.sobject, 'Case');
    assert.equal(stored.deleted, false);
    assert.equal(stored.record['Subject'], subject);
    assert.equal(stored.record['Status'], 'New');
    assert.equal(stored.record['Origin'], 'Web');
    assert.equal(stored.record['CreatedById'], integrationUserId);
    assert.equal(stored.record['OwnerId'], integrationUserId);
  });

  void it('sf data get record by id shows the stored Case', async () => {
    const json = succeeded(await sf.run(caseRecord('get', '--record-id', caseId)));
    const record = json.result as SfRecord;
    const stored = held(caseId).record;
    assert.equal(record.Id, caseId);
    assert.equal(record.attributes.type, 'Case');
    for (const field of [
      'Subject',
      'Status',
      'Origin',
      'CaseNumber',
      'IsClosed',
      'CreatedById',
      'CreatedDate',
      'OwnerId',
    ]) {
      assert.deepEqual(record[field], stored[field], field);
    }
  });

  void it('sf data get record --where finds the same Case', async () => {
    const json = succeeded(await sf.run(caseRecord('get', '--where', `Subject='${subject}'`)));
    const record = json.result as SfRecord;
    assert.equal(record.Id, caseId);
    assert.equal(record['Subject'], subject);
    assert.equal(record['CaseNumber'], held(caseId).record['CaseNumber']);
  });

  void it('sf data update record (by id, then --where) changes the stored Case', async () => {
    const updated = `${subject} (updated)`;
    succeeded(
      await sf.run(
        caseRecord('update', '--record-id', caseId, '--values', `Subject='${updated}' Status=Working`),
      ),
    );
    let stored = held(caseId).record;
    assert.equal(stored['Subject'], updated);
    assert.equal(stored['Status'], 'Working');
    assert.equal(stored['LastModifiedById'], integrationUserId);

    succeeded(
      await sf.run(caseRecord('update', '--where', `Subject='${updated}'`, '--values', 'Status=Closed')),
    );
    stored = held(caseId).record;
    assert.equal(stored['Status'], 'Closed');
    assert.equal(stored['IsClosed'], true, 'IsClosed follows the closed status');
  });

  void it('sf data delete record: refused without Case delete permission, then deletes once it is granted', async () => {
    const del = caseRecord('delete', '--record-id', caseId);
    // The seeded permission set gives read/create/edit on Case, no delete (the customer setup of the issue).
    const refused = await sf.run(del);
    assert.notEqual(refused.code, 0);
    assert.equal(refused.json.name, 'INSUFFICIENT_ACCESS_OR_READONLY', refused.json.message);
    assert.equal(held(caseId).deleted, false);

    const permSet = fx.em.demo?.permissionSetId;
    assert.ok(permSet);
    await control(fx.em, 'PATCH', `/orgs/${fx.em.orgId}/grants/${permSet}`, {
      // the control plane replaces an object's permissions as a whole: restate the seeded ones
      objectPermissions: { Case: { read: true, create: true, edit: true, delete: true, viewAll: true } },
    });
    succeeded(await sf.run(del));
    assert.equal(held(caseId).deleted, true);

    const gone = await sf.run(caseRecord('get', '--record-id', caseId));
    assert.notEqual(gone.code, 0, 'sf reports the deleted record as an error');
    assert.ok(
      ['ENTITY_IS_DELETED', 'NOT_FOUND'].includes(gone.json.name ?? ''),
      `error name ${gone.json.name}: ${gone.json.message}`,
    );
  });

  void it('sf org display shows the connected org at the newest API version the emulator serves', async () => {
    const json = succeeded(await sf.run(['org', 'display', '--target-org', ALIAS]));
    const result = json.result as Record<string, unknown>;
    const versions = (await (await fetch(`${fx.em.loginUrl}/services/data`)).json()) as { version: string }[];
    const newest = versions
      .map((v) => v.version)
      .sort((a, b) => Number(a) - Number(b))
      .at(-1);
    assert.equal(result['id'], fx.em.orgId);
    assert.equal(result['username'], fx.em.username);
    assert.equal(result['instanceUrl'], fx.em.loginUrl);
    assert.equal(result['connectedStatus'], 'Connected');
    assert.equal(result['alias'], ALIAS);
    assert.equal(result['apiVersion'], newest);
  });

  /** Runs a login that must fail; returns sf's error and the token-endpoint outcomes it caused. */
  const failedLogin = async (username: string, keyFile: string, alias: string) => {
    const seq = await lastTokenSeq();
    const blockedBefore = readBlocked(blockedLog).length;
    const res = await sf.run(jwtLogin(username, keyFile, alias));
    const entries = await tokenLogAfter(seq);
    const refused = readBlocked(blockedLog)
      .slice(blockedBefore)
      .map((a) => `${a.host}:${a.port}`);
    return { res, entries, refused };
  };

  const assertRejected = (
    outcome: Awaited<ReturnType<typeof failedLogin>>,
    username: string,
    error: string,
    description: string,
  ): void => {
    const { res, entries, refused } = outcome;
    assert.notEqual(res.code, 0, 'sf exits non-zero');
    assert.equal(res.json.name, 'JwtGrantError');
    assert.ok(res.json.message?.includes(description), `sf shows the emulator's reason: ${res.json.message}`);
    assert.ok(entries.length >= 1, 'the emulator saw the grant');
    const shape = (e: TokenLogEntry): unknown[] => [
      e.status,
      e.outcome,
      e.errorDescription,
      e.clientId,
      e.username,
      e.userId,
    ];
    assert.deepEqual(shape(entries[0] as TokenLogEntry), [
      400,
      error,
      description,
      fx.em.consumerKey,
      username,
      null,
    ]);
    // sf then retries with other audiences (real-clients.md): a production org refuses the sandbox login host.
    for (const entry of entries.slice(1)) {
      assert.ok(
        [description, 'audience is invalid'].includes(entry.errorDescription ?? ''),
        `a retry failed for another reason: ${entry.errorDescription}`,
      );
      assert.equal(entry.status, 400);
    }
    // After the local failure sf retries the grant at Salesforce's public login hosts: refused by the blocker.
    assert.ok(refused.includes('test.salesforce.com:443'), `refused: ${refused.join(', ')}`);
    assert.ok(refused.includes('login.salesforce.com:443'), `refused: ${refused.join(', ')}`);
  };

  void it('a customer-shaped org: sf describes a custom external-ID field, writes it, and sf-created cases follow the active assignment rule', async () => {
    const orgPath = `/orgs/${fx.em.orgId}`;
    await control(fx.em, 'POST', `${orgPath}/custom-fields`, {
      sobject: 'Case',
      name: 'Ticket_Ref__c',
      type: 'Text',
      length: 40,
      externalId: true,
      unique: true,
    });
    const described = succeeded(
      await sf.run(['sobject', 'describe', '--sobject', 'Case', '--target-org', ALIAS]),
    ).result as {
      fields: { name: string; type: string; externalId: boolean; unique: boolean; custom: boolean }[];
    };
    const ref = described.fields.find((f) => f.name === 'Ticket_Ref__c');
    assert.deepEqual([ref?.type, ref?.externalId, ref?.unique, ref?.custom], ['string', true, true, true]);
    await control(fx.em, 'PATCH', `${orgPath}/settings`, {
      queues: [{ developerName: 'Tier1', sobjectTypes: ['Case'] }],
      assignmentRules: [
        {
          name: 'Web to Tier 1',
          active: true,
          entries: [{ criteria: { Origin: 'Web' }, assignTo: 'Tier1' }],
        },
      ],
    });
    try {
      const created = succeeded(
        await sf.run(
          caseRecord('create', '--values', "Subject='sf custom' Origin='Web' Ticket_Ref__c='SF-1'"),
        ),
      ).result as { id: string };
      const fetched = succeeded(await sf.run(caseRecord('get', '--where', "Ticket_Ref__c='SF-1'")))
        .result as SfRecord;
      assert.equal(fetched.Id, created.id);
      assert.equal(fetched['Ticket_Ref__c'], 'SF-1');
      const queue = fx.em.org.data.query(
        { userId: integrationUserId, apiVersion: '64.0' },
        "SELECT Id FROM Group WHERE DeveloperName = 'Tier1'",
      ).records[0];
      assert.equal(
        held(created.id).record['OwnerId'],
        queue?.['Id'],
        'sf sends no Sforce-Auto-Assign: the active rule ran',
      );
      const duplicate = await sf.run(
        caseRecord('create', '--values', "Subject='again' Ticket_Ref__c='sf-1'"),
      );
      assert.notEqual(duplicate.code, 0);
      assert.match(JSON.stringify(duplicate.json), /DUPLICATE_VALUE|duplicate value found/);
    } finally {
      await control(fx.em, 'PATCH', `${orgPath}/settings`, { assignmentRules: [] });
    }
  });

  void it('a custom object made through the control plane: sf describes it, creates a record and queries it', async () => {
    const orgPath = `/orgs/${fx.em.orgId}`;
    await control(fx.em, 'POST', `${orgPath}/custom-objects`, {
      name: 'Gadget__c',
      label: 'Gadget',
      fields: [
        { name: 'Serial__c', type: 'Text', length: 20, externalId: true },
        { name: 'Kind__c', type: 'Picklist', values: ['Laptop', 'Phone'] },
      ],
    });
    await control(fx.em, 'PATCH', `${orgPath}/grants/${fx.em.demo?.permissionSetId ?? ''}`, {
      objectPermissions: { Gadget__c: { read: true, create: true } },
    });
    const described = succeeded(
      await sf.run(['sobject', 'describe', '--sobject', 'Gadget__c', '--target-org', ALIAS]),
    ).result as {
      name: string;
      custom: boolean;
      keyPrefix: string;
      fields: { name: string; externalId: boolean }[];
    };
    assert.deepEqual([described.name, described.custom], ['Gadget__c', true]);
    assert.ok(described.fields.some((f) => f.name === 'Serial__c' && f.externalId));
    const created = succeeded(
      await sf.run([
        'data',
        'create',
        'record',
        '--sobject',
        'Gadget__c',
        '--values',
        "Name='Pixel' Serial__c='G-1' Kind__c='Phone'",
        '--target-org',
        ALIAS,
      ]),
    ).result as { id: string };
    assert.ok(created.id.startsWith(described.keyPrefix), created.id);
    assert.deepEqual([held(created.id).sobject, held(created.id).record['Serial__c']], ['Gadget__c', 'G-1']);
    const queried = succeeded(
      await sf.run([
        'data',
        'query',
        '--query',
        'SELECT Name, Kind__c FROM Gadget__c',
        '--target-org',
        ALIAS,
      ]),
    ).result as { records: SfRecord[] };
    assert.deepEqual(
      queried.records.map((r) => [r['Name'], r['Kind__c']]),
      [['Pixel', 'Phone']],
    );
  });

  // `sf data upsert` only exists as `sf data upsert bulk` (Bulk API 2.0), which the emulator does not serve, and
  // `sf data update record` has no conditional flags: both are proven through `sf api request rest`, the CLI's own
  // authenticated REST call, against the resources a REST client uses.
  void it('sf api request rest: upsert by external ID creates (201) then updates (200); If-Unmodified-Since in the past is 412 and changes nothing', async () => {
    await control(fx.em, 'POST', `/orgs/${fx.em.orgId}/custom-fields`, {
      sobject: 'Case',
      name: 'Sf_Ref__c',
      type: 'Text',
      length: 20,
      externalId: true,
    });
    const rest = (url: string, ...flags: string[]) =>
      sf.runText(['api', 'request', 'rest', url, '--include', '--target-org', ALIAS, ...flags]);
    const V = '/services/data/v64.0';
    const first = await rest(
      `${V}/sobjects/Case/Sf_Ref__c/UP-1`,
      '-X',
      'PATCH',
      '-b',
      '{"Subject":"sf upsert"}',
    );
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /^HTTP\/1\.1 201/);
    assert.match(first.stdout, /"created": true/);
    const id = /"id": "(\w{18})"/.exec(first.stdout)?.[1] ?? '';
    assert.equal(held(id).record['Subject'], 'sf upsert');
    const second = await rest(
      `${V}/sobjects/Case/Sf_Ref__c/UP-1`,
      '-X',
      'PATCH',
      '-b',
      '{"Subject":"sf upsert again"}',
    );
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /^HTTP\/1\.1 200/);
    assert.match(second.stdout, /"created": false/);
    assert.equal(held(id).record['Subject'], 'sf upsert again');

    const modified = Date.parse(String(held(id).record['LastModifiedDate']).replace('+0000', 'Z'));
    const stale = new Date(modified - 60_000).toUTCString();
    const refused = await rest(
      `${V}/sobjects/Case/${id}`,
      '-X',
      'PATCH',
      '-H',
      `If-Unmodified-Since: ${stale}`,
      '-b',
      '{"Status":"Closed"}',
    );
    assert.notEqual(refused.code, 0, 'sf exits non-zero on a 4xx');
    assert.match(refused.stdout, /^HTTP\/1\.1 412/);
    assert.match(refused.stdout, /PRECONDITION_FAILED/);
    assert.notEqual(held(id).record['Status'], 'Closed');
    const fresh = new Date(modified + 1000).toUTCString();
    const closed = await rest(
      `${V}/sobjects/Case/${id}`,
      '-X',
      'PATCH',
      '-H',
      `If-Unmodified-Since: ${fresh}`,
      '-b',
      '{"Status":"Closed"}',
    );
    assert.equal(closed.code, 0, closed.stdout + closed.stderr);
    assert.match(closed.stdout, /^HTTP\/1\.1 204/);
    assert.equal(held(id).record['Status'], 'Closed');
  });

  void it('a wrong private key: sf exits non-zero, the emulator answered invalid_grant / invalid assertion', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const wrongKey = join(fx.dir, 'wrong.key');
    writeFileSync(wrongKey, privateKey, { mode: 0o600 });
    const outcome = await failedLogin(fx.em.username, wrongKey, 'wrong-key');
    assertRejected(outcome, fx.em.username, 'invalid_grant', 'invalid assertion');
  });

  void it('a user not admin approved: sf exits non-zero, the emulator answered invalid_app_access', async () => {
    const agent = fx.em.demo?.agentUsernames[0];
    assert.ok(agent, 'the demo org has agents');
    const outcome = await failedLogin(agent, fx.em.privateKeyPath, 'unapproved');
    assertRejected(outcome, agent, 'invalid_app_access', 'user is not admin approved to access this app');
  });

  void it("under self-authorize, a user who never approved the app: invalid_grant / user hasn't approved this consumer", async () => {
    const app = `/orgs/${fx.em.orgId}/connected-apps/${DEMO_APP_NAME}`;
    await control(fx.em, 'PATCH', app, { permittedUsers: 'all_users_self_authorize' });
    try {
      const agent = fx.em.demo?.agentUsernames[1];
      assert.ok(agent, 'the demo org has agents');
      const outcome = await failedLogin(agent, fx.em.privateKeyPath, 'not-approved');
      assertRejected(outcome, agent, 'invalid_grant', "user hasn't approved this consumer");
    } finally {
      await control(fx.em, 'PATCH', app, { permittedUsers: 'admin_approved' });
    }
  });

  void it('nothing but the failed logins tried to leave the machine', () => {
    const attempts = readBlocked(blockedLog);
    const hosts = new Set(attempts.map((a) => a.host));
    assert.deepEqual([...hosts].sort(), ['login.salesforce.com', 'test.salesforce.com']);
  });
});

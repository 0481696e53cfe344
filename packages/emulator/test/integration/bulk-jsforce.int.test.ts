// jsforce 3.10.16's Bulk API 2.0 client, unmodified, against the emulator: bulk2.query (paged by Sforce-Locator,
// queryAll) and bulk2.loadAndWaitForResults (insert, upsert, update, delete with failed rows), plus /limits.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsforce, { type Connection } from 'jsforce';
import {
  JWT_BEARER,
  control,
  signAssertion,
  startDemoEmulator,
  type EmulatorFixture,
} from '../helpers/emulator-fixture.js';

const VERSION = '64.0';
const PREFIX = 'jsforce bulk2';
const SEEDED = 4_500;
// jsforce polls every second by default; the emulator finishes a job within a few milliseconds of its clock.
const POLL = { pollInterval: 20, pollTimeout: 10_000 };

interface LimitsBody {
  DailyBulkV2QueryJobs: { Max: number; Remaining: number };
  DailyBulkApiBatches: { Max: number; Remaining: number };
}

void describe('jsforce bulk2 against the emulator', () => {
  let fx: EmulatorFixture;
  let conn: Connection;
  let userId = '';

  before(async () => {
    fx = await startDemoEmulator();
    assert.ok(fx.em.demo);
    userId = fx.em.demo.integrationUserId;
    for (let i = 0; i < SEEDED; i += 1) {
      fx.em.org.data.insert(
        'Case',
        { Subject: `${PREFIX} ${String(i).padStart(4, '0')}`, Status: 'New', Origin: 'Web' },
        userId,
      );
    }
    const oauth2 = new jsforce.OAuth2({ loginUrl: fx.em.loginUrl, clientId: fx.em.consumerKey });
    const token = await oauth2.requestToken({
      grant_type: JWT_BEARER,
      assertion: await signAssertion(fx.em),
    });
    conn = new jsforce.Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      version: VERSION,
    });
    conn.bulk2.pollInterval = POLL.pollInterval;
    conn.bulk2.pollTimeout = POLL.pollTimeout;
    await control(fx.em, 'PATCH', `/orgs/${fx.em.orgId}/grants/${fx.em.demo.permissionSetId}`, {
      objectPermissions: { Case: { read: true, create: true, edit: true, delete: true, viewAll: true } },
      // `/limits` needs View Setup and Configuration
      userPermissions: { apiEnabled: true, knowledgeUser: true, viewSetup: true },
    });
  });

  after(async () => {
    await fx.close();
  });

  void it("bulk2.query reads every row the org holds, with a parent's field in a dotted column", async () => {
    const records = await (
      await conn.bulk2.query(`SELECT Id, Subject, Owner.Name FROM Case WHERE Subject LIKE '${PREFIX}%'`, POLL)
    ).toArray();
    assert.equal(records.length, SEEDED);
    // one job create, status polls, and one result page (jsforce sends no maxRecords)
    const pages = fx.em.emulator.callLog.list().filter((e) => /\/jobs\/query\/\w+\/results$/.test(e.path));
    assert.equal(pages.length, 1);
    const subjects = new Set(records.map((r: Record<string, unknown>) => r['Subject']));
    assert.equal(subjects.size, SEEDED);
    const first = records[0] as Record<string, unknown>;
    assert.match(String(first['Id']), /^500[0-9A-Za-z]{15}$/);
    // the parent's field arrives as the `Owner.Name` column, which jsforce keeps as a flat key
    assert.equal(first['Owner.Name'], 'Casebridge Integration');
  });

  void it('bulk2.query with scanAll finds a deleted row that a plain query does not', async () => {
    const id = (await conn.sobject('Case').create({ Subject: `${PREFIX} deleted`, Status: 'New' })) as {
      id: string;
    };
    await conn.sobject('Case').destroy(id.id);
    const soql = `SELECT Id, IsDeleted FROM Case WHERE Subject = '${PREFIX} deleted'`;
    const live = await (await conn.bulk2.query(soql, POLL)).toArray();
    const all = await (await conn.bulk2.query(soql, { ...POLL, scanAll: true })).toArray();
    assert.equal(live.length, 0);
    assert.equal(all.length, 1);
    assert.equal((all[0] as Record<string, unknown>)['Id'], id.id);
  });

  void it('bulk2.query of a nested subquery fails with the emulator’s refusal', async () => {
    await assert.rejects(
      conn.bulk2.query('SELECT Id, (SELECT Id FROM CaseComments) FROM Case', POLL),
      /Aggregate Relationships not supported in Bulk V2 Query/,
    );
  });

  void it('bulk2.loadAndWaitForResults inserts, updates and deletes, reporting failed rows', async () => {
    const before = await conn.request<LimitsBody>(`/services/data/v${VERSION}/limits`);
    const inserted = await conn.bulk2.loadAndWaitForResults({
      object: 'Case',
      operation: 'insert',
      input: [
        { Subject: `${PREFIX} load, "one"`, Status: 'New', Origin: 'Email' },
        { Subject: 'x'.repeat(256), Status: 'New', Origin: 'Email' },
      ],
      ...POLL,
    });
    assert.equal(inserted.successfulResults.length, 1);
    assert.equal(inserted.failedResults.length, 1);
    const ok = inserted.successfulResults[0];
    assert.equal(ok?.sf__Created, 'true');
    const newId = String(ok?.sf__Id);
    assert.equal(fx.em.org.data.peek(newId)?.record['Subject'], `${PREFIX} load, "one"`);
    assert.match(String(inserted.failedResults[0]?.sf__Error), /^STRING_TOO_LONG:.*Subject --$/);

    const updated = await conn.bulk2.loadAndWaitForResults({
      object: 'Case',
      operation: 'update',
      input: [{ Id: newId, Subject: `${PREFIX} load renamed` }],
      ...POLL,
    });
    assert.equal(updated.successfulResults[0]?.sf__Created, 'false');
    assert.equal(fx.em.org.data.peek(newId)?.record['Subject'], `${PREFIX} load renamed`);

    const removed = await conn.bulk2.loadAndWaitForResults({
      object: 'Case',
      operation: 'delete',
      input: [{ Id: newId }],
      ...POLL,
    });
    assert.equal(removed.successfulResults.length, 1);
    assert.equal(fx.em.org.data.peek(newId)?.deleted, true);

    const now = await conn.request<LimitsBody>(`/services/data/v${VERSION}/limits`);
    assert.equal(now.DailyBulkApiBatches.Remaining, before.DailyBulkApiBatches.Remaining - 3);
  });
});

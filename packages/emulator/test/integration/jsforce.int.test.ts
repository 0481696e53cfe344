// jsforce 3.10.16, unmodified, against the emulator: JWT bearer login, paged queries, CRUD and collections, composite, SOSL, describe, limits, identity.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsforce, { type Connection } from 'jsforce';
import type { CallLogEntry } from '../../src/index.js';
import { DEMO_CASE_STATUSES } from '../../src/index.js';
import {
  JWT_BEARER,
  control,
  signAssertion,
  startDemoEmulator,
  type EmulatorFixture,
} from '../helpers/emulator-fixture.js';

const VERSION = '64.0';
const BULK_PREFIX = 'jsforce bulk';
const BULK_COUNT = 4_500;

interface CaseRow {
  Id: string;
  Subject?: string;
  Status?: string;
  CaseNumber?: string;
}

interface SaveResult {
  id?: string;
  success: boolean;
  errors: unknown[];
}

interface JsforceError extends Error {
  errorCode?: string;
}

void describe('jsforce against the emulator', () => {
  let fx: EmulatorFixture;
  let conn: Connection;
  let userId = '';
  // Cases this suite inserted in process, ordered by CaseNumber (the order the paged queries ask for)
  const bulkIds: string[] = [];

  const ctx = () => ({ userId, apiVersion: VERSION });
  const held = (id: string) => fx.em.org.data.peek(id);
  const lastCallSeq = (): number => fx.em.emulator.callLog.list().reduce((max, e) => Math.max(max, e.seq), 0);
  const callsAfter = (seq: number): CallLogEntry[] => fx.em.emulator.callLog.list({ afterSeq: seq });

  before(async () => {
    fx = await startDemoEmulator();
    assert.ok(fx.em.demo);
    userId = fx.em.demo.integrationUserId;
    // Seed beyond two 2,000-row pages, bypassing the API (admin insert), so paging is measured against data the
    // client did not write itself.
    const width = String(BULK_COUNT).length;
    for (let i = 0; i < BULK_COUNT; i += 1) {
      const fields = {
        Subject: `${BULK_PREFIX} ${String(i).padStart(width, '0')}`,
        Status: 'New',
        Origin: 'Web',
      };
      bulkIds.push(fx.em.org.data.insert('Case', fields, userId));
    }
    // The rest of the suite: the token and instance URL only, as a client given them would connect.
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
    // The seed grants read/create/edit/view all on Case; destroy needs delete. (The control plane replaces an
    // object's permissions as a whole, so all of them are restated.)
    await control(fx.em, 'PATCH', `/orgs/${fx.em.orgId}/grants/${fx.em.demo.permissionSetId}`, {
      objectPermissions: { Case: { read: true, create: true, edit: true, delete: true, viewAll: true } },
    });
  });

  after(async () => {
    await fx.close();
  });

  void it('logs in with the JWT bearer grant through Connection#authorize and OAuth2#requestToken', async () => {
    const oauth2 = new jsforce.OAuth2({ loginUrl: fx.em.loginUrl, clientId: fx.em.consumerKey });
    const login = new jsforce.Connection({ loginUrl: fx.em.loginUrl, version: VERSION, oauth2 });
    const userInfo = await login.authorize({ grant_type: JWT_BEARER, assertion: await signAssertion(fx.em) });
    assert.equal(userInfo.organizationId, fx.em.orgId);
    assert.equal(userInfo.id, userId);
    assert.equal(login.instanceUrl, fx.em.loginUrl);
    const token = login.accessToken ?? '';
    assert.match(token, /^00D[A-Za-z0-9]{12}![A-Za-z0-9._-]+$/, 'an opaque 00D…!… session id');
    // jsforce refuses SOAP/Metadata calls with a JWT-shaped token (lib/soap.js): three parts with a JSON header.
    const parts = token.split('.');
    const jwtShaped =
      parts.length === 3 &&
      (() => {
        try {
          return typeof JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString()) === 'object';
        } catch {
          return false;
        }
      })();
    assert.equal(jwtShaped, false, 'the token is not JWT-shaped');

    const response = await oauth2.requestToken({
      grant_type: JWT_BEARER,
      assertion: await signAssertion(fx.em),
    });
    assert.equal(response.instance_url, fx.em.loginUrl);
    assert.equal(response.id, `${fx.em.loginUrl}/id/${fx.em.orgId}/${userId}`);
    assert.notEqual(response.access_token, login.accessToken, 'each grant issues its own token');

    const who = (
      await conn.query<{ Id: string; Username: string }>(
        "SELECT Id, Username FROM User WHERE Id = '" + userId + "'",
      )
    ).records;
    assert.deepEqual(
      who.map((u) => u.Username),
      [fx.em.username],
    );
  });

  void it('query with autoFetch follows nextRecordsUrl across pages and returns every row', async () => {
    const seq = lastCallSeq();
    const soql = `SELECT Id, Subject FROM Case WHERE Subject LIKE '${BULK_PREFIX}%' ORDER BY CaseNumber`;
    const result = await conn.query<CaseRow>(soql, { autoFetch: true, maxFetch: 10_000 });
    assert.equal(result.totalSize, BULK_COUNT);
    assert.equal(result.records.length, BULK_COUNT);
    assert.deepEqual(
      result.records.map((r) => r.Id),
      bulkIds,
    );
    const pages = callsAfter(seq).filter((c) => c.path.includes('/query'));
    assert.equal(pages.length, Math.ceil(BULK_COUNT / 2000), 'one request per 2,000-row page');
    assert.ok(pages.every((c) => c.status === 200));
  });

  void it('maxFetch stops autoFetch early; the batch-size header makes smaller pages', async () => {
    const soql = `SELECT Id FROM Case WHERE Subject LIKE '${BULK_PREFIX}%' ORDER BY CaseNumber`;
    const capped = await conn.query<CaseRow>(soql, { autoFetch: true, maxFetch: 2_500 });
    assert.equal(capped.totalSize, BULK_COUNT);
    assert.deepEqual(
      capped.records.map((r) => r.Id),
      bulkIds.slice(0, 2_500),
    );
    assert.equal(capped.done, false);

    const seq = lastCallSeq();
    const small = await conn.query<CaseRow>(soql, {
      autoFetch: true,
      maxFetch: 10_000,
      headers: { 'Sforce-Query-Options': 'batchSize=500' },
    });
    assert.deepEqual(
      small.records.map((r) => r.Id),
      bulkIds,
    );
    assert.equal(
      callsAfter(seq).filter((c) => c.path.includes('/query')).length,
      Math.ceil(BULK_COUNT / 500),
    );
  });

  void it('queryMore walks the pages one by one until done', async () => {
    const soql = `SELECT Id FROM Case WHERE Subject LIKE '${BULK_PREFIX}%' ORDER BY CaseNumber`;
    let page = await conn.query<CaseRow>(soql);
    assert.equal(page.records.length, 2000);
    assert.equal(page.done, false);
    const ids = page.records.map((r) => r.Id);
    let rounds = 0;
    while (!page.done) {
      assert.ok(page.nextRecordsUrl, 'a page that is not done has nextRecordsUrl');
      // the server sends a relative URL; jsforce hands back its own absolute form of the locator
      assert.match(page.nextRecordsUrl, new RegExp(`/services/data/v${VERSION}/query/[^/]+$`));
      page = await conn.queryMore<CaseRow>(page.nextRecordsUrl);
      ids.push(...page.records.map((r) => r.Id));
      rounds += 1;
    }
    assert.equal(rounds, 2);
    assert.deepEqual(ids, bulkIds);
  });

  void it('create, retrieve, update and destroy one Case', async () => {
    const sobject = conn.sobject('Case');
    const created = (await sobject.create({
      Subject: 'jsforce single',
      Status: 'New',
      Origin: 'Phone',
    })) as SaveResult;
    assert.equal(created.success, true);
    assert.ok(created.id);
    const id = created.id;
    assert.equal(held(id)?.record['Subject'], 'jsforce single');

    const record = (await sobject.retrieve(id)) as Record<string, unknown>;
    const stored = held(id)?.record ?? {};
    for (const field of [
      'Id',
      'Subject',
      'Status',
      'Origin',
      'CaseNumber',
      'CreatedById',
      'CreatedDate',
      'IsClosed',
    ]) {
      assert.deepEqual(record[field], stored[field], field);
    }

    const updated = (await sobject.update({
      Id: id,
      Subject: 'jsforce single (updated)',
      Status: 'Closed',
    })) as SaveResult;
    assert.deepEqual([updated.id, updated.success], [id, true]);
    assert.equal(held(id)?.record['Subject'], 'jsforce single (updated)');
    assert.equal(held(id)?.record['IsClosed'], true);

    const destroyed = (await sobject.destroy(id)) as SaveResult;
    assert.deepEqual([destroyed.id, destroyed.success], [id, true]);
    assert.equal(held(id)?.deleted, true);
    await assert.rejects(sobject.retrieve(id), (err: JsforceError) => {
      assert.ok(
        ['ENTITY_IS_DELETED', 'NOT_FOUND'].includes(err.errorCode ?? err.name),
        `${err.name}: ${err.message}`,
      );
      return true;
    });
  });

  void it('arrays go through sObject collections: create, retrieve, update, destroy', async () => {
    const seq = lastCallSeq();
    const sobject = conn.sobject('Case');
    const subjects = ['collection a', 'collection b', 'collection c'];
    const created = (await sobject.create(
      subjects.map((Subject) => ({ Subject, Status: 'New' })),
    )) as SaveResult[];
    assert.deepEqual(
      created.map((r) => r.success),
      [true, true, true],
    );
    const ids = created.map((r) => r.id ?? '');
    assert.deepEqual(
      ids.map((id) => held(id)?.record['Subject']),
      subjects,
    );

    const records = (await sobject.retrieve(ids, { fields: ['Id', 'Subject'] })) as unknown as CaseRow[];
    assert.deepEqual(
      records.map((r) => [r.Id, r.Subject]),
      ids.map((id, i) => [id, subjects[i]]),
    );

    const updated = (await sobject.update(ids.map((Id) => ({ Id, Status: 'Working' })))) as SaveResult[];
    assert.deepEqual(
      updated.map((r) => [r.id, r.success]),
      ids.map((id) => [id, true]),
    );
    assert.deepEqual(
      ids.map((id) => held(id)?.record['Status']),
      ['Working', 'Working', 'Working'],
    );

    const destroyed = (await sobject.destroy(ids)) as SaveResult[];
    assert.deepEqual(
      destroyed.map((r) => [r.id, r.success]),
      ids.map((id) => [id, true]),
    );
    assert.deepEqual(
      ids.map((id) => held(id)?.deleted),
      [true, true, true],
    );

    const paths = callsAfter(seq).map((c) => `${c.method} ${c.path.replace(/\?.*$/, '')}`);
    assert.deepEqual(paths, [
      `POST /services/data/v${VERSION}/composite/sobjects`,
      `POST /services/data/v${VERSION}/composite/sobjects/Case`,
      `PATCH /services/data/v${VERSION}/composite/sobjects`,
      `DELETE /services/data/v${VERSION}/composite/sobjects`,
    ]);
  });

  void it('creates many records at once: jsforce splits 450 into 200-record collections (allowRecursive)', async () => {
    const seq = lastCallSeq();
    const records = Array.from({ length: 450 }, (_, i) => ({ Subject: `many ${i}`, Status: 'New' }));
    const results = (await conn.sobject('Case').create(records, { allowRecursive: true })) as SaveResult[];
    assert.equal(results.length, 450);
    assert.ok(results.every((r) => r.success));
    assert.deepEqual(
      results.map((r) => held(r.id ?? '')?.record['Subject']),
      records.map((r) => r.Subject),
    );
    const posts = callsAfter(seq).filter((c) => c.method === 'POST');
    assert.equal(posts.length, 3, '200 + 200 + 50');
  });

  void it('more than 200 records in one collection call is refused and nothing is stored', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ Subject: `too many ${i}`, Status: 'New' }));
    await assert.rejects(conn.sobject('Case').create(records), (err: JsforceError) => {
      assert.equal(err.errorCode ?? err.name, 'EXCEEDED_ID_LIMIT', err.message);
      return true;
    });
    const stored = fx.em.org.data.query(ctx(), "SELECT COUNT() FROM Case WHERE Subject LIKE 'too many %'");
    assert.equal(stored.totalSize, 0);
  });

  void it('sobject().find() and count() agree with the org', async () => {
    const found = await conn
      .sobject('Case')
      .find<CaseRow>({ Status: 'Escalated' }, ['Id', 'Subject', 'Status'])
      .sort('CaseNumber')
      .limit(5);
    const expected = fx.em.org.data.query(
      ctx(),
      "SELECT Id, Subject FROM Case WHERE Status = 'Escalated' ORDER BY CaseNumber LIMIT 5",
    );
    assert.ok(expected.records.length > 0, 'the demo org has escalated cases');
    assert.deepEqual(
      found.map((r) => [r.Id, r.Subject, r.Status]),
      expected.records.map((r) => [r['Id'], r['Subject'], 'Escalated']),
    );

    const count = await conn.sobject('Case').count({ Status: 'New' });
    const all = fx.em.org.data.query(ctx(), "SELECT Id FROM Case WHERE Status = 'New'", { batchSize: 2000 });
    assert.equal(count, all.totalSize);
    assert.ok(count > BULK_COUNT, 'the bulk cases are New');
  });

  void it('composite: a create and a read of it by reference in one request', async () => {
    const result = await conn.requestPost<{
      compositeResponse: { body: unknown; httpStatusCode: number; referenceId: string }[];
    }>(`/services/data/v${VERSION}/composite`, {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: `/services/data/v${VERSION}/sobjects/Case`,
          referenceId: 'newCase',
          body: { Subject: 'composite case', Status: 'New' },
        },
        {
          method: 'GET',
          url: `/services/data/v${VERSION}/sobjects/Case/@{newCase.id}?fields=Subject,Status`,
          referenceId: 'readBack',
        },
      ],
    });
    const [create, read] = result.compositeResponse;
    assert.ok(create && read);
    assert.deepEqual([create.referenceId, create.httpStatusCode], ['newCase', 201]);
    const id = (create.body as SaveResult).id ?? '';
    assert.equal(held(id)?.record['Subject'], 'composite case');
    assert.deepEqual([read.referenceId, read.httpStatusCode], ['readBack', 200]);
    // ?fields= returns the fields asked for (the documented example shows no Id unless it is requested)
    const body = read.body as CaseRow & { attributes?: { url: string } };
    assert.deepEqual([body.Subject, body.Status], ['composite case', 'New']);
    assert.ok(body.attributes?.url.endsWith(`/Case/${id}`), 'the read names the created record');
  });

  void it('search (SOSL) finds the Online Knowledge articles with the term', async () => {
    const term = 'parking';
    const result = await conn.search(
      `FIND {${term}} IN ALL FIELDS RETURNING Knowledge__kav(Id, Title, Summary WHERE PublishStatus = 'Online' AND Language = 'en_US')`,
    );
    const hits = result.searchRecords as unknown as {
      Id: string;
      Title: string;
      attributes: { type: string };
    }[];
    assert.ok(hits.length > 0, 'the demo knowledge base mentions parking');
    const online = fx.em.org.data.query(
      ctx(),
      "SELECT Id, Title FROM Knowledge__kav WHERE PublishStatus = 'Online' AND Language = 'en_US'",
      { batchSize: 2000 },
    );
    const onlineIds = new Set(online.records.map((r) => String(r['Id'])));
    for (const hit of hits) {
      assert.equal(hit.attributes.type, 'Knowledge__kav');
      assert.ok(onlineIds.has(hit.Id), `${hit.Id} is an Online article`);
      const text = JSON.stringify(held(hit.Id)?.record ?? {}).toLowerCase();
      assert.ok(text.includes(term), `${hit.Title} mentions ${term}`);
    }
    const byTitle = online.records.filter((r) => new RegExp(`\\b${term}\\b`, 'i').test(String(r['Title'])));
    assert.ok(byTitle.length > 0);
    for (const article of byTitle)
      assert.ok(
        hits.some((h) => h.Id === article['Id']),
        `${String(article['Title'])} is found`,
      );
  });

  void it('describe and describeGlobal show the org’s objects and Case statuses', async () => {
    const global = await conn.describeGlobal();
    const names = global.sobjects.map((s) => s.name);
    for (const name of ['Case', 'CaseComment', 'Contact', 'Knowledge__kav', 'User'])
      assert.ok(names.includes(name), name);

    const described = await conn.sobject('Case').describe();
    assert.equal(described.name, 'Case');
    assert.equal(described.keyPrefix, '500');
    const status = described.fields.find((f) => f.name === 'Status');
    assert.ok(status);
    assert.equal(status.type, 'picklist');
    assert.deepEqual(
      (status.picklistValues as { active: boolean; value: string }[] | undefined)
        ?.filter((v) => v.active)
        .map((v) => v.value),
      DEMO_CASE_STATUSES.map((s) => s.apiName),
    );
    for (const field of ['Subject', 'Description', 'CaseNumber', 'IsClosed', 'ContactId', 'SuppliedEmail']) {
      assert.ok(
        described.fields.some((f) => f.name === field),
        field,
      );
    }
  });

  void it('limits needs View Setup; with it, limits and Sforce-Limit-Info report the org’s API usage', async () => {
    // Salesforce answers /limits only to users with "View Setup and Configuration"; the seed does not grant it.
    await assert.rejects(conn.limits(), (err: JsforceError) => {
      assert.equal(err.errorCode ?? err.name, 'INSUFFICIENT_ACCESS', err.message);
      return true;
    });
    await control(fx.em, 'PATCH', `/orgs/${fx.em.orgId}/grants/${fx.em.demo?.permissionSetId ?? ''}`, {
      userPermissions: { viewSetup: true },
    });
    const limits = (await conn.limits()) as unknown as Record<string, { Max: number; Remaining: number }>;
    const usage = await control<{ used: number; max: number; remaining: number }>(
      fx.em,
      'GET',
      `/orgs/${fx.em.orgId}/limits`,
    );
    const daily = limits['DailyApiRequests'];
    assert.ok(daily);
    assert.equal(daily.Max, usage.max);
    // the limits call itself counted before it answered
    assert.equal(daily.Remaining, usage.remaining);
    assert.deepEqual(conn.limitInfo.apiUsage, { used: usage.used, limit: usage.max });
  });

  void it('identity() returns the integration user of the token', async () => {
    const identity = await conn.identity();
    assert.equal(identity.user_id, userId);
    assert.equal(identity.organization_id, fx.em.orgId);
    assert.equal(identity.username, fx.em.username);
    assert.equal(identity.id, `${fx.em.loginUrl}/id/${fx.em.orgId}/${userId}`);
  });
});

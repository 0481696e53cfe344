// Bulk API 2.0 over HTTP on a pinned clock: query jobs (states, CSV pages, queryAll, refused SOQL, abort, delete,
// list, version rule), ingest jobs (insert, update, upsert, delete, formats, failures), limits, sharing and faults.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdjustableClock } from '../clock.js';
import { startHarness, type Harness } from '../testing/harness.js';

let h: Harness;
let token: string;
/** the admin: may write Contacts (the integration user may only read them) */
let admin: string;
const V = '/services/data/v62.0';

before(async () => {
  const clock = new AdjustableClock();
  clock.set(new Date(Date.now() + 60_000)); // pinned: jobs move only when the test advances the clock
  h = await startHarness({ contacts: 30, cases: 8, clock });
  token = await h.login();
  admin = await h.login(h.demo.adminUsername);
  const custom = h.org.data.settings.customFields;
  h.org.data.configure({
    customFields: [
      ...custom,
      { sobject: 'Contact', name: 'Badge__c', type: 'Text', length: 20, externalId: true, label: 'Badge' },
    ],
  });
});
after(() => h.close());

type Job = Record<string, unknown> & { id: string; state: string };

async function createQuery(
  soql: string,
  extra: Record<string, unknown> = {},
  version = V,
  as = token,
): Promise<Job> {
  const res = await h.api('POST', `${version}/jobs/query`, {
    token: as,
    body: { operation: 'query', query: soql, ...extra },
  });
  assert.equal(res.status, 200, res.text);
  return res.json as Job;
}

async function state(kind: 'query' | 'ingest', id: string): Promise<Job> {
  const res = await h.api('GET', `${V}/jobs/${kind}/${id}`, { token });
  assert.equal(res.status, 200, res.text);
  return res.json as Job;
}

/** creates, uploads, closes and lets an ingest job finish; returns its final info */
async function ingest(job: Record<string, unknown>, csv: string, as = admin): Promise<Job> {
  const created = await h.api('POST', `${V}/jobs/ingest`, {
    token: as,
    body: { contentType: 'CSV', ...job },
  });
  assert.equal(created.status, 200, created.text);
  const { id } = created.json as Job;
  const put = await h.api('PUT', `${V}/jobs/ingest/${id}/batches`, {
    token: as,
    body: csv,
    headers: { 'content-type': 'text/csv' },
  });
  assert.equal(put.status, 201, put.text);
  const closed = await h.api('PATCH', `${V}/jobs/ingest/${id}`, {
    token: as,
    body: { state: 'UploadComplete' },
  });
  assert.equal((closed.json as Job).state, 'UploadComplete');
  h.clock.advance(10);
  return state('ingest', id);
}

const results = async (id: string, kind: string): Promise<string> =>
  (await h.api('GET', `${V}/jobs/ingest/${id}/${kind}`, { token: admin })).text;

describe('query jobs', () => {
  it('moves from UploadComplete through InProgress to JobComplete on the emulator clock', async () => {
    const job = await createQuery('SELECT Id FROM Contact');
    assert.equal(job.state, 'UploadComplete');
    assert.equal(job['operation'], 'query');
    assert.equal(job['object'], 'Contact');
    h.clock.advance(3);
    assert.equal((await state('query', job.id)).state, 'InProgress');
    const early = await h.api('GET', `${V}/jobs/query/${job.id}/results`, { token });
    assert.equal(early.status, 400);
    h.clock.advance(5);
    const done = await state('query', job.id);
    assert.equal(done.state, 'JobComplete');
    assert.equal(done['numberRecordsProcessed'], 30);
  });

  it('pages the CSV with maxRecords and Sforce-Locator, quoting every value and naming parent fields with dots', async () => {
    const job = await createQuery(
      'SELECT id, lastname, Account.Name, CreatedDate FROM Contact ORDER BY LastName',
      {},
      V,
      admin,
    );
    h.clock.advance(10);
    const pages: string[] = [];
    let locator = '';
    for (;;) {
      const q = locator === '' ? '?maxRecords=12' : `?maxRecords=12&locator=${locator}`;
      const res = await h.api('GET', `${V}/jobs/query/${job.id}/results${q}`, { token: admin });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
      pages.push(res.text);
      assert.equal(res.headers.get('sforce-numberofrecords'), String(pages.length < 3 ? 12 : 6));
      locator = res.headers.get('sforce-locator') ?? '';
      if (locator === 'null') break;
    }
    assert.equal(pages.length, 3);
    const lines = pages[0]?.split('\n') ?? [];
    assert.equal(lines[0], '"Id","LastName","Account.Name","CreatedDate"');
    assert.match(
      lines[1] ?? '',
      /^"003[0-9A-Za-z]{15}","[^"]+","[^"]*","\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/,
    );
    assert.equal(pages[0]?.endsWith('\n'), true);
    const again = await h.api('GET', `${V}/jobs/query/${job.id}/results?maxRecords=12&locator=MTI`, {
      token: admin,
    });
    assert.equal(again.text, pages[1], 'a locator reads the same set again');
  });

  it('writes the line ending and delimiter the job asked for, and quotes quotes', async () => {
    const id = (
      await h.api('GET', `${V}/query?q=${encodeURIComponent('SELECT Id FROM Contact LIMIT 1')}`, { token })
    ).json as { records: { Id: string }[] };
    const contactId = id.records[0]?.Id ?? '';
    await h.api('PATCH', `${V}/sobjects/Contact/${contactId}`, {
      token: admin,
      body: { Title: 'Says "hi"; waves' },
    });
    const job = await createQuery(`SELECT Id, Title, Email FROM Contact WHERE Id = '${contactId}'`, {
      lineEnding: 'CRLF',
      columnDelimiter: 'SEMICOLON',
    });
    h.clock.advance(10);
    const res = await h.api('GET', `${V}/jobs/query/${job.id}/results`, { token });
    assert.equal(
      res.text.split('\r\n')[1],
      `"${contactId}";"Says ""hi""; waves";${res.text.split('\r\n')[1]?.split(';').at(-1) ?? ''}`,
    );
    assert.equal(res.text.split('\r\n')[0], '"Id";"Title";"Email"');
    assert.equal(res.headers.get('sforce-locator'), 'null');
  });

  it('includes deleted rows only for queryAll', async () => {
    const page = (
      await h.api('GET', `${V}/query?q=${encodeURIComponent('SELECT Id FROM Contact LIMIT 1')}`, { token })
    ).json as { records: { Id: string }[] };
    const victim = page.records[0]?.Id ?? '';
    assert.equal((await h.api('DELETE', `${V}/sobjects/Contact/${victim}`, { token: admin })).status, 204);
    const soql = `SELECT Id, IsDeleted FROM Contact WHERE Id = '${victim}'`;
    const live = await createQuery(soql);
    const all = await createQuery(soql, { operation: 'queryAll' });
    h.clock.advance(10);
    const liveCsv = (await h.api('GET', `${V}/jobs/query/${live.id}/results`, { token })).text;
    const allCsv = (await h.api('GET', `${V}/jobs/query/${all.id}/results`, { token })).text;
    assert.equal(liveCsv, '"Id","IsDeleted"\n');
    assert.equal(allCsv, `"Id","IsDeleted"\n"${victim}","true"\n`);
  });

  it('refuses GROUP BY, OFFSET, TYPEOF, aggregates and nested subqueries', async () => {
    for (const soql of [
      'SELECT Status FROM Case GROUP BY Status',
      'SELECT Id FROM Case LIMIT 5 OFFSET 2',
      'SELECT COUNT() FROM Case',
      'SELECT Id, (SELECT Id FROM CaseComments) FROM Case',
      'SELECT TYPEOF Owner WHEN User THEN Name END FROM Case',
    ]) {
      const res = await h.api('POST', `${V}/jobs/query`, {
        token,
        body: { operation: 'query', query: soql },
      });
      assert.equal(res.status, 400, soql);
      assert.equal((res.json as { errorCode: string }[])[0]?.errorCode, 'API_ERROR', soql);
    }
    const generic = await h.api('POST', `${V}/jobs/query`, {
      token,
      body: { operation: 'query', query: 'SELECT Id, Title FROM KnowledgeArticleVersion' },
    });
    assert.equal(generic.status, 400);
    assert.deepEqual(generic.json, [
      {
        message: "Entity 'KnowledgeArticleVersion' is not supported by the Bulk API.",
        errorCode: 'INVALIDENTITY',
      },
    ]);
    const bad = await h.api('POST', `${V}/jobs/query`, {
      token,
      body: { operation: 'query', query: 'SELECT Nope__c FROM Case' },
    });
    assert.equal((bad.json as { errorCode: string }[])[0]?.errorCode, 'INVALID_FIELD');
  });

  it('reads Knowledge__kav with its rich-text body exactly as the REST query returns it', async () => {
    const soql =
      "SELECT Id, Title, Answer__c FROM Knowledge__kav WHERE PublishStatus = 'Online' ORDER BY Title";
    const rest = (await h.api('GET', `${V}/query?q=${encodeURIComponent(soql)}`, { token })).json as {
      records: { Id: string; Title: string; Answer__c: string | null }[];
    };
    assert.ok(rest.records.length > 0);
    const job = await createQuery(soql);
    h.clock.advance(10);
    const csv = (await h.api('GET', `${V}/jobs/query/${job.id}/results`, { token })).text;
    const q = (v: string | null): string => `"${(v ?? '').replace(/"/g, '""')}"`;
    const expected = [
      '"Id","Title","Answer__c"',
      ...rest.records.map((r) => [r.Id, r.Title, r.Answer__c].map(q).join(',')),
    ];
    assert.equal(csv, `${expected.join('\n')}\n`);
    assert.ok(
      rest.records.some((r) => (r.Answer__c ?? '').includes('<')),
      'the bodies are HTML',
    );
  });

  it('answers results only in the version the job was created in (409)', async () => {
    const job = await createQuery('SELECT Id FROM Case', {}, '/services/data/v60.0');
    h.clock.advance(10);
    assert.equal((await h.api('GET', `${V}/jobs/query/${job.id}/results`, { token })).status, 409);
    assert.equal(
      (await h.api('GET', `/services/data/v60.0/jobs/query/${job.id}/results`, { token })).status,
      200,
    );
  });

  it('has no query jobs before API version 47.0: 404 NOT_FOUND, as for any unknown resource', async () => {
    const res = await h.api('POST', '/services/data/v46.0/jobs/query', {
      token,
      body: { operation: 'query', query: 'SELECT Id FROM Case' },
    });
    assert.equal(res.status, 404, res.text);
    assert.equal((res.json as { errorCode: string }[])[0]?.errorCode, 'NOT_FOUND');
    await createQuery('SELECT Id FROM Case', {}, '/services/data/v47.0');
  });

  it('aborts a running job, deletes a finished one and lists those left', async () => {
    const running = await createQuery('SELECT Id FROM Case');
    const aborted = await h.api('PATCH', `${V}/jobs/query/${running.id}`, {
      token,
      body: { state: 'Aborted' },
    });
    assert.equal((aborted.json as Job).state, 'Aborted');
    h.clock.advance(10);
    assert.equal((await state('query', running.id)).state, 'Aborted');
    const finished = await createQuery('SELECT Id FROM Case');
    h.clock.advance(10);
    assert.equal((await h.api('DELETE', `${V}/jobs/query/${finished.id}`, { token })).status, 204);
    assert.equal((await h.api('GET', `${V}/jobs/query/${finished.id}`, { token })).status, 404);
    const list = (await h.api('GET', `${V}/jobs/query`, { token })).json as { done: boolean; records: Job[] };
    assert.equal(list.done, true);
    const ids = list.records.map((r) => r.id);
    assert.ok(ids.includes(running.id));
    assert.ok(!ids.includes(finished.id));
  });

  it('applies sharing as REST does: without View All a user gets only the cases it may see', async () => {
    const grant = h.org.data.getGrant(h.demo.permissionSetId);
    assert.ok(grant);
    const saved = grant.objectPermissions;
    h.org.data.updateGrant(grant.id, {
      objectPermissions: { ...saved, Case: { read: true, create: true, edit: true, viewAll: false } },
    });
    try {
      const own = await h.api('POST', `${V}/sobjects/Case`, { token, body: { Subject: 'Bulk sharing' } });
      assert.equal(own.status, 201, own.text);
      const job = await createQuery('SELECT Id, Subject FROM Case');
      h.clock.advance(10);
      const res = await h.api('GET', `${V}/jobs/query/${job.id}/results`, { token });
      assert.equal(res.text, `"Id","Subject"\n"${(own.json as { id: string }).id}","Bulk sharing"\n`);
      const all = (
        await h.api('GET', `${V}/query?q=${encodeURIComponent('SELECT Id FROM Case')}`, { token: admin })
      ).json as { totalSize: number };
      assert.ok(all.totalSize > 1, 'the admin sees the other cases');
    } finally {
      h.org.data.updateGrant(grant.id, { objectPermissions: saved });
    }
  });
});

describe('ingest jobs', () => {
  it('inserts rows, reporting sf__Id/sf__Created and each failed row with sf__Error', async () => {
    const done = await ingest(
      { object: 'Contact', operation: 'insert', lineEnding: 'CRLF', columnDelimiter: 'PIPE' },
      'FirstName|LastName|Title\r\nAda|Bulk One|"has | pipe"\r\nNo|""|x\r\nLin|"Bulk\r\nTwo"|\r\n',
    );
    assert.equal(done.state, 'JobComplete');
    assert.equal(done['numberRecordsProcessed'], 3);
    assert.equal(done['numberRecordsFailed'], 1);
    const ok = (await results(done.id, 'successfulResults')).split('\r\n');
    assert.equal(ok[0], '"sf__Id"|"sf__Created"|"FirstName"|"LastName"|"Title"');
    assert.match(ok[1] ?? '', /^"003[0-9A-Za-z]{15}"\|"true"\|"Ada"\|"Bulk One"\|"has \| pipe"$/);
    const failed = (await results(done.id, 'failedResults')).split('\r\n');
    assert.match(failed[1] ?? '', /^""\|"REQUIRED_FIELD_MISSING:[^"]*LastName[^"]*--"\|"No"\|""\|"x"$/);
    const newId = /^"(003\w+)"/.exec(ok[1] ?? '')?.[1] ?? '';
    assert.equal(h.org.data.peek(newId)?.record['Title'], 'has | pipe');
    assert.equal((await results(done.id, 'unprocessedrecords')).split('\r\n')[1], '');
  });

  it('updates with empty cells left alone and #N/A set to null; deletes by Id', async () => {
    const ins = await ingest(
      { object: 'Contact', operation: 'insert' },
      'LastName,Title,Department\nUpd,Keep me,Ops\n',
    );
    const id = /\n"(003\w+)"/.exec(await results(ins.id, 'successfulResults'))?.[1] ?? '';
    const upd = await ingest(
      { object: 'Contact', operation: 'update' },
      `Id,Title,Department\n${id},,#N/A\n`,
    );
    assert.equal(upd['numberRecordsFailed'], 0);
    const record = h.org.data.peek(id)?.record;
    assert.equal(record?.['Title'], 'Keep me');
    assert.equal(record?.['Department'], null);
    const del = await ingest({ object: 'Contact', operation: 'delete' }, `Id\n${id}\n`);
    assert.equal(del['numberRecordsProcessed'], 1);
    assert.equal(h.org.data.peek(id)?.deleted, true);
  });

  it('upserts on the external ID field: creates the unknown, updates the known', async () => {
    const first = await ingest(
      { object: 'Contact', operation: 'upsert', externalIdFieldName: 'badge__c' },
      'Badge__c,LastName\nB-1,Upsert One\n',
    );
    assert.match(await results(first.id, 'successfulResults'), /"true","B-1","Upsert One"\n$/);
    const second = await ingest(
      { object: 'Contact', operation: 'upsert', externalIdFieldName: 'Badge__c' },
      'Badge__c,LastName\nB-1,Upsert Renamed\nB-2,Upsert Two\n',
    );
    const lines = (await results(second.id, 'successfulResults')).trim().split('\n');
    assert.match(lines[1] ?? '', /,"false","B-1","Upsert Renamed"$/);
    assert.match(lines[2] ?? '', /,"true","B-2","Upsert Two"$/);
    const noExt = await h.api('POST', `${V}/jobs/ingest`, {
      token: admin,
      body: { object: 'Contact', operation: 'upsert', externalIdFieldName: 'LastName' },
    });
    assert.equal(noExt.status, 400);
  });

  it('applies object permissions per row: a read-only user gets every row back as failed', async () => {
    const done = await ingest({ object: 'Contact', operation: 'insert' }, 'LastName\nNot Allowed\n', token);
    assert.equal(done.state, 'JobComplete');
    assert.equal(done['numberRecordsFailed'], 1);
    const failed = (await h.api('GET', `${V}/jobs/ingest/${done.id}/failedResults`, { token })).text;
    assert.match(failed, /\n"","INSUFFICIENT_ACCESS_OR_READONLY:[^"]*--","Not Allowed"\n$/);
  });

  it('fails the whole job on an unknown column, leaving every row unprocessed', async () => {
    const done = await ingest({ object: 'Contact', operation: 'insert' }, 'LastName,Nope__c\nA,1\nB,2\n');
    assert.equal(done.state, 'Failed');
    assert.equal(done['errorMessage'], 'InvalidBatch : Field name not found : Nope__c');
    assert.equal(await results(done.id, 'unprocessedrecords'), '"LastName","Nope__c"\n"A","1"\n"B","2"\n');
  });

  it('writes whole numbers of a Number field with a decimal, as Bulk API 2.0 does', async () => {
    h.org.data.configure({
      customFields: [
        ...h.org.data.settings.customFields,
        { sobject: 'Contact', name: 'Score__c', type: 'Number', precision: 10, scale: 2, label: 'Score' },
      ],
    });
    const ins = await ingest({ object: 'Contact', operation: 'insert' }, 'LastName,Score__c\nScored,23\n');
    const id = /\n"(003\w+)"/.exec(await results(ins.id, 'successfulResults'))?.[1] ?? '';
    const job = await createQuery(`SELECT Score__c FROM Contact WHERE Id = '${id}'`, {}, V, admin);
    h.clock.advance(10);
    const csv = (await h.api('GET', `${V}/jobs/query/${job.id}/results`, { token: admin })).text;
    assert.equal(csv, '"Score__c"\n"23.0"\n');
  });

  it('aborts an open job, lists ingest jobs and deletes a finished one', async () => {
    const open = (
      await h.api('POST', `${V}/jobs/ingest`, {
        token: admin,
        body: { object: 'Contact', operation: 'insert' },
      })
    ).json as Job;
    const aborted = await h.api('PATCH', `${V}/jobs/ingest/${open.id}`, {
      token: admin,
      body: { state: 'Aborted' },
    });
    assert.equal((aborted.json as Job).state, 'Aborted');
    const finished = await ingest({ object: 'Contact', operation: 'insert' }, 'LastName\nListed\n');
    const list = (await h.api('GET', `${V}/jobs/ingest`, { token: admin })).json as { records: Job[] };
    const states = new Map(list.records.map((r) => [r.id, r.state]));
    assert.equal(states.get(open.id), 'Aborted');
    assert.equal(states.get(finished.id), 'JobComplete');
    assert.equal((await h.api('DELETE', `${V}/jobs/ingest/${finished.id}`, { token: admin })).status, 204);
    assert.equal((await h.api('GET', `${V}/jobs/ingest/${finished.id}`, { token: admin })).status, 404);
  });

  it('refuses a second upload and an upload after UploadComplete', async () => {
    const created = await h.api('POST', `${V}/jobs/ingest`, {
      token: admin,
      body: { object: 'Contact', operation: 'insert' },
    });
    const job = created.json as Job;
    assert.equal(job.state, 'Open');
    assert.equal(job['contentUrl'], `services/data/v62.0/jobs/ingest/${job.id}/batches`);
    const put = (): Promise<{ status: number }> =>
      h.api('PUT', `${V}/jobs/ingest/${job.id}/batches`, {
        token: admin,
        body: 'LastName\nX\n',
        headers: { 'content-type': 'text/csv' },
      });
    assert.equal((await put()).status, 201);
    assert.equal((await put()).status, 409);
  });
});

describe('limits and faults', () => {
  it('counts query jobs and ingest batches in /limits', async () => {
    const before = (await h.api('GET', `${V}/limits`, { token: admin })).json as Record<
      string,
      { Remaining: number; Max: number }
    >;
    await createQuery('SELECT Id FROM Case');
    await ingest({ object: 'Contact', operation: 'insert' }, 'LastName\nLimits\n');
    const now = (await h.api('GET', `${V}/limits`, { token: admin })).json as Record<
      string,
      { Remaining: number; Max: number }
    >;
    assert.equal(
      now['DailyBulkV2QueryJobs']?.Remaining,
      (before['DailyBulkV2QueryJobs']?.Remaining ?? 0) - 1,
    );
    assert.equal(now['DailyBulkApiBatches']?.Remaining, (before['DailyBulkApiBatches']?.Remaining ?? 0) - 1);
    assert.equal(now['DailyBulkV2QueryJobs']?.Max, 10000);
    h.clock.advance(25 * 3_600_000);
    // sessions expire with the day: log in again
    token = await h.login();
    admin = await h.login(h.demo.adminUsername);
    const later = (await h.api('GET', `${V}/limits`, { token: admin })).json as Record<
      string,
      { Remaining: number }
    >;
    assert.equal(later['DailyBulkV2QueryJobs']?.Remaining, 10000, 'the window rolls over after 24 hours');
  });

  it('injects faults on the jobs resources like on any other', async () => {
    const added = await h.control('POST', '/faults', {
      kind: 'server-unavailable',
      path: '*/jobs/query',
      count: 1,
    });
    assert.equal(added.status, 201, added.text);
    const res = await h.api('POST', `${V}/jobs/query`, {
      token,
      body: { operation: 'query', query: 'SELECT Id FROM Case' },
    });
    assert.equal(res.status, 503);
    assert.equal(
      (
        await h.api('POST', `${V}/jobs/query`, {
          token,
          body: { operation: 'query', query: 'SELECT Id FROM Case' },
        })
      ).status,
      200,
    );
  });
});

// The REST front door over HTTP: versions, path normalisation, sessions and user checks, Sforce-Limit-Info
// accounting and REQUEST_LIMIT_EXCEEDED, CRUD and query routing, and error shapes (never a 500 for bad input).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../testing/harness.js';

let h: Harness;
let token: string;
const V = '/services/data/v62.0';

before(async () => {
  h = await startHarness({ contacts: 30, cases: 8 });
  token = await h.login();
});
after(() => h.close());

function usage(res: { headers: Headers }): [number, number] {
  const m = /^api-usage=(\d+)\/(\d+)$/.exec(res.headers.get('sforce-limit-info') ?? '');
  assert.ok(m, 'Sforce-Limit-Info present');
  return [Number(m[1]), Number(m[2])];
}

describe('versions', () => {
  it('lists 31.0..66.0 without a session and without counting', async () => {
    const used = h.org.usage.used();
    for (const path of ['/services/data', '/services/data/', '//services/data/']) {
      const res = await h.api('GET', path);
      assert.equal(res.status, 200);
      const list = res.json as { version: string; url: string; label: string }[];
      assert.equal(list[0]?.version, '31.0');
      assert.equal(list.at(-1)?.version, '66.0');
      assert.deepEqual(
        list.find((v) => v.version === '62.0'),
        { label: "Winter '25", url: '/services/data/v62.0', version: '62.0' },
      );
    }
    assert.equal(h.org.usage.used(), used);
  });

  it('answers an unknown version with 404 NOT_FOUND', async () => {
    for (const v of ['v30.0', 'v67.0', 'vX']) {
      const res = await h.api('GET', `/services/data/${v}/sobjects`, { token });
      assert.equal(res.status, 404);
      assert.deepEqual(res.json, [
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]);
    }
  });

  it('serves the version root with the identity URL, also on the double-slash path sf uses', async () => {
    const res = await h.api('GET', '//services/data/v51.0/', { token });
    assert.equal(res.status, 200);
    const root = res.json as Record<string, string>;
    assert.equal(root['sobjects'], '/services/data/v51.0/sobjects');
    assert.equal(root['identity'], `${h.url}/id/${h.org.orgId}/${h.demo.integrationUserId}`);
  });
});

describe('limits accounting', () => {
  it('counts every call in Sforce-Limit-Info, including errors after authentication', async () => {
    const first = await h.api('GET', `${V}/sobjects`, { token });
    const [n, max] = usage(first);
    assert.equal(max, 15000);
    const second = await h.api('GET', `${V}/sobjects/Nope__c/describe`, { token });
    assert.equal(second.status, 404);
    assert.deepEqual(usage(second), [n + 1, max]);
    const calls = await h.control('GET', `/calls?counted=true&afterSeq=0&path=/sobjects`);
    assert.ok((calls.json as { count: number }).count >= 2);
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the allocation is spent, and /limits reflects usage', async () => {
    const admin = await h.login(h.demo.adminUsername);
    await h.control('POST', '/orgs/demo/limits', { used: 0, dailyApiLimit: 3 });
    try {
      const limits = await h.api('GET', `${V}/limits`, { token: admin });
      assert.equal(limits.status, 200);
      assert.deepEqual((limits.json as Record<string, unknown>)['DailyApiRequests'], {
        Max: 3,
        Remaining: 2,
      });
      assert.deepEqual(usage(limits), [1, 3]);
      await h.api('GET', `${V}/sobjects`, { token });
      await h.api('GET', `${V}/sobjects`, { token });
      const spent = await h.api('GET', `${V}/sobjects`, { token });
      assert.equal(spent.status, 403);
      assert.deepEqual(spent.json, [
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
      assert.deepEqual(usage(spent), [3, 3]);
      // Usage is a rolling 24 hours.
      h.clock.advance(25 * 3_600_000);
      const fresh = await h.login();
      assert.equal((await h.api('GET', `${V}/sobjects`, { token: fresh })).status, 200);
      token = fresh;
    } finally {
      await h.control('POST', '/orgs/demo/limits', { used: 0, dailyApiLimit: 15000 });
    }
  });

  it('refuses /limits to a user without View Setup', async () => {
    const res = await h.api('GET', `${V}/limits`, { token });
    assert.equal(res.status, 403);
  });
});

describe('user checks on every call', () => {
  it('answers 403 API_DISABLED_FOR_ORG when API Enabled is taken away, and 401 once the user is deactivated', async () => {
    const set = h.demo.permissionSetId;
    await h.control('PATCH', `/orgs/demo/grants/${set}`, { userPermissions: { apiEnabled: false } });
    const res = await h.api('GET', `${V}/sobjects`, { token });
    assert.equal(res.status, 403);
    assert.deepEqual(res.json, [
      { message: 'The REST API is not enabled for this Organization.', errorCode: 'API_DISABLED_FOR_ORG' },
    ]);
    await h.control('PATCH', `/orgs/demo/grants/${set}`, { userPermissions: { apiEnabled: true } });
    assert.equal((await h.api('GET', `${V}/sobjects`, { token })).status, 200);

    const agent = h.demo.agentUsernames[2] ?? '';
    await h.control('PATCH', `/orgs/demo/connected-apps/${h.demo.connectedAppName}`, {
      profiles: ['System Administrator', 'Support Agent'],
    });
    const agentToken = await h.login(agent);
    await h.control('PATCH', `/orgs/demo/users/${agent}`, { isActive: false });
    // userinfo ends the session too (it used to answer 200 for a deactivated user)
    assert.equal((await h.api('GET', '/services/oauth2/userinfo', { token: agentToken })).status, 401);
    const gone = await h.api('GET', `${V}/sobjects`, { token: agentToken });
    assert.equal(gone.status, 401);
    await h.control('PATCH', `/orgs/demo/users/${agent}`, { isActive: true });
    await h.control('PATCH', `/orgs/demo/connected-apps/${h.demo.connectedAppName}`, {
      profiles: ['System Administrator'],
    });
  });
});

describe('CRUD and query', () => {
  it('creates, reads, updates and deletes a Case', async () => {
    const created = await h.api('POST', `${V}/sobjects/Case`, {
      token,
      body: { Subject: 'Printer on fire', Origin: 'Web' },
    });
    assert.equal(created.status, 201);
    const { id, success, errors } = created.json as { id: string; success: boolean; errors: unknown[] };
    assert.equal(success, true);
    assert.deepEqual(errors, []);
    const read = await h.api('GET', `${V}/sobjects/Case/${id}?fields=Subject,Status`, { token });
    assert.equal(read.status, 200);
    assert.equal((read.json as Record<string, unknown>)['Subject'], 'Printer on fire');
    const patched = await h.api('PATCH', `${V}/sobjects/Case/${id}`, { token, body: { Status: 'Working' } });
    assert.equal(patched.status, 204);
    assert.equal(patched.text, '');
    const deleted = await h.api('DELETE', `${V}/sobjects/Case/${id}`, { token });
    assert.ok([204, 400, 403].includes(deleted.status), `delete answered ${deleted.status}`);
  });

  it('queries with + and %20 for spaces alike', async () => {
    const plus = await h.api('GET', `${V}/query?q=SELECT+Id+FROM+Contact`, { token });
    const pct = await h.api('GET', `${V}/query?q=SELECT%20Id%20FROM%20Contact`, { token });
    assert.equal(plus.status, 200);
    assert.deepEqual(plus.json, pct.json);
  });

  it('pages a 450-row result 200 at a time: every row once, in ORDER BY order, the last page done', async () => {
    const adminId = String(h.org.data.getUser(h.demo.adminUsername)?.['Id']);
    // Three names only, so that most of the order comes from the Id tie-break.
    for (let i = 0; i < 449; i++) h.org.data.insert('Account', { Name: `Paging ${i % 3}` }, adminId);
    const admin = await h.login(h.demo.adminUsername);
    const soql =
      "SELECT Id, Name FROM Account WHERE Name LIKE 'Paging %' OR Name = 'Demo Corp' ORDER BY Name DESC, Id";
    const all = await h.api('GET', `${V}/query?q=${encodeURIComponent(soql)}`, { token: admin });
    type Page = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: { Id: string }[] };
    const whole = all.json as Page;
    assert.equal(whole.records.length, 450, 'one 2,000-row page holds them all');
    const sizes: number[] = [];
    const ids: string[] = [];
    let page = (
      await h.api('GET', `${V}/query?q=${encodeURIComponent(soql)}`, {
        token: admin,
        headers: { 'Sforce-Query-Options': 'batchSize=200' },
      })
    ).json as Page;
    for (;;) {
      assert.equal(page.totalSize, 450);
      sizes.push(page.records.length);
      ids.push(...page.records.map((r) => r.Id));
      if (page.done) break;
      assert.match(page.nextRecordsUrl ?? '', /^\/services\/data\/v62\.0\/query\/01g[0-9A-Za-z]{15}-\d+$/);
      const next = await h.api('GET', page.nextRecordsUrl ?? '', { token: admin });
      assert.equal(next.status, 200, next.text);
      page = next.json as Page;
    }
    assert.deepEqual(sizes, [200, 200, 50]);
    assert.equal(page.nextRecordsUrl, undefined, 'the last page has no nextRecordsUrl');
    assert.equal(new Set(ids).size, 450, 'no row twice');
    assert.deepEqual(
      ids,
      whole.records.map((r) => r.Id),
      'the pages, end to end, are the one-page answer',
    );
  });

  it('answers columns=true, queryAll, search and the tooling SandboxProcess query', async () => {
    const cols = await h.api('GET', `${V}/query?q=SELECT+Id,Subject+FROM+Case&columns=true`, { token });
    assert.equal(cols.status, 200);
    assert.ok(Array.isArray((cols.json as { columnMetadata: unknown[] }).columnMetadata));
    assert.equal((await h.api('GET', `${V}/queryAll?q=SELECT+Id+FROM+Case`, { token })).status, 200);
    const search = await h.api(
      'GET',
      `${V}/search?q=${encodeURIComponent('FIND {printer} IN ALL FIELDS RETURNING Case(Id, Subject)')}`,
      { token },
    );
    assert.equal(search.status, 200);
    assert.ok(Array.isArray((search.json as { searchRecords: unknown[] }).searchRecords));
    const tooling = await h.api(
      'GET',
      `${V}/tooling/query?q=${encodeURIComponent("SELECT Id, Status FROM SandboxProcess WHERE SandboxName = 'x'")}`,
      { token },
    );
    assert.deepEqual(tooling.json, {
      size: 0,
      totalSize: 0,
      done: true,
      queryLocator: null,
      entityTypeName: 'SandboxProcess',
      records: [],
    });
    const org = await h.api(
      'GET',
      `${V}/query?q=${encodeURIComponent('SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization')}`,
      { token },
    );
    assert.equal(org.status, 200);
  });

  it('answers describe, basic info and getUpdated', async () => {
    const describe = await h.api('GET', `${V}/sobjects/Case/describe`, { token });
    assert.equal(describe.status, 200);
    const info = await h.api('GET', `${V}/sobjects/Case`, { token });
    assert.equal(info.status, 200);
    assert.equal((info.json as { objectDescribe: Record<string, unknown> }).objectDescribe['name'], 'Case');
    const now = h.clock.now();
    const start = new Date(now.getTime() - 2 * 86_400_000).toISOString();
    const updated = await h.api(
      'GET',
      `${V}/sobjects/Case/updated?start=${encodeURIComponent(start)}&end=${encodeURIComponent(now.toISOString())}`,
      { token },
    );
    assert.equal(updated.status, 200);
    const missing = await h.api('GET', `${V}/sobjects/Case/updated`, { token });
    assert.equal(missing.status, 400);
  });
});

describe('external ids', () => {
  it('reads by an id-lookup field and upserts (201 created, then 200 updated)', async () => {
    const admin = await h.login(h.demo.adminUsername);
    const q = await h.api('GET', `${V}/query?q=SELECT+CaseNumber+FROM+Case+LIMIT+1`, { token: admin });
    const caseNumber = String((q.json as { records: Record<string, unknown>[] }).records[0]?.['CaseNumber']);
    const byNumber = await h.api('GET', `${V}/sobjects/Case/CaseNumber/${caseNumber}?fields=CaseNumber`, {
      token: admin,
    });
    assert.equal(byNumber.status, 200);
    assert.equal((byNumber.json as Record<string, unknown>)['CaseNumber'], caseNumber);
    const notExternal = await h.api('GET', `${V}/sobjects/Case/Subject/x`, { token: admin });
    assert.equal(notExternal.status, 404);
    // A non-ID on the Id field matches nothing; the emulator's internal SOQL never leaks into the answer.
    for (const value of ['abc', '%F0%9F%98%80']) {
      const notAnId = await h.api('GET', `${V}/sobjects/Contact/Id/${value}`, { token: admin });
      assert.equal(notAnId.status, 404, notAnId.text);
      assert.deepEqual(notAnId.json, [
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]);
    }
    const upsertBadId = await h.api('PATCH', `${V}/sobjects/Contact/Id/abc`, {
      token: admin,
      body: { LastName: 'X' },
    });
    assert.equal(upsertBadId.status, 400);
    assert.equal((upsertBadId.json as { errorCode: string }[])[0]?.errorCode, 'MALFORMED_ID');
    const path = `${V}/sobjects/Contact/Email/${encodeURIComponent("new.o'person@demo.example.com")}`;
    const first = await h.api('PATCH', path, { token: admin, body: { LastName: 'Person' } });
    assert.equal(first.status, 201);
    assert.equal((first.json as { created: boolean }).created, true);
    const second = await h.api('PATCH', path, { token: admin, body: { LastName: 'Person' } });
    assert.equal(second.status, 200);
    assert.deepEqual(second.json, {
      id: (first.json as { id: string }).id,
      success: true,
      errors: [],
      created: false,
    });
  });
});

describe('search limits', () => {
  it('returns no rows when the SearchQuery is longer than 10,000 characters (SOSL syntax doc)', async () => {
    const admin = await h.login(h.demo.adminUsername);
    const find = (terms: string): Promise<{ status: number; json: unknown }> =>
      h.api('GET', `${V}/search?q=${encodeURIComponent(`FIND {${terms}} RETURNING Knowledge__kav(Id)`)}`, {
        token: admin,
      });
    const some = await find('password');
    assert.equal(some.status, 200);
    assert.ok((some.json as { searchRecords: unknown[] }).searchRecords.length > 0);
    const huge = await find('password '.repeat(1200));
    assert.equal(huge.status, 200);
    assert.deepEqual(huge.json, { searchRecords: [] });
  });
});

describe('errors', () => {
  it('answers bad JSON with 400 JSON_PARSER_ERROR', async () => {
    for (const body of ['{"Subject": ', '[1,2]', '', '"text"']) {
      const res = await h.api('POST', `${V}/sobjects/Case`, {
        token,
        body,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.status, 400, body);
      assert.equal((res.json as { errorCode: string }[])[0]?.errorCode, 'JSON_PARSER_ERROR');
    }
  });

  it('answers 5,000 nested arrays or objects with JSON_PARSER_ERROR on every JSON resource, never a 500', async () => {
    const deepArray = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const deepObject = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const caseId = h.demo.caseIds[0] ?? '';
    const composite = (body: string): string =>
      JSON.stringify({
        compositeRequest: [{ method: 'POST', url: `${V}/sobjects/Case`, referenceId: 'c', body: 'BODY' }],
      }).replace('"BODY"', body);
    const attempts: [string, string, string][] = [
      ['POST', `${V}/sobjects/Case`, deepObject],
      ['PATCH', `${V}/sobjects/Case/${caseId}`, deepArray],
      ['POST', `${V}/composite`, composite(deepArray)],
      ['POST', `${V}/composite`, composite(deepObject)],
      ['POST', `${V}/composite/sobjects`, `{"records":${deepArray}}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await h.api(method, path, { token, body, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 400, `${method} ${path}: ${res.text.slice(0, 200)}`);
      const [error] = res.json as { errorCode: string; message: string }[];
      assert.equal(error?.errorCode, 'JSON_PARSER_ERROR');
      assert.match(error?.message ?? '', /nesting depth \(1001\) exceeds the maximum allowed \(1000\)/);
    }
    const control = await h.control('PATCH', '/orgs/demo/settings', {});
    assert.equal(control.status, 200, 'an ordinary control-plane body still works');
    const deepControl = await fetch(`${h.url}/__emulator/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.em.controlToken}`, 'content-type': 'application/json' },
      body: `{"settings":${deepObject}}`,
    });
    assert.equal(deepControl.status, 400);
    assert.match(((await deepControl.json()) as { error: string }).error, /nesting depth/);
  });

  it('accepts a body nested exactly as deep as the limit allows', async () => {
    const fine = `{"Subject":"deep but fine","Description":"x","a":${'['.repeat(998)}${']'.repeat(998)}}`;
    const res = await h.api('POST', `${V}/sobjects/Case`, { token, body: fine });
    assert.equal(res.status, 400);
    assert.equal(
      (res.json as { errorCode: string }[])[0]?.errorCode,
      'INVALID_FIELD',
      'parsed, then refused for the field',
    );
  });

  it('answers methods it does not route (PROPFIND, MKCOL) with the Salesforce 404, not the framework one', async () => {
    for (const method of ['PROPFIND', 'MKCOL']) {
      const res = await h.api(method, `${V}/limits`, { token });
      assert.equal(res.status, 404, method);
      assert.deepEqual(res.json, [
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]);
    }
  });

  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    const unknown = await h.api('GET', `${V}/nothing/here`, { token });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.json, [
      { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
    ]);
    assert.equal((await h.api('GET', '/totally/elsewhere')).status, 404);
    const wrong = await h.api('PUT', `${V}/sobjects/Case/500000000000000`, { token, body: {} });
    assert.equal(wrong.status, 405);
    assert.deepEqual(wrong.json, [
      {
        message: "HTTP Method 'PUT' not allowed. Allowed are GET,HEAD,PATCH,DELETE",
        errorCode: 'METHOD_NOT_ALLOWED',
      },
    ]);
  });

  it('never answers 5xx to malformed input', async () => {
    const attempts: [string, string, unknown?][] = [
      ['GET', `${V}/query`],
      ['GET', `${V}/query?q=SELEKT`],
      ['GET', `${V}/query?q=SELECT+Id+FROM`],
      ['GET', `${V}/query?q=SELECT+Nope+FROM+Case`],
      ['GET', `${V}/query/not-a-locator`],
      ['GET', `${V}/search?q=FIND`],
      ['GET', `${V}/search`],
      ['GET', `${V}/sobjects/Case/%E0%A4%A`],
      ['GET', `${V}/sobjects/Case/short`],
      ['GET', `${V}/sobjects/Case/500000000000000AAA?fields=Nope`],
      ['PATCH', `${V}/sobjects/Case/500000000000000`, { Subject: 1 }],
      ['POST', `${V}/sobjects/Nope__c`, { a: 1 }],
      ['POST', `${V}/sobjects/Case`, { Status: { nested: true } }],
      ['POST', `${V}/sobjects/Case`, { Subject: 'x'.repeat(100_000) }],
      ['POST', `${V}/composite`, { compositeRequest: 'nope' }],
      ['POST', `${V}/composite`, { compositeRequest: [{ method: 'GET' }] }],
      ['POST', `${V}/composite/sobjects`, { records: [{ Subject: 'no type' }, 7] }],
      ['PATCH', `${V}/composite/sobjects`, { records: [{ attributes: { type: 'Case' } }] }],
      ['DELETE', `${V}/composite/sobjects`],
      ['POST', `${V}/composite/sobjects/Case`, { ids: 'x' }],
      ['GET', `${V}/sobjects/Case/deleted?start=yesterday&end=today`],
      ['GET', `${V}/tooling/query`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await h.api(method, path, { token, ...(body !== undefined ? { body } : {}) });
      // Collections answer per-record failures with 200; everything else here is a 4xx.
      const ok =
        (res.status >= 400 && res.status < 500) ||
        (res.status === 200 && path.includes('/composite/sobjects'));
      assert.ok(ok, `${method} ${path} answered ${res.status} ${res.text.slice(0, 200)}`);
      assert.ok(Array.isArray(res.json), `${method} ${path} answered an array`);
    }
  });
});

// Composite and sObject Collections over HTTP: references, allOrNone rollback, limits and per-record results.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../../testing/harness.js';

let h: Harness;
let token: string;
const V = '/services/data/v62.0';

before(async () => {
  h = await startHarness({ contacts: 10, cases: 4 });
  token = await h.login();
});
after(() => h.close());

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

async function composite(body: unknown): Promise<SubResponse[]> {
  const res = await h.api('POST', `${V}/composite`, { token, body });
  assert.equal(res.status, 200, res.text);
  return (res.json as { compositeResponse: SubResponse[] }).compositeResponse;
}

async function caseCount(): Promise<number> {
  const res = await h.api('GET', `${V}/query?q=SELECT+COUNT()+FROM+Case`, { token });
  return (res.json as { totalSize: number }).totalSize;
}

describe('composite', () => {
  it('runs subrequests in order with @{ref.field} references, counting one API call', async () => {
    const usedBefore = h.org.usage.used();
    const out = await composite({
      allOrNone: false,
      compositeRequest: [
        {
          method: 'POST',
          url: `${V}/sobjects/Case`,
          referenceId: 'newCase',
          body: { Subject: 'From composite', Origin: 'Web' },
        },
        {
          method: 'POST',
          url: `${V}/sobjects/CaseComment`,
          referenceId: 'cmt',
          body: { ParentId: '@{newCase.id}', CommentBody: 'first', IsPublished: false },
        },
        { method: 'GET', url: `${V}/sobjects/Case/@{newCase.id}?fields=Subject`, referenceId: 'read' },
        {
          method: 'GET',
          url: `${V}/query?q=SELECT+Id+FROM+CaseComment+WHERE+ParentId='@{newCase.id}'`,
          referenceId: 'q',
        },
      ],
    });
    assert.equal(h.org.usage.used(), usedBefore + 1);
    assert.deepEqual(
      out.map((r) => r.httpStatusCode),
      [201, 201, 200, 200],
    );
    const id = (out[0]?.body as { id: string }).id;
    assert.equal(out[0]?.httpHeaders['Location'], `${V}/sobjects/Case/${id}`);
    assert.equal((out[2]?.body as Record<string, unknown>)['Subject'], 'From composite');
    assert.equal((out[3]?.body as { totalSize: number }).totalSize, 1);
  });

  it('with allOrNone, rolls everything back and marks the others PROCESSING_HALTED', async () => {
    const before = await caseCount();
    const out = await composite({
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Case`, referenceId: 'ok1', body: { Subject: 'rolled back' } },
        { method: 'POST', url: `${V}/sobjects/Case`, referenceId: 'bad', body: { Nope__c: 'unknown field' } },
        { method: 'POST', url: `${V}/sobjects/Case`, referenceId: 'ok2', body: { Subject: 'never run' } },
      ],
    });
    assert.equal(out.length, 3);
    assert.equal(out[1]?.httpStatusCode, 400);
    for (const i of [0, 2]) {
      assert.equal(out[i]?.httpStatusCode, 400);
      assert.equal((out[i]?.body as { errorCode: string }[])[0]?.errorCode, 'PROCESSING_HALTED');
    }
    assert.equal(await caseCount(), before);
  });

  it('without allOrNone, halts only the dependents of a failure', async () => {
    const out = await composite({
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Case`, referenceId: 'bad', body: { Nope__c: 'unknown field' } },
        { method: 'GET', url: `${V}/sobjects/Case/@{bad.id}`, referenceId: 'dependent' },
        { method: 'POST', url: `${V}/sobjects/Case`, referenceId: 'independent', body: { Subject: 'kept' } },
      ],
    });
    assert.equal(out[0]?.httpStatusCode, 400);
    assert.equal((out[1]?.body as { errorCode: string }[])[0]?.errorCode, 'PROCESSING_HALTED');
    assert.equal(out[2]?.httpStatusCode, 201);
  });

  it('refuses more than 25 subrequests and more than 5 queries', async () => {
    const many = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      url: `${V}/sobjects`,
      referenceId: `r${i}`,
    }));
    const res = await h.api('POST', `${V}/composite`, { token, body: { compositeRequest: many } });
    assert.equal(res.status, 400);
    const queries = Array.from({ length: 6 }, (_, i) => ({
      method: 'GET',
      url: `${V}/query?q=SELECT+Id+FROM+Case`,
      referenceId: `q${i}`,
    }));
    assert.equal(
      (await h.api('POST', `${V}/composite`, { token, body: { compositeRequest: queries } })).status,
      400,
    );
  });
});

describe('sObject Collections', () => {
  it('creates, updates (lower-case id), retrieves and deletes, as one call each', async () => {
    const used = h.org.usage.used();
    const created = await h.api('POST', `${V}/composite/sobjects`, {
      token,
      body: {
        allOrNone: false,
        records: [
          { attributes: { type: 'Case' }, Subject: 'c1' },
          { attributes: { type: 'Case' }, Subject: 'c2' },
        ],
      },
    });
    assert.equal(created.status, 200);
    const results = created.json as { id: string; success: boolean; errors: unknown[] }[];
    assert.deepEqual(
      results.map((r) => r.success),
      [true, true],
    );
    assert.equal(h.org.usage.used(), used + 1);
    const ids = results.map((r) => r.id);

    const updated = await h.api('PATCH', `${V}/composite/sobjects`, {
      token,
      body: {
        allOrNone: false,
        records: ids.map((id) => ({ id, attributes: { type: 'Case' }, Subject: 'upd' })),
      },
    });
    assert.deepEqual(
      updated.json,
      ids.map((id) => ({ id, success: true, errors: [] })),
    );

    const retrieved = await h.api('POST', `${V}/composite/sobjects/Case`, {
      token,
      body: { ids: [...ids, '500000000000000AAA'], fields: ['Id', 'Subject'] },
    });
    assert.equal(retrieved.status, 200);
    const rows = retrieved.json as (Record<string, unknown> | null)[];
    assert.equal(rows[0]?.['Subject'], 'upd');
    assert.equal(rows[2], null);

    const deleted = await h.api('DELETE', `${V}/composite/sobjects?ids=${ids.join(',')}&allOrNone=false`, {
      token,
    });
    assert.equal(deleted.status, 200);
    assert.equal((deleted.json as unknown[]).length, 2);
  });

  it('reports per-record statusCode errors and rolls back with allOrNone', async () => {
    const records = [
      { attributes: { type: 'Case' }, Subject: 'fine' },
      { attributes: { type: 'Case' }, Nope__c: 'unknown field' },
    ];
    const partial = await h.api('POST', `${V}/composite/sobjects`, {
      token,
      body: { allOrNone: false, records },
    });
    const p = partial.json as { id: string | null; success: boolean; errors: { statusCode: string }[] }[];
    assert.equal(p[0]?.success, true);
    assert.equal(p[1]?.success, false);
    assert.ok(p[1]?.errors[0]?.statusCode);

    const before = await caseCount();
    const all = await h.api('POST', `${V}/composite/sobjects`, { token, body: { allOrNone: true, records } });
    const a = all.json as { id: string | null; success: boolean; errors: { statusCode: string }[] }[];
    assert.deepEqual(a[0], {
      id: null,
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message:
            'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    });
    assert.equal(await caseCount(), before);
  });

  it('refuses more than 200 records', async () => {
    const records = Array.from({ length: 201 }, () => ({ attributes: { type: 'Case' }, Subject: 'x' }));
    const res = await h.api('POST', `${V}/composite/sobjects`, { token, body: { records } });
    assert.equal(res.status, 400);
    assert.equal((res.json as { errorCode: string }[])[0]?.errorCode, 'EXCEEDED_ID_LIMIT');
  });
});

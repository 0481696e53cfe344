// Tests for SOQL through the engine: relationships, subqueries, filters, ordering, date literals, paging with
// locators, COUNT() and aggregates, error messages, column metadata.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sfError, testOrg, type TestOrg } from '../org/test-fixtures.js';

function seed(t: TestOrg): { contact: string; cases: string[] } {
  const account = t.org.create(t.agent, 'Contact', { LastName: 'unused' });
  void account;
  const contact = t.org.create(t.agent, 'Contact', {
    FirstName: 'Grace',
    LastName: 'Hopper',
    Email: 'grace@navy.mil',
  });
  const cases = [
    t.org.create(t.agent, 'Case', { Subject: 'banana', ContactId: contact, Priority: 'High' }),
    t.org.create(t.agent, 'Case', { Subject: 'Apple', Priority: 'Low' }),
    t.org.create(t.agent, 'Case', { Subject: null, Status: 'Closed' }),
  ];
  return { contact, cases };
}

void test('parent relationships nest with attributes; empty lookups are null; names are case-insensitive', () => {
  const t = testOrg();
  const { cases } = seed(t);
  const page = t.org.query(
    t.agent,
    'select id, contact.email, CONTACT.Name, owner.name from CASE order by createddate, id',
  );
  assert.equal(page.totalSize, 3);
  const [first, second] = page.records;
  assert.equal(first?.['Id'], cases[0]);
  assert.deepEqual(first?.['Contact'], {
    attributes: {
      type: 'Contact',
      url: `/services/data/v62.0/sobjects/Contact/${String((t.org.peek(cases[0] ?? '')?.record ?? {})['ContactId'])}`,
    },
    Email: 'grace@navy.mil',
    Name: 'Grace Hopper',
  });
  assert.equal(second?.['Contact'], null);
  assert.deepEqual(Object.keys(first ?? {}), ['attributes', 'Id', 'Contact', 'Owner']);
});

void test('child subqueries return nested pages, or null when empty', () => {
  const t = testOrg();
  const { cases } = seed(t);
  t.org.create(t.agent, 'CaseComment', { ParentId: cases[0], CommentBody: 'one' });
  t.clock.advance(1000);
  t.org.create(t.agent, 'CaseComment', { ParentId: cases[0], CommentBody: 'two' });
  const page = t.org.query(
    t.agent,
    'SELECT Id, (SELECT CommentBody FROM CaseComments ORDER BY CreatedDate DESC) FROM Case ORDER BY CreatedDate LIMIT 2',
  );
  const comments = page.records[0]?.['CaseComments'] as {
    totalSize: number;
    done: boolean;
    records: { CommentBody: string }[];
  };
  assert.equal(comments.totalSize, 2);
  assert.equal(comments.done, true);
  assert.deepEqual(
    comments.records.map((r) => r.CommentBody),
    ['two', 'one'],
  );
  assert.equal(page.records[1]?.['CaseComments'], null);
});

void test('WHERE: case-insensitive =, LIKE, IN, null, booleans, NOT and parentheses; semi-joins', () => {
  const t = testOrg();
  seed(t);
  const subjects = (soql: string): unknown[] => t.org.query(t.agent, soql).records.map((r) => r['Subject']);
  assert.deepEqual(subjects("SELECT Subject FROM Case WHERE Subject = 'APPLE'"), ['Apple']);
  assert.deepEqual(subjects("SELECT Subject FROM Case WHERE Subject LIKE '%an_na'"), ['banana']);
  assert.deepEqual(
    subjects("SELECT Subject FROM Case WHERE Subject IN ('apple', 'banana') ORDER BY Subject"),
    ['Apple', 'banana'],
  );
  assert.deepEqual(subjects('SELECT Subject FROM Case WHERE Subject = null'), [null]);
  assert.deepEqual(
    subjects("SELECT Subject FROM Case WHERE Subject != 'apple' ORDER BY Subject NULLS LAST"),
    ['banana', null],
  );
  assert.deepEqual(subjects('SELECT Subject FROM Case WHERE IsClosed = true'), [null]);
  assert.deepEqual(subjects("SELECT Subject FROM Case WHERE NOT (Subject = 'apple' OR Subject = null)"), [
    'banana',
  ]);
  assert.deepEqual(
    subjects("SELECT Subject FROM Case WHERE (Priority = 'High' OR Priority = 'Low') AND Subject LIKE 'b%'"),
    ['banana'],
  );
  assert.deepEqual(
    subjects(
      "SELECT Subject FROM Case WHERE ContactId IN (SELECT Id FROM Contact WHERE Email LIKE '%navy.mil')",
    ),
    ['banana'],
  );
  assert.deepEqual(subjects("SELECT Subject FROM Case WHERE Contact.LastName = 'hopper'"), ['banana']);
});

void test('ORDER BY: nulls first by default, case-insensitive text, DESC', () => {
  const t = testOrg();
  seed(t);
  const subjects = (soql: string): unknown[] => t.org.query(t.agent, soql).records.map((r) => r['Subject']);
  assert.deepEqual(subjects('SELECT Subject FROM Case ORDER BY Subject'), [null, 'Apple', 'banana']);
  assert.deepEqual(subjects('SELECT Subject FROM Case ORDER BY Subject DESC'), [null, 'banana', 'Apple']);
  assert.deepEqual(subjects('SELECT Subject FROM Case ORDER BY Subject DESC NULLS LAST LIMIT 2 OFFSET 1'), [
    'Apple',
    null,
  ]);
});

void test('datetime and date literals use the clock', () => {
  const t = testOrg();
  t.org.create(t.agent, 'Case', { Subject: 'today' });
  t.clock.advance(3 * 86_400_000);
  t.org.create(t.agent, 'Case', { Subject: 'later' });
  const subjects = (soql: string): unknown[] => t.org.query(t.agent, soql).records.map((r) => r['Subject']);
  assert.deepEqual(subjects('SELECT Subject FROM Case WHERE CreatedDate = TODAY'), ['later']);
  assert.deepEqual(subjects('SELECT Subject FROM Case WHERE CreatedDate = LAST_N_DAYS:3'), [
    'today',
    'later',
  ]);
  assert.deepEqual(subjects('SELECT Subject FROM Case WHERE CreatedDate < 2024-01-16T00:00:00Z'), ['today']);
  assert.deepEqual(subjects('SELECT Subject FROM Case WHERE CreatedDate > 2024-01-16T00:00:00+05:30'), [
    'later',
  ]);
  const err = sfError(() => t.org.query(t.agent, "SELECT Id FROM Case WHERE CreatedDate > '2024-01-01'"));
  assert.equal(err.errorCode, 'INVALID_FIELD');
  assert.match(err.message, /must be of type dateTime and should not be enclosed in quotes/);
});

void test('a field named twice in the select list is MALFORMED_QUERY; FIELDS() may overlap', () => {
  const t = testOrg();
  t.org.create(t.agent, 'Case', { Subject: 'one' });
  const dup = sfError(() => t.org.query(t.agent, 'SELECT Id, Subject, id FROM Case'));
  assert.equal(dup.errorCode, 'MALFORMED_QUERY');
  assert.match(dup.message, /duplicate field selected: id$/);
  assert.equal(t.org.query(t.agent, 'SELECT Id, FIELDS(STANDARD) FROM Case LIMIT 1').totalSize, 1);
});

void test('huge date-literal counts and impossible datetimes are query errors or clamped, never a crash', () => {
  const t = testOrg();
  t.org.create(t.agent, 'Case', { Subject: 'today' });
  const subjects = (soql: string): unknown[] => t.org.query(t.agent, soql).records.map((r) => r['Subject']);
  assert.deepEqual(subjects('SELECT Subject FROM Case WHERE CreatedDate = LAST_N_DAYS:99999999999'), [
    'today',
  ]);
  assert.deepEqual(subjects('SELECT Subject FROM Case WHERE CreatedDate = NEXT_N_YEARS:99999999999'), []);
  assert.deepEqual(subjects('SELECT Subject FROM Case WHERE CreatedDate = N_YEARS_AGO:99999999999'), []);
  for (const bad of ['2026-13-45T00:00:00Z', '2026-02-30T00:00:00Z', '2026-01-01T25:00:00Z']) {
    const err = sfError(() => t.org.query(t.agent, `SELECT Id FROM Case WHERE CreatedDate > ${bad}`));
    assert.equal(err.errorCode, 'MALFORMED_QUERY', bad);
  }
  const err = sfError(() => t.org.query(t.agent, 'SELECT Id FROM Contact WHERE Birthdate = 2025-02-29'));
  assert.equal(err.errorCode, 'MALFORMED_QUERY');
  assert.equal(t.org.query(t.agent, 'SELECT Id FROM Contact WHERE Birthdate = 2024-02-29').totalSize, 0);
});

void test('COUNT() and aggregates', () => {
  const t = testOrg();
  seed(t);
  assert.deepEqual(t.org.query(t.agent, 'SELECT count() FROM Case'), {
    totalSize: 3,
    done: true,
    records: [],
  });
  const agg = t.org.query(
    t.agent,
    'SELECT Status, COUNT(Id) n, MAX(CreatedDate) FROM Case GROUP BY Status ORDER BY Status',
  );
  assert.deepEqual(agg.records, [
    {
      attributes: { type: 'AggregateResult' },
      Status: 'Closed',
      n: 1,
      expr0: '2024-01-15T10:30:00.000+0000',
    },
    { attributes: { type: 'AggregateResult' }, Status: 'New', n: 2, expr0: '2024-01-15T10:30:00.000+0000' },
  ]);
});

void test('errors: parse errors, unknown fields/objects, long text filter, OFFSET, mixed AND/OR, bad ids', () => {
  const t = testOrg();
  const check = (soql: string, code: string, pattern: RegExp): void => {
    const err = sfError(() => t.org.query(t.agent, soql));
    assert.equal(err.errorCode, code, soql);
    assert.equal(err.status, 400);
    assert.match(err.message, pattern, soql);
  };
  check('SELECT Id, FROM Case', 'MALFORMED_QUERY', /unexpected token: 'FROM'/);
  check(
    'SELECT Id FROM Case WHERE Subject = null AND Status = null OR Priority = null',
    'MALFORMED_QUERY',
    /unexpected token: 'OR'/,
  );
  check(
    'SELECT Id FROM ScratchOrgInfo limit 1',
    'INVALID_TYPE',
    /\^\nERROR at Row:1:Column:16\nsObject type 'ScratchOrgInfo' is not supported/,
  );
  check(
    'SELECT Foo FROM Case',
    'INVALID_FIELD',
    /^\nSELECT Foo FROM Case\n {7}\^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Case'/,
  );
  check(
    "SELECT Id FROM Case WHERE Description = 'x'",
    'INVALID_FIELD',
    /field 'Description' can not be filtered in query call/,
  );
  check(
    'SELECT Id FROM Case OFFSET 2001',
    'NUMBER_OUTSIDE_VALID_RANGE',
    /Maximum SOQL offset allowed is 2000/,
  );
  check("SELECT Id FROM Case WHERE Id = 'nope'", 'INVALID_QUERY_FILTER_OPERATOR', /invalid ID field: nope/);
});

void test('an empty Id literal is refused like a malformed one, on Id and on lookups, also in IN', () => {
  const t = testOrg();
  seed(t);
  for (const where of ["Id = ''", "Id != ''", "ParentId = ''", "ParentId IN ('')"]) {
    const err = sfError(() => t.org.query(t.agent, `SELECT Id FROM Case WHERE ${where}`));
    assert.equal(err.errorCode, 'INVALID_QUERY_FILTER_OPERATOR', where);
    assert.match(err.message, /invalid ID field: $/, where);
  }
});

void test('paging: batches, stable snapshot, locators per user, INVALID_QUERY_LOCATOR', () => {
  const t = testOrg();
  for (let i = 0; i < 450; i++) t.org.insert('Case', { Subject: `c${i}`, OwnerId: t.ids.agent }, t.ids.agent);
  const first = t.org.query(t.agent, 'SELECT Id, Subject FROM Case ORDER BY Subject', { batchSize: 200 });
  assert.equal(first.totalSize, 450);
  assert.equal(first.done, false);
  assert.equal(first.records.length, 200);
  const url = first.nextRecordsUrl ?? '';
  assert.match(url, /^\/services\/data\/v62\.0\/query\/01g[0-9A-Za-z]{15}-200$/);
  const locator = url.split('/').pop() ?? '';
  assert.equal(sfError(() => t.org.queryMore(t.agent2, locator)).errorCode, 'INVALID_QUERY_LOCATOR');
  const second = t.org.queryMore(t.agent, locator);
  assert.equal(second.records.length, 200);
  assert.equal(second.totalSize, 450);
  const third = t.org.queryMore(t.agent, (second.nextRecordsUrl ?? '').split('/').pop() ?? '');
  assert.equal(third.records.length, 50);
  assert.equal(third.done, true);
  assert.equal(third.nextRecordsUrl, undefined);
  const invalid = sfError(() => t.org.queryMore(t.agent, '01g000000000000AAA-2000'));
  assert.equal(invalid.message, 'invalid query locator');

  const expiring = t.org.query(t.agent, 'SELECT Id FROM Case', { batchSize: 200 });
  t.clock.advance(16 * 60_000);
  assert.equal(
    sfError(() => t.org.queryMore(t.agent, (expiring.nextRecordsUrl ?? '').split('/').pop() ?? '')).errorCode,
    'INVALID_QUERY_LOCATOR',
  );

  const opened = Array.from({ length: 11 }, () =>
    t.org.query(t.agent, 'SELECT Id FROM Case', { batchSize: 200 }),
  );
  const oldest = (opened[0]?.nextRecordsUrl ?? '').split('/').pop() ?? '';
  assert.equal(sfError(() => t.org.queryMore(t.agent, oldest)).errorCode, 'INVALID_QUERY_LOCATOR');
  t.org.queryMore(t.agent, (opened[10]?.nextRecordsUrl ?? '').split('/').pop() ?? '');
});

void test('two long text fields cap the batch at 200', () => {
  const t = testOrg();
  for (let i = 0; i < 250; i++) t.org.insert('Case', { Subject: `c${i}` }, t.ids.admin);
  const page = t.org.query(t.admin, 'SELECT Id, Description, Comments FROM Case');
  assert.equal(page.records.length, 200);
});

void test('queryColumns gives the columnMetadata shape sf data query needs', () => {
  const t = testOrg();
  const cols = t.org.queryColumns(t.agent, 'SELECT Id, Subject, Contact.Email FROM Case');
  assert.equal(cols['entityName'], 'Case');
  assert.equal(cols['idSelected'], true);
  assert.equal(cols['keyPrefix'], '500');
  const meta = cols['columnMetadata'] as Record<string, unknown>[];
  assert.deepEqual(meta[0], {
    aggregate: false,
    apexType: 'Id',
    booleanType: false,
    columnName: 'Id',
    custom: false,
    displayName: 'Id',
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
  });
  assert.equal(meta[2]?.['columnName'], 'Contact');
  assert.equal((meta[2]?.['joinColumns'] as Record<string, unknown>[])[0]?.['columnName'], 'Email');
});

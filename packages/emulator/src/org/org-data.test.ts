// Tests for records through the OrgData contract: CRUD shapes, system fields, Case rules, DML errors,
// validation rules, soft delete, merge, getUpdated/getDeleted.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sfError, testOrg } from './test-fixtures.js';

void test('create returns an 18-char Case id; retrieve gives all fields with attributes, audit fields and defaults', () => {
  const t = testOrg();
  const id = t.org.create(t.agent, 'Case', { subject: 'Printer on fire' });
  assert.match(id, /^500[0-9A-Za-z]{15}$/);
  const rec = t.org.retrieve(t.agent, 'case', id.slice(0, 15));
  assert.deepEqual(rec['attributes'], { type: 'Case', url: `/services/data/v62.0/sobjects/Case/${id}` });
  assert.equal(rec['Subject'], 'Printer on fire');
  assert.equal(rec['Status'], 'New');
  assert.equal(rec['Priority'], 'Medium');
  assert.equal(rec['CaseNumber'], '00001001');
  assert.equal(rec['IsClosed'], false);
  assert.equal(rec['OwnerId'], t.ids.agent);
  assert.equal(rec['CreatedById'], t.ids.agent);
  assert.equal(rec['CreatedDate'], '2024-01-15T10:30:00.000+0000');
  assert.equal(rec['Description'], null);
});

void test('closing a Case sets IsClosed and ClosedDate; reopening clears ClosedDate; Comments spawns a CaseComment', () => {
  const t = testOrg();
  const id = t.org.create(t.agent, 'Case', { Subject: 'x', Comments: 'internal note' });
  t.clock.advance(60_000);
  t.org.update(t.agent, 'Case', id, { Status: 'Closed' });
  let rec = t.org.retrieve(t.agent, 'Case', id);
  assert.equal(rec['IsClosed'], true);
  assert.equal(rec['ClosedDate'], '2024-01-15T10:31:00.000+0000');
  assert.equal(rec['LastModifiedDate'], '2024-01-15T10:31:00.000+0000');
  t.org.update(t.agent, 'Case', id, { Status: 'Working' });
  rec = t.org.retrieve(t.agent, 'Case', id);
  assert.equal(rec['IsClosed'], false);
  assert.equal(rec['ClosedDate'], null);
  const comments = t.org.query(
    t.agent,
    `SELECT CommentBody, IsPublished FROM CaseComment WHERE ParentId = '${id}'`,
  );
  assert.equal(comments.totalSize, 1);
  assert.equal(comments.records[0]?.['CommentBody'], 'internal note');
  assert.equal(comments.records[0]?.['IsPublished'], false);
});

void test('DML errors use Salesforce codes, messages and fields', () => {
  const t = testOrg();
  const required = sfError(() => t.org.create(t.agent, 'Contact', { FirstName: 'No' }));
  assert.equal(required.errorCode, 'REQUIRED_FIELD_MISSING');
  assert.equal(required.message, 'Required fields are missing: [LastName]');
  assert.deepEqual(required.fields, ['LastName']);

  const readOnly = sfError(() => t.org.create(t.agent, 'Case', { CaseNumber: '1' }));
  assert.equal(readOnly.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
  assert.deepEqual(readOnly.fields, ['CaseNumber']);

  const unknown = sfError(() => t.org.create(t.agent, 'Case', { Foo__c: 1 }));
  assert.equal(unknown.errorCode, 'INVALID_FIELD');
  assert.equal(unknown.message, "No such column 'Foo__c' on sobject of type Case");

  const long = sfError(() => t.org.create(t.agent, 'Case', { Subject: 'x'.repeat(256) }));
  assert.equal(long.errorCode, 'STRING_TOO_LONG');
  assert.match(long.message, /^Subject: data value too large: .*\(max length=255\)$/);

  const caseId = t.org.create(t.agent, 'Case', { Subject: 'y' });
  const body = sfError(() =>
    t.org.create(t.agent, 'CaseComment', { ParentId: caseId, CommentBody: 'x'.repeat(4001) }),
  );
  assert.equal(body.errorCode, 'STRING_TOO_LONG');
  const noParent = sfError(() => t.org.create(t.agent, 'CaseComment', { CommentBody: 'hi' }));
  assert.equal(noParent.errorCode, 'REQUIRED_FIELD_MISSING');
  assert.deepEqual(noParent.fields, ['ParentId']);

  const picklist = sfError(() =>
    t.org.create(t.admin, 'Knowledge__kav', { Title: 't', UrlName: 'u', Language: 'xx' }),
  );
  assert.equal(picklist.errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');

  const badRef = sfError(() => t.org.create(t.agent, 'Case', { ContactId: 'garbage' }));
  assert.equal(badRef.errorCode, 'MALFORMED_ID');
  const missingRef = sfError(() => t.org.create(t.agent, 'Case', { ContactId: '003000000000001' }));
  assert.equal(missingRef.errorCode, 'INVALID_CROSS_REFERENCE_KEY');
});

void test('validation rules evaluate their SOQL condition on the would-be record', () => {
  const t = testOrg({
    validationRules: [
      {
        sobject: 'Case',
        name: 'NeedSubjectWhenClosed',
        active: true,
        errorCondition: "Status = 'Closed' AND Subject = null",
        errorMessage: 'A closed case needs a subject',
        errorField: 'subject',
      },
    ],
  });
  const id = t.org.create(t.agent, 'Case', {});
  const err = sfError(() => t.org.update(t.agent, 'Case', id, { Status: 'Closed' }));
  assert.equal(err.errorCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
  assert.equal(err.message, 'A closed case needs a subject');
  assert.deepEqual(err.fields, ['Subject']);
  t.org.update(t.agent, 'Case', id, { Status: 'Closed', Subject: 'ok' });
});

void test('soft delete: retrieve → NOT_FOUND, delete again → ENTITY_IS_DELETED, comments cascade, queryAll sees them', () => {
  const t = testOrg();
  const id = t.org.create(t.agent, 'Case', { Subject: 'bye' });
  const comment = t.org.create(t.agent, 'CaseComment', { ParentId: id, CommentBody: 'c' });
  t.org.delete(t.agent, 'Case', id);
  assert.equal(sfError(() => t.org.retrieve(t.agent, 'Case', id)).errorCode, 'NOT_FOUND');
  const again = sfError(() => t.org.delete(t.agent, 'Case', id));
  assert.equal(again.errorCode, 'ENTITY_IS_DELETED');
  assert.equal(again.status, 404);
  assert.equal(t.org.peek(comment)?.deleted, true);
  assert.equal(t.org.query(t.agent, 'SELECT Id FROM Case').totalSize, 0);
  const all = t.org.query(t.agent, 'SELECT Id, IsDeleted FROM Case', { includeDeleted: true });
  assert.equal(all.records[0]?.['IsDeleted'], true);
});

void test('mergeCases deletes losers with MasterRecordId and moves their comments', () => {
  const t = testOrg();
  const master = t.org.create(t.agent, 'Case', { Subject: 'm' });
  const loser = t.org.create(t.agent, 'Case', { Subject: 'l' });
  const comment = t.org.create(t.agent, 'CaseComment', { ParentId: loser, CommentBody: 'moved' });
  t.org.mergeCases(master, [loser], t.ids.admin);
  const peeked = t.org.peek(loser);
  assert.equal(peeked?.deleted, true);
  assert.equal(peeked?.record['MasterRecordId'], master);
  assert.equal(t.org.peek(comment)?.record['ParentId'], master);
});

void test('getUpdated and getDeleted work at minute granularity and report latestDateCovered', () => {
  const t = testOrg();
  const start = new Date('2024-01-15T10:00:00Z');
  const id = t.org.create(t.agent, 'Case', { Subject: 'u' });
  t.clock.advance(5 * 60_000);
  const upd = t.org.getUpdated(t.agent, 'Case', start, new Date('2024-01-15T10:35:30Z'));
  assert.deepEqual(upd, { ids: [id], latestDateCovered: '2024-01-15T10:35:00.000+0000' });
  t.org.delete(t.agent, 'Case', id);
  t.clock.advance(60_000);
  const del = t.org.getDeleted(t.agent, 'Case', start, t.clock.now());
  assert.deepEqual(del.deletedRecords, [{ id, deletedDate: '2024-01-15T10:35:00.000+0000' }]);
  assert.equal(
    sfError(() => t.org.getUpdated(t.agent, 'Case', new Date('2023-01-01T00:00:00Z'), start)).errorCode,
    'INVALID_REPLICATION_DATE',
  );
});

void test('snapshot and restore bring back records and counters', () => {
  const t = testOrg();
  const snap = t.org.snapshot();
  t.org.create(t.agent, 'Case', { Subject: 'temp' });
  t.org.restore(snap);
  assert.equal(t.org.query(t.agent, 'SELECT count() FROM Case').totalSize, 0);
  const id = t.org.create(t.agent, 'Case', {});
  assert.equal(t.org.retrieve(t.agent, 'Case', id)['CaseNumber'], '00001001');
});

void test('a record under an approval lock refuses updates and deletes with ENTITY_IS_LOCKED, except to an admin (Modify All)', () => {
  const t = testOrg();
  const id = t.org.create(t.agent, 'Case', { Subject: 'Awaiting approval' });
  t.org.setLocked(id, true);
  const refused = sfError(() => t.org.update(t.agent, 'Case', id, { Status: 'Closed' }));
  assert.equal(refused.errorCode, 'ENTITY_IS_LOCKED');
  assert.equal(sfError(() => t.org.delete(t.agent, 'Case', id)).errorCode, 'ENTITY_IS_LOCKED');
  assert.equal(t.org.retrieve(t.agent, 'Case', id)['Status'], 'New');
  t.org.update(t.admin, 'Case', id, { Priority: 'High' });
  t.org.setLocked(id, false);
  t.org.update(t.agent, 'Case', id, { Status: 'Closed' });
  assert.equal(t.org.retrieve(t.agent, 'Case', id)['Status'], 'Closed');
});

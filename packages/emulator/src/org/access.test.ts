// Tests for permissions and visibility: object access, field-level security, Case sharing by owner,
// CaseComment following its Case, API access refusals, and describe reflecting the caller.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sfError, testOrg } from './test-fixtures.js';

void test('an object the user cannot read is INVALID_TYPE in SOQL and /sobjects', () => {
  const t = testOrg();
  const q = sfError(() => t.org.query(t.reader, 'SELECT Id FROM Contact'));
  assert.equal(q.errorCode, 'INVALID_TYPE');
  assert.match(q.message, /sObject type 'Contact' is not supported/);
  assert.equal(sfError(() => t.org.describe(t.reader, 'Contact')).errorCode, 'INVALID_TYPE');
  assert.equal(sfError(() => t.org.create(t.reader, 'Contact', { LastName: 'x' })).errorCode, 'INVALID_TYPE');
});

void test('missing create/edit/delete permission → INSUFFICIENT_ACCESS_OR_READONLY', () => {
  const t = testOrg({ caseSharingDefault: 'Read' });
  const err = sfError(() => t.org.create(t.reader, 'Case', { Subject: 'x' }));
  assert.equal(err.errorCode, 'INSUFFICIENT_ACCESS_OR_READONLY');
  const id = t.org.create(t.agent, 'Case', { Subject: 'x' });
  assert.equal(
    sfError(() => t.org.update(t.reader, 'Case', id, { Subject: 'y' })).errorCode,
    'INSUFFICIENT_ACCESS_OR_READONLY',
  );
  assert.equal(
    sfError(() => t.org.delete(t.reader, 'Case', id)).errorCode,
    'INSUFFICIENT_ACCESS_OR_READONLY',
  );
});

void test('field-level security hides fields from SOQL, retrieve and describe', () => {
  const t = testOrg({ caseSharingDefault: 'Read' });
  const id = t.org.create(t.agent, 'Case', { Subject: 's', Description: 'secret' });
  const err = sfError(() => t.org.query(t.reader, 'SELECT Id, Description FROM Case'));
  assert.equal(err.errorCode, 'INVALID_FIELD');
  assert.match(err.message, /No such column 'Description' on entity 'Case'/);
  const rec = t.org.retrieve(t.reader, 'Case', id);
  assert.equal('Description' in rec, false);
  assert.equal(rec['Subject'], 's');
  const fields = t.org.describe(t.reader, 'Case')['fields'] as { name: string; updateable: boolean }[];
  assert.equal(
    fields.some((f) => f.name === 'Description'),
    false,
  );
});

void test('Case sharing Private: users see only their own Cases unless View All; comments follow the Case', () => {
  const t = testOrg();
  const mine = t.org.create(t.agent, 'Case', { Subject: 'mine' });
  const theirs = t.org.create(t.agent2, 'Case', { Subject: 'theirs' });
  const comment = t.org.create(t.agent2, 'CaseComment', { ParentId: theirs, CommentBody: 'hidden' });
  const seen = t.org.query(t.agent, 'SELECT Id FROM Case').records.map((r) => r['Id']);
  assert.deepEqual(seen, [mine]);
  assert.equal(sfError(() => t.org.retrieve(t.agent, 'Case', theirs)).errorCode, 'NOT_FOUND');
  assert.equal(sfError(() => t.org.retrieve(t.agent, 'CaseComment', comment)).errorCode, 'NOT_FOUND');
  assert.equal(t.org.query(t.agent, 'SELECT Id FROM CaseComment').totalSize, 0);
  assert.equal(t.org.query(t.admin, 'SELECT Id FROM Case').totalSize, 2);
});

void test('assertApiAccess refuses users without API Enabled and inactive users', () => {
  const t = testOrg();
  t.org.assertApiAccess(t.ids.agent);
  const noApi = sfError(() => t.org.assertApiAccess(t.ids.noApi));
  assert.equal(noApi.errorCode, 'API_DISABLED_FOR_ORG');
  assert.equal(noApi.status, 403);
  t.org.updateUser(t.ids.agent, { isActive: false });
  assert.equal(sfError(() => t.org.assertApiAccess(t.ids.agent)).status, 401);
});

void test('permission sets add to the profile; describe flags reflect the caller', () => {
  const t = testOrg();
  const before = t.org.describeGlobal(t.reader)['sobjects'] as { name: string; createable: boolean }[];
  assert.equal(before.find((o) => o.name === 'Case')?.createable, false);
  assert.equal(
    before.some((o) => o.name === 'Contact'),
    false,
  );
  const ps = t.org.addPermissionSet({
    name: 'ContactEditor',
    label: 'Contact Editor',
    objectPermissions: { Contact: { read: true, create: true }, Case: { create: true } },
    fieldPermissions: {},
    userPermissions: {},
  });
  t.org.assignPermissionSet(t.ids.reader, ps.id);
  const after = t.org.describeGlobal(t.reader)['sobjects'] as { name: string; createable: boolean }[];
  assert.equal(after.find((o) => o.name === 'Case')?.createable, true);
  assert.equal(after.find((o) => o.name === 'Contact')?.createable, true);
  t.org.create(t.reader, 'Contact', { LastName: 'Now allowed' });
});

test('object permissions carry their dependencies, as Salesforce keeps them: Delete brings Read and Edit', () => {
  const { org } = testOrg();
  const grant = org.addPermissionSet({
    name: 'deleter',
    label: 'deleter',
    objectPermissions: { Case: { delete: true }, Contact: { modifyAll: true } },
    fieldPermissions: {},
    userPermissions: {},
  });
  assert.deepEqual(grant.objectPermissions['Case'], { delete: true, read: true, edit: true });
  assert.equal(grant.objectPermissions['Contact']?.viewAll, true);
  const changed = org.updateGrant(grant.id, { objectPermissions: { Account: { edit: true } } });
  assert.deepEqual(changed.objectPermissions['Account'], { edit: true, read: true });
});

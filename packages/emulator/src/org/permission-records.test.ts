// Tests for the setup rows that mirror access: Organization sharing defaults, PermissionSetAssignment (with the
// profile's own permission set), ObjectPermissions kept in step with grant changes, and View Setup refusals.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SObjectRecord } from './contract.js';
import { sfError, testOrg, type TestOrg } from './test-fixtures.js';

const rows = (t: TestOrg, soql: string): SObjectRecord[] => t.org.query(t.admin, soql).records;

/** the effective Case permissions of a user, read the way a client proves them */
const casePermissions = (t: TestOrg, userId: string): SObjectRecord[] =>
  rows(
    t,
    `SELECT PermissionsRead, PermissionsEdit, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions WHERE SobjectType = 'Case' AND ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${userId}')`,
  );

/** a permission set with View All on Case, assigned to `userId` */
function grantCaseViewAll(t: TestOrg, userId: string): { id: string } {
  const ps = t.org.addPermissionSet({
    name: 'case_view_all',
    label: 'Case View All',
    objectPermissions: { Case: { viewAll: true } },
    fieldPermissions: {},
    userPermissions: {},
  });
  t.org.assignPermissionSet(userId, ps.id);
  return ps;
}

void test('Organization.DefaultCaseAccess follows the Case sharing setting; any API user reads it', () => {
  const t = testOrg({ caseSharingDefault: 'Private' });
  const read = (): SObjectRecord | undefined =>
    t.org.query(
      t.reader,
      'SELECT DefaultCaseAccess, DefaultContactAccess, DefaultAccountAccess FROM Organization',
    ).records[0];
  assert.equal(read()?.['DefaultCaseAccess'], 'None');
  assert.equal(read()?.['DefaultContactAccess'], 'Edit');
  assert.equal(read()?.['DefaultAccountAccess'], 'Edit');
  for (const [setting, value] of [
    ['Read', 'Read'],
    ['ReadWrite', 'Edit'],
    ['ReadWriteTransfer', 'ReadEditTransfer'],
    ['Private', 'None'],
  ] as const) {
    t.org.configure({ caseSharingDefault: setting });
    assert.equal(read()?.['DefaultCaseAccess'], value, setting);
  }
  const described = t.org.describe(t.reader, 'Organization') as {
    fields: { name: string; picklistValues: { value: string }[] }[];
  };
  const field = described.fields.find((f) => f.name === 'DefaultCaseAccess');
  assert.deepEqual(
    field?.picklistValues.map((v) => v.value),
    ['None', 'Read', 'Edit', 'ReadEditTransfer'],
  );
});

void test('Public Read/Write/Transfer lets every user edit cases it does not own', () => {
  const t = testOrg({ caseSharingDefault: 'ReadWriteTransfer' });
  const id = t.org.create(t.agent, 'Case', { Subject: 'x' });
  t.org.update(t.agent2, 'Case', id, { Subject: 'y' });
  assert.equal(t.org.retrieve(t.agent2, 'Case', id)['Subject'], 'y');
});

void test("every user is assigned its profile's own permission set, plus its permission sets", () => {
  const t = testOrg();
  const ps = grantCaseViewAll(t, t.ids.reader);
  const assigned = rows(
    t,
    `SELECT PermissionSetId, PermissionSet.IsOwnedByProfile, PermissionSet.ProfileId, PermissionSet.Name, IsActive FROM PermissionSetAssignment WHERE AssigneeId = '${t.ids.reader}'`,
  );
  assert.equal(assigned.length, 2);
  const owned = assigned.find((r) => (r['PermissionSet'] as SObjectRecord)['IsOwnedByProfile'] === true);
  const profileId = t.org.getUser(t.ids.reader)?.['ProfileId'];
  assert.equal((owned?.['PermissionSet'] as SObjectRecord)['ProfileId'], profileId);
  assert.equal((owned?.['PermissionSet'] as SObjectRecord)['Name'], `X${String(profileId)}`);
  assert.ok(assigned.some((r) => r['PermissionSetId'] === ps.id));
  assert.ok(assigned.every((r) => r['IsActive'] === true));
  // The profile-owned set is not a permission set one can assign.
  assert.equal(
    sfError(() => t.org.assignPermissionSet(t.ids.agent, String(owned?.['PermissionSetId']))).errorCode,
    'INVALID_CROSS_REFERENCE_KEY',
  );
});

void test('ObjectPermissions mirror the grants through the semi-join, and follow grant changes', () => {
  const t = testOrg();
  // The reader's profile grants read on Case only.
  assert.deepEqual(
    casePermissions(t, t.ids.reader).map(({ attributes: _attributes, ...r }) => r),
    [
      {
        PermissionsRead: true,
        PermissionsEdit: false,
        PermissionsViewAllRecords: false,
        PermissionsModifyAllRecords: false,
      },
    ],
  );
  const ps = grantCaseViewAll(t, t.ids.reader);
  assert.ok(casePermissions(t, t.ids.reader).some((r) => r['PermissionsViewAllRecords'] === true));
  // Revoking View All through the grant updates the row; clearing every permission removes it.
  t.org.updateGrant(ps.id, { objectPermissions: { Case: { read: true, viewAll: false } } });
  assert.ok(casePermissions(t, t.ids.reader).every((r) => r['PermissionsViewAllRecords'] === false));
  t.org.updateGrant(ps.id, { objectPermissions: {} });
  assert.equal(casePermissions(t, t.ids.reader).length, 1);
  // Removing the assignment removes the user's row for it.
  t.org.updateUser(t.ids.reader, { permissionSetIds: [] });
  assert.equal(
    rows(t, `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${t.ids.reader}'`).length,
    1,
  );
});

void test('View All Data and Modify All Data show as the object permission rows they require', () => {
  const t = testOrg();
  const admin = casePermissions(t, t.ids.admin);
  assert.equal(admin.length, 1);
  assert.equal(admin[0]?.['PermissionsViewAllRecords'], true);
  assert.equal(admin[0]?.['PermissionsModifyAllRecords'], true);
  const objects = rows(
    t,
    `SELECT SobjectType FROM ObjectPermissions WHERE ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${t.ids.admin}')`,
  ).map((r) => r['SobjectType']);
  assert.deepEqual([...objects].sort(), ['Account', 'Case', 'Contact', 'Knowledge__kav']);
  t.org.configure({ knowledgeEnabled: false });
  const without = rows(
    t,
    `SELECT SobjectType FROM ObjectPermissions WHERE ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${t.ids.admin}')`,
  ).map((r) => r['SobjectType']);
  assert.deepEqual([...without].sort(), ['Account', 'Case', 'Contact']);
});

void test('without View Setup and Configuration the setup objects do not exist for the user', () => {
  const t = testOrg();
  for (const sobject of ['ObjectPermissions', 'PermissionSetAssignment', 'PermissionSet']) {
    const err = sfError(() => t.org.query(t.agent, `SELECT Id FROM ${sobject}`));
    assert.equal(err.errorCode, 'INVALID_TYPE', sobject);
    assert.equal(sfError(() => t.org.describe(t.agent, sobject)).errorCode, 'INVALID_TYPE');
  }
  // The semi-join's inner object is refused the same way.
  const err = sfError(() => casePermissionsAs(t));
  assert.equal(err.errorCode, 'INVALID_TYPE');
  const global = t.org.describeGlobal(t.agent) as { sobjects: { name: string }[] };
  assert.equal(
    global.sobjects.some((o) => o.name === 'ObjectPermissions'),
    false,
  );
  // Organization stays readable.
  assert.equal(t.org.query(t.agent, 'SELECT DefaultCaseAccess FROM Organization').totalSize, 1);
});

function casePermissionsAs(t: TestOrg): unknown {
  return t.org.query(
    t.agent,
    `SELECT Id FROM Case WHERE OwnerId IN (SELECT AssigneeId FROM PermissionSetAssignment)`,
  );
}

void test('reset (restore) brings the permission rows back with the grants', () => {
  const t = testOrg();
  const snap = t.org.snapshot();
  const ps = t.org.addPermissionSet({
    name: 'extra',
    label: 'Extra',
    objectPermissions: { Contact: { read: true } },
    fieldPermissions: {},
    userPermissions: {},
  });
  t.org.assignPermissionSet(t.ids.reader, ps.id);
  const before = rows(t, 'SELECT Id FROM ObjectPermissions').length;
  t.org.restore(snap);
  assert.equal(rows(t, 'SELECT Id FROM ObjectPermissions').length, before - 1);
  assert.equal(
    rows(t, `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${t.ids.reader}'`).length,
    1,
  );
});

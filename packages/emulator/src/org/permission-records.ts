// Mirrors the grants the access checks read into the rows SOQL reads: the permission set each profile owns,
// PermissionSetAssignment (users → permission sets, the profile's own included) and ObjectPermissions.

import { formatDatetime } from '../format.js';
import { KEY_PREFIXES, keyPrefixOf } from '../ids.js';
import { createdStamp } from './audit-stamp.js';
import type { ObjectPermissions, PermissionGrant, SObjectRecord } from './contract.js';
import type { OrgState } from './state.js';
import type { StoredRecord } from './store.js';

type Table = 'PermissionSet' | 'PermissionSetAssignment' | 'ObjectPermissions';

interface Row {
  key: string;
  fields: SObjectRecord;
}

const PERMISSION_FIELDS: [keyof ObjectPermissions, string][] = [
  ['read', 'PermissionsRead'],
  ['create', 'PermissionsCreate'],
  ['edit', 'PermissionsEdit'],
  ['delete', 'PermissionsDelete'],
  ['viewAll', 'PermissionsViewAllRecords'],
  ['modifyAll', 'PermissionsModifyAllRecords'],
];

const isProfile = (grantId: string): boolean => keyPrefixOf(grantId) === KEY_PREFIXES.Profile;

/**
 * The objects that carry object permissions of their own (CaseComment follows Case, setup objects have none):
 * "View All Data" and "Modify All Data" show on each of them as rows the user permission requires.
 */
function permissionObjects(state: OrgState): string[] {
  return state.schema.objects
    .filter((o) => !o.hidden && o.table === o.name)
    .filter((o) => o.access === 'crud' || o.access === 'case' || o.access === 'knowledge')
    .map((o) => o.name);
}

/** What one grant allows on each object, with what its user permissions imply. */
function effectivePermissions(
  grant: PermissionGrant,
  objects: string[],
): Map<string, Partial<ObjectPermissions>> {
  // Only objects with permissions of their own get rows: a grant's CaseComment or User entry has none to show.
  const out = new Map<string, Partial<ObjectPermissions>>(
    Object.entries(grant.objectPermissions).filter(([sobject]) => objects.includes(sobject)),
  );
  const u = grant.userPermissions;
  if (u.viewAllData || u.modifyAllData) {
    for (const sobject of objects) {
      const implied: Partial<ObjectPermissions> = u.modifyAllData
        ? { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true }
        : { read: true, viewAll: true };
      out.set(sobject, { ...out.get(sobject), ...implied });
    }
  }
  return out;
}

function permissionSetRowFor(grant: PermissionGrant): SObjectRecord {
  const u = grant.userPermissions;
  return {
    Name: `X${grant.id}`,
    Label: grant.id,
    Description: null,
    IsOwnedByProfile: true,
    ProfileId: grant.id,
    PermissionsApiEnabled: Boolean(u.apiEnabled),
    PermissionsViewSetup: Boolean(u.viewSetup),
    PermissionsViewAllData: Boolean(u.viewAllData),
    PermissionsModifyAllData: Boolean(u.modifyAllData),
    PermissionsViewDraftArticles: Boolean(u.viewDraftArticles),
    PermissionsViewArchivedArticles: Boolean(u.viewArchivedArticles),
  };
}

/** Upserts `rows` into `table` by key (keeping ids and created stamps), removes rows no longer wanted. */
function reconcile(
  state: OrgState,
  table: Table,
  existing: Map<string, StoredRecord>,
  rows: Row[],
  prefix: string,
): void {
  const now = formatDatetime(state.clock.now());
  const wanted = new Set<string>();
  for (const row of rows) {
    wanted.add(row.key);
    const current = existing.get(row.key);
    if (current === undefined) {
      const id = state.ids.next(prefix);
      const stamp = table === 'PermissionSetAssignment' ? { SystemModstamp: now } : createdStamp(state, null);
      const record: StoredRecord = {
        sobject: table,
        fields: { Id: id, ...row.fields, ...stamp },
        deleted: false,
        deletedAt: null,
      };
      state.store.add(record);
      existing.set(row.key, record);
      continue;
    }
    const changed = Object.entries(row.fields).some(([k, v]) => current.fields[k] !== v);
    if (changed) {
      const touched: SObjectRecord =
        table === 'PermissionSetAssignment'
          ? { SystemModstamp: now }
          : { LastModifiedDate: now, SystemModstamp: now };
      current.fields = { ...current.fields, ...row.fields, ...touched };
    }
  }
  for (const [key, record] of existing) {
    if (!wanted.has(key)) state.store.purge(String(record.fields['Id']));
  }
}

/** The profile-owned permission set ids by profile id (creating or refreshing their rows). */
function syncProfileOwnedSets(state: OrgState): Map<string, string> {
  const existing = new Map<string, StoredRecord>();
  for (const r of state.store.table('PermissionSet')) {
    if (r.fields['IsOwnedByProfile'] === true) existing.set(String(r.fields['ProfileId']), r);
  }
  const profiles = [...state.grants.values()].filter((g) => isProfile(g.id));
  reconcile(
    state,
    'PermissionSet',
    existing,
    profiles.map((g) => ({ key: g.id, fields: permissionSetRowFor(g) })),
    KEY_PREFIXES.PermissionSet,
  );
  const out = new Map<string, string>();
  for (const [profileId, r] of existing) {
    if (state.store.get(String(r.fields['Id'])) !== undefined) out.set(profileId, String(r.fields['Id']));
  }
  return out;
}

function byKey(state: OrgState, table: Table, key: (f: SObjectRecord) => string): Map<string, StoredRecord> {
  const out = new Map<string, StoredRecord>();
  for (const r of state.store.table(table)) out.set(key(r.fields), r);
  return out;
}

/**
 * Brings the permission rows in line with the grants and assignments. Called after every change to them and to
 * the schema (which objects exist decides where View All Data shows); ids of rows that stay are kept.
 */
export function syncPermissionRecords(state: OrgState): void {
  const ownedSet = syncProfileOwnedSets(state);
  // A profile's permissions live on its own permission set; a permission set's on itself.
  const parentOf = (grantId: string): string | undefined =>
    isProfile(grantId) ? ownedSet.get(grantId) : grantId;

  const objects = permissionObjects(state);
  const permissionRows: Row[] = [];
  for (const grant of state.grants.values()) {
    const parentId = parentOf(grant.id);
    if (parentId === undefined) continue;
    for (const [sobject, p] of effectivePermissions(grant, objects)) {
      const fields: SObjectRecord = { ParentId: parentId, SobjectType: sobject };
      for (const [perm, name] of PERMISSION_FIELDS) fields[name] = Boolean(p[perm]);
      // Clearing every permission deletes the row: a row exists only while something is granted.
      if (PERMISSION_FIELDS.some(([, name]) => fields[name] === true))
        permissionRows.push({ key: `${parentId}.${sobject}`, fields });
    }
  }
  reconcile(
    state,
    'ObjectPermissions',
    byKey(state, 'ObjectPermissions', (f) => `${String(f['ParentId'])}.${String(f['SobjectType'])}`),
    permissionRows,
    KEY_PREFIXES.ObjectPermissions,
  );

  const assignmentRows: Row[] = [];
  for (const [userId, a] of state.assignments) {
    for (const grantId of [a.profileId, ...a.permissionSetIds]) {
      const permissionSetId = parentOf(grantId);
      if (permissionSetId === undefined) continue;
      assignmentRows.push({
        key: `${userId}.${permissionSetId}`,
        fields: {
          AssigneeId: userId,
          PermissionSetId: permissionSetId,
          PermissionSetGroupId: null,
          IsActive: true,
          ExpirationDate: null,
        },
      });
    }
  }
  reconcile(
    state,
    'PermissionSetAssignment',
    byKey(
      state,
      'PermissionSetAssignment',
      (f) => `${String(f['AssigneeId'])}.${String(f['PermissionSetId'])}`,
    ),
    assignmentRows,
    KEY_PREFIXES.PermissionSetAssignment,
  );
}

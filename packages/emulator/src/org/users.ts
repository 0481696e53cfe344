// Administration of profiles, permission sets and users. Grants are kept as objects (what the access checks
// read) and mirrored into Profile / PermissionSet / User / PermissionSetAssignment / ObjectPermissions rows (what
// SOQL reads).

import { SalesforceError } from '../errors.js';
import { formatDatetime } from '../format.js';
import { KEY_PREFIXES, normalizeId } from '../ids.js';
import { createdStamp } from './audit-stamp.js';
import { syncPermissionRecords } from './permission-records.js';
import type { ObjectPermissions, PermissionGrant, SObjectRecord, UserSpec } from './contract.js';
import type { OrgState } from './state.js';

function grantRow(grant: PermissionGrant, kind: 'Profile' | 'PermissionSet'): SObjectRecord {
  const u = grant.userPermissions;
  const row: SObjectRecord = {
    Id: grant.id,
    Name: grant.name,
    Description: null,
    PermissionsApiEnabled: Boolean(u.apiEnabled),
    PermissionsViewSetup: Boolean(u.viewSetup),
    PermissionsViewAllData: Boolean(u.viewAllData),
    PermissionsModifyAllData: Boolean(u.modifyAllData),
    PermissionsViewDraftArticles: Boolean(u.viewDraftArticles),
    PermissionsViewArchivedArticles: Boolean(u.viewArchivedArticles),
  };
  if (kind === 'Profile') row['UserType'] = 'Standard';
  else Object.assign(row, { Label: grant.label, IsOwnedByProfile: false, ProfileId: null });
  return row;
}

/**
 * Salesforce keeps object permissions consistent: Edit and Create need Read, Delete needs Read and Edit, View All
 * needs Read, Modify All needs all of them (the Setup UI ticks the dependencies; the Metadata API refuses them
 * missing). https://help.salesforce.com/s/articleView?id=sf.users_profiles_object_perms.htm
 */
export function withImpliedPermissions(
  permissions: Record<string, Partial<ObjectPermissions>>,
): Record<string, Partial<ObjectPermissions>> {
  const out: Record<string, Partial<ObjectPermissions>> = {};
  for (const [sobject, given] of Object.entries(permissions)) {
    const p = { ...given };
    if (p.modifyAll) Object.assign(p, { read: true, create: true, edit: true, delete: true, viewAll: true });
    if (p.delete) Object.assign(p, { read: true, edit: true });
    if (p.edit || p.create || p.viewAll) p.read = true;
    out[sobject] = p;
  }
  return out;
}

function normalizeGrant<T extends Partial<Omit<PermissionGrant, 'id'>>>(grant: T): T {
  return grant.objectPermissions === undefined
    ? grant
    : { ...grant, objectPermissions: withImpliedPermissions(grant.objectPermissions) };
}

export function addGrant(
  state: OrgState,
  grant: Omit<PermissionGrant, 'id'>,
  kind: 'Profile' | 'PermissionSet',
): PermissionGrant {
  const id = state.ids.next(kind === 'Profile' ? KEY_PREFIXES.Profile : KEY_PREFIXES.PermissionSet);
  const full: PermissionGrant = structuredClone({ ...normalizeGrant(grant), id });
  state.grants.set(id, full);
  state.store.add({
    sobject: kind,
    fields: { ...grantRow(full, kind), ...createdStamp(state, null) },
    deleted: false,
    deletedAt: null,
  });
  syncPermissionRecords(state);
  state.accessVersion++;
  return full;
}

export function updateGrant(
  state: OrgState,
  id: string,
  change: Partial<Omit<PermissionGrant, 'id'>>,
): PermissionGrant {
  const key = normalizeId(id) ?? id;
  const existing = state.grants.get(key);
  if (!existing) throw new SalesforceError(404, 'NOT_FOUND', `No profile or permission set with id ${id}`);
  const next: PermissionGrant = structuredClone({ ...existing, ...normalizeGrant(change), id: key });
  state.grants.set(key, next);
  const row = state.store.get(key);
  if (row) {
    const kind = row.sobject === 'Profile' ? 'Profile' : 'PermissionSet';
    row.fields = {
      ...row.fields,
      ...grantRow(next, kind),
      SystemModstamp: formatDatetime(state.clock.now()),
    };
  }
  syncPermissionRecords(state);
  state.accessVersion++;
  return next;
}

export function findUser(state: OrgState, idOrUsername: string): SObjectRecord | undefined {
  const id = normalizeId(idOrUsername);
  if (id) {
    const r = state.store.get(id);
    if (r?.sobject === 'User') return r.fields;
  }
  const lower = idOrUsername.toLowerCase();
  for (const r of state.store.table('User')) {
    if (String(r.fields['Username']).toLowerCase() === lower) return r.fields;
  }
  return undefined;
}

function requireGrant(state: OrgState, id: string, kind: 'Profile' | 'PermissionSet'): string {
  const key = normalizeId(id) ?? id;
  // A profile's own permission set is a PermissionSet row but no grant: it is assigned through the profile only.
  if (state.store.get(key)?.sobject !== kind || !state.grants.has(key)) {
    throw new SalesforceError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${id}`, [
      kind === 'Profile' ? 'ProfileId' : 'PermissionSetId',
    ]);
  }
  return key;
}

export function addUser(state: OrgState, spec: UserSpec): string {
  if (findUser(state, spec.username)) {
    throw new SalesforceError(
      400,
      'DUPLICATE_USERNAME',
      `Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations.`,
      ['Username'],
    );
  }
  const profileId = requireGrant(state, spec.profileId, 'Profile');
  const permissionSetIds = (spec.permissionSetIds ?? []).map((p) => requireGrant(state, p, 'PermissionSet'));
  const id = state.ids.next(KEY_PREFIXES.User);
  const alias = spec.alias ?? (spec.firstName?.[0] ?? '') + spec.lastName.slice(0, 7);
  const fields: SObjectRecord = {
    Id: id,
    Username: spec.username,
    LastName: spec.lastName,
    FirstName: spec.firstName ?? null,
    CompanyName: null,
    Department: null,
    Title: null,
    Email: spec.email ?? spec.username,
    Phone: null,
    Alias: alias.slice(0, 8),
    CommunityNickname: spec.username.split('@')[0] ?? spec.username,
    IsActive: spec.isActive ?? true,
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    ProfileId: profileId,
    UserType: spec.userType ?? 'Standard',
    LanguageLocaleKey: 'en_US',
    ContactId: null,
    AccountId: null,
    FederationIdentifier: null,
    UserPermissionsKnowledgeUser: false,
    LastLoginDate: null,
    ...createdStamp(state, id),
  };
  state.store.add({ sobject: 'User', fields, deleted: false, deletedAt: null });
  state.assignments.set(id, { profileId, permissionSetIds });
  refreshKnowledgeFlag(state, id);
  syncPermissionRecords(state);
  state.accessVersion++;
  return id;
}

/** Mirrors the effective Knowledge User licence onto the User row (UserPermissionsKnowledgeUser). */
export function refreshKnowledgeFlag(state: OrgState, userId: string): void {
  const row = state.store.get(userId);
  const a = state.assignments.get(userId);
  if (!row || !a) return;
  const grants = [a.profileId, ...a.permissionSetIds].map((g) => state.grants.get(g));
  row.fields = {
    ...row.fields,
    UserPermissionsKnowledgeUser: grants.some((g) => g?.userPermissions.knowledgeUser),
  };
}

export function updateUser(state: OrgState, userId: string, change: Partial<UserSpec>): void {
  const id = normalizeId(userId) ?? userId;
  const row = state.store.get(id);
  const assignment = state.assignments.get(id);
  if (!row || row.sobject !== 'User' || !assignment)
    throw new SalesforceError(404, 'NOT_FOUND', `No user ${userId}`);
  const f = { ...row.fields };
  if (change.username !== undefined) f['Username'] = change.username;
  if (change.email !== undefined) f['Email'] = change.email;
  if (change.firstName !== undefined) f['FirstName'] = change.firstName;
  if (change.lastName !== undefined) f['LastName'] = change.lastName;
  if (change.alias !== undefined) f['Alias'] = change.alias;
  if (change.isActive !== undefined) f['IsActive'] = change.isActive;
  if (change.userType !== undefined) f['UserType'] = change.userType;
  if (change.profileId !== undefined) {
    assignment.profileId = requireGrant(state, change.profileId, 'Profile');
    f['ProfileId'] = assignment.profileId;
  }
  if (change.permissionSetIds !== undefined) {
    assignment.permissionSetIds = change.permissionSetIds.map((p) => requireGrant(state, p, 'PermissionSet'));
  }
  const now = formatDatetime(state.clock.now());
  f['LastModifiedDate'] = now;
  f['SystemModstamp'] = now;
  row.fields = f;
  refreshKnowledgeFlag(state, id);
  syncPermissionRecords(state);
  state.accessVersion++;
}

export function assignPermissionSet(state: OrgState, userId: string, permissionSetId: string): void {
  const id = normalizeId(userId) ?? userId;
  const assignment = state.assignments.get(id);
  if (!assignment) throw new SalesforceError(404, 'NOT_FOUND', `No user ${userId}`);
  const ps = requireGrant(state, permissionSetId, 'PermissionSet');
  if (!assignment.permissionSetIds.includes(ps)) assignment.permissionSetIds.push(ps);
  refreshKnowledgeFlag(state, id);
  syncPermissionRecords(state);
  state.accessVersion++;
}

// Control plane: profiles, permission sets (including field-level security) and users of an org.

import type { FieldPermission, ObjectPermissions, PermissionGrant, UserSpec } from '../org/contract.js';
import { created, grantOf, ok, orgOf, userOf, type ControlCall, type ControlAnswer } from './control-call.js';
import { badInput } from './control-error.js';
import { optBoolean, optObject, optString, optStringArray, reqString, type Json } from './input.js';

function grantInput(body: Json, partial: boolean): Partial<Omit<PermissionGrant, 'id'>> {
  const out: Partial<Omit<PermissionGrant, 'id'>> = {};
  const name = partial ? optString(body, 'name') : reqString(body, 'name');
  if (name !== undefined) out.name = name;
  const label = optString(body, 'label') ?? (partial ? undefined : name);
  if (label !== undefined) out.label = label;
  const objects = optObject(body, 'objectPermissions');
  if (objects !== undefined) out.objectPermissions = objects as Record<string, Partial<ObjectPermissions>>;
  const fields = optObject(body, 'fieldPermissions');
  if (fields !== undefined) out.fieldPermissions = fields as Record<string, FieldPermission>;
  const perms = optObject(body, 'userPermissions');
  if (perms !== undefined) out.userPermissions = perms;
  return out;
}

function fullGrant(body: Json): Omit<PermissionGrant, 'id'> {
  const g = grantInput(body, false);
  return {
    name: g.name ?? '',
    label: g.label ?? g.name ?? '',
    objectPermissions: g.objectPermissions ?? {},
    fieldPermissions: g.fieldPermissions ?? {},
    userPermissions: g.userPermissions ?? {},
  };
}

export function addProfile(call: ControlCall): ControlAnswer {
  return created(orgOf(call).data.addProfile(fullGrant(call.body)));
}

export function addPermissionSet(call: ControlCall): ControlAnswer {
  return created(orgOf(call).data.addPermissionSet(fullGrant(call.body)));
}

export function getGrant(call: ControlCall): ControlAnswer {
  return ok(grantOf(orgOf(call), call.params[1] ?? ''));
}

/**
 * Object permissions are merged per object and flag, field permissions per field (so one field's FLS can be
 * changed alone), userPermissions per permission.
 */
export function updateGrant(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const grant = grantOf(org, call.params[1] ?? '');
  const change = grantInput(call.body, true);
  if (change.objectPermissions !== undefined) {
    // per object and per flag: `{ Case: { delete: true } }` adds Delete and keeps Case's other permissions
    const merged = { ...grant.objectPermissions };
    for (const [sobject, flags] of Object.entries(change.objectPermissions))
      merged[sobject] = { ...merged[sobject], ...flags };
    change.objectPermissions = merged;
  }
  if (change.fieldPermissions !== undefined) {
    change.fieldPermissions = { ...grant.fieldPermissions, ...change.fieldPermissions };
  }
  if (change.userPermissions !== undefined) {
    change.userPermissions = { ...grant.userPermissions, ...change.userPermissions };
  }
  return ok(org.data.updateGrant(grant.id, change));
}

export function addUser(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const b = call.body;
  const profile = grantOf(org, reqString(b, 'profile'));
  const permissionSetIds = (optStringArray(b, 'permissionSets') ?? []).map((ref) => grantOf(org, ref).id);
  const spec: UserSpec = {
    username: reqString(b, 'username'),
    lastName: reqString(b, 'lastName'),
    profileId: profile.id,
    permissionSetIds,
  };
  const firstName = optString(b, 'firstName');
  if (firstName !== undefined) spec.firstName = firstName;
  const email = optString(b, 'email');
  if (email !== undefined) spec.email = email;
  const alias = optString(b, 'alias');
  if (alias !== undefined) spec.alias = alias;
  const isActive = optBoolean(b, 'isActive');
  if (isActive !== undefined) spec.isActive = isActive;
  const userType = optString(b, 'userType');
  if (userType !== undefined) spec.userType = userType;
  if (org.data.getUser(spec.username) !== undefined)
    throw badInput(`username ${spec.username} is already taken`);
  const id = org.data.addUser(spec);
  const password = optString(b, 'password');
  if (password !== undefined) org.passwords.set(id, password);
  return created({ id, user: org.data.getUser(id) });
}

export function getUser(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const user = userOf(org, call.params[1] ?? '');
  return ok({ user, ...org.data.grantsOf(user.Id), permissions: org.data.userPermissions(user.Id) });
}

export function updateUser(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const user = userOf(org, call.params[1] ?? '');
  const b = call.body;
  const change: Partial<UserSpec> = {};
  for (const key of ['username', 'email', 'firstName', 'lastName', 'alias', 'userType'] as const) {
    const v = optString(b, key);
    if (v !== undefined) change[key] = v;
  }
  const isActive = optBoolean(b, 'isActive');
  if (isActive !== undefined) change.isActive = isActive;
  const profile = optString(b, 'profile');
  if (profile !== undefined) change.profileId = grantOf(org, profile).id;
  const permissionSets = optStringArray(b, 'permissionSets');
  if (permissionSets !== undefined)
    change.permissionSetIds = permissionSets.map((ref) => grantOf(org, ref).id);
  org.data.updateUser(user.Id, change);
  const password = optString(b, 'password');
  if (password !== undefined) org.passwords.set(user.Id, password);
  return ok({ user: org.data.getUser(user.Id) });
}

export function assignPermissionSet(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const user = userOf(org, call.params[1] ?? '');
  const set = grantOf(org, reqString(call.body, 'permissionSet'));
  org.data.assignPermissionSet(user.Id, set.id);
  return ok(org.data.grantsOf(user.Id));
}

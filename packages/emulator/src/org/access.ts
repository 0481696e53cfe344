// Who may see and change what: object permissions (profile ∪ permission sets), field-level security and
// record visibility (Case sharing by owner, CaseComment through its Case, Knowledge by publication status).
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/obj_ref_data_access.htm

import type { FieldDef, ObjectDef } from '../schema/types.js';
import type {
  FieldPermission,
  ObjectPermissions,
  OrgSettings,
  PermissionGrant,
  UserPermissions,
} from './contract.js';
import type { RecordStore, StoredRecord } from './store.js';

/** What one caller may do; the engine asks it before every read and write. */
export interface UserAccess {
  readonly userId: string;
  /** administrative calls (control plane, seeding, validation rules) bypass every check */
  readonly system: boolean;
  readonly perms: UserPermissions;
  object(obj: ObjectDef): ObjectPermissions;
  canRead(obj: ObjectDef): boolean;
  fieldReadable(obj: ObjectDef, field: FieldDef): boolean;
  fieldEditable(obj: ObjectDef, field: FieldDef): boolean;
  canSee(obj: ObjectDef, record: StoredRecord): boolean;
  canEdit(obj: ObjectDef, record: StoredRecord): boolean;
}

const NONE: ObjectPermissions = {
  read: false,
  create: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false,
};
const READ_ONLY: ObjectPermissions = { ...NONE, read: true };
const ALL: ObjectPermissions = {
  read: true,
  create: true,
  edit: true,
  delete: true,
  viewAll: true,
  modifyAll: true,
};

/** Fields field-level security never hides (Salesforce does not offer FLS on them). */
const FLS_EXEMPT = new Set([
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
]);

export interface GrantSource {
  grantsOf(userId: string): PermissionGrant[];
  settings(): OrgSettings;
  store: RecordStore;
}

/** Normalises one grant's object permission: every higher permission implies read, modifyAll implies all. */
function normalise(p: Partial<ObjectPermissions> | undefined): ObjectPermissions {
  if (!p) return NONE;
  if (p.modifyAll) return ALL;
  const edit = Boolean(p.edit || p.delete);
  return {
    read: Boolean(p.read || p.create || edit || p.viewAll),
    create: Boolean(p.create),
    edit,
    delete: Boolean(p.delete),
    viewAll: Boolean(p.viewAll),
    modifyAll: false,
  };
}

function union(a: ObjectPermissions, b: ObjectPermissions): ObjectPermissions {
  return {
    read: a.read || b.read,
    create: a.create || b.create,
    edit: a.edit || b.edit,
    delete: a.delete || b.delete,
    viewAll: a.viewAll || b.viewAll,
    modifyAll: a.modifyAll || b.modifyAll,
  };
}

/** The effective system permissions of a set of grants (any grant granting a permission grants it). */
export function mergeUserPermissions(grants: PermissionGrant[]): UserPermissions {
  const out: UserPermissions = {};
  for (const g of grants) {
    for (const [key, value] of Object.entries(g.userPermissions) as [
      keyof UserPermissions,
      boolean | undefined,
    ][]) {
      if (value) out[key] = true;
    }
  }
  return out;
}

/**
 * "View Setup and Configuration" opens the setup objects (PermissionSet, PermissionSetAssignment,
 * ObjectPermissions: "As of Summer '20 and later, only users with the View Setup and Configuration permission can
 * access this object"); Modify All Data counts too, as it does for /limits.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_objectpermissions.htm
 */
export function canViewSetup(perms: UserPermissions): boolean {
  return perms.viewSetup === true || perms.modifyAllData === true;
}

/** The grant key a schema object's permissions are stored under (the view uses its table's). */
const permissionKey = (obj: ObjectDef): string => obj.table;

export function systemAccess(): UserAccess {
  return {
    userId: '',
    system: true,
    perms: {
      apiEnabled: true,
      viewAllData: true,
      modifyAllData: true,
      viewDraftArticles: true,
      viewArchivedArticles: true,
      knowledgeUser: true,
    },
    object: () => ALL,
    canRead: () => true,
    fieldReadable: () => true,
    fieldEditable: () => true,
    canSee: () => true,
    canEdit: () => true,
  };
}

/** Builds the access view of one user from its current grants. Cheap enough to build per call, cached by the caller. */
export function userAccess(userId: string, source: GrantSource): UserAccess {
  const grants = source.grantsOf(userId);
  const perms = mergeUserPermissions(grants);
  const objectCache = new Map<string, ObjectPermissions>();
  const fieldCache = new Map<string, FieldPermission>();

  const grantedObject = (key: string): ObjectPermissions => {
    let p = objectCache.get(key);
    if (!p) {
      p = NONE;
      for (const g of grants) p = union(p, normalise(g.objectPermissions[key]));
      if (perms.modifyAllData) p = ALL;
      else if (perms.viewAllData) p = { ...p, read: true, viewAll: true };
      objectCache.set(key, p);
    }
    return p;
  };

  const object = (obj: ObjectDef): ObjectPermissions => {
    switch (obj.access) {
      case 'crud':
      case 'case':
        return grantedObject(permissionKey(obj));
      case 'parent-case': {
        // CaseComment has no permissions of its own: reading follows Case read, writing follows Case edit.
        const c = grantedObject('Case');
        return {
          read: c.read,
          create: c.edit,
          edit: c.edit,
          delete: c.edit,
          viewAll: c.viewAll,
          modifyAll: c.modifyAll,
        };
      }
      case 'knowledge':
        // Internal users need the Knowledge User feature licence on top of object permissions.
        return perms.knowledgeUser ? grantedObject(permissionKey(obj)) : NONE;
      case 'read-only':
      case 'user':
        return READ_ONLY;
      case 'setup':
        return canViewSetup(perms) ? READ_ONLY : NONE;
    }
  };

  const fieldPermission = (obj: ObjectDef, field: FieldDef): FieldPermission => {
    const key = `${permissionKey(obj)}.${field.name}`;
    let fp = fieldCache.get(key);
    if (!fp) {
      if (
        FLS_EXEMPT.has(field.name) ||
        perms.modifyAllData ||
        obj.access === 'read-only' ||
        obj.access === 'user' ||
        obj.access === 'setup'
      ) {
        fp = { readable: true, editable: true };
      } else {
        // A grant contributes field access only when it grants the object; an unlisted field is allowed.
        fp = { readable: false, editable: false };
        const objKey = obj.access === 'parent-case' ? 'Case' : permissionKey(obj);
        for (const g of grants) {
          if (!normalise(g.objectPermissions[objKey]).read && !perms.viewAllData) continue;
          const listed = g.fieldPermissions[key];
          const readable = listed ? listed.readable || listed.editable : true;
          const editable = listed ? listed.editable : true;
          fp = { readable: fp.readable || readable, editable: fp.editable || editable };
        }
      }
      fieldCache.set(key, fp);
    }
    return fp;
  };

  const caseVisible = (owner: unknown, p: ObjectPermissions): boolean =>
    p.viewAll || source.settings().caseSharingDefault !== 'Private' || owner === userId;
  const caseEditable = (owner: unknown, p: ObjectPermissions): boolean => {
    const sharing = source.settings().caseSharingDefault;
    return p.modifyAll || sharing === 'ReadWrite' || sharing === 'ReadWriteTransfer' || owner === userId;
  };

  const canSee = (obj: ObjectDef, record: StoredRecord): boolean => {
    switch (obj.access) {
      case 'case':
        return caseVisible(record.fields['OwnerId'], grantedObject('Case'));
      case 'parent-case': {
        const parent = source.store.get(String(record.fields['ParentId']));
        return parent !== undefined && caseVisible(parent.fields['OwnerId'], grantedObject('Case'));
      }
      case 'knowledge': {
        const status = record.fields['PublishStatus'];
        if (status === 'Draft') return Boolean(perms.viewDraftArticles || perms.modifyAllData);
        if (status === 'Archived') return Boolean(perms.viewArchivedArticles || perms.modifyAllData);
        return true;
      }
      case 'crud':
      case 'read-only':
      case 'user':
      case 'setup':
        return true;
    }
  };

  const canEdit = (obj: ObjectDef, record: StoredRecord): boolean => {
    switch (obj.access) {
      case 'case':
        return caseEditable(record.fields['OwnerId'], grantedObject('Case'));
      case 'parent-case': {
        const parent = source.store.get(String(record.fields['ParentId']));
        return parent !== undefined && caseEditable(parent.fields['OwnerId'], grantedObject('Case'));
      }
      case 'knowledge':
      case 'crud':
        return canSee(obj, record);
      case 'read-only':
      case 'user':
      case 'setup':
        return false;
    }
  };

  return {
    userId,
    system: false,
    perms,
    object,
    canRead: (obj) => object(obj).read,
    fieldReadable: (obj, f) => fieldPermission(obj, f).readable,
    fieldEditable: (obj, f) => fieldPermission(obj, f).editable,
    canSee,
    canEdit,
  };
}

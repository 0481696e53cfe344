// Read-only setup objects the API exposes: Organization, CaseStatus, RecordType, Profile, PermissionSet,
// PermissionSetAssignment and ObjectPermissions.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_casestatus.htm

import { KEY_PREFIXES } from '../ids.js';
import { defineObject, type ObjectSpec } from './define-object.js';
import { auditFields, field, idField, picklist, reference } from './field-builders.js';
import type { ObjectDef } from './types.js';

const readOnly = { createable: false, updateable: false } as const;

/**
 * A setup object: the API reads its rows but never creates, edits or deletes them. `viewSetup` objects are
 * readable only with View Setup and Configuration; the others by every API user.
 */
const setupObject = (
  spec: Omit<ObjectSpec, 'access' | 'createable' | 'updateable' | 'deletable'>,
  readers: 'everyone' | 'viewSetup' = 'everyone',
): ObjectDef =>
  defineObject({
    ...spec,
    access: readers === 'viewSetup' ? 'setup' : 'read-only',
    createable: false,
    updateable: false,
    deletable: false,
  });

/**
 * Organization.DefaultCaseAccess and friends: the org-wide sharing defaults. Values per the Organization object
 * reference (Case: None, Read, Edit, ReadEditTransfer; Contact: None, Read, Edit, ControlledByParent; Account:
 * None, Read, Edit). Any internal API user may read them: the object's only special access rule is that Customer
 * Portal users can't access it.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_organization.htm
 */
export const SHARING_ACCESS_VALUES = {
  DefaultCaseAccess: ['None', 'Read', 'Edit', 'ReadEditTransfer'],
  DefaultContactAccess: ['None', 'Read', 'Edit', 'ControlledByParent'],
  DefaultAccountAccess: ['None', 'Read', 'Edit'],
} as const;

export function organizationObject(): ObjectDef {
  return setupObject({
    name: 'Organization',
    label: 'Organization',
    labelPlural: 'Organizations',
    keyPrefix: KEY_PREFIXES.Organization,
    replicateable: false,
    fields: [
      idField('Organization ID'),
      field('Name', 'string', { ...readOnly, label: 'Name', length: 80, nillable: false, nameField: true }),
      field('Division', 'string', { ...readOnly, length: 80 }),
      field('OrganizationType', 'picklist', {
        ...readOnly,
        label: 'Edition',
        picklistValues: picklist([
          'Developer Edition',
          'Enterprise Edition',
          'Unlimited Edition',
          'Professional Edition',
        ]),
      }),
      field('InstanceName', 'string', { ...readOnly, label: 'Instance Name', length: 5 }),
      field('IsSandbox', 'boolean', { ...readOnly, label: 'Is Sandbox' }),
      field('TrialExpirationDate', 'datetime', { ...readOnly, label: 'Trial Expiration Date' }),
      field('NamespacePrefix', 'string', { ...readOnly, label: 'Namespace Prefix', length: 15 }),
      field('LanguageLocaleKey', 'picklist', {
        ...readOnly,
        label: 'Language',
        picklistValues: picklist(['en_US']),
      }),
      field('TimeZoneSidKey', 'picklist', {
        ...readOnly,
        label: 'Time Zone',
        picklistValues: picklist(['GMT']),
      }),
      field('DefaultLocaleSidKey', 'picklist', {
        ...readOnly,
        label: 'Locale',
        picklistValues: picklist(['en_US']),
      }),
      field('DefaultAccountAccess', 'picklist', {
        ...readOnly,
        label: 'Default Account Access',
        picklistValues: picklist(SHARING_ACCESS_VALUES.DefaultAccountAccess),
      }),
      field('DefaultCaseAccess', 'picklist', {
        ...readOnly,
        label: 'Default Case Access',
        picklistValues: picklist(SHARING_ACCESS_VALUES.DefaultCaseAccess),
      }),
      field('DefaultContactAccess', 'picklist', {
        ...readOnly,
        label: 'Default Contact Access',
        picklistValues: picklist(SHARING_ACCESS_VALUES.DefaultContactAccess),
      }),
      ...auditFields(),
    ],
  });
}

export function caseStatusObject(): ObjectDef {
  return setupObject({
    name: 'CaseStatus',
    label: 'Case Status Value',
    labelPlural: 'Case Status Values',
    keyPrefix: KEY_PREFIXES.CaseStatus,
    replicateable: false,
    fields: [
      idField('Case Status Value ID'),
      field('MasterLabel', 'string', {
        ...readOnly,
        label: 'Master Label',
        nillable: false,
        nameField: true,
      }),
      field('ApiName', 'string', { ...readOnly, label: 'Api Name', nillable: false }),
      field('SortOrder', 'int', { ...readOnly, label: 'Sort Order' }),
      field('IsDefault', 'boolean', { ...readOnly, label: 'Is Default' }),
      field('IsClosed', 'boolean', { ...readOnly, label: 'Is Closed' }),
      ...auditFields(),
    ],
  });
}

export function recordTypeObject(): ObjectDef {
  return setupObject({
    name: 'RecordType',
    label: 'Record Type',
    labelPlural: 'Record Types',
    keyPrefix: KEY_PREFIXES.RecordType,
    fields: [
      idField('Record Type ID'),
      field('Name', 'string', {
        ...readOnly,
        label: 'Record Type Label',
        length: 80,
        nillable: false,
        nameField: true,
      }),
      field('DeveloperName', 'string', {
        ...readOnly,
        label: 'Record Type Name',
        length: 80,
        nillable: false,
      }),
      field('NamespacePrefix', 'string', { ...readOnly, length: 15 }),
      field('Description', 'string', { ...readOnly, length: 255 }),
      field('SobjectType', 'picklist', { ...readOnly, label: 'SObject Type Name', nillable: false }),
      field('IsActive', 'boolean', { ...readOnly, label: 'Active' }),
      ...auditFields(),
    ],
  });
}

function grantFields(): ReturnType<typeof field>[] {
  return [
    field('PermissionsApiEnabled', 'boolean', { ...readOnly, label: 'API Enabled' }),
    field('PermissionsViewSetup', 'boolean', { ...readOnly, label: 'View Setup and Configuration' }),
    field('PermissionsViewAllData', 'boolean', { ...readOnly, label: 'View All Data' }),
    field('PermissionsModifyAllData', 'boolean', { ...readOnly, label: 'Modify All Data' }),
    field('PermissionsViewDraftArticles', 'boolean', { ...readOnly, label: 'View Draft Articles' }),
    field('PermissionsViewArchivedArticles', 'boolean', { ...readOnly, label: 'View Archived Articles' }),
  ];
}

export function profileObject(): ObjectDef {
  return setupObject({
    name: 'Profile',
    label: 'Profile',
    labelPlural: 'Profiles',
    keyPrefix: KEY_PREFIXES.Profile,
    fields: [
      idField('Profile ID'),
      field('Name', 'string', { ...readOnly, label: 'Name', nillable: false, nameField: true }),
      field('Description', 'string', { ...readOnly, length: 255 }),
      field('UserType', 'picklist', {
        ...readOnly,
        label: 'User Type',
        picklistValues: picklist(['Standard']),
      }),
      ...grantFields(),
      ...auditFields(),
    ],
  });
}

/** Since Summer '20 only users with View Setup and Configuration (among others not modelled) read it. */
export function permissionSetObject(): ObjectDef {
  return setupObject(
    {
      name: 'PermissionSet',
      label: 'Permission Set',
      labelPlural: 'Permission Sets',
      keyPrefix: KEY_PREFIXES.PermissionSet,
      fields: [
        idField('Permission Set ID'),
        field('Name', 'string', { ...readOnly, label: 'Name', length: 80, nillable: false }),
        field('Label', 'string', {
          ...readOnly,
          label: 'Label',
          length: 80,
          nillable: false,
          nameField: true,
        }),
        field('Description', 'string', { ...readOnly, length: 255 }),
        field('IsOwnedByProfile', 'boolean', { ...readOnly, label: 'Is Owned By Profile' }),
        reference('ProfileId', ['Profile'], 'Profile', { ...readOnly, label: 'Profile ID' }),
        ...grantFields(),
        ...auditFields(),
      ],
    },
    'viewSetup',
  );
}

/**
 * A user's assignment to a permission set. Every user also has one to the permission set its profile owns
 * (IsOwnedByProfile), since "every profile is represented by a permission set".
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm
 * https://help.salesforce.com/apex/HTViewSolution?id=000230980&language=en_US
 */
export function permissionSetAssignmentObject(): ObjectDef {
  return setupObject(
    {
      name: 'PermissionSetAssignment',
      label: 'Permission Set Assignment',
      labelPlural: 'Permission Set Assignments',
      keyPrefix: KEY_PREFIXES.PermissionSetAssignment,
      fields: [
        idField('Permission Set Assignment ID'),
        reference('AssigneeId', ['User'], 'Assignee', { ...readOnly, label: 'Assignee ID', nillable: false }),
        reference('PermissionSetId', ['PermissionSet'], 'PermissionSet', {
          ...readOnly,
          label: 'Permission Set ID',
        }),
        reference('PermissionSetGroupId', ['PermissionSetGroup'], 'PermissionSetGroup', {
          ...readOnly,
          label: 'Permission Set Group ID',
        }),
        field('IsActive', 'boolean', { ...readOnly, label: 'Is Active' }),
        field('ExpirationDate', 'datetime', { ...readOnly, label: 'Expires On' }),
        field('SystemModstamp', 'datetime', { ...readOnly, label: 'Date Assigned', nillable: false }),
      ],
    },
    'viewSetup',
  );
}

/**
 * The object permissions of one permission set (or profile-owned permission set) on one sObject; a row exists
 * only while at least one permission is granted.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_objectpermissions.htm
 */
export function objectPermissionsObject(): ObjectDef {
  return setupObject(
    {
      name: 'ObjectPermissions',
      label: 'Object Permissions',
      labelPlural: 'Object Permissions',
      keyPrefix: KEY_PREFIXES.ObjectPermissions,
      replicateable: false,
      fields: [
        idField('ObjectPermissions ID'),
        reference('ParentId', ['PermissionSet'], 'Parent', {
          ...readOnly,
          label: 'Parent ID',
          nillable: false,
        }),
        field('SobjectType', 'picklist', { ...readOnly, label: 'Sobject Type Name', nillable: false }),
        field('PermissionsRead', 'boolean', { ...readOnly, label: 'Read Records' }),
        field('PermissionsCreate', 'boolean', { ...readOnly, label: 'Create Records' }),
        field('PermissionsEdit', 'boolean', { ...readOnly, label: 'Edit Records' }),
        field('PermissionsDelete', 'boolean', { ...readOnly, label: 'Delete Records' }),
        field('PermissionsViewAllRecords', 'boolean', { ...readOnly, label: 'View All Records' }),
        field('PermissionsModifyAllRecords', 'boolean', { ...readOnly, label: 'Modify All Records' }),
        ...auditFields(),
      ],
    },
    'viewSetup',
  );
}

/** Queues and public groups; queues own records (Case.OwnerId). Every API user reads them. */
export function groupObject(): ObjectDef {
  return setupObject({
    name: 'Group',
    label: 'Group',
    labelPlural: 'Groups',
    keyPrefix: KEY_PREFIXES.Group,
    replicateable: false,
    fields: [
      idField('Group ID'),
      field('Name', 'string', { ...readOnly, label: 'Name', length: 40, nameField: true }),
      field('DeveloperName', 'string', { ...readOnly, label: 'Developer Name', length: 80 }),
      field('Type', 'picklist', {
        ...readOnly,
        label: 'Type',
        nillable: false,
        picklistValues: picklist(['Queue', 'Regular']),
      }),
      field('Email', 'email', { ...readOnly, label: 'Email', length: 255 }),
      field('DoesSendEmailToMembers', 'boolean', { ...readOnly, label: 'Send Email to Members' }),
      ...auditFields(),
    ],
  });
}

/** Which objects a queue takes: one row per queue and object. */
export function queueSobjectObject(): ObjectDef {
  return setupObject({
    name: 'QueueSobject',
    label: 'Queue Sobject',
    labelPlural: 'Queue Sobjects',
    keyPrefix: KEY_PREFIXES.QueueSobject,
    replicateable: false,
    fields: [
      idField('Queue Sobject ID'),
      reference('QueueId', ['Group'], 'Queue', { ...readOnly, label: 'Group ID', nillable: false }),
      field('SobjectType', 'picklist', { ...readOnly, label: 'Sobject Type', nillable: false }),
      ...auditFields(),
    ],
  });
}

/** Case assignment rules (View Setup to read them). */
export function assignmentRuleObject(): ObjectDef {
  return setupObject(
    {
      name: 'AssignmentRule',
      label: 'Assignment Rule',
      labelPlural: 'Assignment Rules',
      keyPrefix: KEY_PREFIXES.AssignmentRule,
      replicateable: false,
      fields: [
        idField('Assignment Rule ID'),
        field('Name', 'string', { ...readOnly, label: 'Name', length: 120, nameField: true }),
        field('SobjectType', 'picklist', {
          ...readOnly,
          label: 'Sobject Type',
          picklistValues: picklist(['Case']),
        }),
        field('Active', 'boolean', { ...readOnly, label: 'Active' }),
        ...auditFields(),
      ],
    },
    'viewSetup',
  );
}

// Read-only setup objects the API exposes: Organization, CaseStatus, RecordType, Profile, PermissionSet.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_casestatus.htm

import { KEY_PREFIXES } from '../ids.js';
import { defineObject, type ObjectSpec } from './define-object.js';
import { auditFields, field, idField, picklist, reference } from './field-builders.js';
import type { ObjectDef } from './types.js';

const readOnly = { createable: false, updateable: false } as const;

/** A setup object: the API reads its rows but never creates, edits or deletes them. */
const setupObject = (
  spec: Omit<ObjectSpec, 'access' | 'createable' | 'updateable' | 'deletable'>,
): ObjectDef =>
  defineObject({ ...spec, access: 'read-only', createable: false, updateable: false, deletable: false });

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

export function permissionSetObject(): ObjectDef {
  return setupObject({
    name: 'PermissionSet',
    label: 'Permission Set',
    labelPlural: 'Permission Sets',
    keyPrefix: KEY_PREFIXES.PermissionSet,
    fields: [
      idField('Permission Set ID'),
      field('Name', 'string', { ...readOnly, label: 'Name', length: 80, nillable: false }),
      field('Label', 'string', { ...readOnly, label: 'Label', length: 80, nillable: false, nameField: true }),
      field('Description', 'string', { ...readOnly, length: 255 }),
      field('IsOwnedByProfile', 'boolean', { ...readOnly, label: 'Is Owned By Profile' }),
      reference('ProfileId', ['Profile'], 'Profile', { ...readOnly, label: 'Profile ID' }),
      ...grantFields(),
      ...auditFields(),
    ],
  });
}

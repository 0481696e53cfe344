// The User object (005) and the polymorphic "Name" entity that Owner-style lookups (User or Group) resolve to.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_user.htm

import { KEY_PREFIXES } from '../ids.js';
import { defineObject } from './define-object.js';
import { auditFields, field, idField, picklist, reference, systemField } from './field-builders.js';
import type { FieldDef, ObjectDef } from './types.js';

const fullName = (r: Record<string, unknown>): string | null => {
  const text = [r['FirstName'], r['LastName']].filter((p) => typeof p === 'string' && p !== '').join(' ');
  return text === '' ? null : text;
};

export const USER_TYPES = [
  'Standard',
  'PowerPartner',
  'CspLitePortal',
  'CustomerSuccess',
  'PowerCustomerSuccess',
  'CsnOnly',
  'Guest',
] as const;

export function userObject(): ObjectDef {
  return defineObject({
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: KEY_PREFIXES.User,
    access: 'user',
    createable: false,
    updateable: false,
    deletable: false,
    searchable: true,
    searchFields: ['Name', 'Username', 'Email'],
    fields: [
      idField('User ID'),
      field('Username', 'string', {
        label: 'Username',
        length: 80,
        nillable: false,
        unique: true,
        idLookup: true,
      }),
      field('LastName', 'string', { label: 'Last Name', length: 80, nillable: false }),
      field('FirstName', 'string', { label: 'First Name', length: 40 }),
      systemField('Name', 'string', {
        label: 'Full Name',
        length: 121,
        nameField: true,
        nillable: false,
        compute: fullName,
      }),
      field('CompanyName', 'string', { label: 'Company Name', length: 80 }),
      field('Department', 'string', { label: 'Department', length: 80 }),
      field('Title', 'string', { label: 'Title', length: 80 }),
      field('Email', 'email', { label: 'Email', length: 128, nillable: false }),
      field('Phone', 'phone', { label: 'Phone' }),
      field('Alias', 'string', { label: 'Alias', length: 8, nillable: false }),
      field('CommunityNickname', 'string', { label: 'Nickname', length: 40, nillable: false }),
      field('IsActive', 'boolean', { label: 'Active' }),
      field('TimeZoneSidKey', 'picklist', {
        label: 'Time Zone',
        nillable: false,
        picklistValues: picklist([
          'America/Los_Angeles',
          'America/New_York',
          'Europe/London',
          'Europe/Paris',
          'GMT',
        ]),
      }),
      field('LocaleSidKey', 'picklist', {
        label: 'Locale',
        nillable: false,
        picklistValues: picklist(['en_US', 'en_GB']),
      }),
      field('EmailEncodingKey', 'picklist', {
        label: 'Email Encoding',
        nillable: false,
        picklistValues: picklist(['UTF-8', 'ISO-8859-1']),
      }),
      reference('ProfileId', ['Profile'], 'Profile', { label: 'Profile ID', nillable: false }),
      field('UserType', 'picklist', {
        label: 'User Type',
        createable: false,
        updateable: false,
        picklistValues: picklist(USER_TYPES),
      }),
      field('LanguageLocaleKey', 'picklist', {
        label: 'Language',
        nillable: false,
        picklistValues: picklist(['en_US', 'de', 'fr', 'ja']),
      }),
      reference('ContactId', ['Contact'], 'Contact', { label: 'Contact ID' }),
      reference('AccountId', ['Account'], 'Account', {
        label: 'Account ID',
        createable: false,
        updateable: false,
      }),
      field('FederationIdentifier', 'string', { label: 'SAML Federation ID', length: 512 }),
      field('UserPermissionsKnowledgeUser', 'boolean', { label: 'Knowledge User' }),
      systemField('LastLoginDate', 'datetime', { label: 'Last Login' }),
      ...auditFields(),
    ],
  });
}

/** The fields of the Name entity, which User and Group owners share in polymorphic lookups. */
const NAME_FIELDS = [
  'Id',
  'Name',
  'FirstName',
  'LastName',
  'Alias',
  'Email',
  'IsActive',
  'Username',
  'Title',
  'Phone',
  'ProfileId',
  'UserRoleId',
  'LastModifiedDate',
  'CreatedDate',
];

export function nameObject(user: ObjectDef): ObjectDef {
  const fields: FieldDef[] = [];
  for (const name of NAME_FIELDS) {
    const f = user.fieldIndex.get(name.toLowerCase());
    if (f) fields.push({ ...f, createable: false, updateable: false });
  }
  fields.push(systemField('Type', 'picklist', { label: 'Type', compute: () => 'User' }));
  return defineObject({
    name: 'Name',
    label: 'Name',
    labelPlural: 'Names',
    keyPrefix: '',
    access: 'user',
    table: 'User',
    createable: false,
    updateable: false,
    deletable: false,
    hidden: true,
    replicateable: false,
    fields,
  });
}

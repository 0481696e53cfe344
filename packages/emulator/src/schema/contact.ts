// The Contact (003) and Account (001) objects: the people who open cases and the companies they belong to.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contact.htm

import { KEY_PREFIXES } from '../ids.js';
import { defineObject } from './define-object.js';
import {
  auditFields,
  field,
  idField,
  isDeletedField,
  masterRecordField,
  ownerField,
  picklist,
  reference,
  systemField,
} from './field-builders.js';
import type { FieldDef, ObjectDef } from './types.js';

/** The parts of a compound address (MailingAddress, BillingAddress), named and labelled after its prefix. */
const addressFields = (prefix: 'Mailing' | 'Billing'): FieldDef[] => [
  field(`${prefix}Street`, 'textarea', { label: `${prefix} Street` }),
  field(`${prefix}City`, 'string', { label: `${prefix} City`, length: 40 }),
  field(`${prefix}State`, 'string', { label: `${prefix} State/Province`, length: 80 }),
  field(`${prefix}PostalCode`, 'string', { label: `${prefix} Zip/Postal Code`, length: 20 }),
  field(`${prefix}Country`, 'string', { label: `${prefix} Country`, length: 80 }),
];

const joinName = (...parts: unknown[]): string | null => {
  const text = parts.filter((p) => typeof p === 'string' && p !== '').join(' ');
  return text === '' ? null : text;
};

export function contactObject(): ObjectDef {
  return defineObject({
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: KEY_PREFIXES.Contact,
    access: 'crud',
    searchable: true,
    searchFields: ['Name', 'Email', 'Phone', 'MobilePhone', 'Title', 'Department'],
    fields: [
      idField('Contact ID'),
      isDeletedField(),
      masterRecordField('Contact'),
      reference('AccountId', ['Account'], 'Account', { label: 'Account ID' }),
      field('LastName', 'string', { label: 'Last Name', length: 80, nillable: false }),
      field('FirstName', 'string', { label: 'First Name', length: 40 }),
      field('Salutation', 'picklist', {
        label: 'Salutation',
        picklistValues: picklist(['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.']),
      }),
      systemField('Name', 'string', {
        label: 'Full Name',
        length: 121,
        nameField: true,
        nillable: false,
        extraTypeInfo: 'personname',
        compute: (r) => joinName(r['FirstName'], r['LastName']),
      }),
      ...addressFields('Mailing'),
      field('Phone', 'phone', { label: 'Business Phone' }),
      field('Fax', 'phone', { label: 'Business Fax' }),
      field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
      field('HomePhone', 'phone', { label: 'Home Phone' }),
      field('Email', 'email', { label: 'Email', length: 80, idLookup: true }),
      field('Title', 'string', { label: 'Title', length: 128 }),
      field('Department', 'string', { label: 'Department', length: 80 }),
      field('Birthdate', 'date', { label: 'Birthdate' }),
      field('Description', 'textarea', { label: 'Contact Description', length: 32000 }),
      ownerField(['User']),
      field('HasOptedOutOfEmail', 'boolean', { label: 'Email Opt Out' }),
      field('DoNotCall', 'boolean', { label: 'Do Not Call' }),
      ...auditFields(),
      systemField('LastActivityDate', 'date', { label: 'Last Activity' }),
    ],
  });
}

export function accountObject(): ObjectDef {
  return defineObject({
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: KEY_PREFIXES.Account,
    access: 'crud',
    searchable: true,
    searchFields: ['Name', 'Phone', 'Website'],
    fields: [
      idField('Account ID'),
      isDeletedField(),
      masterRecordField('Account'),
      field('Name', 'string', { label: 'Account Name', nillable: false, nameField: true }),
      field('Type', 'picklist', {
        label: 'Account Type',
        picklistValues: picklist(['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other']),
      }),
      reference('ParentId', ['Account'], 'Parent', { label: 'Parent Account ID' }),
      ...addressFields('Billing'),
      field('Phone', 'phone', { label: 'Account Phone' }),
      field('Fax', 'phone', { label: 'Account Fax' }),
      field('Website', 'url', { label: 'Website' }),
      field('Industry', 'picklist', {
        label: 'Industry',
        picklistValues: picklist(['Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Other']),
      }),
      field('NumberOfEmployees', 'int', { label: 'Employees', digits: 8 }),
      field('Description', 'textarea', { label: 'Account Description', length: 32000 }),
      ownerField(['User']),
      ...auditFields(),
    ],
  });
}

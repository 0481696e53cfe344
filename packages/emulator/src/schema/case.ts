// The Case object (key prefix 500): fields per the Case object reference, Status values from the org's CaseStatus rows.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_case.htm

import { KEY_PREFIXES } from '../ids.js';
import type { OrgSettings } from '../org/contract.js';
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
import type { ComputeFn, ObjectDef } from './types.js';

export const CASE_PRIORITIES = ['High', 'Medium', 'Low'] as const;
export const CASE_ORIGINS = ['Phone', 'Email', 'Web'] as const;
export const CASE_TYPES = ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other'] as const;
export const CASE_REASONS = [
  'Installation',
  'Equipment Complexity',
  'Performance',
  'Breakdown',
  'Equipment Design',
  'Feedback',
  'Other',
] as const;

/** Contact-derived read-only fields (ContactEmail...) read through the lookup at query time, like formulas. */
const fromContact =
  (contactField: string): ComputeFn =>
  (record, lookup) =>
    lookup(record['ContactId'])?.[contactField] ?? null;

export function caseObject(settings: OrgSettings): ObjectDef {
  const statuses = [...settings.caseStatuses].sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
  const defaultStatus = statuses.find((s) => s.isDefault)?.apiName;
  const hasRecordTypes = settings.recordTypes.some((rt) => rt.sobject === 'Case');
  return defineObject({
    name: 'Case',
    label: 'Case',
    labelPlural: 'Cases',
    keyPrefix: KEY_PREFIXES.Case,
    access: 'case',
    searchable: true,
    searchFields: ['Subject', 'Description', 'CaseNumber', 'SuppliedEmail', 'SuppliedName'],
    fields: [
      idField('Case ID'),
      isDeletedField(),
      masterRecordField('Case'),
      systemField('CaseNumber', 'string', {
        label: 'Case Number',
        length: 30,
        autoNumber: true,
        nameField: true,
        idLookup: true,
        nillable: false,
      }),
      reference('ContactId', ['Contact'], 'Contact', { label: 'Contact ID' }),
      reference('AccountId', ['Account'], 'Account', { label: 'Account ID' }),
      reference('ParentId', ['Case'], 'Parent', { label: 'Parent Case ID' }),
      field('SuppliedName', 'string', { label: 'Name', length: 80 }),
      field('SuppliedEmail', 'email', { label: 'Email Address', length: 80 }),
      field('SuppliedPhone', 'string', { label: 'Phone', length: 40 }),
      field('SuppliedCompany', 'string', { label: 'Company', length: 80 }),
      field('Type', 'picklist', { label: 'Case Type', length: 255, picklistValues: picklist(CASE_TYPES) }),
      ...(hasRecordTypes
        ? [reference('RecordTypeId', ['RecordType'], 'RecordType', { label: 'Record Type ID' })]
        : []),
      field('Status', 'picklist', {
        label: 'Status',
        length: 255,
        defaultedOnCreate: true,
        picklistValues: statuses.map((s) => ({
          value: s.apiName,
          label: s.label ?? s.apiName,
          active: true,
          defaultValue: s.apiName === defaultStatus,
        })),
      }),
      field('Reason', 'picklist', { label: 'Case Reason', picklistValues: picklist(CASE_REASONS) }),
      field('Origin', 'picklist', { label: 'Case Origin', picklistValues: picklist(CASE_ORIGINS) }),
      field('Subject', 'string', { label: 'Subject', length: 255 }),
      field('Priority', 'picklist', {
        label: 'Priority',
        defaultedOnCreate: true,
        picklistValues: picklist(CASE_PRIORITIES, 'Medium'),
      }),
      field('Description', 'textarea', { label: 'Description', length: 32000 }),
      systemField('IsClosed', 'boolean', { label: 'Closed', nillable: false, calculated: false }),
      systemField('ClosedDate', 'datetime', { label: 'Closed Date' }),
      field('IsEscalated', 'boolean', { label: 'Escalated' }),
      ownerField(['Group', 'User']),
      systemField('IsClosedOnCreate', 'boolean', { label: 'Closed When Created', nillable: false }),
      ...auditFields(),
      systemField('ContactPhone', 'phone', {
        label: 'Contact Phone',
        calculated: true,
        compute: fromContact('Phone'),
      }),
      systemField('ContactMobile', 'phone', {
        label: 'Contact Mobile',
        calculated: true,
        compute: fromContact('MobilePhone'),
      }),
      systemField('ContactEmail', 'email', {
        label: 'Contact Email',
        calculated: true,
        compute: fromContact('Email'),
      }),
      systemField('ContactFax', 'phone', {
        label: 'Contact Fax',
        calculated: true,
        compute: fromContact('Fax'),
      }),
      // Comments is write-only: a value sent on create or update becomes a new CaseComment and is never stored.
      field('Comments', 'textarea', {
        label: 'Internal Comments',
        length: 4000,
        lengthInBytes: true,
        compute: () => null,
      }),
      systemField('LastViewedDate', 'datetime', { label: 'Last Viewed Date' }),
      systemField('LastReferencedDate', 'datetime', { label: 'Last Referenced Date' }),
    ],
  });
}

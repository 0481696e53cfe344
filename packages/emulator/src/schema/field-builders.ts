// Small constructors for field definitions, so object schemas read like the Salesforce field reference.

import type { FieldDef, FieldType, PicklistValue } from './types.js';

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'type'>>;

const LONG_TEXT_THRESHOLD = 255;

/** Builds a field with describe defaults derived from its type; options override them. */
export function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const length = options.length ?? defaultLength(type);
  const isText = type === 'textarea';
  const longText =
    options.longText ??
    (isText && (length > LONG_TEXT_THRESHOLD || options.extraTypeInfo === 'richtextarea'));
  const createable = options.createable ?? true;
  const nillable = options.nillable ?? type !== 'boolean';
  const defaultedOnCreate = options.defaultedOnCreate ?? type === 'boolean';
  const base: FieldDef = {
    name,
    label: options.label ?? labelOf(name),
    type,
    length,
    nillable,
    createable,
    updateable: options.updateable ?? createable,
    filterable: !longText,
    sortable: !longText && type !== 'multipicklist',
    groupable: !longText && !['datetime', 'double', 'currency', 'percent', 'multipicklist'].includes(type),
    aggregatable: !longText && type !== 'boolean',
    defaultedOnCreate,
    nameField: false,
    idLookup: type === 'id',
    unique: false,
    custom: name.endsWith('__c'),
    autoNumber: false,
    calculated: false,
    htmlFormatted: false,
    extraTypeInfo: null,
    referenceTo: [],
    relationshipName: null,
    polymorphic: false,
    cascadeDelete: false,
    picklistValues: [],
    restrictedPicklist: false,
    precision: 0,
    scale: 0,
    digits: type === 'int' ? 9 : 0,
    required: false,
    longText,
  };
  const merged: FieldDef = { ...base, ...options, name, type, length, longText };
  merged.required = options.required ?? (merged.createable && !merged.nillable && !merged.defaultedOnCreate);
  return merged;
}

function defaultLength(type: FieldType): number {
  switch (type) {
    case 'id':
    case 'reference':
      return 18;
    case 'string':
    case 'picklist':
    case 'email':
      return 255;
    case 'phone':
      return 40;
    case 'url':
      return 255;
    case 'textarea':
      return 255;
    case 'multipicklist':
      return 4099;
    case 'boolean':
    case 'datetime':
    case 'date':
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 0;
  }
}

/** "ContactEmail" → "Contact Email", "Answer__c" → "Answer". */
function labelOf(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/\bId$/, 'ID');
}

/** The record Id field. */
export const idField = (label: string): FieldDef =>
  field('Id', 'id', {
    label,
    createable: false,
    updateable: false,
    nillable: false,
    defaultedOnCreate: true,
  });

/** A read-only field the system maintains. */
export function systemField(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  return field(name, type, { createable: false, updateable: false, defaultedOnCreate: true, ...options });
}

/** A lookup field with its relationship name. */
export function reference(
  name: string,
  referenceTo: string[],
  relationshipName: string,
  options: FieldOptions = {},
): FieldDef {
  return field(name, 'reference', {
    referenceTo,
    relationshipName,
    polymorphic: referenceTo.length > 1,
    ...options,
  });
}

/** Picklist values from a list of API values; the first flagged value is the default. */
export function picklist(values: readonly string[], defaultValue?: string): PicklistValue[] {
  return values.map((value) => ({ value, label: value, active: true, defaultValue: value === defaultValue }));
}

/** The audit fields every object has: CreatedDate, CreatedById, LastModifiedDate, LastModifiedById, SystemModstamp. */
export function auditFields(): FieldDef[] {
  return [
    systemField('CreatedDate', 'datetime', { label: 'Created Date', nillable: false }),
    reference('CreatedById', ['User'], 'CreatedBy', {
      label: 'Created By ID',
      createable: false,
      updateable: false,
      defaultedOnCreate: true,
      nillable: false,
    }),
    systemField('LastModifiedDate', 'datetime', { label: 'Last Modified Date', nillable: false }),
    reference('LastModifiedById', ['User'], 'LastModifiedBy', {
      label: 'Last Modified By ID',
      createable: false,
      updateable: false,
      defaultedOnCreate: true,
      nillable: false,
    }),
    systemField('SystemModstamp', 'datetime', { label: 'System Modstamp', nillable: false }),
  ];
}

/** OwnerId, the lookup to the owning user (or queue, where `referenceTo` includes Group). */
export const ownerField = (referenceTo: string[]): FieldDef =>
  reference('OwnerId', referenceTo, 'Owner', { label: 'Owner ID', nillable: false, defaultedOnCreate: true });

/** MasterRecordId: after a merge, the surviving record a deleted one was merged into. */
export const masterRecordField = (sobject: string): FieldDef =>
  reference('MasterRecordId', [sobject], 'MasterRecord', {
    label: 'Master Record ID',
    createable: false,
    updateable: false,
  });

/** IsDeleted, present on every replicated object. */
export const isDeletedField = (): FieldDef =>
  systemField('IsDeleted', 'boolean', { label: 'Deleted', nillable: false });

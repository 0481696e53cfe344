// Custom objects an admin creates (`Device__c`), as the org settings list them (`customObjects`): the standard
// fields every custom object has (Id, OwnerId, IsDeleted, Name, the audit fields), a key prefix of their own, object
// permissions and field-level security like any other object; their custom fields come from `customFields`.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/system_fields.htm
// https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customobject.htm

import type { CustomObjectSpec } from '../org/contract.js';
import { defineObject } from './define-object.js';
import { auditFields, field, idField, isDeletedField, ownerField, systemField } from './field-builders.js';
import type { ObjectDef } from './types.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** the same shape as a custom field's name: a letter, letters/digits/single underscores, `__c`, 40 before it */
const CUSTOM_NAME = /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__c$/;

/**
 * The key prefix of the n-th custom object (from 0): `a00`, `a01`... Salesforce gives custom objects prefixes
 * starting with `a` in creation order (e.g. `a0D` in https://salesforce.stackexchange.com/questions/139392); the
 * exact sequence is the org's, so clients must read it from describe, never assume it.
 */
export function customObjectPrefix(index: number): string {
  return `a${BASE62[Math.floor(index / 62) % 62] ?? '0'}${BASE62[index % 62] ?? '0'}`;
}

/** what is wrong with a spec, in the words of Setup's own checks; undefined when it is fine */
export function customObjectProblem(spec: CustomObjectSpec): string | undefined {
  if (typeof spec.name !== 'string' || !CUSTOM_NAME.test(spec.name) || spec.name.length > 43) {
    return `${String(spec.name)}: a custom object name starts with a letter, has letters, digits and single underscores, ends with __c and is at most 40 characters before it`;
  }
  if (typeof spec.label !== 'string' || spec.label.trim() === '' || spec.label.length > 40) {
    return `${spec.name}: a custom object needs a label of 1 to 40 characters`;
  }
  if (spec.labelPlural !== undefined && (typeof spec.labelPlural !== 'string' || spec.labelPlural === '')) {
    return `${spec.name}: labelPlural must be text`;
  }
  if (spec.nameFieldLabel !== undefined && typeof spec.nameFieldLabel !== 'string') {
    return `${spec.name}: nameFieldLabel must be text`;
  }
  return undefined;
}

export const pluralLabel = (spec: CustomObjectSpec): string => spec.labelPlural ?? `${spec.label}s`;

/** the object definition of one custom object, before its custom fields are added */
export function customObjectDef(spec: CustomObjectSpec, index: number): ObjectDef {
  return defineObject({
    name: spec.name,
    label: spec.label,
    labelPlural: pluralLabel(spec),
    keyPrefix: customObjectPrefix(index),
    access: 'crud',
    searchable: true,
    searchFields: ['Name'],
    fields: [
      idField('Record ID'),
      ownerField(['Group', 'User']),
      isDeletedField(),
      // A Text Name holds 80 characters. The API does not require it: a record inserted without one is named
      // after its own Id (observed, not documented: https://salesforce.stackexchange.com/questions/139392), so
      // describe shows it nillable and defaulted on create.
      field('Name', 'string', {
        label: spec.nameFieldLabel ?? `${spec.label} Name`,
        length: 80,
        nameField: true,
        defaultedOnCreate: true,
      }),
      ...auditFields(),
      systemField('LastViewedDate', 'datetime', { label: 'Last Viewed Date' }),
      systemField('LastReferencedDate', 'datetime', { label: 'Last Referenced Date' }),
    ],
  });
}

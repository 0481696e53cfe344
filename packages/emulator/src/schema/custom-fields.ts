// Custom fields an admin adds to a standard object, as the org settings list them (`customFields`), in the
// Metadata API's type names a customer's admin knows: Text, TextArea, LongTextArea, Html (rich text), Picklist,
// MultiselectPicklist, Checkbox, Number, Date, DateTime, Lookup; with the External ID and Unique flags.
// https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm

import type { CustomFieldSpec } from '../org/contract.js';
import { field, picklist, reference } from './field-builders.js';
import type { FieldDef, ObjectDef } from './types.js';
import { defineObject } from './define-object.js';

export const CUSTOM_FIELD_TYPES = [
  'Text',
  'TextArea',
  'LongTextArea',
  'Html',
  'Picklist',
  'MultiselectPicklist',
  'Checkbox',
  'Number',
  'Date',
  'DateTime',
  'Lookup',
] as const;

/** the standard objects that take custom fields here (CaseComment takes none in Salesforce either) */
export const CUSTOMIZABLE_OBJECTS = ['Account', 'Contact', 'Case'] as const;

/** the standard objects a custom Lookup may point at here (custom objects are added to them) */
export const LOOKUP_TARGETS = ['Account', 'Contact', 'Case', 'User'] as const;

/** what is wrong with a spec, in the words of Setup's own checks; undefined when it is fine */
export function customFieldProblem(spec: CustomFieldSpec): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__c$/.test(spec.name) || spec.name.length > 43) {
    return `${spec.name}: a custom field name starts with a letter, has letters, digits and single underscores, ends with __c and is at most 40 characters before it`;
  }
  if (!(CUSTOM_FIELD_TYPES as readonly string[]).includes(spec.type)) {
    return `${spec.name}: type must be one of ${CUSTOM_FIELD_TYPES.join(', ')}`;
  }
  // Salesforce also allows Email and Auto Number external IDs; the emulator models Text and Number ones.
  // https://help.salesforce.com/s/articleView?id=sf.custom_field_attributes.htm
  if ((spec.externalId === true || spec.unique === true) && spec.type !== 'Text' && spec.type !== 'Number') {
    return `${spec.name}: only Text and Number fields can be External ID or Unique in the emulator`;
  }
  if ((spec.type === 'Picklist' || spec.type === 'MultiselectPicklist') && (spec.values ?? []).length === 0) {
    return `${spec.name}: a picklist needs values`;
  }
  if (spec.type === 'Lookup' && spec.referenceTo === undefined)
    return `${spec.name}: a Lookup needs referenceTo`;
  if (
    spec.relationshipName !== undefined &&
    !(
      typeof spec.relationshipName === 'string' &&
      /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/.test(spec.relationshipName)
    )
  ) {
    return `${spec.name}: relationshipName is an API name without __r (letters, digits, single underscores)`;
  }
  if (spec.type === 'Text' && spec.length !== undefined && !(spec.length >= 1 && spec.length <= 255)) {
    return `${spec.name}: a Text length is 1 to 255`;
  }
  return undefined;
}

function fieldOf(spec: CustomFieldSpec): FieldDef {
  const label = spec.label ?? spec.name.slice(0, -3).replace(/_/g, ' ');
  const flags = {
    label,
    custom: true,
    externalId: spec.externalId === true,
    // External ID and Unique are separate attributes: an External ID alone indexes the field for upsert and lookups
    // but allows the same value twice (upsert then finds several records: 300 or DUPLICATE_EXTERNAL_ID).
    unique: spec.unique === true,
    idLookup: spec.externalId === true,
    nillable: spec.required !== true && spec.type !== 'Checkbox',
  };
  switch (spec.type) {
    case 'Text':
      return field(spec.name, 'string', { ...flags, length: spec.length ?? 255 });
    case 'TextArea':
      return field(spec.name, 'textarea', { ...flags, length: 255 });
    case 'LongTextArea':
      return field(spec.name, 'textarea', { ...flags, length: spec.length ?? 32768, longText: true });
    case 'Html':
      return field(spec.name, 'textarea', {
        ...flags,
        length: spec.length ?? 32768,
        longText: true,
        htmlFormatted: true,
        extraTypeInfo: 'richtextarea',
      });
    case 'Picklist':
      return field(spec.name, 'picklist', {
        ...flags,
        picklistValues: picklist(spec.values ?? []),
        restrictedPicklist: spec.restricted === true,
      });
    case 'MultiselectPicklist':
      return field(spec.name, 'multipicklist', {
        ...flags,
        length: 4099,
        picklistValues: picklist(spec.values ?? []),
      });
    case 'Checkbox':
      return field(spec.name, 'boolean', { ...flags, defaultedOnCreate: true });
    case 'Number':
      return field(spec.name, 'double', {
        ...flags,
        precision: spec.precision ?? 18,
        scale: spec.scale ?? 0,
      });
    case 'Date':
      return field(spec.name, 'date', flags);
    case 'DateTime':
      return field(spec.name, 'datetime', flags);
    case 'Lookup':
      return reference(spec.name, [spec.referenceTo ?? ''], `${spec.name.slice(0, -3)}__r`, flags);
  }
}

/** `obj` with the custom fields the settings give it (a new definition: the standard one is never changed) */
export function withCustomFields(obj: ObjectDef, specs: CustomFieldSpec[]): ObjectDef {
  const mine = specs.filter((s) => s.sobject.toLowerCase() === obj.name.toLowerCase());
  if (mine.length === 0) return obj;
  const rebuilt = defineObject({
    name: obj.name,
    label: obj.label,
    labelPlural: obj.labelPlural,
    keyPrefix: obj.keyPrefix,
    access: obj.access,
    fields: [...obj.fields, ...mine.map(fieldOf)],
    table: obj.table,
    createable: obj.createable,
    updateable: obj.updateable,
    deletable: obj.deletable,
    searchable: obj.searchable,
    replicateable: obj.replicateable,
    hidden: obj.hidden,
    searchFields: [
      ...obj.searchFields,
      ...mine.filter((s) => ['Text', 'TextArea', 'LongTextArea', 'Html'].includes(s.type)).map((s) => s.name),
    ],
  });
  return rebuilt;
}

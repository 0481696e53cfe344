// Assembles an ObjectDef from its fields, building the case-insensitive lookup indexes SOQL and DML rely on.

import type { AccessModel, FieldDef, ObjectDef } from './types.js';

export interface ObjectSpec {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  access: AccessModel;
  fields: FieldDef[];
  table?: string;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  searchable?: boolean;
  replicateable?: boolean;
  hidden?: boolean;
  searchFields?: string[];
}

export function defineObject(spec: ObjectSpec): ObjectDef {
  const fieldIndex = new Map<string, FieldDef>();
  const relationshipIndex = new Map<string, FieldDef>();
  for (const f of spec.fields) {
    fieldIndex.set(f.name.toLowerCase(), f);
    if (f.relationshipName) relationshipIndex.set(f.relationshipName.toLowerCase(), f);
  }
  return {
    name: spec.name,
    label: spec.label,
    labelPlural: spec.labelPlural,
    keyPrefix: spec.keyPrefix,
    custom: spec.name.endsWith('__c') || spec.name.endsWith('__kav'),
    table: spec.table ?? spec.name,
    access: spec.access,
    createable: spec.createable ?? true,
    updateable: spec.updateable ?? true,
    deletable: spec.deletable ?? true,
    queryable: true,
    searchable: spec.searchable ?? false,
    replicateable: spec.replicateable ?? true,
    hidden: spec.hidden ?? false,
    fields: spec.fields,
    fieldIndex,
    relationshipIndex,
    childRelationships: [],
    childIndex: new Map(),
    searchFields: spec.searchFields ?? [],
  };
}

// The shapes of the emulator's schema: object and field definitions from which describe, SOQL and DML are driven.

import type { SObjectRecord } from '../org/contract.js';

/** Field `type` values as describe reports them. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'email'
  | 'phone'
  | 'url'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent';

/** The field types whose values are text: written as strings up to `length`, compared and sorted as text. */
export const TEXT_FIELD_TYPES = [
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'email',
  'phone',
  'url',
] as const;
export type TextFieldType = (typeof TEXT_FIELD_TYPES)[number];

export const isTextType = (type: FieldType): type is TextFieldType =>
  (TEXT_FIELD_TYPES as readonly FieldType[]).includes(type);

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

/** Reads a value the store does not hold (formula-like fields such as Case.ContactEmail or Contact.Name). */
export type ComputeFn = (
  record: SObjectRecord,
  lookup: (id: unknown) => SObjectRecord | undefined,
) => unknown;

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  nillable: boolean;
  /** system-level createable/updateable, before the caller's field-level security */
  createable: boolean;
  updateable: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  aggregatable: boolean;
  defaultedOnCreate: boolean;
  nameField: boolean;
  idLookup: boolean;
  unique: boolean;
  custom: boolean;
  autoNumber: boolean;
  calculated: boolean;
  htmlFormatted: boolean;
  extraTypeInfo: string | null;
  referenceTo: string[];
  relationshipName: string | null;
  polymorphic: boolean;
  cascadeDelete: boolean;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  precision: number;
  scale: number;
  digits: number;
  /** required on create (describe: createable && !nillable && !defaultedOnCreate) */
  required: boolean;
  /** long text area or rich text: not filterable, counts toward the 200-row batch cap */
  longText: boolean;
  /**
   * `length` counts UTF-8 bytes, not characters. Salesforce enforces text lengths "at the character level and not
   * at the byte level" except where a field says bytes, as CaseComment.CommentBody's "4,000 bytes" does
   * (https://help.salesforce.com/s/articleView?id=000382141&type=1).
   */
  lengthInBytes?: boolean;
  /** an External ID custom field: upsert and `sobjects/{type}/{field}/{value}` may key on it */
  externalId?: boolean;
  compute?: ComputeFn;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
}

/** How record access is decided for an object. */
export type AccessModel =
  /** object permissions from profile/permission sets, public sharing */
  | 'crud'
  /** Case: object permissions plus owner-based sharing from the org-wide default */
  | 'case'
  /** CaseComment: follows the parent Case */
  | 'parent-case'
  /** Knowledge versions: object permissions, Knowledge User licence, draft/archived article permissions */
  | 'knowledge'
  /** setup objects every API user can read and nobody edits through the API (Organization, CaseStatus...) */
  | 'read-only'
  /** User: everybody reads, edits need Manage Users (not modelled: system only) */
  | 'user'
  /** setup objects only users with View Setup and Configuration read (PermissionSet, ObjectPermissions...) */
  | 'setup';

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  /** name of the stored table; differs for views such as KnowledgeArticleVersion over Knowledge__kav */
  table: string;
  access: AccessModel;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  searchable: boolean;
  replicateable: boolean;
  /** hidden from describeGlobal (pseudo-objects such as Name) */
  hidden: boolean;
  fields: FieldDef[];
  /** lower-cased field name → field */
  fieldIndex: Map<string, FieldDef>;
  /** lower-cased relationship name → reference field */
  relationshipIndex: Map<string, FieldDef>;
  childRelationships: ChildRelationship[];
  /** lower-cased child relationship name → relationship */
  childIndex: Map<string, ChildRelationship>;
  /** fields SOSL searches, best first (title before body) */
  searchFields: string[];
}

// Salesforce's error vocabulary for records and describe, with the exact message texts clients parse or show.
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm#statuscode

import { SalesforceError } from '../errors.js';

export const invalidType = (name: string, status = 400): SalesforceError =>
  new SalesforceError(
    status,
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const noSuchField = (field: string, sobject: string): SalesforceError =>
  new SalesforceError(400, 'INVALID_FIELD', `No such column '${field}' on sobject of type ${sobject}`, [
    field,
  ]);

export const readOnlyField = (fields: string[]): SalesforceError =>
  new SalesforceError(
    400,
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${fields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    fields,
  );

export const requiredMissing = (fields: string[]): SalesforceError =>
  new SalesforceError(
    400,
    'REQUIRED_FIELD_MISSING',
    `Required fields are missing: [${fields.join(', ')}]`,
    fields,
  );

export const stringTooLong = (label: string, field: string, value: string, max: number): SalesforceError =>
  new SalesforceError(
    400,
    'STRING_TOO_LONG',
    `${label}: data value too large: ${value.length > 80 ? `${value.slice(0, 80)}...` : value} (max length=${max})`,
    [field],
  );

export const badPicklist = (label: string, field: string, value: string): SalesforceError =>
  new SalesforceError(
    400,
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    `${label}: bad value for restricted picklist field: ${value}`,
    [field],
  );

export const malformedId = (label: string, field: string, value: string): SalesforceError =>
  new SalesforceError(400, 'MALFORMED_ID', `${label}: id value of incorrect type: ${value}`, [field]);

export const wrongIdType = (label: string, field: string, value: string): SalesforceError =>
  new SalesforceError(400, 'FIELD_INTEGRITY_EXCEPTION', `${label}: id value of incorrect type: ${value}`, [
    field,
  ]);

export const invalidCrossReference = (field: string): SalesforceError =>
  new SalesforceError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field]);

export const insufficientAccess = (message = 'insufficient access rights on object id'): SalesforceError =>
  new SalesforceError(400, 'INSUFFICIENT_ACCESS_OR_READONLY', message, []);

// Approval-process locks refuse updates and deletes of the record to everyone but admins (Modify All on the object,
// or Modify All Data) and, by the process's settings, its approvers: "Approval Class" in the Apex reference. The wording is as observed
// in orgs ("the entity is locked for editing"; newer orgs also say "This record is locked..."): clients key on
// the errorCode only.
export const entityIsLocked = (): SalesforceError =>
  new SalesforceError(400, 'ENTITY_IS_LOCKED', 'the entity is locked for editing', []);

export const entityIsDeleted = (): SalesforceError =>
  new SalesforceError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);

export const jsonParserError = (message: string): SalesforceError =>
  new SalesforceError(400, 'JSON_PARSER_ERROR', message);

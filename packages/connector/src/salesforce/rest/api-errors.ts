// Turns a final Salesforce failure into its registered SF_API_ code, keeping Salesforce's errorCode, message and
// fields in details (never the token or the request body).

import type { RecordRefusal, RefusalKind } from '../../domain/tickets/record-refusal.js';
import { appError, type AppError } from '../../errors/app-error.js';
import {
  SF_API_DISABLED,
  SF_API_ERROR,
  SF_API_INSUFFICIENT_ACCESS,
  SF_API_NOT_FOUND,
  SF_API_QUERY_LOCATOR_LOST,
  SF_API_RECORD_LOCKED,
  SF_API_SCHEMA_MISMATCH,
  SF_API_VALIDATION_FAILED,
} from '../../errors/codes/salesforce-api.js';
import { scrubSecrets } from '../../logging/scrub-secrets.js';

export interface SalesforceErrorBody {
  errorCode: string;
  message: string;
  fields: string[];
}

/** Salesforce error bodies are arrays of {message, errorCode, fields?}; collections say statusCode. */
export function parseErrorBody(body: string): SalesforceErrorBody[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [];
  }
  const items = Array.isArray(json) ? json : [json];
  const out: SalesforceErrorBody[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const record = item as Record<string, unknown>;
    const code = record['errorCode'] ?? record['statusCode'] ?? record['error'];
    if (typeof code !== 'string') continue;
    const message = record['message'] ?? record['error_description'];
    const fields = Array.isArray(record['fields'])
      ? record['fields'].filter((f): f is string => typeof f === 'string')
      : [];
    out.push({ errorCode: code, message: scrubSecrets(typeof message === 'string' ? message : ''), fields });
  }
  return out;
}

const ACCESS = new Set([
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'FUNCTIONALITY_NOT_ENABLED',
]);
/** The user (no "API Enabled") or the org (edition without API access) may not use the API at all. */
const API_DISABLED = new Set(['API_DISABLED_FOR_ORG', 'API_CURRENTLY_DISABLED']);
const SCHEMA = new Set([
  'INVALID_FIELD',
  'INVALID_TYPE',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'NO_SUCH_COLUMN',
]);
const NOT_FOUND = new Set(['NOT_FOUND', 'ENTITY_IS_DELETED']);
const VALIDATION = new Set([
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'REQUIRED_FIELD_MISSING',
  'STRING_TOO_LONG',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'DUPLICATES_DETECTED',
  'DUPLICATE_VALUE',
  'FIELD_INTEGRITY_EXCEPTION',
  'INVALID_EMAIL_ADDRESS',
  'MALFORMED_ID',
  'INVALID_CROSS_REFERENCE_KEY',
]);

/**
 * The refusals an employee can be told about in casebridge's words (domain/tickets/record-refusal.ts), by
 * errorCode: https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm#statuscode
 * (StatusCode). INSUFFICIENT_ACCESS_OR_READONLY comes as 400 from a DML write and 403 elsewhere; ENTITY_IS_LOCKED
 * is an approval process's lock ("Approval Class", Apex reference).
 */
const REFUSALS: Record<string, RefusalKind> = {
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'rule',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'value-not-allowed',
  REQUIRED_FIELD_MISSING: 'required',
  STRING_TOO_LONG: 'too-long',
  ENTITY_IS_LOCKED: 'locked',
  INSUFFICIENT_ACCESS_OR_READONLY: 'no-access',
  INSUFFICIENT_ACCESS: 'no-access',
};

/** Case and CaseComment fields casebridge fills from what the employee wrote, by casebridge's own names. */
const OWN_FIELD_NAMES: Record<string, string> = {
  Subject: 'subject',
  Description: 'description',
  Priority: 'priority',
  CommentBody: 'text',
};

/** The refusal in casebridge's words of one Salesforce error, when it is one an employee can be told. */
export function refusalOf(error: SalesforceErrorBody): RecordRefusal | undefined {
  const kind = REFUSALS[error.errorCode];
  if (kind === undefined) return undefined;
  const refusal: RecordRefusal = {
    kind,
    fields: error.fields.map((f) => OWN_FIELD_NAMES[f] ?? f),
    message: error.message,
  };
  // "Priority: bad value for restricted picklist field: Urgent"
  const value = /restricted picklist field: (.*)$/s.exec(error.message)?.[1];
  if (kind === 'value-not-allowed' && value !== undefined) refusal.value = value;
  // "Subject: data value too large: ... (max length=255)"
  const max = /\(max length=(\d+)\)\s*$/.exec(error.message)?.[1];
  if (kind === 'too-long' && max !== undefined) refusal.maxLength = Number(max);
  return refusal;
}

export interface ErrorContext {
  tenantId: string;
  status: number | null;
  /** the sObject the call was about, when known */
  sobject?: string;
  recordId?: string;
}

export function apiError(errors: SalesforceErrorBody[], context: ErrorContext, cause?: unknown): AppError {
  const first = errors[0] ?? {
    errorCode: context.status === null ? 'NO_RESPONSE' : `HTTP_${context.status}`,
    message: '',
    fields: [],
  };
  const refusal = refusalOf(first);
  const details = {
    errorCode: first.errorCode,
    message: first.message,
    fields: first.fields,
    status: context.status,
    ...(errors.length > 1 ? { errors } : {}),
    ...(refusal === undefined ? {} : { refusal }),
  };
  const params = {
    tenant: context.tenantId,
    object: context.sobject ?? 'the object',
    id: context.recordId ?? '',
    errorCode: first.errorCode,
    message: first.message || `HTTP ${String(context.status)}`,
  };
  const options = { params, details, ...(cause === undefined ? {} : { cause }) };
  if (API_DISABLED.has(first.errorCode)) return appError(SF_API_DISABLED, options);
  if (ACCESS.has(first.errorCode) || (context.status === 403 && !errors.length))
    return appError(SF_API_INSUFFICIENT_ACCESS, options);
  if (SCHEMA.has(first.errorCode)) return appError(SF_API_SCHEMA_MISMATCH, options);
  if (NOT_FOUND.has(first.errorCode) || (context.status === 404 && !errors.length))
    return appError(SF_API_NOT_FOUND, options);
  if (VALIDATION.has(first.errorCode)) return appError(SF_API_VALIDATION_FAILED, options);
  if (first.errorCode === 'ENTITY_IS_LOCKED') return appError(SF_API_RECORD_LOCKED, options);
  if (first.errorCode === 'INVALID_QUERY_LOCATOR') return appError(SF_API_QUERY_LOCATOR_LOST, options);
  return appError(SF_API_ERROR, options);
}

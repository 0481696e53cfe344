// SF_API_: calls to the Salesforce REST API after login. Salesforce's own errorCode, message and fields travel in
// `details`; tokens never do. https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const SF_API_SESSION_REJECTED = defineError(
  'SF_API_SESSION_REJECTED',
  'Salesforce rejected a fresh session of tenant {tenant} (INVALID_SESSION_ID right after logging in).',
  'The token is issued but unusable: check that the connected app\'s scopes include "api", that the service user has "API Enabled", and that no session IP or high-assurance policy applies to the app; `casebridge doctor` shows which.',
  401,
  EXIT.salesforceAuth,
);

export const SF_API_REQUEST_LIMIT = defineError(
  'SF_API_REQUEST_LIMIT',
  'The Salesforce org of tenant {tenant} has spent its API request allocation (REQUEST_LIMIT_EXCEEDED); background work is paused until {until}.',
  "The allocation is a rolling 24 hours: wait, lower casebridge's share (apiBudgetShare) or what else in the org uses the API, or buy more API calls. `casebridge tenants show` shows the pause.",
  503,
  EXIT.salesforceAccess,
);

export const SF_API_INSUFFICIENT_ACCESS = defineError(
  'SF_API_INSUFFICIENT_ACCESS',
  'The service user of tenant {tenant} may not do this on {object}: {message}',
  'Grant the service user the object and field permissions casebridge needs (the casebridge permission set from `casebridge setup`), and sharing access to the records; `casebridge doctor` lists what is missing.',
  403,
  EXIT.salesforceAccess,
);

export const SF_API_DISABLED = defineError(
  'SF_API_DISABLED',
  'The service user of tenant {tenant} logs in but may not use the REST API ({errorCode}: {message}).',
  'Give the service user the system permission "API Enabled" (in the casebridge permission set from `casebridge setup`, or its profile). If it already has it, the org\'s edition has no API access (e.g. Professional Edition without the API add-on): ask Salesforce to enable it.',
  403,
  EXIT.salesforceAccess,
);

export const SF_API_SCHEMA_MISMATCH = defineError(
  'SF_API_SCHEMA_MISMATCH',
  'The org of tenant {tenant} lacks an object or field casebridge uses, or hides it from the service user ({errorCode}: {message}).',
  "Check the tenant settings that name fields (Knowledge body fields, case defaults) against the org, and the service user's field-level security; `casebridge doctor` lists the missing fields.",
  400,
  EXIT.salesforceAccess,
);

export const SF_API_NOT_FOUND = defineError(
  'SF_API_NOT_FOUND',
  'The {object} record {id} does not exist in the org of tenant {tenant} or the service user cannot see it.',
  'Check the id; if the record exists, share it with the service user (Case sharing settings, or View All on the object).',
  404,
  EXIT.notFound,
);

export const SF_API_VALIDATION_FAILED = defineError(
  'SF_API_VALIDATION_FAILED',
  'Salesforce refused to save the {object} record of tenant {tenant}: {message}',
  'A validation rule, required field or picklist restriction in the org refused the values; adjust the case defaults or status mapping in the tenant settings, or the rule in the org.',
  422,
  EXIT.failure,
);

export const SF_API_UNAVAILABLE = defineError(
  'SF_API_UNAVAILABLE',
  'Salesforce did not answer tenant {tenant} successfully after {attempts} attempts ({reason}).',
  'Salesforce or the network is having trouble; the call is retried by the next job run. Check status.salesforce.com for the instance.',
  503,
  EXIT.failure,
);

export const SF_API_WRITE_OUTCOME_UNKNOWN = defineError(
  'SF_API_WRITE_OUTCOME_UNKNOWN',
  'A write to {object} for tenant {tenant} may or may not have been applied: the connection failed after it was sent ({reason}).',
  'casebridge does not repeat a write it cannot prove was not applied; the next sync reconciles it. Check the record in Salesforce if it matters now.',
  503,
  EXIT.failure,
);

export const SF_API_QUERY_LOCATOR_LOST = defineError(
  'SF_API_QUERY_LOCATOR_LOST',
  'Salesforce released the query cursor of tenant {tenant} before all pages were read (INVALID_QUERY_LOCATOR).',
  'Nothing to fix: the sync restarts from its last saved cursor. If it repeats, something else is opening many queries as the same user (about 10 open cursors per user).',
  503,
  EXIT.failure,
);

export const SF_API_INVALID_RESPONSE = defineError(
  'SF_API_INVALID_RESPONSE',
  'Salesforce answered tenant {tenant} with a {shape} casebridge cannot read: field {field}: {problem}.',
  "Check that the tenant's API version is supported by casebridge and that the org's field types match what casebridge expects; report it with details if they do.",
  502,
  EXIT.failure,
);

export const SF_API_ERROR = defineError(
  'SF_API_ERROR',
  'Salesforce refused a request of tenant {tenant} ({errorCode}: {message}).',
  "Read Salesforce's errorCode, message and fields in details; the REST API error reference explains each code.",
  502,
  EXIT.failure,
);

export const SF_API_CREATED_UNREADABLE = defineError(
  'SF_API_CREATED_UNREADABLE',
  'The {object} was created in Salesforce as {id} for tenant {tenant}, but could not be read back: {reason}.',
  'Do not create it again: it exists. Give the service user access to the records it creates (assignment rules may hand new cases to a queue it cannot see: grant View All on Case, or a sharing rule), then run `casebridge doctor`.',
  502,
  EXIT.salesforceAccess,
);

export const SF_API_RECORD_LOCKED = defineError(
  'SF_API_RECORD_LOCKED',
  'The {object} record {id} of tenant {tenant} is locked for editing in Salesforce (ENTITY_IS_LOCKED: {message}).',
  'An approval process locks the record until it is approved, rejected or recalled; finish or recall the approval in Salesforce, or have an admin unlock the record, then try again.',
  409,
  EXIT.failure,
);

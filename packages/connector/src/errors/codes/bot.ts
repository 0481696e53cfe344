// BOT_: the bot API refusing an identity token, a session or a request; every message is safe to show an employee.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const BOT_IDENTITY_NOT_CONFIGURED = defineError(
  'BOT_IDENTITY_NOT_CONFIGURED',
  'Tenant {tenant} has no identity-token settings; the bot API refuses its employees.',
  "Set the tenant's issuer, audience and public key (or JWKS URL) for identity tokens (docs/bot-api.md).",
  401,
  EXIT.failure,
);

export const BOT_IDENTITY_SETTINGS_INVALID = defineError(
  'BOT_IDENTITY_SETTINGS_INVALID',
  'The identity-token settings of tenant {tenant} were not saved: {reason}.',
  'Give the issuer, the audience and either an RSA or EC P-256 public key in PEM or an https JWKS URL (docs/bot-api.md).',
  400,
  EXIT.usage,
);

export const BOT_IDENTITY_TOKEN_INVALID = defineError(
  'BOT_IDENTITY_TOKEN_INVALID',
  'The identity token was refused: {reason}.',
  'Sign a new identity token with RS256 or ES256 and the tenant key, with its issuer and audience, `sub` the email, a unique `jti` and `exp` at most 10 minutes ahead.',
  401,
  EXIT.failure,
);

export const BOT_IDENTITY_TOKEN_REPLAYED = defineError(
  'BOT_IDENTITY_TOKEN_REPLAYED',
  'The identity token was already exchanged once; a token is accepted only once.',
  'Sign a new identity token with a new `jti` for every session.',
  401,
  EXIT.failure,
);

export const BOT_IDENTITY_KEYS_UNAVAILABLE = defineError(
  'BOT_IDENTITY_KEYS_UNAVAILABLE',
  "The tenant's identity-token keys could not be fetched from its JWKS URL.",
  'Check that the JWKS URL answers with a JSON Web Key Set and passes the URL policy (https, a public address).',
  503,
  EXIT.failure,
);

export const BOT_SESSION_INVALID = defineError(
  'BOT_SESSION_INVALID',
  'No valid employee session: {reason}.',
  'Exchange a new identity token at POST /v1/sessions and send the session as `Authorization: Bearer <session>`.',
  401,
  EXIT.failure,
);

export const BOT_EMPLOYEE_AMBIGUOUS = defineError(
  'BOT_EMPLOYEE_AMBIGUOUS',
  '{count} Contacts have the email {email}; the employee must choose one.',
  'Ask the employee which one they are (details.candidates) and send its id as `contactId` with a new identity token.',
  409,
  EXIT.failure,
);

export const BOT_EMPLOYEE_CHOICE_INVALID = defineError(
  'BOT_EMPLOYEE_CHOICE_INVALID',
  'The chosen Contact is not one of the Contacts with the email {email}.',
  'Send one of the ids listed in details.candidates of BOT_EMPLOYEE_AMBIGUOUS.',
  400,
  EXIT.usage,
);

export const BOT_BAD_REQUEST = defineError(
  'BOT_BAD_REQUEST',
  'The request is not valid: {summary}.',
  'Correct the fields listed in details (docs/bot-api.md has every operation and its schema).',
  400,
  EXIT.usage,
);

export const BOT_IDEMPOTENCY_KEY_MISSING = defineError(
  'BOT_IDEMPOTENCY_KEY_MISSING',
  'Filing a ticket needs an Idempotency-Key header (1 to 200 visible characters).',
  'Send a new random `Idempotency-Key` for every ticket, and the same one when retrying it.',
  400,
  EXIT.usage,
);

export const BOT_TICKET_CHANGED = defineError(
  'BOT_TICKET_CHANGED',
  'Ticket {case} was changed by the support team since you last saw it, so it was not {action}.',
  'Show the ticket again (GET /v1/tickets/{case}), read what changed, and ask again if it should still be {action}.',
  409,
  EXIT.failure,
);

export const BOT_TICKET_STATE_REFUSED = defineError(
  'BOT_TICKET_STATE_REFUSED',
  'Ticket {case} is {state}; only a resolved or closed ticket can be reopened.',
  'Comment on the ticket instead (POST /v1/tickets/{case}/comments).',
  409,
  EXIT.failure,
);

export const BOT_RATE_LIMITED = defineError(
  'BOT_RATE_LIMITED',
  'Too many requests for this employee: at most {max} every {window} seconds.',
  'Wait {retryAfter} seconds (the Retry-After header) and try again.',
  429,
  EXIT.failure,
);

export const BOT_TICKET_NOT_FOUND = defineError(
  'BOT_TICKET_NOT_FOUND',
  'No ticket {case} of yours was found.',
  'List your tickets (GET /v1/tickets) and use one of their numbers.',
  404,
  EXIT.failure,
);

export const BOT_API_KEY_INVALID = defineError(
  'BOT_API_KEY_INVALID',
  'No valid API key: {reason}.',
  "Send the platform's key as `X-Api-Key: cbk_…` on every call (`casebridge bot keys create TENANT NAME` makes one).",
  401,
  EXIT.failure,
);

export const BOT_API_KEY_TENANT_MISMATCH = defineError(
  'BOT_API_KEY_TENANT_MISMATCH',
  'The API key is not a key of tenant {tenant}.',
  "Use the key made for this tenant, or leave `tenant` out: the key's own tenant is used.",
  403,
  EXIT.failure,
);

export const BOT_API_KEY_NAME_TAKEN = defineError(
  'BOT_API_KEY_NAME_TAKEN',
  'Tenant {tenant} already has an active API key named {name}.',
  'Choose another name, rotate the key (`casebridge bot keys rotate`), or revoke it first.',
  409,
  EXIT.usage,
);

export const BOT_API_KEY_NOT_FOUND = defineError(
  'BOT_API_KEY_NOT_FOUND',
  'Tenant {tenant} has no {what} API key named {name}.',
  'List the keys with `casebridge bot keys list TENANT`.',
  404,
  EXIT.usage,
);

export const BOT_API_KEY_ROTATION_PENDING = defineError(
  'BOT_API_KEY_ROTATION_PENDING',
  'API key {name} of tenant {tenant} is being rotated already: its old key is still accepted.',
  'Finish that rotation first (`casebridge bot keys finish-rotation TENANT NAME`) once the platform uses the new key.',
  409,
  EXIT.usage,
);

export const BOT_API_KEY_NAME_INVALID = defineError(
  'BOT_API_KEY_NAME_INVALID',
  'The API key name {name} is not valid.',
  'Use 1 to 64 letters, digits, dots, dashes or underscores, e.g. `teams-bot`.',
  400,
  EXIT.usage,
);

export const BOT_KEY_RATE_LIMITED = defineError(
  'BOT_KEY_RATE_LIMITED',
  'Too many requests with this API key: at most {max} every {window} seconds.',
  'Wait {retryAfter} seconds (the Retry-After header) and try again, or give each platform its own key.',
  429,
  EXIT.failure,
);

export const BOT_FIELD_UNMAPPED = defineError(
  'BOT_FIELD_UNMAPPED',
  'The ticket was not filed: the support team has not set up the field(s) {fields}.',
  "Leave those fields out, or ask the operator to map them onto Case fields (the tenant's filing.fields setting).",
  400,
  EXIT.usage,
);

// Salesforce's refusals as an employee is told them (services/bot/employee-refusal.ts): what to change in their
// own words, never a Salesforce field name; the operator's log line keeps Salesforce's errorCode and fields.

export const BOT_TICKET_RULE_REFUSED = defineError(
  'BOT_TICKET_RULE_REFUSED',
  'The support system did not accept this: {rule}',
  'Change what the message asks for and try again. The message is the support team’s own rule; ask them if it is unclear.',
  422,
  EXIT.usage,
);

export const BOT_TICKET_VALUE_REFUSED = defineError(
  'BOT_TICKET_VALUE_REFUSED',
  'The support system does not accept "{value}" as the {field} of a ticket.',
  'Choose another {field} (or leave it out), then try again.',
  422,
  EXIT.usage,
);

export const BOT_TICKET_FIELD_REQUIRED = defineError(
  'BOT_TICKET_FIELD_REQUIRED',
  'The support system needs the {fields} of the ticket, and it was not given.',
  'Ask the employee for the {fields} and send it in `fields` (or `priority`), then try again.',
  422,
  EXIT.usage,
);

export const BOT_TICKET_TEXT_TOO_LONG = defineError(
  'BOT_TICKET_TEXT_TOO_LONG',
  'The {field} is longer than the support system holds ({max} characters at most).',
  'Shorten the {field} and try again.',
  422,
  EXIT.usage,
);

export const BOT_TICKET_LOCKED = defineError(
  'BOT_TICKET_LOCKED',
  'Ticket {case} is locked for editing in the support system (for example while it awaits an approval), so it was not changed.',
  'Try again once the support team has finished with it, or tell them in a new ticket or by their usual channel.',
  409,
  EXIT.failure,
);

export const BOT_TICKET_ACCESS_REFUSED = defineError(
  'BOT_TICKET_ACCESS_REFUSED',
  'The support system does not let this service change ticket {case}, so nothing was changed.',
  'Nothing the employee can change: the operator gives the service user edit access to the case (Case sharing, or Modify All on Case; see docs/setup.md); the log line of this call carries Salesforce’s errorCode.',
  403,
  EXIT.salesforceAccess,
);

export const BOT_TICKET_SETUP_REFUSED = defineError(
  'BOT_TICKET_SETUP_REFUSED',
  'The support system refused the ticket because of how this service is set up ({reason}), so nothing was saved.',
  'Nothing the employee can change: the operator checks the tenant’s caseDefaults, filing and status mapping against the org (`casebridge doctor`); the log line of this call carries Salesforce’s errorCode and fields.',
  422,
  EXIT.failure,
);

// The bot listener's own answers to requests no operation can take (http/error-handler.ts, BOT_LISTENER_CODES): a
// platform developer reading them is pointed at the bot API's documents, never at the admin API's.

export const BOT_UNSUPPORTED_MEDIA_TYPE = defineError(
  'BOT_UNSUPPORTED_MEDIA_TYPE',
  'The request body is sent as {contentType}, which the bot API does not read.',
  'Send the body as JSON with `Content-Type: application/json` (docs/bot-api.md; the schemas are in GET /v1/openapi.json).',
  415,
  EXIT.usage,
);

export const BOT_BODY_TOO_LARGE = defineError(
  'BOT_BODY_TOO_LARGE',
  'The request body is larger than the bot API’s limit of {limit} bytes.',
  'Send a smaller body: the longest field an operation takes is well under {limit} bytes (docs/bot-api.md; the limits of every field are in GET /v1/openapi.json).',
  413,
  EXIT.usage,
);

export const BOT_ROUTE_NOT_FOUND = defineError(
  'BOT_ROUTE_NOT_FOUND',
  'The bot API has no operation {method} {path}.',
  'Check the method and path against docs/bot-api.md or the OpenAPI document at GET /v1/openapi.json.',
  404,
  EXIT.usage,
);

export const BOT_INPUT_REFUSED = defineError(
  'BOT_INPUT_REFUSED',
  'The request holds input the bot API never accepts: {summary}.',
  'Remove NUL bytes (\\u0000) from every value, and keys named __proto__, constructor or prototype, then send it again (docs/bot-api.md).',
  400,
  EXIT.usage,
);

export const BOT_INTERNAL = defineError(
  'BOT_INTERNAL',
  'The bot API failed unexpectedly (reference {reference}).',
  'Try again; if it keeps failing, give the operator the reference: the service log has the details.',
  500,
  EXIT.failure,
);

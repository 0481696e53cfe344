// REPLY_: an employee's reply to a case that cannot be posted as asked.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const REPLY_EMPTY = defineError(
  'REPLY_EMPTY',
  'The reply has no text.',
  'Send the reply text (whitespace alone is not a reply).',
  400,
  EXIT.usage,
);

export const REPLY_TOO_LONG = defineError(
  'REPLY_TOO_LONG',
  'The reply needs {parts} comments of 4,000 bytes; at most {max} are posted for one reply.',
  'Shorten the reply, or send it as several replies.',
  400,
  EXIT.usage,
);

export const REPLY_NOT_YOUR_CASE = defineError(
  'REPLY_NOT_YOUR_CASE',
  'Case {case} is not a case of {employee}: its Contact (or, with no Contact, its supplied email) is someone else.',
  "Reply only to the employee's own cases. If the case is theirs, set its Contact in Salesforce to their Contact.",
  403,
  EXIT.failure,
);

export const REPLY_CASE_CLOSED = defineError(
  'REPLY_CASE_CLOSED',
  'Case {case} is closed (status "{status}"); the reply was not posted.',
  'Open a new case for a new problem, or let replies reopen closed cases: `casebridge tenants update {tenant} --set replies.reopenClosed=true`.',
  409,
  EXIT.failure,
);

export const REPLY_KEY_REUSED = defineError(
  'REPLY_KEY_REUSED',
  'The idempotency key was used before for {what}; a retry must repeat the same reply.',
  'Give every new reply a new idempotency key, and reuse a key only to retry the very same reply.',
  409,
  EXIT.usage,
);

export const REPLY_PARTLY_POSTED = defineError(
  'REPLY_PARTLY_POSTED',
  '{posted} of the {parts} parts of the reply to case {case} are posted; part {failed} failed: {errorCode} {message}',
  'Retry with the same idempotency key: the missing parts are posted, none twice.',
  502,
  EXIT.failure,
);

export const REPLY_EMPLOYEE_NOT_FOUND = defineError(
  'REPLY_EMPLOYEE_NOT_FOUND',
  'No Contact in tenant {tenant} has the email {email}.',
  'Give the email of the Contact the case belongs to.',
  404,
  EXIT.notFound,
);

export const REPLY_EMPLOYEE_AMBIGUOUS = defineError(
  'REPLY_EMPLOYEE_AMBIGUOUS',
  '{count} Contacts in tenant {tenant} have the email {email}; a reply is never attributed by guess.',
  'Merge the duplicate Contacts in Salesforce (their ids are in details), then reply again.',
  409,
  EXIT.failure,
);

export const REPLY_CASE_NOT_FOUND = defineError(
  'REPLY_CASE_NOT_FOUND',
  'No case {case} is visible to the service user of tenant {tenant}.',
  'Check the case number or id; a case the service user cannot see (sharing) is not found either.',
  404,
  EXIT.notFound,
);

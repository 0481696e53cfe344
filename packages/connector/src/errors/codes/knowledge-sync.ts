// KNOWLEDGE_SYNC_: what a knowledge sync warns about for a tenant or an article; the rest of the sync goes on.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const KNOWLEDGE_SYNC_NOT_ENABLED = defineError(
  'KNOWLEDGE_SYNC_NOT_ENABLED',
  'Tenant "{tenant}" has no Knowledge article object the service user can query.',
  'Enable Knowledge in the org (Setup > Knowledge Settings) and give the service user Knowledge User and read access on the article object, then run `casebridge doctor {tenant}`.',
  409,
  EXIT.failure,
);

export const KNOWLEDGE_SYNC_BODY_FIELD_MISSING = defineError(
  'KNOWLEDGE_SYNC_BODY_FIELD_MISSING',
  'The body field {field} of tenant "{tenant}" is not on {object} or the service user cannot read it; loaded without it.',
  "Correct the tenant's knowledge body fields (`casebridge tenants update {tenant} --set knowledge.bodyFields=Answer__c,Details__c`) or grant read access to the field.",
  409,
  EXIT.failure,
);

export const KNOWLEDGE_SYNC_NO_BODY_FIELD = defineError(
  'KNOWLEDGE_SYNC_NO_BODY_FIELD',
  '{object} of tenant "{tenant}" has no readable rich-text or long-text field; its articles are searched by title only.',
  "Grant the service user read access to the article body fields, or name them in the tenant's knowledge body fields.",
  409,
  EXIT.failure,
);

export const KNOWLEDGE_SYNC_LANGUAGE_UNKNOWN = defineError(
  'KNOWLEDGE_SYNC_LANGUAGE_UNKNOWN',
  'Tenant "{tenant}" asks for Knowledge language {language}, which the org does not have (it has {languages}).',
  "Set the tenant's knowledge languages to languages of the org, or add the language in Setup > Knowledge Settings.",
  409,
  EXIT.failure,
);

export const KNOWLEDGE_SYNC_BODY_TRUNCATED = defineError(
  'KNOWLEDGE_SYNC_BODY_TRUNCATED',
  'Article {articleNumber} ({language}) of tenant "{tenant}" has a body of {chars} characters; the first {max} are searched.',
  'Split the article into smaller ones, or leave it: only its end is not searchable.',
  409,
  EXIT.failure,
);

export const KNOWLEDGE_SYNC_ROW_SET_ASIDE = defineError(
  'KNOWLEDGE_SYNC_ROW_SET_ASIDE',
  'Article version {id} of tenant "{tenant}" could not be read ({reason}); it was skipped.',
  'Check the version in Salesforce; the next sync after it changes reads it again.',
  409,
  EXIT.failure,
);

export const KNOWLEDGE_SYNC_DISABLED = defineError(
  'KNOWLEDGE_SYNC_DISABLED',
  'Knowledge sync is off for tenant "{tenant}"; nothing was loaded and what is indexed stays.',
  'Turn it on with `casebridge tenants update {tenant} --settings-json \'{"knowledge":{"enabled":true}}\'`.',
  409,
  EXIT.failure,
);

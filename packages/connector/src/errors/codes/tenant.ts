// TENANT_: a tenant (one customer's Salesforce org) that cannot be found, created or changed as asked.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const TENANT_NOT_FOUND = defineError(
  'TENANT_NOT_FOUND',
  'No tenant "{tenant}" exists.',
  'Run `casebridge tenants list` to see the tenants, or add it with `casebridge tenants add`.',
  404,
  EXIT.notFound,
);

export const TENANT_EXISTS = defineError(
  'TENANT_EXISTS',
  'A tenant "{tenant}" already exists.',
  'Choose another id, or change the existing tenant with `casebridge tenants update`.',
  409,
  EXIT.usage,
);

export const TENANT_INVALID = defineError(
  'TENANT_INVALID',
  'The tenant settings are invalid: {summary}',
  'Correct the fields listed in details and try again (see docs/configuration.md, "Tenants").',
  400,
  EXIT.usage,
);

export const TENANT_NO_KEY = defineError(
  'TENANT_NO_KEY',
  'Tenant "{tenant}" has no private key.',
  'Generate one with `casebridge tenants rotate-key {tenant} --start` or import one with `casebridge keygen --import-to {tenant}`.',
  409,
  EXIT.usage,
);

export const TENANT_NO_PENDING_KEY = defineError(
  'TENANT_NO_PENDING_KEY',
  'Tenant "{tenant}" has no pending key to {action}.',
  'Start a rotation first with `casebridge tenants rotate-key {tenant} --start`.',
  409,
  EXIT.usage,
);

export const TENANT_PENDING_KEY_UNPROVEN = defineError(
  'TENANT_PENDING_KEY_UNPROVEN',
  'The pending key of tenant "{tenant}" has not been proven against Salesforce.',
  'Upload the new certificate to the Connected App, then run `casebridge doctor {tenant} --pending-key` until it passes, then `casebridge tenants rotate-key {tenant} --commit`.',
  409,
  EXIT.salesforceAuth,
);

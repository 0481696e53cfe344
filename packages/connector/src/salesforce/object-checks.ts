// doctor's object lines: for each object casebridge uses, the object permissions and the fields field-level
// security lets the service user see, from one describe each. Read-only.

import type { SalesforceGateway } from '../domain/ports.js';
import type { Tenant } from '../domain/tenant.js';
import { isAppError } from '../errors/app-error.js';
import { failure, type AccessFinding } from './access-finding.js';
import { SF_CASE_FIELDS } from './wire/sf-case.js';
import { SF_CASE_COMMENT_FIELDS } from './wire/sf-case-comment.js';
import { SF_CONTACT_FIELDS } from './wire/sf-contact.js';
import { SF_KNOWLEDGE_ARTICLE_FIELDS } from './wire/sf-knowledge-article.js';

export interface ObjectNeeds {
  sobject: string;
  read: readonly string[];
  create: readonly string[];
  update: readonly string[];
  /** a field that must be an External ID (the tenant's filing.externalIdField); it is in `create` too */
  externalId?: string;
}

/** The fix for missing object permissions names exactly what to grant, and where. */
function objectPermissionFix(sobject: string, missing: readonly string[]): string {
  return `Grant ${missing.join(', ')} on ${sobject} to the service user (Object Settings of the casebridge permission set from \`casebridge setup\`, which has it), or assign that permission set to the user.`;
}

/** What casebridge uses on each object (reads for sync, writes for the bot). */
export function objectNeeds(tenant: Tenant): ObjectNeeds[] {
  const externalId = tenant.settings.filing?.externalIdField;
  const needs: ObjectNeeds[] = [
    { sobject: 'Contact', read: SF_CONTACT_FIELDS, create: [], update: [] },
    {
      sobject: 'Case',
      read: SF_CASE_FIELDS,
      create: [
        'Subject',
        'Description',
        'Status',
        'ContactId',
        ...Object.keys(tenant.settings.caseDefaults),
        ...(externalId === undefined ? [] : [externalId]),
      ],
      update: ['Status'],
      ...(externalId === undefined ? {} : { externalId }),
    },
    {
      sobject: 'CaseComment',
      read: SF_CASE_COMMENT_FIELDS,
      create: ['ParentId', 'CommentBody', 'IsPublished'],
      update: [],
    },
  ];
  if (tenant.settings.knowledge.enabled)
    needs.push({ sobject: 'Knowledge__kav', read: SF_KNOWLEDGE_ARTICLE_FIELDS, create: [], update: [] });
  return needs;
}

export async function objectChecks(
  gateway: SalesforceGateway,
  need: ObjectNeeds,
): Promise<{ described: boolean; findings: AccessFinding[] }> {
  const title = `Object ${need.sobject}`;
  let described;
  try {
    described = await gateway.describe(need.sobject);
  } catch (err) {
    // A standard object the user has no read on does not exist for it: describe answers INVALID_TYPE / NOT_FOUND.
    if (isAppError(err, 'SF_API_SCHEMA_MISMATCH') || isAppError(err, 'SF_API_NOT_FOUND')) {
      const perms = [
        'read',
        ...(need.create.length > 0 ? ['create'] : []),
        ...(need.update.length > 0 ? ['edit'] : []),
      ];
      return {
        described: false,
        findings: [
          {
            id: `object.${need.sobject}`,
            title,
            status: 'fail',
            detail: `${need.sobject} is invisible to the service user: no read permission on it`,
            fix: objectPermissionFix(need.sobject, perms),
            code: 'SF_API_INSUFFICIENT_ACCESS',
          },
        ],
      };
    }
    return { described: false, findings: [failure(`object.${need.sobject}`, title, err)] };
  }
  const findings: AccessFinding[] = [];
  const missingObjectPerms = [
    !described.queryable && 'read',
    need.create.length > 0 && !described.createable && 'create',
    need.update.length > 0 && !described.updateable && 'edit',
  ].filter((p): p is string => typeof p === 'string');
  findings.push(
    missingObjectPerms.length === 0
      ? {
          id: `object.${need.sobject}`,
          title,
          status: 'pass',
          detail: `read${need.create.length ? ', create' : ''}${need.update.length ? ', edit' : ''}`,
        }
      : {
          id: `object.${need.sobject}`,
          title,
          status: 'fail',
          detail: `missing object permission: ${missingObjectPerms.join(', ')}`,
          fix: objectPermissionFix(need.sobject, missingObjectPerms),
          code: 'SF_API_INSUFFICIENT_ACCESS',
        },
  );
  // Field-level security shows in describe: hidden fields are absent, read-only ones are not createable/updateable.
  const byName = new Map(described.fields.map((f) => [f.name.toLowerCase(), f]));
  const fieldLines: AccessFinding[] = [];
  for (const name of new Set([...need.read, ...need.create, ...need.update])) {
    const field = byName.get(name.toLowerCase());
    const id = `field.${need.sobject}.${name}`;
    const fieldTitle = `Field ${need.sobject}.${name}`;
    if (!field) {
      fieldLines.push({
        id,
        title: fieldTitle,
        status: 'fail',
        detail: 'missing or hidden from the service user (field-level security)',
        fix:
          name === need.externalId
            ? `Add ${name} to ${need.sobject} as an External ID text field and give the service user edit access to it, or name another field: casebridge tenants update <tenant> --set filing.externalIdField=<Field__c> (empty to use the reference in the description).`
            : 'Give the service user read access to the field (permission set field permissions), or check that the field exists in this org.',
        code: 'SF_API_SCHEMA_MISMATCH',
      });
    } else if (need.create.includes(name) && !field.createable) {
      fieldLines.push({
        id,
        title: fieldTitle,
        status: 'fail',
        detail: 'read-only for the service user; casebridge sets it when creating',
        fix: 'Give the service user edit access to the field.',
        code: 'SF_API_INSUFFICIENT_ACCESS',
      });
    } else if (name === need.externalId && !field.externalId) {
      // a retry looks the Case up by this field: without the External ID flag the lookup is not indexed (and
      // the setting was meant for one that is), so the idempotency guarantee rests on the description's reference
      fieldLines.push({
        id,
        title: fieldTitle,
        status: 'fail',
        detail: 'not an External ID field; the tenant files tickets with their idempotency key in it',
        fix: `Mark ${need.sobject}.${name} as External ID (Setup → Object Manager → ${need.sobject} → Fields & Relationships → ${name} → Edit), or name another field: casebridge tenants update <tenant> --set filing.externalIdField=<Field__c> (empty to use the reference in the description).`,
        code: 'SF_API_SCHEMA_MISMATCH',
      });
    } else if (need.update.includes(name) && !field.updateable) {
      fieldLines.push({
        id,
        title: fieldTitle,
        status: 'fail',
        detail: 'read-only for the service user; casebridge updates it',
        fix: 'Give the service user edit access to the field.',
        code: 'SF_API_INSUFFICIENT_ACCESS',
      });
    }
  }
  if (fieldLines.length === 0) {
    fieldLines.push({
      id: `fields.${need.sobject}`,
      title: `Fields of ${need.sobject}`,
      status: 'pass',
      detail: 'every field casebridge uses is visible with the access it needs',
    });
  }
  return { described: true, findings: [...findings, ...fieldLines] };
}

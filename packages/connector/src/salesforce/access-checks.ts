// The Salesforce half of `casebridge doctor`: logs in with a given key and inspects, without changing anything,
// what the service user can do. Every check returns a finding (never throws), one line per thing to fix.

import type {
  ApiAuditRepository,
  Clock,
  SalesforceGateway,
  SecretBox,
  TenantPauseRepository,
} from '../domain/ports.js';
import type { Tenant } from '../domain/tenant.js';
import { isAppError } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';
import { EphemeralSessionRepository } from './auth/ephemeral-sessions.js';
import { rsaKeySigner } from './auth/jwt-assertion.js';
import { SessionManager, type SessionManagerDeps } from './auth/session-manager.js';
import type { TokenClient } from './auth/token-client.js';
import { JsforceSalesforceGateway } from './gateway.js';
import { SalesforceClient } from './salesforce-client.js';
import { soql } from './soql.js';
import { monitorChecks } from './monitor-checks.js';
import { bulkQueryCheck } from './bulk-check.js';
import { caseStreamCheck } from './cdc/case-stream-probe.js';
import { caseStreamSwitch } from '../domain/tickets/case-stream-switch.js';
import { failure, type AccessFinding } from './access-finding.js';
import { SF_CASE_FIELDS } from './wire/sf-case.js';
import { SF_CASE_COMMENT_FIELDS } from './wire/sf-case-comment.js';
import { SF_CONTACT_FIELDS } from './wire/sf-contact.js';
import { SF_KNOWLEDGE_ARTICLE_FIELDS } from './wire/sf-knowledge-article.js';
import { planKnowledge, type KnowledgePlan } from '../domain/knowledge/sync-plan.js';
import { KNOWLEDGE_SYNC_BODY_FIELD_MISSING } from '../errors/codes/knowledge-sync.js';
import { SalesforceKnowledgeSource } from './knowledge/knowledge-source.js';

interface ObjectNeeds {
  sobject: string;
  read: readonly string[];
  create: readonly string[];
  update: readonly string[];
}

/** The fix for missing object permissions names exactly what to grant, and where. */
function objectPermissionFix(sobject: string, missing: readonly string[]): string {
  return `Grant ${missing.join(', ')} on ${sobject} to the service user (Object Settings of the casebridge permission set from \`casebridge setup\`, which has it), or assign that permission set to the user.`;
}

/** What casebridge uses on each object (reads for sync, writes for the bot). */
export function objectNeeds(tenant: Tenant): ObjectNeeds[] {
  const needs: ObjectNeeds[] = [
    { sobject: 'Contact', read: SF_CONTACT_FIELDS, create: [], update: [] },
    {
      sobject: 'Case',
      read: SF_CASE_FIELDS,
      create: ['Subject', 'Description', 'Status', 'ContactId', ...Object.keys(tenant.settings.caseDefaults)],
      update: ['Status'],
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

async function objectChecks(
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
        fix: 'Give the service user read access to the field (permission set field permissions), or check that the field exists in this org.',
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

/** Organization.DefaultCaseAccess values as Setup → Sharing Settings labels them. */
const CASE_ACCESS_LABELS: Record<string, string> = {
  None: 'Private',
  Read: 'Public Read Only',
  Edit: 'Public Read/Write',
  ReadEditTransfer: 'Public Read/Write/Transfer',
};

const CASE_VISIBILITY_FIX =
  'Grant "View All" on Case to the service user (the casebridge permission set does), or make the Case organization-wide default Public Read Only (Setup → Sharing Settings).';

/** One GET /query; an AppError (refused, unknown object) comes back as undefined, anything else throws. */
async function queryOrUndefined<T>(
  client: SalesforceClient,
  tenant: Tenant,
  text: string,
): Promise<T | undefined> {
  try {
    return await client.request<T>(tenant, {
      method: 'GET',
      url: `/query?q=${encodeURIComponent(text)}`,
      purpose: 'doctor',
    });
  } catch (err) {
    if (isAppError(err)) return undefined;
    throw err;
  }
}

/**
 * Whether the service user sees every Case, from the most precise evidence the org lets it read:
 * 1. the Case org-wide default, `Organization.DefaultCaseAccess` (None = Private), which any internal user reads;
 * 2. View All / Modify All on Case in ObjectPermissions of the permission sets assigned to the user (its
 *    profile's own permission set included), readable only with "View Setup and Configuration" since Summer '20
 *    (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_objectpermissions.htm);
 * 3. otherwise, what it observably sees: cases owned by someone else.
 */
async function caseVisibility(
  client: SalesforceClient,
  tenant: Tenant,
  userId: string,
): Promise<AccessFinding> {
  const base = { id: 'cases.visibility', title: 'Service user sees all Cases' };
  try {
    const org = await queryOrUndefined<{ records: { DefaultCaseAccess?: string | null }[] }>(
      client,
      tenant,
      soql`SELECT DefaultCaseAccess FROM Organization`.text,
    );
    const caseAccess = org?.records[0]?.DefaultCaseAccess ?? undefined;
    const sharing =
      caseAccess === undefined
        ? undefined
        : `the Case organization-wide default is ${CASE_ACCESS_LABELS[caseAccess] ?? caseAccess} (Organization.DefaultCaseAccess = ${caseAccess})`;
    const perms = await queryOrUndefined<{
      records: { PermissionsViewAllRecords?: boolean; PermissionsModifyAllRecords?: boolean }[];
    }>(
      client,
      tenant,
      soql`SELECT PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions WHERE SobjectType = ${'Case'} AND ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${userId})`
        .text,
    );
    const viewAll =
      perms === undefined
        ? undefined
        : perms.records.some((r) => r.PermissionsViewAllRecords || r.PermissionsModifyAllRecords);
    const viewAllEvidence =
      'View All on Case (ObjectPermissions of the permission sets and profile assigned to the service user)';
    if (viewAll === true)
      return {
        ...base,
        status: 'pass',
        detail: sharing ? `${viewAllEvidence}; ${sharing}` : viewAllEvidence,
      };
    if (caseAccess !== undefined && caseAccess !== 'None') {
      const noViewAll = viewAll === false ? '; no View All on Case, which it does not need' : '';
      return { ...base, status: 'pass', detail: `${sharing ?? ''}${noViewAll}` };
    }
    if (caseAccess === 'None' && viewAll === false) {
      return {
        ...base,
        status: 'warn',
        detail: `${sharing ?? ''} and no permission set or profile of the service user grants View All on Case (ObjectPermissions): it sees only its own cases and will miss employees' cases`,
        fix: CASE_VISIBILITY_FIX,
      };
    }
    // What the setup objects could not tell (no View Setup and Configuration): observe instead.
    const unread =
      viewAll === undefined
        ? 'View All on Case not checked (ObjectPermissions needs "View Setup and Configuration")'
        : 'no View All on Case';
    const prefix = [sharing, unread].filter((p) => p !== undefined).join('; ');
    const q = soql`SELECT COUNT() FROM Case WHERE OwnerId != ${userId}`;
    const res = await client.request<{ totalSize: number }>(tenant, {
      method: 'GET',
      url: `/query?q=${encodeURIComponent(q.text)}`,
      purpose: 'doctor',
    });
    if (res.totalSize > 0)
      return {
        ...base,
        status: 'pass',
        detail: `${prefix}; sees ${res.totalSize} cases owned by other users`,
      };
    return {
      ...base,
      status: 'warn',
      detail: `${prefix}; sees no case owned by anyone else: with a private Case sharing default it will miss employees' cases`,
      fix: CASE_VISIBILITY_FIX,
    };
  } catch (err) {
    return failure(base.id, base.title, err);
  }
}

/** Whether the service user has the Knowledge User feature licence (User.UserPermissionsKnowledgeUser); null: unknown. */
async function hasKnowledgeUser(
  client: SalesforceClient,
  tenant: Tenant,
  userId: string,
): Promise<boolean | null> {
  const res = await queryOrUndefined<{ records: { UserPermissionsKnowledgeUser?: boolean | null }[] }>(
    client,
    tenant,
    soql`SELECT UserPermissionsKnowledgeUser FROM User WHERE Id = ${userId}`.text,
  );
  const flag = res?.records[0]?.UserPermissionsKnowledgeUser;
  return typeof flag === 'boolean' ? flag : null;
}

const KNOWLEDGE_USER_FIX =
  'Tick "Knowledge User" on the service user (Setup → Users → the user → Edit): internal users read articles only with that feature licence, whatever their object permissions.';

/** What the knowledge sync will load: every article object describe shows, read through the sync's own source. */
async function knowledgePlanFinding(
  client: SalesforceClient,
  tenant: Tenant,
): Promise<{
  plan: KnowledgePlan | null;
  finding: AccessFinding;
}> {
  const base = { id: 'knowledge.plan', title: 'Knowledge sync loads' };
  try {
    const found = await new SalesforceKnowledgeSource(client, tenant, 'doctor').discover();
    const plan = planKnowledge(tenant.id, tenant.settings.knowledge, found);
    const objects = plan.objects
      .map(
        (o) =>
          `${o.name} (body ${o.bodyFields.join(', ') || 'none: titles only'}; ${o.pageSize.toLocaleString('en-US')} rows a page${o.longTextFields >= 2 ? `, as ${o.longTextFields} long-text fields are selected` : ''})`,
      )
      .join('; ');
    // a configured body field the org lacks is the body-field line's to report
    const problems = plan.warnings.filter((w) => w.code !== KNOWLEDGE_SYNC_BODY_FIELD_MISSING.code);
    const detail = `${objects}; languages ${plan.languages.join(', ') || 'none'}; channels ${plan.channels.join(', ')}`;
    if (problems.length === 0) return { plan, finding: { ...base, status: 'pass', detail } };
    return {
      plan,
      finding: {
        ...base,
        status: 'warn',
        detail: `${detail}. ${problems.map((w) => w.message).join(' ')}`,
        fix: problems.map((w) => w.fix).join(' '),
        code: problems[0]?.code ?? '',
      },
    };
  } catch (err) {
    return { plan: null, finding: failure(base.id, base.title, err) };
  }
}

async function knowledgeChecks(
  gateway: SalesforceGateway,
  client: SalesforceClient,
  tenant: Tenant,
  describedOk: boolean,
  userId: string,
): Promise<AccessFinding[]> {
  if (!tenant.settings.knowledge.enabled)
    return [
      {
        id: 'knowledge',
        title: 'Knowledge',
        status: 'skip',
        detail: 'knowledge sync is off for this tenant',
      },
    ];
  const knowledgeUser = await hasKnowledgeUser(client, tenant, userId);
  const planned = await knowledgePlanFinding(client, tenant);
  const discovered = planned.plan?.objects.map((o) => o.name) ?? [];
  if (!describedOk && discovered.length > 0) {
    // a renamed or Classic article object: the sync loads what describe shows, so Knowledge__kav is not needed
    return [
      {
        id: 'knowledge.enabled',
        title: 'Knowledge enabled',
        status: 'pass',
        detail: `article objects ${discovered.join(', ')} are available`,
      },
      planned.finding,
    ];
  }
  if (!describedOk) {
    const noLicence =
      knowledgeUser === false ? '; the service user has no Knowledge User feature licence' : '';
    return [
      {
        id: 'knowledge.enabled',
        title: 'Knowledge enabled',
        status: 'fail',
        detail: `Knowledge__kav is not available to the service user${noLicence}`,
        fix: 'Enable Lightning Knowledge in Setup → Knowledge Settings, tick "Knowledge User" on the service user, and grant read on Knowledge__kav; or turn knowledge off for this tenant.',
        code: 'SF_API_SCHEMA_MISMATCH',
      },
    ];
  }
  const findings: AccessFinding[] = [
    {
      id: 'knowledge.enabled',
      title: 'Knowledge enabled',
      status: 'pass',
      detail: 'Knowledge__kav is available',
    },
    knowledgeUser === false
      ? {
          id: 'knowledge.user',
          title: 'Knowledge User licence',
          status: 'warn',
          detail:
            'the service user has no Knowledge User feature licence (User.UserPermissionsKnowledgeUser)',
          fix: KNOWLEDGE_USER_FIX,
        }
      : {
          id: 'knowledge.user',
          title: 'Knowledge User licence',
          status: knowledgeUser === null ? 'skip' : 'pass',
          detail:
            knowledgeUser === null
              ? 'not checked: User.UserPermissionsKnowledgeUser is not readable'
              : 'the service user is a Knowledge User',
        },
    planned.finding,
  ];
  try {
    const described = await gateway.describe('Knowledge__kav');
    const names = new Set(described.fields.map((f) => f.name.toLowerCase()));
    const usable = tenant.settings.knowledge.bodyFields.filter((f) => names.has(f.toLowerCase()));
    findings.push(
      usable.length > 0
        ? {
            id: 'knowledge.body-field',
            title: 'Knowledge body field',
            status: 'pass',
            detail: `using ${usable.join(', ')}`,
          }
        : {
            id: 'knowledge.body-field',
            title: 'Knowledge body field',
            status: 'fail',
            detail: `none of the configured body fields (${tenant.settings.knowledge.bodyFields.join(', ')}) is visible`,
            fix: `Set the tenant's knowledge body fields to rich-text fields of Knowledge__kav (e.g. ${
              described.fields
                .filter((f) => f.type === 'textarea' && f.name.endsWith('__c'))
                .map((f) => f.name)
                .join(', ') || 'Answer__c'
            }) and grant read access to them.`,
            code: 'SF_API_SCHEMA_MISMATCH',
          },
    );
    const q = soql`SELECT COUNT() FROM Knowledge__kav WHERE PublishStatus = ${'Online'} AND Language = ${tenant.settings.knowledge.language}`;
    const res = await client.request<{ totalSize: number }>(tenant, {
      method: 'GET',
      url: `/query?q=${encodeURIComponent(q.text)}`,
      purpose: 'doctor',
    });
    findings.push(
      res.totalSize > 0
        ? {
            id: 'knowledge.articles',
            title: 'Published articles readable',
            status: 'pass',
            detail: `${res.totalSize} online articles in ${tenant.settings.knowledge.language}`,
          }
        : {
            id: 'knowledge.articles',
            title: 'Published articles readable',
            status: 'warn',
            detail: `no online article in ${tenant.settings.knowledge.language} is visible`,
            fix: "Check the Knowledge language setting, that articles are published, and the service user's data category visibility.",
          },
    );
  } catch (err) {
    findings.push(failure('knowledge.articles', 'Published articles readable', err));
  }
  return findings;
}

/** Runs every check after a successful login. */
export async function runAccessChecks(
  gateway: SalesforceGateway,
  client: SalesforceClient,
  tenant: Tenant,
  userId: string,
  /** the deployment's CASEBRIDGE_CASE_STREAM (absent: on) */
  options: { caseStreamEnabled?: boolean } = {},
): Promise<AccessFinding[]> {
  const findings: AccessFinding[] = [];
  // The version comes first: every other call goes to /services/data/v<version>/..., and a version the org does
  // not serve answers each of them 404 NOT_FOUND, which would read as missing records or permissions.
  let versionFinding: AccessFinding;
  try {
    const versions = await gateway.versions();
    const wanted = tenant.settings.apiVersion;
    versionFinding = versions.includes(wanted)
      ? {
          id: 'api-version',
          title: 'API version',
          status: 'pass',
          detail: `v${wanted} is served (newest v${versions.at(-1) ?? '?'})`,
        }
      : {
          id: 'api-version',
          title: 'API version',
          status: 'fail',
          detail: `v${wanted} is not served by this org; it serves ${versions.map((v) => `v${v}`).join(', ') || 'none'}`,
          fix: `Set the tenant's API version to one the org serves, e.g. \`casebridge tenants update ${tenant.id} --set apiVersion=${versions.at(-1) ?? ''}\`.`,
        };
  } catch (err) {
    versionFinding = failure('api-version', 'API version', err);
  }
  if (versionFinding.status === 'fail' && versionFinding.code === undefined) {
    findings.push(versionFinding, {
      id: 'salesforce-access',
      title: 'Salesforce access checks',
      status: 'skip',
      detail: 'skipped until the API version is one the org serves',
    });
    return findings;
  }
  try {
    const identity = await gateway.identity();
    // The identity URL answers without "API Enabled"; the version root does not, so it proves API access with one
    // cheap call before the object checks would each fail with the same API_DISABLED_FOR_ORG.
    await client.request<unknown>(tenant, { method: 'GET', url: '/', purpose: 'doctor' });
    findings.push({
      id: 'identity',
      title: 'Identity and API access',
      status: 'pass',
      detail: `${identity.username} in org ${identity.orgId} (API Enabled)`,
    });
  } catch (err) {
    findings.push(failure('identity', 'Identity and API access', err));
    findings.push({
      id: 'salesforce-access',
      title: 'Salesforce access checks',
      status: 'skip',
      detail: 'skipped until the service user may use the API',
    });
    return findings;
  }
  findings.push(versionFinding);
  let knowledgeDescribed = false;
  let caseEditable = true;
  for (const need of objectNeeds(tenant)) {
    const result = await objectChecks(gateway, need);
    if (need.sobject === 'Case')
      caseEditable = !result.findings.some(
        (f) => f.id === 'object.Case' && f.status === 'fail' && f.detail.includes('edit'),
      );
    // CaseComment has no object permission of its own: creating one needs edit on the parent Case. One missing
    // permission is one failed line, so a CaseComment refusal that the Case line already explains points there.
    if (need.sobject === 'CaseComment' && !caseEditable) {
      const line = result.findings.find((f) => f.id === 'object.CaseComment');
      if (line?.status === 'fail' && line.detail === 'missing object permission: create') {
        Object.assign(line, {
          status: 'skip',
          detail: 'creating comments needs edit on Case, which the Case line above reports',
        });
        delete line.fix;
        delete line.code;
      }
    }
    // An org without Knowledge answers INVALID_TYPE: reported once, as "Knowledge enabled", below.
    if (need.sobject === 'Knowledge__kav') {
      knowledgeDescribed = result.described;
      if (!result.described) continue;
    }
    findings.push(...result.findings);
  }
  findings.push(await caseVisibility(client, tenant, userId));
  findings.push(...(await knowledgeChecks(gateway, client, tenant, knowledgeDescribed, userId)));
  if (tenant.settings.knowledge.enabled) findings.push(await bulkQueryCheck(client, tenant));
  findings.push(...(await monitorChecks(gateway, client, tenant)));
  findings.push(
    await caseStreamCheck(client, tenant, caseStreamSwitch(options.caseStreamEnabled ?? true, tenant)),
  );
  try {
    const limits = await gateway.limits();
    if (limits.remaining === null || limits.max === null) {
      findings.push({
        id: 'api-remaining',
        title: 'Daily API requests remaining',
        status: 'warn',
        detail: 'unknown',
        fix: 'Grant "View Setup and Configuration" to read /limits.',
      });
    } else {
      const low = limits.remaining < limits.max * 0.1;
      findings.push({
        id: 'api-remaining',
        title: 'Daily API requests remaining',
        status: low ? 'warn' : 'pass',
        detail: `${limits.remaining} of ${limits.max} (from ${limits.source === 'limits' ? '/limits' : 'the Sforce-Limit-Info header'})`,
        ...(low
          ? {
              fix: 'Less than 10% of the daily allocation is left: casebridge slows its background work; check what else uses the API.',
            }
          : {}),
      });
    }
  } catch (err) {
    findings.push(failure('api-remaining', 'Daily API requests remaining', err));
  }
  return findings;
}

export interface AccessProbeDeps {
  /** told when the probe's login succeeds (records the instance URL on the tenant) */
  onLogin?: SessionManagerDeps['onLogin'];
  tokens: TokenClient;
  box: SecretBox;
  audit: ApiAuditRepository;
  pauses: TenantPauseRepository;
  clock: Clock;
  log: Logger;
  /** the deployment's CASEBRIDGE_CASE_STREAM (absent: on): off, doctor's stream line says so */
  caseStreamEnabled?: boolean;
}

/**
 * Implements services/doctor.ts AccessProbe: logs in with `privateKeyPem` through a throwaway session (so proving a
 * pending key never replaces the shared session), then runs every check. Never throws.
 */
export function createAccessProbe(deps: AccessProbeDeps): {
  run(tenant: Tenant, privateKeyPem: string): Promise<AccessFinding[]>;
} {
  return {
    async run(tenant, privateKeyPem) {
      const sessions = new SessionManager({
        sessions: new EphemeralSessionRepository(),
        box: deps.box,
        tokens: deps.tokens,
        clock: deps.clock,
        signerFor: () => Promise.resolve(rsaKeySigner(privateKeyPem, tenant.id)),
        log: deps.log,
        ...(deps.onLogin ? { onLogin: deps.onLogin } : {}),
      });
      const client = new SalesforceClient({
        sessions,
        audit: deps.audit,
        pauses: deps.pauses,
        clock: deps.clock,
        log: deps.log,
      });
      let userId: string;
      try {
        userId = (await sessions.getSession(tenant)).userId;
      } catch (err) {
        return [
          failure('token', 'JWT bearer login', err),
          {
            id: 'salesforce-access',
            title: 'Salesforce access checks',
            status: 'skip',
            detail: 'skipped until the login works',
          },
        ];
      }
      const gateway = new JsforceSalesforceGateway(client, tenant, deps.clock, 'doctor');
      const token: AccessFinding = {
        id: 'token',
        title: 'JWT bearer login',
        status: 'pass',
        detail: `logged in as ${tenant.username}`,
      };
      return [
        token,
        ...(await runAccessChecks(gateway, client, tenant, userId, {
          ...(deps.caseStreamEnabled === undefined ? {} : { caseStreamEnabled: deps.caseStreamEnabled }),
        })),
      ];
    },
  };
}

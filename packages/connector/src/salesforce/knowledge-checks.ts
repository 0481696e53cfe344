// doctor's knowledge lines: Knowledge enabled, the Knowledge User licence, what the knowledge sync will load, the
// body fields and the published articles the service user can read. Read-only.

import { planKnowledge, type KnowledgePlan } from '../domain/knowledge/sync-plan.js';
import type { SalesforceGateway } from '../domain/ports.js';
import type { Tenant } from '../domain/tenant.js';
import { KNOWLEDGE_SYNC_BODY_FIELD_MISSING } from '../errors/codes/knowledge-sync.js';
import { failure, type AccessFinding } from './access-finding.js';
import { queryOrUndefined } from './doctor-query.js';
import { SalesforceKnowledgeSource } from './knowledge/knowledge-source.js';
import type { SalesforceClient } from './salesforce-client.js';
import { soql } from './soql.js';

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

/**
 * How many of the online articles the sync loads, when that is fewer: it loads only articles visible in the tenant's
 * channels, and an admin comparing the doctor's count with `status` would otherwise see articles go missing.
 */
async function loadedOf(
  client: SalesforceClient,
  tenant: Tenant,
  plan: KnowledgePlan | null,
  online: number,
): Promise<string> {
  const object = plan?.objects.find((o) => o.name === 'Knowledge__kav');
  if (plan === null || object === undefined || online === 0 || plan.channels.length === 0) return '';
  const source = new SalesforceKnowledgeSource(client, tenant, 'doctor');
  const loaded = await source.count({
    object: object.name,
    language: tenant.settings.knowledge.language,
    channels: plan.channels,
  });
  return loaded < online
    ? `; the sync loads the ${loaded} of them visible in channel ${plan.channels.join(' or ')}`
    : '';
}

export async function knowledgeChecks(
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
    const inChannels = await loadedOf(client, tenant, planned.plan, res.totalSize);
    findings.push(
      res.totalSize > 0
        ? {
            id: 'knowledge.articles',
            title: 'Published articles readable',
            status: 'pass',
            detail: `${res.totalSize} online articles in ${tenant.settings.knowledge.language}${inChannels}`,
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

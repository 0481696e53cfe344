// The Salesforce half of `casebridge doctor`: after a login (access-probe.ts), inspects, without changing anything,
// what the service user can do. Every check returns a finding (never throws), one line per thing to fix; the checks
// live by concern (object-checks.ts, case-visibility-check.ts, knowledge-checks.ts, bulk-check.ts,
// monitor-checks.ts, cdc/case-stream-probe.ts).

import type { SalesforceGateway } from '../domain/ports.js';
import type { Tenant } from '../domain/tenant.js';
import { failure, type AccessFinding } from './access-finding.js';
import { bulkQueryCheck } from './bulk-check.js';
import { caseVisibility } from './case-visibility-check.js';
import { caseStreamCheck } from './cdc/case-stream-probe.js';
import { caseStreamSwitch } from '../domain/tickets/case-stream-switch.js';
import { knowledgeChecks } from './knowledge-checks.js';
import { monitorChecks } from './monitor-checks.js';
import { objectChecks, objectNeeds } from './object-checks.js';
import type { SalesforceClient } from './salesforce-client.js';

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

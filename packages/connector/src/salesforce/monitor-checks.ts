// doctor's ticket-monitoring lines: the monitored filter against the Case describe, the five-state mapping against
// the org's Case Status values (CaseStatus says which close a case), and the owner queues. Read-only.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_casestatus.htm

import { z } from 'zod';

import type { ObjectDescription, SalesforceGateway } from '../domain/ports.js';
import type { TenantSettings } from '../domain/tenant.js';
import { validateCaseStateMapping, type OrgCaseStatus } from '../domain/tickets/case-states.js';
import { failure, type AccessFinding } from './access-finding.js';
import { validateMonitorFilter } from './monitor-filter-check.js';
import { queryAll } from './query-pages.js';
import type { ClientTenant, SalesforceClient } from './salesforce-client.js';
import { soql } from './soql.js';

/** doctor's lines for ticket monitoring: the shape of every access finding */
export type MonitorFinding = AccessFinding;

const SfCaseStatus = z.object({
  ApiName: z.string().nullable().optional(),
  MasterLabel: z.string(),
  IsClosed: z.boolean(),
});
const SfGroup = z.object({ Id: z.string() });

type MonitorTenant = ClientTenant & { settings: TenantSettings };

/** The org's Case Status values with their IsClosed flag (active ones as describe lists them). */
export async function orgCaseStatuses(
  client: SalesforceClient,
  tenant: MonitorTenant,
  caseDescribe: ObjectDescription,
): Promise<OrgCaseStatus[]> {
  const rows = await queryAll(
    client,
    tenant,
    soql`SELECT ApiName, MasterLabel, IsClosed FROM CaseStatus`,
    SfCaseStatus,
    {
      shape: 'CaseStatus',
      purpose: 'doctor',
    },
  );
  const active = new Set(caseDescribe.fields.find((f) => f.name === 'Status')?.picklistValues ?? []);
  return rows.map((row) => {
    const value = row.ApiName ?? row.MasterLabel;
    return { value, isClosed: row.IsClosed, active: active.size === 0 || active.has(value) };
  });
}

export async function monitorChecks(
  gateway: SalesforceGateway,
  client: SalesforceClient,
  tenant: MonitorTenant,
): Promise<MonitorFinding[]> {
  const findings: MonitorFinding[] = [];
  let described: ObjectDescription;
  try {
    described = await gateway.describe('Case');
  } catch (err) {
    return [failure('monitor.filter', 'Monitored tickets filter', err)];
  }
  const issues = validateMonitorFilter(tenant.settings.monitor, described);
  findings.push(
    issues.length === 0
      ? {
          id: 'monitor.filter',
          title: 'Monitored tickets filter',
          status: 'pass',
          detail: 'every value exists in this org',
        }
      : {
          id: 'monitor.filter',
          title: 'Monitored tickets filter',
          status: 'fail',
          detail: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
          fix: `Correct it with \`casebridge tenants update ${tenant.id} --set monitor.statuses=...\` (values as the Case picklists list them).`,
        },
  );
  try {
    const picklist = await orgCaseStatuses(client, tenant, described);
    const { errors, warnings: all } = validateCaseStateMapping(tenant.settings.caseStates, picklist);
    // A mapped status the org lacks is harmless (the default maps common extras every org need not have): named
    // in the detail, never a warning. Unmapped statuses and contradictions with IsClosed are warnings.
    const inOrg = new Set(picklist.map((p) => p.value));
    const warnings = all.filter((w) => inOrg.has(w.status));
    const unused = all.filter((w) => !inOrg.has(w.status)).map((w) => w.status);
    const detail = [...errors, ...warnings].map((i) => i.message).join(' ');
    findings.push({
      id: 'monitor.case-states',
      title: 'Case statuses mapped to the five states',
      status: errors.length > 0 ? 'fail' : warnings.length > 0 ? 'warn' : 'pass',
      detail:
        detail !== ''
          ? detail
          : `all ${picklist.length} statuses mapped${unused.length > 0 ? ` (unused: ${unused.join(', ')})` : ''}`,
      ...(errors.length + warnings.length > 0
        ? {
            fix: `Map every status with \`casebridge tenants update ${tenant.id} --settings-json '{"caseStates":{"states":{...}}}'\` (NEW, WAITING_FOR_EMPLOYEE, IN_PROGRESS, RESOLVED, CLOSED).`,
          }
        : {}),
    });
  } catch (err) {
    findings.push(failure('monitor.case-states', 'Case statuses mapped to the five states', err));
  }
  const queues = tenant.settings.monitor.ownerQueues ?? [];
  if (queues.length > 0) {
    try {
      const found = await queryAll(
        client,
        tenant,
        soql`SELECT Id FROM Group WHERE Type = ${'Queue'} AND Id IN ${queues}`,
        SfGroup,
        { shape: 'Group', purpose: 'doctor' },
      );
      // ids compare on their 15-character form: settings may hold either length
      const have = new Set(found.map((g) => g.Id.slice(0, 15)));
      const missing = queues.filter((q) => !have.has(q.slice(0, 15)));
      findings.push(
        missing.length === 0
          ? {
              id: 'monitor.queues',
              title: 'Monitored owner queues',
              status: 'pass',
              detail: `${queues.length} queues found`,
            }
          : {
              id: 'monitor.queues',
              title: 'Monitored owner queues',
              status: 'fail',
              detail: `no queue ${missing.join(', ')} visible to the service user`,
              fix: 'Use the ids of existing queues (Setup → Queues), or remove monitor.ownerQueues.',
            },
      );
    } catch (err) {
      findings.push(failure('monitor.queues', 'Monitored owner queues', err));
    }
  }
  return findings;
}

/**
 * The save-time check of monitoring settings (TenantService calls it when a change touches them): the filter's
 * values and the mapping's action statuses must exist in the org. Warnings (unmapped statuses) are doctor's.
 */
export async function checkMonitorSettings(
  gateway: SalesforceGateway,
  client: SalesforceClient,
  tenant: MonitorTenant,
): Promise<{ path: string; message: string }[]> {
  const described = await gateway.describe('Case');
  const picklist = await orgCaseStatuses(client, tenant, described);
  const { errors } = validateCaseStateMapping(tenant.settings.caseStates, picklist);
  return [
    ...validateMonitorFilter(tenant.settings.monitor, described),
    ...errors.map((e) => ({ path: 'caseStates.actions', message: e.message })),
  ];
}

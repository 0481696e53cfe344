// doctor's case visibility line: does the service user see every Case (sharing default, View All, or observed)?
// Read-only.

import type { Tenant } from '../domain/tenant.js';
import { failure, type AccessFinding } from './access-finding.js';
import { queryOrUndefined } from './doctor-query.js';
import type { SalesforceClient } from './salesforce-client.js';
import { soql } from './soql.js';

/** Organization.DefaultCaseAccess values as Setup → Sharing Settings labels them. */
const CASE_ACCESS_LABELS: Record<string, string> = {
  None: 'Private',
  Read: 'Public Read Only',
  Edit: 'Public Read/Write',
  ReadEditTransfer: 'Public Read/Write/Transfer',
};

const CASE_VISIBILITY_FIX =
  'Grant "View All" on Case to the service user (the casebridge permission set does), or make the Case organization-wide default Public Read Only (Setup → Sharing Settings).';

/**
 * Whether the service user sees every Case, from the most precise evidence the org lets it read:
 * 1. the Case org-wide default, `Organization.DefaultCaseAccess` (None = Private), which any internal user reads;
 * 2. View All / Modify All on Case in ObjectPermissions of the permission sets assigned to the user (its
 *    profile's own permission set included), readable only with "View Setup and Configuration" since Summer '20
 *    (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_objectpermissions.htm);
 * 3. otherwise, what it observably sees: cases owned by someone else.
 */
export async function caseVisibility(
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

// Case system behaviour: default Status and Priority, CaseNumber auto-number, IsClosed/ClosedDate from the
// Status' CaseStatus.IsClosed. https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_casestatus.htm

import { formatDatetime } from '../format.js';
import type { SObjectRecord } from './contract.js';
import type { OrgState } from './state.js';

/** The standard statuses of a new org, used when the settings name none. */
export const DEFAULT_CASE_STATUSES = [
  { apiName: 'New', label: 'New', isClosed: false, isDefault: true, sortOrder: 1 },
  { apiName: 'Working', label: 'Working', isClosed: false, sortOrder: 2 },
  { apiName: 'Escalated', label: 'Escalated', isClosed: false, sortOrder: 3 },
  { apiName: 'Closed', label: 'Closed', isClosed: true, sortOrder: 4 },
];

function statusIsClosed(state: OrgState, status: unknown): boolean {
  return state.settings.caseStatuses.some((s) => s.apiName === status && s.isClosed);
}

/** Fills system fields of a new Case (before validation and save). */
export function beforeCaseCreate(state: OrgState, record: SObjectRecord, actingUserId: string): void {
  if (record['Status'] == null) {
    record['Status'] =
      state.settings.caseStatuses.find((s) => s.isDefault)?.apiName ??
      state.settings.caseStatuses[0]?.apiName ??
      null;
  }
  if (record['Priority'] == null) record['Priority'] = 'Medium';
  if (record['OwnerId'] == null) record['OwnerId'] = actingUserId;
  if (record['CaseNumber'] == null) {
    record['CaseNumber'] = String(state.counters.caseNumber++).padStart(8, '0');
  }
  const closed = statusIsClosed(state, record['Status']);
  record['IsClosed'] = closed;
  record['IsClosedOnCreate'] = closed;
  if (closed && record['ClosedDate'] == null) record['ClosedDate'] = formatDatetime(state.clock.now());
}

/** Keeps IsClosed/ClosedDate in step with a changed Status. */
export function beforeCaseUpdate(state: OrgState, before: SObjectRecord, after: SObjectRecord): void {
  const closed = statusIsClosed(state, after['Status']);
  after['IsClosed'] = closed;
  if (closed && !before['IsClosed']) after['ClosedDate'] = formatDatetime(state.clock.now());
  if (!closed) after['ClosedDate'] = null;
}

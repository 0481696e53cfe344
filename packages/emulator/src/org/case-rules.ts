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

/**
 * What a new CaseComment does to its parent Case, per the org's `caseCommentTouchesCase` setting (default `none`).
 * UNVERIFIED: neither the CaseComment nor the Case object reference
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_casecomment.htm)
 * says that adding a comment changes the Case, and the help article on SystemModstamp vs LastModifiedDate
 * (https://help.salesforce.com/s/articleView?id=000387261&type=1) lists the automated processes that move
 * SystemModstamp without naming child comments. So by default the Case is left alone: a client that must see new
 * comments has to read CaseComment itself, which is right whatever a live org does. The other two settings let a
 * test check that a client copes when an org does move the Case.
 */
export function afterCaseCommentCreate(state: OrgState, comment: SObjectRecord, actingUserId: string): void {
  const touch = state.settings.caseCommentTouchesCase;
  if (touch === 'none') return;
  const parentId = comment['ParentId'];
  const parent = typeof parentId === 'string' ? state.store.get(parentId) : undefined;
  if (parent === undefined || parent.deleted || parent.sobject !== 'Case') return;
  const now = formatDatetime(state.clock.now());
  state.changes.note(parent, actingUserId);
  parent.fields = {
    ...parent.fields,
    SystemModstamp: now,
    ...(touch === 'lastModified' ? { LastModifiedDate: now, LastModifiedById: actingUserId } : {}),
  };
}

/** Keeps IsClosed/ClosedDate in step with a changed Status. */
export function beforeCaseUpdate(state: OrgState, before: SObjectRecord, after: SObjectRecord): void {
  const closed = statusIsClosed(state, after['Status']);
  after['IsClosed'] = closed;
  if (closed && !before['IsClosed']) after['ClosedDate'] = formatDatetime(state.clock.now());
  if (!closed) after['ClosedDate'] = null;
}

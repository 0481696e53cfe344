// Keeps the rows of setup objects (Organization, CaseStatus, RecordType) in step with the org settings, so
// SOQL such as `SELECT ApiName, IsClosed FROM CaseStatus` answers from the same data the rules use.

import { KEY_PREFIXES } from '../ids.js';
import { createdStamp } from './audit-stamp.js';
import type { CaseSharingDefault, SObjectRecord } from './contract.js';
import type { OrgState } from './state.js';

/** The org setting as Organization.DefaultCaseAccess spells it (the Setup labels differ from the API values). */
const CASE_ACCESS: Record<CaseSharingDefault, string> = {
  Private: 'None',
  Read: 'Read',
  ReadWrite: 'Edit',
  ReadWriteTransfer: 'ReadEditTransfer',
};

export function syncOrganization(state: OrgState, actor: string): void {
  const existing = state.store.get(state.orgId);
  const fields: SObjectRecord = {
    ...(existing?.fields ?? createdStamp(state, actor)),
    Id: state.orgId,
    Name: state.settings.name,
    Division: null,
    OrganizationType: state.settings.organizationType,
    InstanceName: 'CS42',
    IsSandbox: state.settings.isSandbox,
    TrialExpirationDate: null,
    NamespacePrefix: null,
    LanguageLocaleKey: 'en_US',
    TimeZoneSidKey: 'GMT',
    DefaultLocaleSidKey: 'en_US',
    DefaultCaseAccess: CASE_ACCESS[state.settings.caseSharingDefault],
    // Contacts and Accounts are public read/write in the emulator (no owner-based sharing on them).
    DefaultContactAccess: 'Edit',
    DefaultAccountAccess: 'Edit',
  };
  if (existing) existing.fields = fields;
  else state.store.add({ sobject: 'Organization', fields, deleted: false, deletedAt: null });
}

/** Replaces CaseStatus rows with the configured statuses, reusing IDs of statuses that stay. */
export function syncCaseStatuses(state: OrgState, actor: string): void {
  const byName = new Map<string, string>();
  for (const r of state.store.table('CaseStatus')) {
    byName.set(String(r.fields['ApiName']), String(r.fields['Id']));
    state.store.purge(String(r.fields['Id']));
  }
  state.settings.caseStatuses.forEach((s, i) => {
    const id = byName.get(s.apiName) ?? state.ids.next(KEY_PREFIXES.CaseStatus);
    state.store.add({
      sobject: 'CaseStatus',
      fields: {
        Id: id,
        MasterLabel: s.label ?? s.apiName,
        ApiName: s.apiName,
        SortOrder: s.sortOrder ?? i + 1,
        IsDefault: Boolean(s.isDefault),
        IsClosed: s.isClosed,
        ...createdStamp(state, actor),
      },
      deleted: false,
      deletedAt: null,
    });
  });
}

export function syncRecordTypes(state: OrgState, actor: string): void {
  const byKey = new Map<string, string>();
  for (const r of state.store.table('RecordType')) {
    byKey.set(
      `${String(r.fields['SobjectType'])}.${String(r.fields['DeveloperName'])}`,
      String(r.fields['Id']),
    );
    state.store.purge(String(r.fields['Id']));
  }
  for (const rt of state.settings.recordTypes) {
    const key = `${rt.sobject}.${rt.developerName}`;
    state.store.add({
      sobject: 'RecordType',
      fields: {
        Id: byKey.get(key) ?? state.ids.next(KEY_PREFIXES.RecordType),
        Name: rt.name,
        DeveloperName: rt.developerName,
        NamespacePrefix: null,
        Description: null,
        SobjectType: rt.sobject,
        IsActive: rt.active !== false,
        ...createdStamp(state, actor),
      },
      deleted: false,
      deletedAt: null,
    });
  }
}

/** `Object.DeveloperName` → RecordType ID. */
export function recordTypeIds(state: OrgState): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of state.store.table('RecordType')) {
    out.set(
      `${String(r.fields['SobjectType'])}.${String(r.fields['DeveloperName'])}`,
      String(r.fields['Id']),
    );
  }
  return out;
}

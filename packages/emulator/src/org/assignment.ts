// Queues and Case assignment rules. Queues are Group rows (Type Queue) with a QueueSobject row per object they
// take; rules are AssignmentRule rows. The REST API applies the active rule on Case create and update unless the
// request says `Sforce-Auto-Assign: FALSE`; an AssignmentRule id applies that rule (active or not) on create.
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/headers_autoassign.htm

import { SalesforceError } from '../errors.js';
import { asText } from '../format.js';
import { KEY_PREFIXES, normalizeId } from '../ids.js';
import { createdStamp } from './audit-stamp.js';
import type { AssignmentRuleSpec, SObjectRecord } from './contract.js';
import type { OrgState } from './state.js';

/** Replaces the Group (queue), QueueSobject and AssignmentRule rows with the settings, reusing ids by name. */
export function syncQueuesAndRules(state: OrgState, actor: string): void {
  const keep = new Map<string, string>();
  for (const table of ['Group', 'QueueSobject', 'AssignmentRule']) {
    for (const r of [...state.store.table(table)]) {
      const key =
        table === 'Group'
          ? `Group.${String(r.fields['DeveloperName'])}`
          : table === 'AssignmentRule'
            ? `AssignmentRule.${String(r.fields['Name'])}`
            : `QueueSobject.${String(r.fields['QueueId'])}.${String(r.fields['SobjectType'])}`;
      keep.set(key, String(r.fields['Id']));
      state.store.purge(String(r.fields['Id']));
    }
  }
  const add = (sobject: string, key: string, prefix: string, fields: SObjectRecord): string => {
    const id = keep.get(key) ?? state.ids.next(prefix);
    state.store.add({
      sobject,
      fields: { Id: id, ...fields, ...createdStamp(state, actor) },
      deleted: false,
      deletedAt: null,
    });
    return id;
  };
  for (const q of state.settings.queues) {
    const queueId = add('Group', `Group.${q.developerName}`, KEY_PREFIXES.Group, {
      Name: q.name ?? q.developerName,
      DeveloperName: q.developerName,
      Type: 'Queue',
      Email: null,
      DoesSendEmailToMembers: false,
    });
    for (const sobject of q.sobjectTypes) {
      add('QueueSobject', `QueueSobject.${queueId}.${sobject}`, KEY_PREFIXES.QueueSobject, {
        QueueId: queueId,
        SobjectType: sobject,
      });
    }
  }
  for (const rule of state.settings.assignmentRules) {
    add('AssignmentRule', `AssignmentRule.${rule.name}`, KEY_PREFIXES.AssignmentRule, {
      Name: rule.name,
      SobjectType: 'Case',
      Active: rule.active,
    });
  }
}

/** the owner an `assignTo` names: a queue's DeveloperName, a user id or a username */
export function ownerOf(state: OrgState, assignTo: string): string | undefined {
  for (const g of state.store.table('Group')) {
    if (g.fields['DeveloperName'] === assignTo || g.fields['Id'] === normalizeId(assignTo))
      return String(g.fields['Id']);
  }
  for (const u of state.store.table('User')) {
    if (
      u.fields['Id'] === normalizeId(assignTo) ||
      String(u.fields['Username']).toLowerCase() === assignTo.toLowerCase()
    ) {
      return String(u.fields['Id']);
    }
  }
  return undefined;
}

function ruleById(state: OrgState, id: string): AssignmentRuleSpec | undefined {
  const row = state.store.get(id);
  if (row === undefined || row.sobject !== 'AssignmentRule') return undefined;
  return state.settings.assignmentRules.find((r) => r.name === row.fields['Name']);
}

/**
 * The rule a REST request's `Sforce-Auto-Assign` selects for a Case `created` or updated; undefined for none.
 * TRUE (or no header): the active rule; FALSE: none; an AssignmentRule id: that rule, on create only.
 */
export function selectedRule(
  state: OrgState,
  header: string | undefined,
  created: boolean,
): AssignmentRuleSpec | undefined {
  const value = header?.trim() ?? 'TRUE';
  if (value.toUpperCase() === 'FALSE') return undefined;
  if (value.toUpperCase() === 'TRUE') return state.settings.assignmentRules.find((r) => r.active);
  const id = normalizeId(value);
  if (id === undefined) {
    throw new SalesforceError(
      400,
      'MALFORMED_ID',
      `Sforce-Auto-Assign: malformed assignment rule id: ${value}`,
    );
  }
  return created ? ruleById(state, id) : undefined;
}

/** Sets the Case's OwnerId as the first matching entry of `rule` says; no match leaves the owner as it was. */
export function applyRule(
  state: OrgState,
  rule: AssignmentRuleSpec,
  caseId: string,
  actingUserId: string,
): void {
  const stored = state.store.get(caseId);
  if (stored === undefined) return;
  const text = (v: unknown): string => (v === null || v === undefined ? '' : asText(v).toLowerCase());
  for (const entry of rule.entries) {
    const hit = Object.entries(entry.criteria).every(
      ([field, want]) => text(stored.fields[field]) === want.toLowerCase(),
    );
    if (!hit) continue;
    const owner = ownerOf(state, entry.assignTo);
    if (owner !== undefined) {
      state.changes.note(stored, actingUserId);
      stored.fields = { ...stored.fields, OwnerId: owner };
    }
    return;
  }
}

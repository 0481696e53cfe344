// How the bot's ticket becomes a Case for one tenant: the tenant's Case defaults, its mapping of the bot's own field
// names (`category`, `product`) onto Case fields, the record type and the assignment rule. Checked against the org's
// Case describe when saved, so a field the org lacks or the service user cannot set fails then, not per employee.
// Salesforce names appear here only as the tenant's data (ARCHITECTURE.md invariant 2).

import type { ObjectDescription } from '../object-description.js';

export interface FilingSettings {
  /** the bot's field name → the Case field (API name) it fills, e.g. { category: 'Type' } */
  fields?: Record<string, string>;
  /** the Case record type new tickets get (absent: the service user's default) */
  recordTypeId?: string;
  /**
   * Which assignment rule Salesforce runs on a new ticket (`Sforce-Auto-Assign`): 'active' (the org's active rule,
   * the REST default), 'none', or one rule's id (01Q…).
   */
  assignment?: string;
  /**
   * An External ID text field the admin added to Case (e.g. Casebridge_Key__c): each filing writes its idempotency
   * key there, and a retry whose first answer was lost finds the Case by it (absent: by the reference the
   * description ends with, which an agent's edit of the description can remove).
   */
  externalIdField?: string;
}

/** Case fields casebridge writes itself: a mapping or a default may not name them. */
export const RESERVED_CASE_FIELDS = ['Subject', 'Description', 'Status', 'ContactId', 'SuppliedEmail'];

export interface FilingPlan {
  /** every extra Case field: the defaults, then the bot's mapped fields over them */
  fields: Record<string, string>;
  recordTypeId: string | null;
  /** the `Sforce-Auto-Assign` value, or null for the REST default (the active rule) */
  autoAssign: string | null;
  /** the Case field the idempotency key is written to and looked up by, or null for the description's reference */
  externalIdField: string | null;
}

/** The extra Case fields of one filing; `unknown` lists bot fields the tenant maps to nothing (refused, never dropped). */
export function planFiling(
  defaults: Record<string, string>,
  filing: FilingSettings | undefined,
  botFields: Record<string, string>,
): FilingPlan | { unknown: string[] } {
  const mapping = filing?.fields ?? {};
  const unknown = Object.keys(botFields).filter((name) => !Object.hasOwn(mapping, name));
  if (unknown.length > 0) return { unknown };
  const fields: Record<string, string> = { ...defaults };
  for (const [name, value] of Object.entries(botFields)) fields[mapping[name] ?? name] = value;
  const assignment = filing?.assignment ?? 'active';
  return {
    fields,
    recordTypeId: filing?.recordTypeId ?? null,
    autoAssign: assignment === 'active' ? null : assignment === 'none' ? 'FALSE' : assignment,
    externalIdField: filing?.externalIdField ?? null,
  };
}

/** Issues with the tenant's defaults and mapping against Case as the service user sees it (describe). */
export function validateFiling(
  defaults: Record<string, string>,
  filing: FilingSettings | undefined,
  described: ObjectDescription,
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const field = (name: string) => described.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  const check = (path: string, name: string): void => {
    if (RESERVED_CASE_FIELDS.includes(name)) {
      issues.push({ path, message: `${name} is written by casebridge itself` });
      return;
    }
    const found = field(name);
    if (found === undefined)
      issues.push({ path, message: `Case has no field ${name} the service user can see` });
    else if (!found.createable) issues.push({ path, message: `the service user cannot set Case.${name}` });
    // A value outside the picklist is not checked: picklists are unrestricted unless the admin restricted them, and
    // describe's restrictedPicklist is not read here; a restricted one answers INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.
  };
  for (const name of Object.keys(defaults)) check(`caseDefaults.${name}`, name);
  for (const [botName, name] of Object.entries(filing?.fields ?? {})) check(`filing.fields.${botName}`, name);
  if (filing?.recordTypeId !== undefined) check('filing.recordTypeId', 'RecordTypeId');
  if (filing?.externalIdField !== undefined) {
    const name = filing.externalIdField;
    const path = 'filing.externalIdField';
    const found = field(name);
    const taken = [...RESERVED_CASE_FIELDS, ...Object.keys(defaults), ...Object.values(filing.fields ?? {})];
    if (taken.some((t) => t.toLowerCase() === name.toLowerCase()))
      issues.push({ path, message: `${name} is already written with another value` });
    else if (found === undefined)
      issues.push({ path, message: `Case has no field ${name} the service user can see` });
    else if (!found.externalId)
      issues.push({
        path,
        message: `Case.${name} is not an External ID field: a lookup by it is not indexed`,
      });
    else if (!found.createable) issues.push({ path, message: `the service user cannot set Case.${name}` });
  }
  return issues;
}

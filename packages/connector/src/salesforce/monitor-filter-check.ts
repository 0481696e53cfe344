// The monitored-ticket filter (domain/tickets/monitor-filter.ts) checked against the org's Case describe, when the
// settings are saved and by doctor: every status and origin must be a value the org offers.

import type { FieldDescription, ObjectDescription } from '../domain/ports.js';
import type { MonitorFilter } from '../domain/tickets/monitor-filter.js';

export interface FilterIssue {
  readonly path: string;
  readonly message: string;
}

function picklistIssues(
  field: FieldDescription | undefined,
  values: readonly string[],
  path: string,
  fieldLabel: string,
): FilterIssue[] {
  if (values.length === 0) return [];
  if (field === undefined)
    return [{ path, message: `the service user cannot see the Case ${fieldLabel} field` }];
  return values
    .filter((value) => !field.picklistValues.includes(value))
    .map((value) => ({ path, message: `"${value}" is not an active ${fieldLabel} value of this org` }));
}

/** Checks the filter against the org's Case describe: every value must exist there. Empty: the filter is usable. */
export function validateMonitorFilter(filter: MonitorFilter, caseDescribe: ObjectDescription): FilterIssue[] {
  const field = (name: string) => caseDescribe.fields.find((f) => f.name === name);
  const issues = [
    ...picklistIssues(field('Status'), filter.statuses, 'monitor.statuses', 'Status'),
    ...picklistIssues(field('Origin'), filter.origins, 'monitor.origins', 'Origin'),
  ];
  if ((filter.recordTypes ?? []).length > 0 && field('RecordTypeId') === undefined)
    issues.push({
      path: 'monitor.recordTypes',
      message: 'this org has no Case record types (or the service user cannot see RecordTypeId)',
    });
  if (filter.createdAfter !== undefined && Number.isNaN(Date.parse(filter.createdAfter)))
    issues.push({ path: 'monitor.createdAfter', message: 'not a date' });
  return issues;
}

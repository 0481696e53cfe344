// Migration 0021: the one-status-per-notion \`statusMapping\` setting becomes the five-state \`caseStates\` mapping,
// exactly as mappingFromLegacyStatuses (domain/tickets/case-states.ts) converts it: the default states of this
// release, then the tenant's five statuses keeping their meaning (jsonb keeps the last of duplicate keys, as the
// spread there does), and the statuses casebridge wrote as the actions. The defaults are written out here, not
// read from code, because a migration must mean the same thing forever.

export const sql = `
UPDATE tenants SET settings = (settings - 'statusMapping') || jsonb_build_object(
  'caseStates', jsonb_build_object(
    'states',
      '{"New":"NEW","Working":"IN_PROGRESS","Escalated":"IN_PROGRESS","On Hold":"IN_PROGRESS","Waiting on Employee":"WAITING_FOR_EMPLOYEE","Waiting on Customer":"WAITING_FOR_EMPLOYEE","Resolved":"RESOLVED","Closed":"CLOSED"}'::jsonb
      || jsonb_build_object(settings->'statusMapping'->>'new', 'NEW')
      || jsonb_build_object(settings->'statusMapping'->>'waitingOnEmployee', 'WAITING_FOR_EMPLOYEE')
      || jsonb_build_object(settings->'statusMapping'->>'employeeReplied', 'IN_PROGRESS')
      || jsonb_build_object(settings->'statusMapping'->>'resolved', 'RESOLVED')
      || jsonb_build_object(settings->'statusMapping'->>'closed', 'CLOSED'),
    'actions', jsonb_build_object(
      'reopen', settings->'statusMapping'->>'employeeReplied',
      'resolve', settings->'statusMapping'->>'resolved',
      'employeeReplied', settings->'statusMapping'->>'employeeReplied')))
WHERE settings ? 'statusMapping';
`;

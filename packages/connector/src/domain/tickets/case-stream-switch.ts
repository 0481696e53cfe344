// Whether a tenant's Case changes may be streamed (Change Data Capture), by the operator's switches: the
// deployment's CASEBRIDGE_CASE_STREAM and the tenant's `monitor.caseStream`. Either off means polling only, at the
// normal pace; the org's own readiness (CDC selected, View All) is a separate question doctor asks.

export type CaseStreamSwitch = { on: true } | { on: false; reason: string; fix: string };

export function caseStreamSwitch(
  deploymentEnabled: boolean,
  tenant: { settings: { monitor: { caseStream?: boolean } } },
): CaseStreamSwitch {
  if (!deploymentEnabled)
    return {
      on: false,
      reason: 'turned off for every tenant (CASEBRIDGE_CASE_STREAM=false)',
      fix: 'Unset CASEBRIDGE_CASE_STREAM (or set it to true) and restart casebridge to stream Case changes.',
    };
  if (tenant.settings.monitor.caseStream === false)
    return {
      on: false,
      reason: 'turned off for this tenant (settings monitor.caseStream is false)',
      fix: `Run casebridge tenants update <tenant> --set monitor.caseStream=true to stream Case changes.`,
    };
  return { on: true };
}

// The autonomous-resolution funnel of a tenant as the status report carries it (`autonomousResolution`). Read in
// this one place, so the console and /metrics show it when present and "no data yet" otherwise (a service without
// autonomous resolution, or a report from an older service over the admin API).

import type { TenantStatus } from '../status-service.js';

export const FUNNEL_STAGES = [
  'eligible',
  'offered',
  'confirmed',
  'declined',
  'noAnswer',
  'reopened',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];
export type ResolutionFunnel = Record<FunnelStage, number>;

/** The tenant's funnel, or null when the status report has none (an older service, or no data yet). */
export function readResolutionFunnel(tenant: TenantStatus): ResolutionFunnel | null {
  const raw: unknown = tenant.autonomousResolution;
  if (raw === null || typeof raw !== 'object') return null;
  const values = raw as Record<string, unknown>;
  const funnel = {} as ResolutionFunnel;
  for (const stage of FUNNEL_STAGES) {
    const value = values[stage];
    funnel[stage] = typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
  }
  return funnel;
}

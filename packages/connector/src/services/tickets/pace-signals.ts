// Tells the poll pacer of this process that a tenant's activity changed (an employee's reply was recorded), so its
// cached inputs are read again at the next tick instead of when they expire (poll-pacer.ts, PACE_INPUTS_TTL_MS).
// In-process only: a change made by another worker reaches the pacer when its cached inputs expire.

export class PaceSignals {
  private readonly versions = new Map<string, number>();

  /** the tenant's activity changed: the next tick reads the pacer's inputs again */
  changed(tenantId: string): void {
    this.versions.set(tenantId, (this.versions.get(tenantId) ?? 0) + 1);
  }

  /** changes so far for the tenant (the pacer compares it with the count it read its inputs at) */
  version(tenantId: string): number {
    return this.versions.get(tenantId) ?? 0;
  }
}

// The daily API allocation the poll pacer paces a tenant by (domain/tickets/api-allocation.ts says when /limits is
// read and which reading wins). The /limits call goes through the tenant's gateway, so the client counts it and the
// API audit keeps it like any other call (it is part of the tenant's 24-hour spend). The last outcome is kept in the
// store for every worker, and in memory, so a tick that needs no read touches neither Salesforce nor the store.

import type { ApiAllocation, Clock } from '../../domain/ports.js';
import { dailyAllocation, limitsReadDue, type DailyAllocation } from '../../domain/tickets/api-allocation.js';
import type { ApiAllocationRepository, StoredApiAllocation } from '../../domain/tickets/poll-pace-ports.js';
import type { Logger } from '../../logging/logger.js';

export interface ApiAllocationReaderDeps {
  allocations: ApiAllocationRepository;
  /** the tenant's /limits (the gateway falls back to the header itself when the service user may not read it) */
  limitsOf(tenantId: string): Promise<ApiAllocation>;
  clock: Clock;
  log: Logger;
}

export class ApiAllocationReader {
  private readonly known = new Map<string, StoredApiAllocation>();

  constructor(private readonly deps: ApiAllocationReaderDeps) {}

  /** The allocation to pace `tenant` by; `headerMax`: the maximum the usage header last reported (null: none). */
  async dailyMax(tenant: { id: string }, headerMax: number | null): Promise<DailyAllocation> {
    const now = this.deps.clock.now();
    let stored = this.known.get(tenant.id) ?? null;
    if (limitsReadDue(stored, headerMax, now)) {
      // another worker may have read it meanwhile
      stored = await this.deps.allocations.get(tenant.id);
      if (limitsReadDue(stored, headerMax, now)) stored = await this.read(tenant, now);
      if (stored !== null) this.known.set(tenant.id, stored);
    }
    return dailyAllocation(stored, headerMax);
  }

  /** The last attempt to read the tenant's /limits this reader knows of (after `dailyMax`), for `status`. */
  lastReading(tenantId: string): StoredApiAllocation | null {
    return this.known.get(tenantId) ?? null;
  }

  private async read(tenant: { id: string }, now: Date): Promise<StoredApiAllocation> {
    let reading: StoredApiAllocation;
    try {
      const limits = await this.deps.limitsOf(tenant.id);
      reading =
        limits.source === 'limits'
          ? {
              tenantId: tenant.id,
              outcome: 'read',
              dailyMax: limits.max,
              remaining: limits.remaining,
              readAt: now.toISOString(),
            }
          : {
              tenantId: tenant.id,
              outcome: 'refused',
              dailyMax: null,
              remaining: null,
              readAt: now.toISOString(),
            };
    } catch (err) {
      // The pace falls back to the usage header; the next try waits (LIMITS_FAILED_RETRY_MS).
      this.deps.log.warn({ tenantId: tenant.id, err }, 'could not read /limits: pacing by the usage header');
      reading = {
        tenantId: tenant.id,
        outcome: 'failed',
        dailyMax: null,
        remaining: null,
        readAt: now.toISOString(),
      };
    }
    await this.deps.allocations.save(reading);
    return reading;
  }
}

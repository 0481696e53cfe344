// In-memory ApiAuditRepository: keeps every recorded attempt in order, for assertions on counting and redaction.

import type { ApiAuditEntry, ApiAuditRepository, ApiUsageSummary } from '../../src/domain/ports.js';

export class MemoryApiAuditRepository implements ApiAuditRepository {
  readonly entries: ApiAuditEntry[] = [];

  record(entry: ApiAuditEntry): Promise<void> {
    this.entries.push({ ...entry });
    return Promise.resolve();
  }
  purgeBefore(before: Date): Promise<number> {
    const keep = this.entries.filter((e) => Date.parse(e.at) >= before.getTime());
    const removed = this.entries.length - keep.length;
    this.entries.splice(0, this.entries.length, ...keep);
    return Promise.resolve(removed);
  }
  /** a tenant's rows from `since` in time order (as recorded when times tie), as the store orders them */
  private rowsOf(tenantId: string, since: Date): ApiAuditEntry[] {
    return this.entries
      .filter((e) => e.tenantId === tenantId && Date.parse(e.at) >= since.getTime())
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }
  summary(tenantId: string, since: Date): Promise<ApiUsageSummary> {
    const rows = this.rowsOf(tenantId, since);
    // as the store does: OAuth requests are not API calls, and the usage is the latest row that reported one
    const last = rows.filter((e) => e.apiUsed !== null).at(-1);
    return Promise.resolve({
      tenantId,
      calls: rows.filter((e) => !e.path.startsWith('/services/oauth2/')).length,
      since: since.toISOString(),
      lastApiUsed: last?.apiUsed ?? null,
      lastApiMax: last?.apiMax ?? null,
    });
  }
  list(tenantId: string, options: { since?: Date; limit?: number }): Promise<ApiAuditEntry[]> {
    const rows = this.rowsOf(tenantId, options.since ?? new Date(0));
    return Promise.resolve(rows.slice(0, options.limit ?? 1000).map((e) => ({ ...e })));
  }
}

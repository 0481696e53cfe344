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
  summary(tenantId: string, since: Date): Promise<ApiUsageSummary> {
    const rows = this.entries.filter((e) => e.tenantId === tenantId && Date.parse(e.at) >= since.getTime());
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
    const since = options.since?.getTime() ?? 0;
    const rows = this.entries.filter((e) => e.tenantId === tenantId && Date.parse(e.at) >= since);
    return Promise.resolve(rows.slice(0, options.limit ?? rows.length));
  }
}

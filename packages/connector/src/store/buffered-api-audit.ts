// Writes API audit rows in batches: a Salesforce call should not wait for its own audit insert (on PGlite every
// statement queues on one connection). Rows are flushed every `flushMs` or `maxRows`, before every read of the log,
// and on close; a crash can lose at most the last `flushMs` of audit rows, never a Salesforce write.

import type { ApiAuditEntry, ApiAuditRepository, ApiUsageSummary } from '../domain/ports.js';
import type { Logger } from '../logging/logger.js';
import type { SqlApiAuditRepository } from './repositories/api-audit.js';

export interface BufferOptions {
  flushMs?: number;
  maxRows?: number;
}

export class BufferedApiAuditRepository implements ApiAuditRepository {
  private pending: ApiAuditEntry[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly flushMs: number;
  private readonly maxRows: number;

  constructor(
    private readonly inner: SqlApiAuditRepository,
    private readonly log: Logger,
    options: BufferOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 250;
    this.maxRows = options.maxRows ?? 200;
  }

  record(entry: ApiAuditEntry): Promise<void> {
    this.pending.push(entry);
    if (this.pending.length >= this.maxRows) void this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
    return Promise.resolve();
  }

  /** Writes everything recorded so far; resolves when it is in the store. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.inner.recordMany(batch);
      } catch (err) {
        // The audit log must never break the calls it records; say how many rows were lost and why.
        this.log.error({ err, rows: batch.length }, 'api audit rows could not be written');
      }
    });
    return this.flushing;
  }

  async purgeBefore(before: Date): Promise<number> {
    await this.flush();
    return this.inner.purgeBefore(before);
  }

  async summary(tenantId: string, since: Date): Promise<ApiUsageSummary> {
    await this.flush();
    return this.inner.summary(tenantId, since);
  }

  async list(tenantId: string, options: { since?: Date; limit?: number }): Promise<ApiAuditEntry[]> {
    await this.flush();
    return this.inner.list(tenantId, options);
  }
}

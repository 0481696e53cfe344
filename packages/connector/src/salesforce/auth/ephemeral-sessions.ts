// A SessionRepository that lives only in memory and only for one check: doctor logs in with the key under test
// (possibly a pending one) without replacing the session every worker shares.

import type { SessionRepository, StoredSession } from '../../domain/ports.js';

export class EphemeralSessionRepository implements SessionRepository {
  private readonly rows = new Map<string, StoredSession>();

  get(tenantId: string): Promise<StoredSession | null> {
    return Promise.resolve(this.rows.get(tenantId) ?? null);
  }
  put(session: StoredSession): Promise<void> {
    this.rows.set(session.tenantId, session);
    return Promise.resolve();
  }
  clear(tenantId: string): Promise<void> {
    this.rows.delete(tenantId);
    return Promise.resolve();
  }
  withLoginLock<T>(_tenantId: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

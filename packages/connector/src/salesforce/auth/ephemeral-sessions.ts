// A SessionRepository that lives only in memory and only for one check: doctor logs in with the key under test
// (possibly a pending one) without replacing the session every worker shares.

import type { SessionRepository, StoredSession } from '../../domain/ports.js';

export class EphemeralSessionRepository implements SessionRepository {
  private readonly rows = new Map<string, StoredSession>();
  private readonly generations = new Map<string, number>();

  get(tenantId: string): Promise<StoredSession | null> {
    return Promise.resolve(this.rows.get(tenantId) ?? null);
  }
  put(session: StoredSession): Promise<void> {
    this.rows.set(session.tenantId, session);
    this.generations.set(session.tenantId, session.generation);
    return Promise.resolve();
  }
  clear(tenantId: string): Promise<void> {
    this.rows.delete(tenantId);
    return Promise.resolve();
  }
  lastGeneration(tenantId: string): Promise<number> {
    return Promise.resolve(this.generations.get(tenantId) ?? 0);
  }
  list(): Promise<StoredSession[]> {
    return Promise.resolve([...this.rows.values()]);
  }
  replace(session: StoredSession, expected: string): Promise<boolean> {
    const row = this.rows.get(session.tenantId);
    if (row?.accessTokenEnvelope !== expected) return Promise.resolve(false);
    this.rows.set(session.tenantId, { ...row, accessTokenEnvelope: session.accessTokenEnvelope });
    return Promise.resolve(true);
  }
  withLoginLock<T>(_tenantId: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

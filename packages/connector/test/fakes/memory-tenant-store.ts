// In-memory tenant, secret and session repositories for unit tests of services (no database).

import type {
  SecretRepository,
  SessionRepository,
  StoredSecret,
  StoredSession,
  TenantRecord,
  TenantRepository,
} from '../../src/domain/ports.js';
import type { SecretName } from '../../src/domain/tenant.js';

export class MemoryTenantRepository implements TenantRepository {
  readonly rows = new Map<string, TenantRecord>();
  constructor(private readonly owned: { onDelete: (id: string) => void } = { onDelete: () => undefined }) {}

  insert(tenant: TenantRecord): Promise<void> {
    if (this.rows.has(tenant.id)) return Promise.reject(new Error(`duplicate ${tenant.id}`));
    this.rows.set(tenant.id, structuredClone(tenant));
    return Promise.resolve();
  }
  update(tenant: TenantRecord): Promise<void> {
    if (!this.rows.has(tenant.id)) return Promise.reject(new Error(`missing ${tenant.id}`));
    this.rows.set(tenant.id, structuredClone(tenant));
    return Promise.resolve();
  }
  get(id: string): Promise<TenantRecord | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? structuredClone(row) : null);
  }
  list(): Promise<TenantRecord[]> {
    return Promise.resolve([...this.rows.values()].map((row) => structuredClone(row)));
  }
  delete(id: string): Promise<void> {
    this.rows.delete(id);
    this.owned.onDelete(id);
    return Promise.resolve();
  }
}

export class MemorySecretRepository implements SecretRepository {
  readonly rows = new Map<string, StoredSecret>();
  private key = (tenantId: string, name: string): string => `${tenantId}/${name}`;

  put(tenantId: string, name: SecretName, envelope: string): Promise<void> {
    this.rows.set(this.key(tenantId, name), { tenantId, name, envelope });
    return Promise.resolve();
  }
  get(tenantId: string, name: SecretName): Promise<string | null> {
    return Promise.resolve(this.rows.get(this.key(tenantId, name))?.envelope ?? null);
  }
  delete(tenantId: string, name: SecretName): Promise<void> {
    this.rows.delete(this.key(tenantId, name));
    return Promise.resolve();
  }
  deleteTenant(tenantId: string): void {
    for (const [key, row] of this.rows) if (row.tenantId === tenantId) this.rows.delete(key);
  }
  list(): Promise<StoredSecret[]> {
    return Promise.resolve([...this.rows.values()].map((row) => ({ ...row })));
  }
  replace(secret: StoredSecret, expected: string): Promise<boolean> {
    const key = this.key(secret.tenantId, secret.name);
    if (this.rows.get(key)?.envelope !== expected) return Promise.resolve(false);
    this.rows.set(key, { ...secret });
    return Promise.resolve(true);
  }
}

export class MemorySessionRepository implements SessionRepository {
  readonly rows = new Map<string, StoredSession>();
  /** the highest generation per tenant, kept across `clear` as the store's tombstone row keeps it */
  private readonly generations = new Map<string, number>();
  private readonly locks = new Map<string, Promise<unknown>>();

  get(tenantId: string): Promise<StoredSession | null> {
    const row = this.rows.get(tenantId);
    return Promise.resolve(row ? { ...row } : null);
  }
  put(session: StoredSession): Promise<void> {
    this.rows.set(session.tenantId, { ...session });
    this.generations.set(session.tenantId, session.generation);
    return Promise.resolve();
  }
  clear(tenantId: string): Promise<void> {
    this.rows.delete(tenantId);
    return Promise.resolve();
  }
  /** the tenant itself is gone (the store's ON DELETE CASCADE) */
  deleteTenant(tenantId: string): void {
    this.rows.delete(tenantId);
    this.generations.delete(tenantId);
  }
  lastGeneration(tenantId: string): Promise<number> {
    return Promise.resolve(this.generations.get(tenantId) ?? 0);
  }
  list(): Promise<StoredSession[]> {
    return Promise.resolve([...this.rows.values()].map((row) => ({ ...row })));
  }
  replace(session: StoredSession, expected: string): Promise<boolean> {
    const row = this.rows.get(session.tenantId);
    if (row?.accessTokenEnvelope !== expected) return Promise.resolve(false);
    this.rows.set(session.tenantId, { ...row, accessTokenEnvelope: session.accessTokenEnvelope });
    return Promise.resolve(true);
  }
  async withLoginLock<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(tenantId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    this.locks.set(
      tenantId,
      run.catch(() => undefined),
    );
    return run;
  }
}

/** The three repositories wired so deleting a tenant deletes what it owns, as the real store does. */
export function memoryTenantStore(): {
  tenants: MemoryTenantRepository;
  secrets: MemorySecretRepository;
  sessions: MemorySessionRepository;
} {
  const secrets = new MemorySecretRepository();
  const sessions = new MemorySessionRepository();
  const tenants = new MemoryTenantRepository({
    onDelete: (id) => {
      secrets.deleteTenant(id);
      sessions.deleteTenant(id);
    },
  });
  return { tenants, secrets, sessions };
}

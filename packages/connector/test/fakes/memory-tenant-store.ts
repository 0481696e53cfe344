// In-memory tenant, secret and session repositories for unit tests of services (no database), and a unit of work
// over the tenants and secrets that rolls both back when its work throws.

import type {
  SecretRepository,
  SessionRepository,
  StoredSecret,
  StoredSession,
  TenantPatch,
  TenantRecord,
  TenantRepository,
  TransactionalRepositories,
  TransactionalTenantRepository,
} from '../../src/domain/ports.js';
import type { SecretName } from '../../src/domain/tenant.js';
import { appError } from '../../src/errors/app-error.js';
import { TENANT_EXISTS, TENANT_NOT_FOUND } from '../../src/errors/codes/tenant.js';

export class MemoryTenantRepository implements TenantRepository, TransactionalTenantRepository {
  readonly rows = new Map<string, TenantRecord>();
  constructor(private readonly owned: { onDelete: (id: string) => void } = { onDelete: () => undefined }) {}

  insert(tenant: TenantRecord): Promise<void> {
    if (this.rows.has(tenant.id))
      return Promise.reject(appError(TENANT_EXISTS, { params: { tenant: tenant.id } }));
    this.rows.set(tenant.id, structuredClone(tenant));
    return Promise.resolve();
  }
  update(id: string, patch: TenantPatch): Promise<void> {
    const row = this.rows.get(id);
    if (!row) return Promise.reject(appError(TENANT_NOT_FOUND, { params: { tenant: id } }));
    const defined = Object.entries(patch).filter(([, value]) => value !== undefined);
    this.rows.set(id, { ...row, ...structuredClone(Object.fromEntries(defined)) });
    return Promise.resolve();
  }
  setInstanceUrl(id: string, instanceUrl: string, at: string): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.instanceUrl === instanceUrl) return Promise.resolve(false);
    this.rows.set(id, { ...row, instanceUrl, updatedAt: at });
    return Promise.resolve(true);
  }
  markKeyProven(id: string, which: 'active' | 'pending', fingerprint: string, at: string): Promise<boolean> {
    const row = this.rows.get(id);
    const field = which === 'active' ? 'activeKey' : 'pendingKey';
    const key = row?.[field];
    if (!row || key?.fingerprint !== fingerprint) return Promise.resolve(false);
    this.rows.set(id, { ...row, [field]: { ...key, provenAt: at } });
    return Promise.resolve(true);
  }
  get(id: string): Promise<TenantRecord | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? structuredClone(row) : null);
  }
  getForUpdate(id: string): Promise<TenantRecord | null> {
    return this.get(id);
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
/**
 * A unit of work over the in-memory tenants and secrets: units run one at a time, and one that throws leaves both
 * as they were before it (as a rolled-back transaction would).
 */
export class MemoryTenantUnitOfWork {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly tenants: MemoryTenantRepository,
    private readonly secrets: MemorySecretRepository,
  ) {}

  run<T>(fn: (tx: Pick<TransactionalRepositories, 'tenants' | 'secrets'>) => Promise<T>): Promise<T> {
    const work = async (): Promise<T> => {
      const tenantRows = structuredClone(this.tenants.rows);
      const secretRows = structuredClone(this.secrets.rows);
      try {
        return await fn({ tenants: this.tenants, secrets: this.secrets });
      } catch (err) {
        restore(this.tenants.rows, tenantRows);
        restore(this.secrets.rows, secretRows);
        throw err;
      }
    };
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function restore<K, V>(target: Map<K, V>, saved: Map<K, V>): void {
  target.clear();
  for (const [key, value] of saved) target.set(key, value);
}

export function memoryTenantStore(): {
  tenants: MemoryTenantRepository;
  secrets: MemorySecretRepository;
  sessions: MemorySessionRepository;
  unitOfWork: MemoryTenantUnitOfWork;
} {
  const secrets = new MemorySecretRepository();
  const sessions = new MemorySessionRepository();
  const tenants = new MemoryTenantRepository({
    onDelete: (id) => {
      secrets.deleteTenant(id);
      sessions.deleteTenant(id);
    },
  });
  return { tenants, secrets, sessions, unitOfWork: new MemoryTenantUnitOfWork(tenants, secrets) };
}

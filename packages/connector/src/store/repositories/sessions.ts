// SessionRepository on the store: the tenant's shared Salesforce session, and the login lock across workers.

import type { SessionRepository, StoredSession } from '../../domain/ports.js';
import { toIso, type Db } from '../db.js';
import { KeyedMutex } from '../keyed-mutex.js';

interface SessionRow {
  tenant_id: string;
  access_token_envelope: string;
  instance_url: string;
  identity_url: string;
  issued_at: unknown;
  generation: number;
}

export class SqlSessionRepository implements SessionRepository {
  private readonly localLocks = new KeyedMutex();

  constructor(private readonly db: Db) {}

  async get(tenantId: string): Promise<StoredSession | null> {
    const { rows } = await this.db.query<SessionRow>(
      `SELECT tenant_id, access_token_envelope, instance_url, identity_url, issued_at, generation
       FROM tenant_sessions WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      tenantId: row.tenant_id,
      accessTokenEnvelope: row.access_token_envelope,
      instanceUrl: row.instance_url,
      identityUrl: row.identity_url,
      issuedAt: toIso(row.issued_at),
      generation: Number(row.generation),
    };
  }

  async put(session: StoredSession): Promise<void> {
    await this.db.query(
      `INSERT INTO tenant_sessions (tenant_id, access_token_envelope, instance_url, identity_url, issued_at, generation)
       VALUES ($1, $2, $3, $4, $5::timestamptz, $6)
       ON CONFLICT (tenant_id) DO UPDATE SET access_token_envelope = EXCLUDED.access_token_envelope,
         instance_url = EXCLUDED.instance_url, identity_url = EXCLUDED.identity_url,
         issued_at = EXCLUDED.issued_at, generation = EXCLUDED.generation`,
      [
        session.tenantId,
        session.accessTokenEnvelope,
        session.instanceUrl,
        session.identityUrl,
        session.issuedAt,
        session.generation,
      ],
    );
  }

  async clear(tenantId: string): Promise<void> {
    await this.db.query('DELETE FROM tenant_sessions WHERE tenant_id = $1', [tenantId]);
  }

  withLoginLock<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    // The in-process mutex first, so callers in this process queue here instead of each holding a lock connection;
    // then the database-wide lock (an advisory lock on PostgreSQL) against other processes.
    return this.localLocks.run(tenantId, () => this.db.withLock(`login:${tenantId}`, fn));
  }
}

// SessionRepository on the store: the tenant's shared Salesforce session, and the login lock across workers.
// Clearing a session keeps its row as a tombstone (empty token envelope) so its generation number is never reused.

import type { SessionRepository, StoredSession } from '../../domain/ports.js';
import { toIso, type Db } from '../db.js';
import { LoginLeases } from '../login-lease.js';
import { referencingTenant } from '../tenant-reference.js';

/** The envelope of a cleared session's row: never a sealed value (those are non-empty). */
const CLEARED = '';

const COLUMNS = 'tenant_id, access_token_envelope, instance_url, identity_url, issued_at, generation';

interface SessionRow {
  tenant_id: string;
  access_token_envelope: string;
  instance_url: string;
  identity_url: string;
  issued_at: unknown;
  generation: number;
}

function toSession(row: SessionRow): StoredSession {
  return {
    tenantId: row.tenant_id,
    accessTokenEnvelope: row.access_token_envelope,
    instanceUrl: row.instance_url,
    identityUrl: row.identity_url,
    issuedAt: toIso(row.issued_at),
    generation: Number(row.generation),
  };
}

export class SqlSessionRepository implements SessionRepository {
  constructor(
    private readonly db: Db,
    private readonly loginLeases: LoginLeases = new LoginLeases(db),
  ) {}

  async get(tenantId: string): Promise<StoredSession | null> {
    const { rows } = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM tenant_sessions WHERE tenant_id = $1 AND access_token_envelope <> $2`,
      [tenantId, CLEARED],
    );
    const row = rows[0];
    return row === undefined ? null : toSession(row);
  }

  async lastGeneration(tenantId: string): Promise<number> {
    const { rows } = await this.db.query<{ generation: number }>(
      'SELECT generation FROM tenant_sessions WHERE tenant_id = $1',
      [tenantId],
    );
    return Number(rows[0]?.generation ?? 0);
  }

  async list(): Promise<StoredSession[]> {
    const { rows } = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM tenant_sessions WHERE access_token_envelope <> $1 ORDER BY tenant_id`,
      [CLEARED],
    );
    return rows.map(toSession);
  }

  async replace(session: StoredSession, expected: string): Promise<boolean> {
    if (expected === CLEARED) return false;
    const { rowCount } = await this.db.query(
      `UPDATE tenant_sessions SET access_token_envelope = $2
       WHERE tenant_id = $1 AND access_token_envelope = $3`,
      [session.tenantId, session.accessTokenEnvelope, expected],
    );
    return rowCount === 1;
  }

  async put(session: StoredSession): Promise<void> {
    await referencingTenant(session.tenantId, () =>
      this.db.query(
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
      ),
    );
  }

  async clear(tenantId: string): Promise<void> {
    // A tombstone, not a DELETE: generations restarting at 1 could equal a number another worker still caches.
    await this.db.query(
      `UPDATE tenant_sessions SET access_token_envelope = $2, instance_url = '', identity_url = ''
       WHERE tenant_id = $1`,
      [tenantId, CLEARED],
    );
  }

  withLoginLock<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    // A lease row (login-lease.ts): no connection is held while `fn` runs, so no tenant waits for another's login.
    return this.loginLeases.run(tenantId, fn);
  }
}

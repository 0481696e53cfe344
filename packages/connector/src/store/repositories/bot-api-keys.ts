// The bot platform's API keys (bot_api_keys, migration 0041) and the shared request counts (bot_rate_windows, 0042).

import type {
  BotApiKeyRecord,
  BotApiKeyRepository,
  RateBucket,
  RateCount,
  RateAllowanceRequest,
  RateAllowanceStore,
  RateCounter,
} from '../../domain/bot/api-key-ports.js';
import { toIso, toIsoOrNull, type Db, type Queryable } from '../db.js';
import { appError } from '../../errors/app-error.js';
import { BOT_API_KEY_ROTATION_PENDING } from '../../errors/codes/bot.js';
import { referencingTenant } from '../tenant-reference.js';

interface KeyRow {
  id: string;
  tenant_id: string;
  name: string;
  secret_hash: string;
  created_at: unknown;
  retiring_at: unknown;
  revoked_at: unknown;
  last_used_at: unknown;
}

const KEY_COLUMNS = 'id, tenant_id, name, secret_hash, created_at, retiring_at, revoked_at, last_used_at';

const toKey = (row: KeyRow): BotApiKeyRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  secretHash: row.secret_hash,
  createdAt: toIso(row.created_at),
  retiringAt: toIsoOrNull(row.retiring_at),
  revokedAt: toIsoOrNull(row.revoked_at),
  lastUsedAt: toIsoOrNull(row.last_used_at),
});

async function insertKey(db: Queryable, key: BotApiKeyRecord): Promise<boolean> {
  // The partial unique index on active names decides a race between two creations of one name.
  const result = await referencingTenant(key.tenantId, () =>
    db.query(
      `INSERT INTO bot_api_keys (id, tenant_id, name, secret_hash, created_at)
       VALUES ($1, $2, $3, $4, $5::timestamptz)
       ON CONFLICT (tenant_id, name) WHERE revoked_at IS NULL AND retiring_at IS NULL DO NOTHING`,
      [key.id, key.tenantId, key.name, key.secretHash, key.createdAt],
    ),
  );
  return result.rowCount === 1;
}

export class SqlBotApiKeyRepository implements BotApiKeyRepository {
  constructor(private readonly db: Db) {}

  insert(key: BotApiKeyRecord): Promise<boolean> {
    return insertKey(this.db, key);
  }

  async get(id: string): Promise<BotApiKeyRecord | null> {
    const { rows } = await this.db.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM bot_api_keys WHERE id = $1`, [
      id,
    ]);
    return rows[0] === undefined ? null : toKey(rows[0]);
  }

  async listLive(tenantId: string): Promise<BotApiKeyRecord[]> {
    const { rows } = await this.db.query<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM bot_api_keys WHERE tenant_id = $1 AND revoked_at IS NULL
       ORDER BY name, created_at`,
      [tenantId],
    );
    return rows.map(toKey);
  }

  rotate(
    tenantId: string,
    name: string,
    next: BotApiKeyRecord,
    at: string,
  ): Promise<'rotated' | 'none' | 'pending'> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ retiring: boolean }>(
        `SELECT retiring_at IS NOT NULL AS retiring FROM bot_api_keys
         WHERE tenant_id = $1 AND name = $2 AND revoked_at IS NULL FOR UPDATE`,
        [tenantId, name],
      );
      if (rows.some((r) => r.retiring)) return 'pending';
      if (rows.length === 0) return 'none';
      await tx.query(
        `UPDATE bot_api_keys SET retiring_at = $3::timestamptz
         WHERE tenant_id = $1 AND name = $2 AND revoked_at IS NULL AND retiring_at IS NULL`,
        [tenantId, name, at],
      );
      // another rotation of this name committed first: its new key stands, and ours is the one that waits
      if (!(await insertKey(tx, next)))
        throw appError(BOT_API_KEY_ROTATION_PENDING, { params: { tenant: tenantId, name } });
      return 'rotated';
    });
  }

  async revokeRetiring(tenantId: string, name: string, at: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE bot_api_keys SET revoked_at = $3::timestamptz
       WHERE tenant_id = $1 AND name = $2 AND revoked_at IS NULL AND retiring_at IS NOT NULL`,
      [tenantId, name, at],
    );
    return result.rowCount > 0;
  }

  async revokeName(tenantId: string, name: string, at: string): Promise<number> {
    const result = await this.db.query(
      `UPDATE bot_api_keys SET revoked_at = $3::timestamptz WHERE tenant_id = $1 AND name = $2 AND revoked_at IS NULL`,
      [tenantId, name, at],
    );
    return result.rowCount;
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.query('UPDATE bot_api_keys SET last_used_at = $2::timestamptz WHERE id = $1', [id, at]);
  }
}

export class SqlRateCounter implements RateCounter, RateAllowanceStore {
  constructor(private readonly db: Queryable) {}

  hit(buckets: readonly RateBucket[], at: Date): Promise<RateCount[]> {
    return this.take(
      buckets.map((b) => ({ bucket: b.bucket, windowMs: b.windowMs, amount: 1 })),
      at,
    );
  }

  /** Adds each amount to its bucket (a leasing worker's block: domain/bot/leased-rate-counter.ts). */
  async take(requests: readonly RateAllowanceRequest[], at: Date): Promise<RateCount[]> {
    if (requests.length === 0) return [];
    // One statement for every bucket: a row whose window has ended starts a new one at `at` with this amount.
    const { rows } = await this.db.query<{
      bucket: string;
      hits: number;
      window_start: unknown;
      window_ms: number;
    }>(
      `INSERT INTO bot_rate_windows AS w (bucket, window_start, window_ms, hits)
       SELECT b, $3::timestamptz, ms, n FROM unnest($1::text[], $2::int[], $4::int[]) AS t(b, ms, n)
       ON CONFLICT (bucket) DO UPDATE SET
         window_start = CASE WHEN w.window_start + make_interval(secs => EXCLUDED.window_ms / 1000.0) <= EXCLUDED.window_start
           THEN EXCLUDED.window_start ELSE w.window_start END,
         window_ms = EXCLUDED.window_ms,
         hits = CASE WHEN w.window_start + make_interval(secs => EXCLUDED.window_ms / 1000.0) <= EXCLUDED.window_start
           THEN EXCLUDED.hits ELSE w.hits + EXCLUDED.hits END
       RETURNING bucket, hits, window_start, window_ms`,
      [
        requests.map((r) => r.bucket),
        requests.map((r) => r.windowMs),
        at.toISOString(),
        requests.map((r) => r.amount),
      ],
    );
    return rows.map((row) => ({
      bucket: row.bucket,
      hits: Number(row.hits),
      windowEndsAt: new Date(Date.parse(toIso(row.window_start)) + Number(row.window_ms)).toISOString(),
    }));
  }

  async purgeBefore(before: Date): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM bot_rate_windows WHERE window_start + make_interval(secs => window_ms / 1000.0) < $1::timestamptz`,
      [before.toISOString()],
    );
    return result.rowCount;
  }
}

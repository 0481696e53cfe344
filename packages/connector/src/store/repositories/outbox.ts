// OutboxRepository on the store: messages to deliver at least once, enqueued idempotently, claimed with a lease and
// a claim token that only the current claim's holder can complete or fail with.

import type {
  ClaimedOutboxMessage,
  Clock,
  NewOutboxMessage,
  OutboxClaim,
  OutboxMessage,
  OutboxRepository,
  OutboxStatus,
} from '../../domain/ports.js';
import { toIso, type Queryable } from '../db.js';

export interface OutboxPolicy {
  /** delay after the first failure; doubles with every further one */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** attempts (claims) after which a failing message is dead */
  maxAttempts: number;
  /** how long a claim lasts before the message may be claimed again (its worker is presumed dead) */
  leaseMs: number;
}

export const DEFAULT_OUTBOX_POLICY: OutboxPolicy = {
  backoffBaseMs: 30_000,
  backoffMaxMs: 3_600_000,
  maxAttempts: 10,
  leaseMs: 300_000,
};

interface OutboxRow {
  id: string;
  tenant_id: string;
  kind: string;
  idempotency_key: string;
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: unknown;
  last_error: string | null;
  created_at: unknown;
}

interface ClaimedRow extends OutboxRow {
  claim_token: string;
}

const COLUMNS =
  'id::text AS id, tenant_id, kind, idempotency_key, payload, status, attempts, next_attempt_at, last_error, created_at';

const toMessage = (row: OutboxRow): OutboxMessage => ({
  id: row.id,
  tenantId: row.tenant_id,
  kind: row.kind,
  idempotencyKey: row.idempotency_key,
  payload: row.payload,
  status: row.status,
  attempts: Number(row.attempts),
  nextAttemptAt: toIso(row.next_attempt_at),
  lastError: row.last_error,
  createdAt: toIso(row.created_at),
});

/** Only the current claim may finish a message: a worker whose lease ran out may have been replaced. */
const CURRENT_CLAIM = `id = $1::bigint AND status = 'processing' AND claim_token = $2`;

export class SqlOutboxRepository implements OutboxRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly policy: OutboxPolicy = DEFAULT_OUTBOX_POLICY,
  ) {}

  async enqueue(message: NewOutboxMessage): Promise<{ id: string; created: boolean }> {
    const now = this.clock.now().toISOString();
    // DO NOTHING (not a caught unique violation), so a duplicate never aborts the caller's transaction.
    const inserted = await this.db.query<{ id: string }>(
      `INSERT INTO outbox (tenant_id, kind, idempotency_key, payload, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz, $6::timestamptz, $6::timestamptz)
       ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
       RETURNING id::text AS id`,
      [
        message.tenantId,
        message.kind,
        message.idempotencyKey,
        JSON.stringify(message.payload ?? null),
        (message.notBefore ?? this.clock.now()).toISOString(),
        now,
      ],
    );
    const created = inserted.rows[0];
    if (created !== undefined) return { id: created.id, created: true };
    const { rows } = await this.db.query<{ id: string }>(
      'SELECT id::text AS id FROM outbox WHERE tenant_id = $1 AND idempotency_key = $2',
      [message.tenantId, message.idempotencyKey],
    );
    const existing = rows[0];
    if (existing === undefined) throw new Error('outbox: conflicting message vanished');
    return { id: existing.id, created: false };
  }

  async claim(
    limit: number,
    options: { leaseMs?: number; kinds?: string[]; tenantId?: string } = {},
  ): Promise<ClaimedOutboxMessage[]> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? this.policy.leaseMs));
    // SKIP LOCKED: concurrent claimers on PostgreSQL take different rows instead of waiting for each other.
    // (On PGlite it is accepted and transactions simply queue on the one connection.)
    const { rows } = await this.db.query<ClaimedRow>(
      `UPDATE outbox SET status = 'processing', attempts = attempts + 1, locked_until = $2::timestamptz,
         claim_token = gen_random_uuid()::text, updated_at = $1::timestamptz
       WHERE id IN (
         SELECT id FROM outbox
         WHERE ((status = 'pending' AND next_attempt_at <= $1::timestamptz)
             OR (status = 'processing' AND locked_until <= $1::timestamptz))
           AND ($4::jsonb IS NULL OR kind IN (SELECT jsonb_array_elements_text($4::jsonb)))
           AND ($5::text IS NULL OR tenant_id = $5::text)
         ORDER BY next_attempt_at, id
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}, claim_token`,
      [
        now.toISOString(),
        leaseUntil.toISOString(),
        limit,
        options.kinds === undefined ? null : JSON.stringify(options.kinds),
        options.tenantId ?? null,
      ],
    );
    return rows
      .map((row) => ({ ...toMessage(row), claimToken: row.claim_token }))
      .sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || Number(a.id) - Number(b.id));
  }

  async complete(claim: OutboxClaim): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE outbox SET status = 'done', locked_until = NULL, claim_token = NULL, last_error = NULL,
         updated_at = $3::timestamptz
       WHERE ${CURRENT_CLAIM}`,
      [claim.id, claim.claimToken, this.clock.now().toISOString()],
    );
    return result.rowCount === 1;
  }

  async fail(
    claim: OutboxClaim,
    error: string,
  ): Promise<{ status: OutboxStatus; nextAttemptAt: string } | false> {
    const { backoffBaseMs, backoffMaxMs, maxAttempts } = this.policy;
    const { rows } = await this.db.query<{ status: OutboxStatus; next_attempt_at: unknown }>(
      `UPDATE outbox SET
         status = CASE WHEN attempts >= $3 THEN 'dead' ELSE 'pending' END,
         next_attempt_at = CASE WHEN attempts >= $3 THEN next_attempt_at
           ELSE $7::timestamptz + make_interval(secs => least($5::float8, $4::float8 * power(2, greatest(attempts - 1, 0)))) END,
         locked_until = NULL, claim_token = NULL, last_error = $6, updated_at = $7::timestamptz
       WHERE ${CURRENT_CLAIM}
       RETURNING status, next_attempt_at`,
      [
        claim.id,
        claim.claimToken,
        maxAttempts,
        backoffBaseMs / 1000,
        backoffMaxMs / 1000,
        error.slice(0, 2000),
        this.clock.now().toISOString(),
      ],
    );
    const row = rows[0];
    if (row === undefined) return false;
    return { status: row.status, nextAttemptAt: toIso(row.next_attempt_at) };
  }

  async get(id: string): Promise<OutboxMessage | null> {
    const { rows } = await this.db.query<OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE id = $1::bigint`, [
      id,
    ]);
    const row = rows[0];
    return row === undefined ? null : toMessage(row);
  }
}

// OutboxRepository on the store: messages to deliver at least once, enqueued idempotently, claimed with a lease and
// a claim token that only the current claim's holder can complete or fail with.

import type {
  ClaimedOutboxMessage,
  Clock,
  NewOutboxMessage,
  OutboxClaim,
  OutboxClaimOptions,
  OutboxMessage,
  OutboxRepository,
  OutboxStatus,
} from '../../domain/ports.js';
import { appError } from '../../errors/app-error.js';
import { TENANT_NOT_FOUND } from '../../errors/codes/tenant.js';
import { toIso, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

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
  event_id: string;
  tenant_id: string;
  kind: string;
  idempotency_key: string;
  ordering_key: string | null;
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
  'id::text AS id, event_id, tenant_id, kind, idempotency_key, ordering_key, payload, status, attempts, next_attempt_at, last_error, created_at';

const toMessage = (row: OutboxRow): OutboxMessage => ({
  id: row.id,
  eventId: row.event_id,
  tenantId: row.tenant_id,
  kind: row.kind,
  idempotencyKey: row.idempotency_key,
  orderingKey: row.ordering_key,
  payload: row.payload,
  status: row.status,
  attempts: Number(row.attempts),
  nextAttemptAt: toIso(row.next_attempt_at),
  lastError: row.last_error,
  createdAt: toIso(row.created_at),
});

/** Due: pending and past its backoff, or processing with a lease that ran out (`now` names the parameter). */
const due = (o: string, now: string): string =>
  `((${o}status = 'pending' AND ${o}next_attempt_at <= ${now}::timestamptz)
    OR (${o}status = 'processing' AND ${o}locked_until <= ${now}::timestamptz))`;
/** The claim filters: `kinds` names a JSON array of kinds, `tenant` a tenant id; each null for any. */
const filters = (o: string, kinds: string, tenant: string): string =>
  `(${kinds}::jsonb IS NULL OR ${o}kind IN (SELECT jsonb_array_elements_text(${kinds}::jsonb)))
    AND (${tenant}::text IS NULL OR ${o}tenant_id = ${tenant}::text)`;

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
    const inserted = await referencingTenant(message.tenantId, () =>
      this.db.query<{ id: string }>(
        `INSERT INTO outbox (tenant_id, kind, idempotency_key, payload, next_attempt_at, created_at, updated_at,
         ordering_key, event_id)
       VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz, $6::timestamptz, $6::timestamptz, $7,
         coalesce($8::text, gen_random_uuid()::text))
       ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
       RETURNING id::text AS id`,
        [
          message.tenantId,
          message.kind,
          message.idempotencyKey,
          JSON.stringify(message.payload ?? null),
          (message.notBefore ?? this.clock.now()).toISOString(),
          now,
          message.orderingKey ?? null,
          message.eventId ?? null,
        ],
      ),
    );
    const created = inserted.rows[0];
    if (created !== undefined) return { id: created.id, created: true };
    const { rows } = await this.db.query<{ id: string }>(
      'SELECT id::text AS id FROM outbox WHERE tenant_id = $1 AND idempotency_key = $2',
      [message.tenantId, message.idempotencyKey],
    );
    const existing = rows[0];
    // The conflicting row was deleted between the two statements (its tenant removed meanwhile).
    if (existing === undefined) throw appError(TENANT_NOT_FOUND, { params: { tenant: message.tenantId } });
    return { id: existing.id, created: false };
  }

  async claim(limit: number, options: OutboxClaimOptions = {}): Promise<ClaimedOutboxMessage[]> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? this.policy.leaseMs));
    const filterParams = [
      options.kinds === undefined ? null : JSON.stringify(options.kinds),
      options.tenantId ?? null,
    ];
    // A message whose lease ran out on its last attempt crashed (or hung) every worker that took it: dead, not
    // handed to yet another worker.
    await this.db.query(
      `UPDATE outbox SET status = 'dead', locked_until = NULL, claim_token = NULL, updated_at = $1::timestamptz,
         last_error = 'lease expired on every attempt (' || attempts || '): its worker stopped or hung'
       WHERE status = 'processing' AND locked_until <= $1::timestamptz AND attempts >= $2
         AND ${filters('', '$3', '$4')}`,
      [now.toISOString(), this.policy.maxAttempts, ...filterParams],
    );
    // Fairness: each tenant's due messages are ranked by due time and the batch takes rank 1 of every tenant,
    // then rank 2, and so on. Order: a message waits while an earlier one with its ordering key is unfinished.
    // SKIP LOCKED: concurrent claimers take different rows instead of waiting; the due condition is repeated at the
    // locking level so a row another claimer took meanwhile is re-checked and skipped, never claimed twice.
    // (PGlite accepts it; its transactions queue on the one connection.)
    const { rows } = await this.db.query<ClaimedRow>(
      `WITH due AS (
         SELECT o.id, o.tenant_id, o.next_attempt_at FROM outbox o
         WHERE ${due('o.', '$1')} AND ${filters('o.', '$4', '$5')}
           AND (o.ordering_key IS NULL OR NOT EXISTS (
             SELECT 1 FROM outbox e
             WHERE e.tenant_id = o.tenant_id AND e.ordering_key = o.ordering_key AND e.id < o.id
               AND e.status IN ('pending', 'processing')))
       ), ranked AS (
         SELECT id, next_attempt_at,
           row_number() OVER (PARTITION BY tenant_id ORDER BY next_attempt_at, id) AS turn
         FROM due
       ), picked AS (
         SELECT id FROM outbox
         WHERE id IN (SELECT id FROM ranked ORDER BY turn, next_attempt_at, id LIMIT $3)
           AND ${due('', '$1')}
         FOR UPDATE SKIP LOCKED
       )
       UPDATE outbox SET status = 'processing', attempts = attempts + 1, locked_until = $2::timestamptz,
         claim_token = gen_random_uuid()::text, updated_at = $1::timestamptz
       WHERE id IN (SELECT id FROM picked)
       RETURNING ${COLUMNS}, claim_token`,
      [now.toISOString(), leaseUntil.toISOString(), limit, ...filterParams],
    );
    return rows
      .map((row) => ({ ...toMessage(row), claimToken: row.claim_token }))
      .sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || Number(a.id) - Number(b.id));
  }

  async complete(claim: OutboxClaim): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE outbox SET status = 'done', locked_until = NULL, claim_token = NULL, last_error = NULL,
         updated_at = $3::timestamptz, done_at = $3::timestamptz
       WHERE ${CURRENT_CLAIM}`,
      [claim.id, claim.claimToken, this.clock.now().toISOString()],
    );
    return result.rowCount === 1;
  }

  async fail(
    claim: OutboxClaim,
    error: string,
    options: { permanent?: boolean; retryAfterMs?: number } = {},
  ): Promise<{ status: OutboxStatus; nextAttemptAt: string } | false> {
    const { backoffBaseMs, backoffMaxMs, maxAttempts } = this.policy;
    const { rows } = await this.db.query<{ status: OutboxStatus; next_attempt_at: unknown }>(
      `UPDATE outbox SET
         status = CASE WHEN attempts >= $3 THEN 'dead' ELSE 'pending' END,
         next_attempt_at = CASE WHEN attempts >= $3 THEN next_attempt_at
           ELSE greatest(coalesce($8::timestamptz, $7::timestamptz),
             $7::timestamptz + make_interval(secs => least($5::float8, $4::float8 * power(2, greatest(attempts - 1, 0))))) END,
         locked_until = NULL, claim_token = NULL, last_error = $6, updated_at = $7::timestamptz
       WHERE ${CURRENT_CLAIM}
       RETURNING status, next_attempt_at`,
      [
        claim.id,
        claim.claimToken,
        options.permanent === true ? 0 : maxAttempts,
        backoffBaseMs / 1000,
        backoffMaxMs / 1000,
        error.slice(0, 2000),
        this.clock.now().toISOString(),
        // a receiver's Retry-After, never beyond the longest backoff (a year-long one must not park the message)
        options.retryAfterMs === undefined
          ? null
          : new Date(this.clock.now().getTime() + Math.min(options.retryAfterMs, backoffMaxMs)).toISOString(),
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

  async listDead(options: { tenantId?: string; limit?: number } = {}): Promise<OutboxMessage[]> {
    const { rows } = await this.db.query<OutboxRow>(
      `SELECT ${COLUMNS} FROM outbox WHERE status = 'dead' AND ($1::text IS NULL OR tenant_id = $1::text)
       ORDER BY updated_at, id LIMIT $2`,
      [options.tenantId ?? null, options.limit ?? 100],
    );
    return rows.map(toMessage);
  }

  async retryDead(id: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2::timestamptz,
         updated_at = $2::timestamptz
       WHERE id = $1::bigint AND status = 'dead'`,
      [id, this.clock.now().toISOString()],
    );
    return result.rowCount === 1;
  }

  async purgeDone(before: Date): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM outbox WHERE status = 'done' AND done_at < $1::timestamptz`,
      [before.toISOString()],
    );
    return result.rowCount;
  }
}

// In-memory OutboxRepository with the store's rules: idempotent enqueue per tenant and key, claims fair across
// tenants and in order per ordering key, leases with a claim token only the current holder may finish with,
// exponential backoff (a Retry-After capped at the longest), dead letters, and the store's policy.

import { randomUUID } from 'node:crypto';

import type {
  ClaimedOutboxMessage,
  Clock,
  NewOutboxMessage,
  OutboxClaim,
  OutboxClaimOptions,
  OutboxMessage,
  OutboxRepository,
  OutboxStatus,
} from '../../src/domain/ports.js';
import { DEFAULT_OUTBOX_POLICY, type OutboxPolicy } from '../../src/store/repositories/outbox.js';
import { missingTenant, type KnownTenants } from './known-tenants.js';

interface Row extends OutboxMessage {
  lockedUntil: number | null;
  claimToken: string | null;
  updatedAt: number;
  doneAt: number | null;
}

const copy = (row: Row): OutboxMessage => ({
  id: row.id,
  eventId: row.eventId,
  tenantId: row.tenantId,
  kind: row.kind,
  idempotencyKey: row.idempotencyKey,
  orderingKey: row.orderingKey,
  payload: structuredClone(row.payload),
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.nextAttemptAt,
  lastError: row.lastError,
  createdAt: row.createdAt,
});

const byDue = (a: Row, b: Row): number =>
  a.nextAttemptAt.localeCompare(b.nextAttemptAt) || Number(a.id) - Number(b.id);

export class MemoryOutboxRepository implements OutboxRepository {
  /** by id, in enqueue order */
  readonly rows = new Map<string, Row>();
  private nextId = 1;
  private readonly policy: OutboxPolicy;

  constructor(private readonly deps: { tenants: KnownTenants; clock: Clock; policy?: OutboxPolicy }) {
    this.policy = deps.policy ?? DEFAULT_OUTBOX_POLICY;
  }

  enqueue(message: NewOutboxMessage): Promise<{ id: string; created: boolean }> {
    const missing = missingTenant(this.deps.tenants, message.tenantId);
    if (missing !== null) return Promise.reject(missing);
    for (const row of this.rows.values())
      if (row.tenantId === message.tenantId && row.idempotencyKey === message.idempotencyKey)
        return Promise.resolve({ id: row.id, created: false });
    const now = this.deps.clock.now();
    const id = String(this.nextId++);
    this.rows.set(id, {
      id,
      eventId: message.eventId ?? randomUUID(),
      tenantId: message.tenantId,
      kind: message.kind,
      idempotencyKey: message.idempotencyKey,
      orderingKey: message.orderingKey ?? null,
      // stored as JSON, as the store's jsonb column holds it
      payload: JSON.parse(JSON.stringify(message.payload ?? null)) as unknown,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: (message.notBefore ?? now).toISOString(),
      lastError: null,
      createdAt: now.toISOString(),
      lockedUntil: null,
      claimToken: null,
      updatedAt: now.getTime(),
      doneAt: null,
    });
    return Promise.resolve({ id, created: true });
  }

  claim(limit: number, options: OutboxClaimOptions = {}): Promise<ClaimedOutboxMessage[]> {
    const now = this.deps.clock.now().getTime();
    const leaseUntil = now + (options.leaseMs ?? this.policy.leaseMs);
    const matches = (row: Row): boolean =>
      (options.kinds === undefined || options.kinds.includes(row.kind)) &&
      (options.tenantId === undefined || row.tenantId === options.tenantId);
    const leaseOver = (row: Row): boolean =>
      row.status === 'processing' && row.lockedUntil !== null && row.lockedUntil <= now;
    for (const row of this.rows.values())
      if (leaseOver(row) && row.attempts >= this.policy.maxAttempts && matches(row))
        Object.assign(row, {
          status: 'dead',
          lockedUntil: null,
          claimToken: null,
          updatedAt: now,
          lastError: `lease expired on every attempt (${row.attempts}): its worker stopped or hung`,
        });
    const rows = [...this.rows.values()];
    const waiting = (row: Row): boolean =>
      row.orderingKey !== null &&
      rows.some(
        (e) =>
          e.tenantId === row.tenantId &&
          e.orderingKey === row.orderingKey &&
          Number(e.id) < Number(row.id) &&
          (e.status === 'pending' || e.status === 'processing'),
      );
    const due = rows.filter(
      (row) =>
        ((row.status === 'pending' && Date.parse(row.nextAttemptAt) <= now) || leaseOver(row)) &&
        matches(row) &&
        !waiting(row),
    );
    // each tenant's oldest due first, round-robin across tenants
    const turns = new Map<string, number>();
    const ranked = due.sort(byDue).map((row) => {
      const turn = (turns.get(row.tenantId) ?? 0) + 1;
      turns.set(row.tenantId, turn);
      return { row, turn };
    });
    const picked = ranked
      .sort((a, b) => a.turn - b.turn || byDue(a.row, b.row))
      .slice(0, Math.max(0, limit))
      .map(({ row }) => row);
    const claimed = picked.map((row): ClaimedOutboxMessage => {
      const claimToken = randomUUID();
      Object.assign(row, {
        status: 'processing',
        attempts: row.attempts + 1,
        lockedUntil: leaseUntil,
        claimToken,
        updatedAt: now,
      });
      return { ...copy(row), claimToken };
    });
    return Promise.resolve(
      claimed.sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || Number(a.id) - Number(b.id)),
    );
  }

  private current(claim: OutboxClaim): Row | null {
    const row = this.rows.get(claim.id);
    return row?.status === 'processing' && row.claimToken === claim.claimToken ? row : null;
  }

  complete(claim: OutboxClaim): Promise<boolean> {
    const row = this.current(claim);
    if (row === null) return Promise.resolve(false);
    const now = this.deps.clock.now().getTime();
    Object.assign(row, {
      status: 'done',
      lockedUntil: null,
      claimToken: null,
      lastError: null,
      updatedAt: now,
      doneAt: now,
    });
    return Promise.resolve(true);
  }

  fail(
    claim: OutboxClaim,
    error: string,
    options: { permanent?: boolean; retryAfterMs?: number } = {},
  ): Promise<{ status: OutboxStatus; nextAttemptAt: string } | false> {
    const row = this.current(claim);
    if (row === null) return Promise.resolve(false);
    const { backoffBaseMs, backoffMaxMs, maxAttempts } = this.policy;
    const now = this.deps.clock.now().getTime();
    const dead = row.attempts >= (options.permanent === true ? 0 : maxAttempts);
    const backoff = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.max(row.attempts - 1, 0));
    const asked =
      options.retryAfterMs === undefined ? now : now + Math.min(options.retryAfterMs, backoffMaxMs);
    Object.assign(row, {
      status: dead ? 'dead' : 'pending',
      nextAttemptAt: dead ? row.nextAttemptAt : new Date(Math.max(asked, now + backoff)).toISOString(),
      lockedUntil: null,
      claimToken: null,
      lastError: error.slice(0, 2000),
      updatedAt: now,
    });
    return Promise.resolve({ status: row.status, nextAttemptAt: row.nextAttemptAt });
  }

  get(id: string): Promise<OutboxMessage | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row === undefined ? null : copy(row));
  }

  listDead(options: { tenantId?: string; limit?: number } = {}): Promise<OutboxMessage[]> {
    const dead = [...this.rows.values()]
      .filter(
        (row) =>
          row.status === 'dead' && (options.tenantId === undefined || row.tenantId === options.tenantId),
      )
      .sort((a, b) => a.updatedAt - b.updatedAt || Number(a.id) - Number(b.id));
    return Promise.resolve(dead.slice(0, options.limit ?? 100).map(copy));
  }

  retryDead(id: string): Promise<boolean> {
    const row = this.rows.get(id);
    if (row?.status !== 'dead') return Promise.resolve(false);
    const now = this.deps.clock.now();
    Object.assign(row, {
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now.toISOString(),
      updatedAt: now.getTime(),
    });
    return Promise.resolve(true);
  }

  purgeDone(before: Date): Promise<number> {
    let removed = 0;
    for (const [id, row] of this.rows)
      if (row.status === 'done' && row.doneAt !== null && row.doneAt < before.getTime()) {
        this.rows.delete(id);
        removed += 1;
      }
    return Promise.resolve(removed);
  }
}

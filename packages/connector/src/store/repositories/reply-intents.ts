// ReplyIntentRepository on the store: replies in the write ledger (write_intents, kind 'reply'), with who really
// wrote each one, since Salesforce shows the service user as every comment's author.

import type { Clock } from '../../domain/ports.js';
import type { ReplyIntent, ReplyIntentRepository } from '../../domain/tickets/reply-ports.js';
import { toIso, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface ReplyRow {
  tenant_id: string;
  idempotency_key: string;
  kind: string;
  case_id: string | null;
  author_id: string | null;
  author_name: string | null;
  author_email: string | null;
  reply_reference: string | null;
  part_count: number | null;
  fingerprint: string | null;
  started_at: unknown;
  result: unknown;
}

const COLUMNS =
  'tenant_id, idempotency_key, kind, case_id, author_id, author_name, author_email, reply_reference, part_count, fingerprint, started_at, result';

function toIntent(row: ReplyRow): ReplyIntent | null {
  if (row.kind !== 'reply') return null;
  return {
    tenantId: row.tenant_id,
    idempotencyKey: row.idempotency_key,
    caseId: row.case_id ?? '',
    author: { id: row.author_id ?? '', name: row.author_name ?? '', email: row.author_email },
    reference: row.reply_reference ?? '',
    partCount: row.part_count ?? 0,
    fingerprint: row.fingerprint ?? '',
    startedAt: toIso(row.started_at),
    result: row.result ?? null,
  };
}

export class SqlReplyIntentRepository implements ReplyIntentRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async begin(
    intent: Omit<ReplyIntent, 'startedAt' | 'result'>,
  ): Promise<{ intent: ReplyIntent | null; kind: string; created: boolean }> {
    const inserted = await referencingTenant(intent.tenantId, () =>
      this.db.query<ReplyRow>(
        `INSERT INTO write_intents (tenant_id, idempotency_key, kind, started_at, case_id, author_id, author_name,
         author_email, reply_reference, part_count, fingerprint)
       VALUES ($1, $2, 'reply', $3::timestamptz, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
       RETURNING ${COLUMNS}`,
        [
          intent.tenantId,
          intent.idempotencyKey,
          this.clock.now().toISOString(),
          intent.caseId,
          intent.author.id,
          intent.author.name,
          intent.author.email,
          intent.reference,
          intent.partCount,
          intent.fingerprint,
        ],
      ),
    );
    const row = inserted.rows[0];
    if (row !== undefined) return { intent: toIntent(row), kind: row.kind, created: true };
    const { rows } = await this.db.query<ReplyRow>(
      `SELECT ${COLUMNS} FROM write_intents WHERE tenant_id = $1 AND idempotency_key = $2`,
      [intent.tenantId, intent.idempotencyKey],
    );
    const existing = rows[0];
    // Gone between the two statements only if it was purged or its tenant deleted meanwhile: a fresh intent then.
    if (existing === undefined) return this.begin(intent);
    return { intent: toIntent(existing), kind: existing.kind, created: false };
  }

  async finish(
    tenantId: string,
    idempotencyKey: string,
    firstCommentId: string,
    result: unknown,
  ): Promise<void> {
    await this.db.query(
      `UPDATE write_intents SET record_id = $3, finished_at = $4::timestamptz, result = $5::jsonb
       WHERE tenant_id = $1 AND idempotency_key = $2 AND kind = 'reply'`,
      [tenantId, idempotencyKey, firstCommentId, this.clock.now().toISOString(), JSON.stringify(result)],
    );
  }
}

// ChatFeedRepository on the store: table chat_feed (migration 0060). The seq column's sequence is the one order
// every worker's pages replay in; an event id is kept once per tenant, so a notification delivered twice (an outbox
// retry after the webhook failed) appears once.

import type { ChatFeedEntry, ChatFeedRepository } from '../../domain/chat/chat-ports.js';
import type { Clock } from '../../domain/ports.js';
import type { TicketNotification } from '../../domain/tickets/notification-rules.js';
import { toIso, type Db } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface Row {
  seq: string | number;
  tenant_id: string;
  employee_id: string;
  payload: unknown;
  created_at: unknown;
}

const COLUMNS = 'seq, tenant_id, employee_id, payload, created_at';

const toEntry = (row: Row): ChatFeedEntry => ({
  seq: Number(row.seq),
  tenantId: row.tenant_id,
  employeeId: row.employee_id,
  notification: (typeof row.payload === 'string'
    ? JSON.parse(row.payload)
    : row.payload) as TicketNotification,
  createdAt: toIso(row.created_at),
});

export class SqlChatFeedRepository implements ChatFeedRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async append(notification: TicketNotification): Promise<boolean> {
    // Appends are serialised: a seq is taken and committed before the next one is taken, so a follower that has
    // read up to seq n never sees n + 1 commit after n + 2 (it would skip it). Notifications are rare; this is cheap.
    const result = await referencingTenant(notification.tenantId, () =>
      this.db.transaction(async (tx) => {
        await tx.query('LOCK TABLE chat_feed IN EXCLUSIVE MODE');
        return tx.query(
          `INSERT INTO chat_feed (tenant_id, employee_id, event_id, payload, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz)
       ON CONFLICT (tenant_id, event_id) DO NOTHING`,
          [
            notification.tenantId,
            notification.employeeId,
            notification.eventId,
            JSON.stringify(notification),
            this.clock.now().toISOString(),
          ],
        );
      }),
    );
    return result.rowCount === 1;
  }

  async forEmployee(
    tenantId: string,
    employeeId: string,
    afterSeq: number,
    limit: number,
  ): Promise<ChatFeedEntry[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM chat_feed
       WHERE tenant_id = $1 AND employee_id = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
      [tenantId, employeeId, afterSeq, limit],
    );
    return rows.map(toEntry);
  }

  async since(afterSeq: number, limit: number): Promise<ChatFeedEntry[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM chat_feed WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map(toEntry);
  }

  async latestSeq(): Promise<number> {
    const { rows } = await this.db.query<{ seq: string | number | null }>(
      'SELECT max(seq) AS seq FROM chat_feed',
    );
    return Number(rows[0]?.seq ?? 0);
  }

  async purgeBefore(before: Date): Promise<number> {
    const result = await this.db.query('DELETE FROM chat_feed WHERE created_at < $1::timestamptz', [
      before.toISOString(),
    ]);
    return result.rowCount;
  }
}

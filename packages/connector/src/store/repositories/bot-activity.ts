// BotActivityRepository on the store: employees talking to the bot, read from its sessions (bot_sessions,
// migration 0040, written by store/repositories/bot-identity.ts) and matched to the watched cases whose employee
// they are (case_snapshots.employee). Read only.

import type { BotActivityRepository } from '../../domain/tickets/poll-pace-ports.js';
import type { Queryable } from '../db.js';

export class SqlBotActivityRepository implements BotActivityRepository {
  constructor(private readonly db: Queryable) {}

  async liveBotEmployees(tenantId: string, since: Date, now: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: unknown }>(
      `SELECT count(DISTINCT s.contact_id) AS n FROM bot_sessions s
       WHERE s.tenant_id = $1 AND s.contact_id IS NOT NULL AND s.revoked_at IS NULL
         AND s.last_used_at >= $2::timestamptz AND s.expires_at > $3::timestamptz
         AND EXISTS (SELECT 1 FROM case_snapshots c
                     WHERE c.tenant_id = s.tenant_id AND c.employee->>'employeeId' = s.contact_id)`,
      [tenantId, since.toISOString(), now.toISOString()],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

// The bot's conversations on the store (migration 0050): a state row per employee and their turns.

import type {
  ConversationKey,
  ConversationRepository,
  NewTurn,
} from '../../domain/conversation/conversation-ports.js';
import type { ConversationState } from '../../domain/conversation/dialogue.js';
import type { BotMessage, ConversationInput, ConversationTurn } from '../../domain/conversation/messages.js';
import { toIso, type Db, type Queryable } from '../db.js';
import { InvariantError } from '../../errors/invariant-error.js';
import { referencingTenant } from '../tenant-reference.js';

interface TurnRow {
  id: string | number;
  input: ConversationInput | string | null;
  messages: BotMessage[] | string;
  case_number: string | null;
  created_at: Date | string;
}

/** jsonb comes back parsed from both drivers; a string (a driver without the parser) is parsed here. */
const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

const TURN_COLUMNS = 'id, input, messages, case_number, created_at';

function turnOf(row: TurnRow): ConversationTurn {
  return {
    id: String(row.id),
    at: toIso(row.created_at),
    input: row.input === null ? null : json(row.input),
    messages: json(row.messages),
    caseNumber: row.case_number,
  };
}

export class SqlConversationRepository implements ConversationRepository {
  constructor(private readonly db: Db) {}

  async state(key: ConversationKey): Promise<ConversationState | null> {
    const { rows } = await this.db.query<{ state: ConversationState | string }>(
      'SELECT state FROM conversations WHERE tenant_id = $1 AND employee = $2',
      [key.tenantId, key.employee],
    );
    return rows[0] === undefined ? null : json(rows[0].state);
  }

  async turnByKey(key: ConversationKey, idempotencyKey: string): Promise<ConversationTurn | null> {
    return this.byKey(this.db, key, idempotencyKey);
  }

  private async byKey(
    db: Queryable,
    key: ConversationKey,
    idempotencyKey: string,
  ): Promise<ConversationTurn | null> {
    const { rows } = await db.query<TurnRow>(
      `SELECT ${TURN_COLUMNS} FROM conversation_turns WHERE tenant_id = $1 AND employee = $2 AND idempotency_key = $3`,
      [key.tenantId, key.employee, idempotencyKey],
    );
    return rows[0] === undefined ? null : turnOf(rows[0]);
  }

  async append(
    key: ConversationKey,
    state: ConversationState,
    turn: NewTurn,
    at: string,
  ): Promise<ConversationTurn> {
    return referencingTenant(key.tenantId, () =>
      this.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO conversations (tenant_id, employee, state, updated_at) VALUES ($1, $2, $3::jsonb, $4::timestamptz)
         ON CONFLICT (tenant_id, employee) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
          [key.tenantId, key.employee, JSON.stringify(state), at],
        );
        const { rows } = await tx.query<TurnRow>(
          `INSERT INTO conversation_turns (tenant_id, employee, idempotency_key, input, messages, case_number, created_at)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7::timestamptz)
         ON CONFLICT (tenant_id, employee, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING ${TURN_COLUMNS}`,
          [
            key.tenantId,
            key.employee,
            turn.idempotencyKey,
            turn.input === null ? null : JSON.stringify(turn.input),
            JSON.stringify(turn.messages),
            turn.caseNumber,
            at,
          ],
        );
        if (rows[0] !== undefined) return turnOf(rows[0]);
        // another worker answered this key first: its turn stands (the state written above is as good as its own)
        const first = turn.idempotencyKey === null ? null : await this.byKey(tx, key, turn.idempotencyKey);
        if (first === null) throw new InvariantError('conversation turn vanished after a key conflict');
        return first;
      }),
    );
  }

  async history(key: ConversationKey, limit: number): Promise<ConversationTurn[]> {
    const { rows } = await this.db.query<TurnRow>(
      `SELECT ${TURN_COLUMNS} FROM conversation_turns WHERE tenant_id = $1 AND employee = $2
       ORDER BY id DESC LIMIT $3`,
      [key.tenantId, key.employee, limit],
    );
    return rows.map(turnOf).reverse();
  }

  async employees(tenantId: string): Promise<{ employee: string; turns: number; updatedAt: string }[]> {
    const { rows } = await this.db.query<{
      employee: string;
      turns: string | number;
      updated_at: Date | string;
    }>(
      `SELECT c.employee, c.updated_at, (SELECT count(*) FROM conversation_turns t
         WHERE t.tenant_id = c.tenant_id AND t.employee = c.employee) AS turns
       FROM conversations c WHERE c.tenant_id = $1 ORDER BY c.employee`,
      [tenantId],
    );
    return rows.map((r) => ({
      employee: r.employee,
      turns: Number(r.turns),
      updatedAt: toIso(r.updated_at),
    }));
  }

  async remove(key: ConversationKey): Promise<boolean> {
    const result = await this.db.query('DELETE FROM conversations WHERE tenant_id = $1 AND employee = $2', [
      key.tenantId,
      key.employee,
    ]);
    return result.rowCount > 0;
  }

  async purgeBefore(before: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const turns = await tx.query('DELETE FROM conversation_turns WHERE created_at < $1::timestamptz', [
        before,
      ]);
      await tx.query(
        `DELETE FROM conversations c WHERE c.updated_at < $1::timestamptz AND NOT EXISTS (
           SELECT 1 FROM conversation_turns t WHERE t.tenant_id = c.tenant_id AND t.employee = c.employee)`,
        [before],
      );
      return turns.rowCount;
    });
  }
}

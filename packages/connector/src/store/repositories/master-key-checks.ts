// The check value of every master key id the store has seen (crypto/master-key-check.ts decides what they mean).

import { toIsoOrNull, type Queryable } from '../db.js';

export interface MasterKeyCheckRow {
  keyId: string;
  checkValue: string;
  retiredAt: string | null;
}

export class SqlMasterKeyCheckRepository {
  constructor(private readonly db: Queryable) {}

  async list(): Promise<MasterKeyCheckRow[]> {
    const { rows } = await this.db.query<{ key_id: string; check_value: string; retired_at: unknown }>(
      'SELECT key_id, check_value, retired_at FROM master_key_checks ORDER BY key_id',
    );
    return rows.map((row) => ({
      keyId: row.key_id,
      checkValue: row.check_value,
      retiredAt: toIsoOrNull(row.retired_at),
    }));
  }

  /** Records a key id's check value; an id already recorded keeps its first value (the caller compared them). */
  async record(keyId: string, checkValue: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO master_key_checks (key_id, check_value, first_seen) VALUES ($1, $2, $3::timestamptz)
       ON CONFLICT (key_id) DO NOTHING`,
      [keyId, checkValue, at.toISOString()],
    );
  }

  async retire(keyIds: readonly string[], at: Date): Promise<void> {
    for (const keyId of keyIds)
      await this.db.query(
        'UPDATE master_key_checks SET retired_at = $2::timestamptz WHERE key_id = $1 AND retired_at IS NULL',
        [keyId, at.toISOString()],
      );
  }
}

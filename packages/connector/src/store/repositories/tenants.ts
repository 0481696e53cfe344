// TenantRepository on the store: one row per tenant, settings and key descriptions as JSON. Updates write only the
// columns they are given, so concurrent writers of different fields never undo each other.

import type {
  TenantPatch,
  TenantRecord,
  TenantRepository,
  TransactionalTenantRepository,
} from '../../domain/ports.js';
import type { KeyInfo, TenantSettings } from '../../domain/tenant.js';
import { appError } from '../../errors/app-error.js';
import { TENANT_EXISTS, TENANT_NOT_FOUND } from '../../errors/codes/tenant.js';
import { sqlState, toIso, UNIQUE_VIOLATION, type Queryable } from '../db.js';

interface TenantRow {
  id: string;
  name: string;
  login_url: string;
  instance_url: string | null;
  consumer_key: string;
  username: string;
  settings: TenantSettings;
  active_key: KeyInfo | null;
  pending_key: KeyInfo | null;
  created_at: unknown;
  updated_at: unknown;
}

const COLUMNS =
  'id, name, login_url, instance_url, consumer_key, username, settings, active_key, pending_key, created_at, updated_at';

function toRecord(row: TenantRow): TenantRecord {
  return {
    id: row.id,
    name: row.name,
    loginUrl: row.login_url,
    instanceUrl: row.instance_url,
    consumerKey: row.consumer_key,
    username: row.username,
    settings: row.settings,
    activeKey: row.active_key,
    pendingKey: row.pending_key,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

function values(t: TenantRecord): unknown[] {
  return [
    t.id,
    t.name,
    t.loginUrl,
    t.instanceUrl,
    t.consumerKey,
    t.username,
    JSON.stringify(t.settings),
    t.activeKey === null ? null : JSON.stringify(t.activeKey),
    t.pendingKey === null ? null : JSON.stringify(t.pendingKey),
    t.createdAt,
    t.updatedAt,
  ];
}

/** Each patchable field: its column and how its value is sent and cast. */
const PATCH_COLUMNS: { [K in keyof Required<TenantPatch>]: [column: string, cast: string] } = {
  name: ['name', 'text'],
  loginUrl: ['login_url', 'text'],
  instanceUrl: ['instance_url', 'text'],
  consumerKey: ['consumer_key', 'text'],
  username: ['username', 'text'],
  settings: ['settings', 'jsonb'],
  activeKey: ['active_key', 'jsonb'],
  pendingKey: ['pending_key', 'jsonb'],
  updatedAt: ['updated_at', 'timestamptz'],
};

const KEY_COLUMNS = { active: 'active_key', pending: 'pending_key' } as const;

/** Runs `fn` atomically: a transaction of its own, or simply `fn` when already inside one. */
export type Atomically = <T>(fn: (q: Queryable) => Promise<T>) => Promise<T>;

export class SqlTenantRepository implements TenantRepository, TransactionalTenantRepository {
  constructor(
    private readonly db: Queryable,
    private readonly atomically: Atomically,
  ) {}

  async insert(tenant: TenantRecord): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO tenants (${COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10::timestamptz, $11::timestamptz)`,
        values(tenant),
      );
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION)
        throw appError(TENANT_EXISTS, { params: { tenant: tenant.id } });
      throw err;
    }
  }

  async update(id: string, patch: TenantPatch): Promise<void> {
    const params: unknown[] = [id];
    const sets: string[] = [];
    for (const [field, [column, cast]] of Object.entries(PATCH_COLUMNS)) {
      const value = patch[field as keyof TenantPatch];
      if (value === undefined) continue;
      params.push(value !== null && cast === 'jsonb' ? JSON.stringify(value) : value);
      sets.push(`${column} = $${params.length}::${cast}`);
    }
    const found =
      sets.length === 0
        ? (await this.get(id)) !== null
        : (await this.db.query(`UPDATE tenants SET ${sets.join(', ')} WHERE id = $1`, params)).rowCount === 1;
    if (!found) throw appError(TENANT_NOT_FOUND, { params: { tenant: id } });
  }

  async setInstanceUrl(id: string, instanceUrl: string, at: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE tenants SET instance_url = $2, updated_at = $3::timestamptz
       WHERE id = $1 AND instance_url IS DISTINCT FROM $2`,
      [id, instanceUrl, at],
    );
    return result.rowCount === 1;
  }

  async markKeyProven(
    id: string,
    which: 'active' | 'pending',
    fingerprint: string,
    at: string,
  ): Promise<boolean> {
    const column = KEY_COLUMNS[which];
    const result = await this.db.query(
      `UPDATE tenants SET ${column} = jsonb_set(${column}, '{provenAt}', to_jsonb($3::text))
       WHERE id = $1 AND ${column} ->> 'fingerprint' = $2`,
      [id, fingerprint, at],
    );
    return result.rowCount === 1;
  }

  async get(id: string): Promise<TenantRecord | null> {
    const { rows } = await this.db.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE id = $1`, [id]);
    const row = rows[0];
    return row === undefined ? null : toRecord(row);
  }

  async getForUpdate(id: string): Promise<TenantRecord | null> {
    const { rows } = await this.db.query<TenantRow>(
      `SELECT ${COLUMNS} FROM tenants WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    return row === undefined ? null : toRecord(row);
  }

  async list(): Promise<TenantRecord[]> {
    const { rows } = await this.db.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants ORDER BY id`);
    return rows.map(toRecord);
  }

  async delete(id: string): Promise<void> {
    // Owned tables cascade from tenants; the audit log has no foreign key (see the migration) so it goes here.
    await this.atomically(async (tx) => {
      await tx.query('DELETE FROM api_audit WHERE tenant_id = $1', [id]);
      await tx.query('DELETE FROM tenants WHERE id = $1', [id]);
    });
  }
}

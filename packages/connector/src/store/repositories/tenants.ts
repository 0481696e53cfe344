// TenantRepository on the store: one row per tenant, settings and key descriptions as JSON.

import type { TenantRecord, TenantRepository } from '../../domain/ports.js';
import type { KeyInfo, TenantSettings } from '../../domain/tenant.js';
import { appError } from '../../errors/app-error.js';
import { TENANT_EXISTS, TENANT_NOT_FOUND } from '../../errors/codes/tenant.js';
import { sqlState, toIso, UNIQUE_VIOLATION, type Db } from '../db.js';

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

export class SqlTenantRepository implements TenantRepository {
  constructor(private readonly db: Db) {}

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

  async update(tenant: TenantRecord): Promise<void> {
    const result = await this.db.query(
      `UPDATE tenants SET name = $2, login_url = $3, instance_url = $4, consumer_key = $5, username = $6,
         settings = $7::jsonb, active_key = $8::jsonb, pending_key = $9::jsonb,
         created_at = $10::timestamptz, updated_at = $11::timestamptz
       WHERE id = $1`,
      values(tenant),
    );
    if (result.rowCount === 0) throw appError(TENANT_NOT_FOUND, { params: { tenant: tenant.id } });
  }

  async get(id: string): Promise<TenantRecord | null> {
    const { rows } = await this.db.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE id = $1`, [id]);
    const row = rows[0];
    return row === undefined ? null : toRecord(row);
  }

  async list(): Promise<TenantRecord[]> {
    const { rows } = await this.db.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants ORDER BY id`);
    return rows.map(toRecord);
  }

  async delete(id: string): Promise<void> {
    // Owned tables cascade from tenants; the audit log has no foreign key (see the migration) so it goes here.
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM api_audit WHERE tenant_id = $1', [id]);
      await tx.query('DELETE FROM tenants WHERE id = $1', [id]);
    });
  }
}

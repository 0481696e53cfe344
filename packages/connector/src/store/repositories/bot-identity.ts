// The bot API's rows on the store: identity-token settings per tenant, used token ids, employee sessions (hashed).

import type {
  BotIdentityRepository,
  BotIdentitySettings,
  BotSession,
  BotSessionRepository,
  TokenIdRepository,
} from '../../domain/bot/bot-ports.js';
import type { Clock } from '../../domain/ports.js';
import { toIso, toIsoOrNull, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface SettingsRow {
  tenant_id: string;
  issuer: string;
  audience: string;
  public_key_pem: string | null;
  jwks_url: string | null;
}

export class SqlBotIdentityRepository implements BotIdentityRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async get(tenantId: string): Promise<BotIdentitySettings | null> {
    const { rows } = await this.db.query<SettingsRow>(
      'SELECT tenant_id, issuer, audience, public_key_pem, jwks_url FROM bot_identity_settings WHERE tenant_id = $1',
      [tenantId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      tenantId: row.tenant_id,
      issuer: row.issuer,
      audience: row.audience,
      publicKeyPem: row.public_key_pem,
      jwksUrl: row.jwks_url,
    };
  }

  async put(settings: BotIdentitySettings): Promise<void> {
    await referencingTenant(settings.tenantId, () =>
      this.db.query(
        `INSERT INTO bot_identity_settings (tenant_id, issuer, audience, public_key_pem, jwks_url, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz)
       ON CONFLICT (tenant_id) DO UPDATE SET issuer = EXCLUDED.issuer, audience = EXCLUDED.audience,
         public_key_pem = EXCLUDED.public_key_pem, jwks_url = EXCLUDED.jwks_url, updated_at = EXCLUDED.updated_at`,
        [
          settings.tenantId,
          settings.issuer,
          settings.audience,
          settings.publicKeyPem,
          settings.jwksUrl,
          this.clock.now().toISOString(),
        ],
      ),
    );
  }
}

export class SqlTokenIdRepository implements TokenIdRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async remember(tenantId: string, jti: string, expiresAt: Date): Promise<boolean> {
    // One statement: of two workers racing with one token, the primary key lets exactly one insert.
    const result = await referencingTenant(tenantId, () =>
      this.db.query(
        `INSERT INTO bot_token_ids (tenant_id, jti, expires_at) VALUES ($1, $2, $3::timestamptz)
       ON CONFLICT (tenant_id, jti) DO NOTHING`,
        [tenantId, jti, expiresAt.toISOString()],
      ),
    );
    return result.rowCount === 1;
  }

  async purgeExpired(): Promise<number> {
    const result = await this.db.query('DELETE FROM bot_token_ids WHERE expires_at < $1::timestamptz', [
      this.clock.now().toISOString(),
    ]);
    return result.rowCount;
  }
}

interface SessionRow {
  token_hash: string;
  tenant_id: string;
  email: string;
  contact_id: string | null;
  name: string;
  created_at: unknown;
  last_used_at: unknown;
  expires_at: unknown;
  revoked_at: unknown;
}

export class SqlBotSessionRepository implements BotSessionRepository {
  constructor(private readonly db: Queryable) {}

  async insert(session: BotSession): Promise<void> {
    await referencingTenant(session.tenantId, () =>
      this.db.query(
        `INSERT INTO bot_sessions (token_hash, tenant_id, email, contact_id, name, created_at, last_used_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz, $8::timestamptz)`,
        [
          session.tokenHash,
          session.tenantId,
          session.email,
          session.contactId,
          session.name,
          session.createdAt,
          session.lastUsedAt,
          session.expiresAt,
        ],
      ),
    );
  }

  async get(tokenHash: string): Promise<BotSession | null> {
    const { rows } = await this.db.query<SessionRow>(
      `SELECT token_hash, tenant_id, email, contact_id, name, created_at, last_used_at, expires_at, revoked_at
       FROM bot_sessions WHERE token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      tokenHash: row.token_hash,
      tenantId: row.tenant_id,
      email: row.email,
      contactId: row.contact_id,
      name: row.name,
      createdAt: toIso(row.created_at),
      lastUsedAt: toIso(row.last_used_at),
      expiresAt: toIso(row.expires_at),
      revokedAt: toIsoOrNull(row.revoked_at),
    };
  }

  async touch(tokenHash: string, at: string): Promise<void> {
    await this.db.query('UPDATE bot_sessions SET last_used_at = $2::timestamptz WHERE token_hash = $1', [
      tokenHash,
      at,
    ]);
  }

  async revoke(tokenHash: string, at: string): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE bot_sessions SET revoked_at = $2::timestamptz WHERE token_hash = $1 AND revoked_at IS NULL',
      [tokenHash, at],
    );
    return result.rowCount === 1;
  }
}

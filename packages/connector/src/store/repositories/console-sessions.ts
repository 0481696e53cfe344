// ConsoleSessionRepository on the store: tables console_links and console_sessions (migration 0081). Taking a link
// is one DELETE ... RETURNING, so of two workers redeeming the same link at once exactly one gets it.

import type { ConsoleSessionRepository, StoredConsoleSession } from '../../domain/console-ports.js';
import { toIso, type Db } from '../db.js';

interface SessionRow {
  token_hash: string;
  actor: string;
  started_at: unknown;
  last_seen_at: unknown;
  expires_at: unknown;
}

const toSession = (row: SessionRow): StoredConsoleSession => ({
  tokenHash: row.token_hash,
  actor: row.actor,
  startedAt: toIso(row.started_at),
  lastSeenAt: toIso(row.last_seen_at),
  expiresAt: toIso(row.expires_at),
});

export class SqlConsoleSessionRepository implements ConsoleSessionRepository {
  constructor(private readonly db: Db) {}

  async saveLink(tokenHash: string, expiresAt: Date): Promise<void> {
    await this.db.query('INSERT INTO console_links (token_hash, expires_at) VALUES ($1, $2::timestamptz)', [
      tokenHash,
      expiresAt.toISOString(),
    ]);
  }

  async takeLink(tokenHash: string): Promise<Date | null> {
    const { rows } = await this.db.query<{ expires_at: unknown }>(
      'DELETE FROM console_links WHERE token_hash = $1 RETURNING expires_at',
      [tokenHash],
    );
    return rows[0] === undefined ? null : new Date(toIso(rows[0].expires_at));
  }

  async createSession(session: StoredConsoleSession): Promise<void> {
    await this.db.query(
      `INSERT INTO console_sessions (token_hash, actor, started_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5::timestamptz)`,
      [session.tokenHash, session.actor, session.startedAt, session.lastSeenAt, session.expiresAt],
    );
  }

  async touchSession(tokenHash: string, now: Date, idleSince: Date): Promise<StoredConsoleSession | null> {
    const { rows } = await this.db.query<SessionRow>(
      `UPDATE console_sessions SET last_seen_at = $2::timestamptz
       WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at >= $2::timestamptz
         AND last_seen_at >= $3::timestamptz
       RETURNING token_hash, actor, started_at, last_seen_at, expires_at`,
      [tokenHash, now.toISOString(), idleSince.toISOString()],
    );
    return rows[0] === undefined ? null : toSession(rows[0]);
  }

  async revokeSession(tokenHash: string, at: Date): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE console_sessions SET revoked_at = $2::timestamptz WHERE token_hash = $1 AND revoked_at IS NULL',
      [tokenHash, at.toISOString()],
    );
    return result.rowCount === 1;
  }

  async purge(now: Date, idleSince: Date): Promise<number> {
    const links = await this.db.query('DELETE FROM console_links WHERE expires_at <= $1::timestamptz', [
      now.toISOString(),
    ]);
    const sessions = await this.db.query(
      `DELETE FROM console_sessions
       WHERE revoked_at IS NOT NULL OR expires_at < $1::timestamptz OR last_seen_at < $2::timestamptz`,
      [now.toISOString(), idleSince.toISOString()],
    );
    return links.rowCount + sessions.rowCount;
  }
}

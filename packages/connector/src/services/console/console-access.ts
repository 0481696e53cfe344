// Who may see the operator console: a one-time link (`casebridge console`) valid once for 5 minutes, exchanged for
// a session whose cookie is HttpOnly. Links and sessions live in the shared store (migration 0081) as SHA-256
// digests only, so a link minted by one worker is redeemed on another and the session works on every worker;
// signing out revokes it everywhere. The form token is derived from the session token, so it is never stored.

import { createHash, timingSafeEqual } from 'node:crypto';

import type { ConsoleSessionRepository } from '../../domain/console-ports.js';
import type { Clock } from '../../domain/ports.js';

export const LINK_TTL_MS = 5 * 60_000;
/** a session ends after 30 idle minutes or 12 hours, whichever comes first */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 12 * 3_600_000;

export interface ConsoleSession {
  /** a short, non-secret name for the session in the action log (never the token) */
  actor: string;
  /** the form token every POST must carry */
  csrf: string;
  startedAt: number;
  lastSeenAt: number;
}

export interface ConsoleAccessDeps {
  clock: Clock;
  /** url-safe random tokens (injectable for tests) */
  randomToken: () => string;
  sessions: ConsoleSessionRepository;
}

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');
/** another digest of the session token: knowing it (it is in every page) reveals nothing of the token */
const csrfOf = (sessionToken: string): string =>
  createHash('sha256').update(`console-csrf\0${sessionToken}`).digest('base64url');

export class ConsoleAccess {
  constructor(private readonly deps: ConsoleAccessDeps) {}

  /** A new one-time link token and when it expires. */
  async mintLink(): Promise<{ token: string; expiresAt: string }> {
    const token = this.deps.randomToken();
    const expiresAt = new Date(this.now() + LINK_TTL_MS);
    await this.deps.sessions.saveLink(digest(token), expiresAt);
    return { token, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Exchanges a link for a session token: once only (the link is gone on first use, even when expired, on every
   * worker), and only before it expires. Null when the link is unknown, used or expired.
   */
  async redeem(linkToken: string): Promise<{ sessionToken: string; session: ConsoleSession } | null> {
    const expiresAt = await this.deps.sessions.takeLink(digest(linkToken));
    const now = this.now();
    if (expiresAt === null || expiresAt.getTime() <= now) return null;
    const sessionToken = this.deps.randomToken();
    const actor = `console-${digest(sessionToken).slice(0, 8)}`;
    await this.deps.sessions.createSession({
      tokenHash: digest(sessionToken),
      actor,
      startedAt: new Date(now).toISOString(),
      lastSeenAt: new Date(now).toISOString(),
      expiresAt: new Date(now + SESSION_MAX_MS).toISOString(),
    });
    return { sessionToken, session: { actor, csrf: csrfOf(sessionToken), startedAt: now, lastSeenAt: now } };
  }

  /** The live session of a cookie value (its idle time renewed), or null. */
  async session(sessionToken: string | undefined): Promise<ConsoleSession | null> {
    if (sessionToken === undefined || sessionToken === '') return null;
    const now = this.now();
    const stored = await this.deps.sessions.touchSession(
      digest(sessionToken),
      new Date(now),
      new Date(now - SESSION_IDLE_MS),
    );
    if (stored === null) return null;
    return {
      actor: stored.actor,
      csrf: csrfOf(sessionToken),
      startedAt: Date.parse(stored.startedAt),
      lastSeenAt: Date.parse(stored.lastSeenAt),
    };
  }

  /** Signs the session out on every worker. */
  async end(sessionToken: string | undefined): Promise<void> {
    if (sessionToken !== undefined && sessionToken !== '')
      await this.deps.sessions.revokeSession(digest(sessionToken), new Date(this.now()));
  }

  /** Compares a submitted form token with the session's in constant time. */
  static sameCsrf(session: ConsoleSession, submitted: unknown): boolean {
    if (typeof submitted !== 'string') return false;
    const a = Buffer.from(digest(submitted));
    const b = Buffer.from(digest(session.csrf));
    return timingSafeEqual(a, b);
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}

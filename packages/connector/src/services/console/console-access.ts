// Who may see the operator console: a one-time link (`casebridge console`) valid once for 5 minutes, exchanged for
// a session whose cookie is HttpOnly. Only SHA-256 digests of the link and session tokens are kept, in this
// process's memory: the link is minted by the process that serves the console (the CLI asks the running service).

import { createHash, timingSafeEqual } from 'node:crypto';

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
}

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export class ConsoleAccess {
  private readonly links = new Map<string, number>();
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly deps: ConsoleAccessDeps) {}

  /** A new one-time link token and when it expires. */
  mintLink(): { token: string; expiresAt: string } {
    this.sweep();
    const token = this.deps.randomToken();
    const expiresAt = this.now() + LINK_TTL_MS;
    this.links.set(digest(token), expiresAt);
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * Exchanges a link for a session token: once only (the link is gone on first use, even when expired), and only
   * before it expires. Null when the link is unknown, used or expired.
   */
  redeem(linkToken: string): { sessionToken: string; session: ConsoleSession } | null {
    const key = digest(linkToken);
    const expiresAt = this.links.get(key);
    this.links.delete(key);
    if (expiresAt === undefined || expiresAt <= this.now()) return null;
    const sessionToken = this.deps.randomToken();
    const now = this.now();
    const session: ConsoleSession = {
      actor: `console-${digest(sessionToken).slice(0, 8)}`,
      csrf: this.deps.randomToken(),
      startedAt: now,
      lastSeenAt: now,
    };
    this.sessions.set(digest(sessionToken), session);
    return { sessionToken, session };
  }

  /** The live session of a cookie value (its idle time renewed), or null. */
  session(sessionToken: string | undefined): ConsoleSession | null {
    if (sessionToken === undefined || sessionToken === '') return null;
    const key = digest(sessionToken);
    const session = this.sessions.get(key);
    if (session === undefined) return null;
    const now = this.now();
    if (now - session.lastSeenAt > SESSION_IDLE_MS || now - session.startedAt > SESSION_MAX_MS) {
      this.sessions.delete(key);
      return null;
    }
    session.lastSeenAt = now;
    return session;
  }

  end(sessionToken: string | undefined): void {
    if (sessionToken !== undefined) this.sessions.delete(digest(sessionToken));
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

  private sweep(): void {
    const now = this.now();
    for (const [key, expiresAt] of this.links) if (expiresAt <= now) this.links.delete(key);
  }
}

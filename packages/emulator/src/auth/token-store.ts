// Access tokens and refresh tokens of every org. Tokens are opaque `<org id 15>!<random>` strings like
// Salesforce's (jsforce refuses SOAP calls with JWT-shaped tokens, real-clients.md 4). A session dies after the
// connected app's timeout of inactivity; each use extends it ("Timeout Value" session policy).

import { randomBytes } from 'node:crypto';

export interface Session {
  token: string;
  orgId: string;
  userId: string;
  appId: string | undefined;
  scopes: string[];
  issuedAt: number;
  lastActivity: number;
  timeoutMs: number;
}

export interface RefreshGrant {
  refreshToken: string;
  orgId: string;
  userId: string;
  appId: string;
}

// Salesforce tokens use letters, digits, `.` and `_`; none of these changes under URL encoding except `!`.
const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

function randomTokenText(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += TOKEN_CHARS[b & 63] ?? 'A';
  return out;
}

export class TokenStore {
  private readonly sessions = new Map<string, Session>();
  private readonly refreshGrants = new Map<string, RefreshGrant>();
  private mintsSinceSweep = 0;

  mint(
    orgId: string,
    userId: string,
    appId: string | undefined,
    scopes: string[],
    timeoutMs: number,
    now: number,
  ): Session {
    if (++this.mintsSinceSweep >= 1000) this.sweep(now);
    const token = `${orgId.slice(0, 15)}!${randomTokenText(96)}`;
    const session: Session = {
      token,
      orgId,
      userId,
      appId,
      scopes,
      issuedAt: now,
      lastActivity: now,
      timeoutMs,
    };
    this.sessions.set(token, session);
    return session;
  }

  /** the live session for `token` in `orgId`, extended by this use; undefined when unknown, expired or foreign */
  use(token: string, orgId: string, now: number): Session | undefined {
    const session = this.sessions.get(token);
    if (session === undefined || session.orgId !== orgId) return undefined;
    if (now - session.lastActivity > session.timeoutMs) {
      this.sessions.delete(token);
      return undefined;
    }
    session.lastActivity = now;
    return session;
  }

  issueRefreshToken(orgId: string, userId: string, appId: string): string {
    const refreshToken = `5Aep${randomTokenText(80)}`;
    this.refreshGrants.set(refreshToken, { refreshToken, orgId, userId, appId });
    return refreshToken;
  }

  refreshGrant(refreshToken: string): RefreshGrant | undefined {
    return this.refreshGrants.get(refreshToken);
  }

  /** the org an access or refresh token belongs to, if it is known */
  orgOf(token: string): string | undefined {
    return this.sessions.get(token)?.orgId ?? this.refreshGrants.get(token)?.orgId;
  }

  /** revoke an access or refresh token; revoking a refresh token also ends the sessions it minted */
  revoke(token: string): boolean {
    if (this.sessions.delete(token)) return true;
    const grant = this.refreshGrants.get(token);
    if (grant === undefined) return false;
    this.refreshGrants.delete(token);
    this.expire((s) => s.orgId === grant.orgId && s.userId === grant.userId && s.appId === grant.appId);
    return true;
  }

  /** end every session matching `predicate`; returns how many */
  expire(predicate: (session: Session) => boolean): number {
    let count = 0;
    for (const [token, session] of this.sessions) {
      if (predicate(session)) {
        this.sessions.delete(token);
        count += 1;
      }
    }
    return count;
  }

  /** sessions matching `predicate` (control plane listing) */
  list(predicate: (session: Session) => boolean): Session[] {
    return [...this.sessions.values()].filter(predicate);
  }

  private sweep(now: number): void {
    this.mintsSinceSweep = 0;
    for (const [token, session] of this.sessions) {
      if (now - session.lastActivity > session.timeoutMs) this.sessions.delete(token);
    }
  }
}

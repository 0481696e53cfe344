// Console sessions: an opaque random id in an HttpOnly, SameSite=Strict cookie, mapped in memory to the agent and
// the CSRF token its forms carry. Idle sessions end after two hours by the emulator clock (Salesforce's default
// session timeout), and a session of a user deactivated since is refused.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';

export const SESSION_COOKIE = 'sfc_sid';
/** the double-submit cookie that protects the login form itself (no session exists yet) */
export const LOGIN_COOKIE = 'sfc_login';
const IDLE_MS = 2 * 60 * 60 * 1000;

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export interface ConsoleSession {
  id: string;
  userId: string;
  csrf: string;
  lastSeen: number;
  /** one message for the next page shown (after a form's redirect) */
  flash: Flash | undefined;
}

export const newToken = (): string => randomBytes(24).toString('base64url');

/** constant-time equality of two tokens (false when either is missing) */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || a === '' || b === '') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly clock: Clock) {}

  open(userId: string): ConsoleSession {
    this.sweep();
    const session: ConsoleSession = {
      id: newToken(),
      userId,
      csrf: newToken(),
      lastSeen: this.clock.now().getTime(),
      flash: undefined,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** the live session for a cookie value, its idle timer restarted; undefined when unknown or expired */
  find(id: string | undefined): ConsoleSession | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    const now = this.clock.now().getTime();
    if (now - session.lastSeen > IDLE_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeen = now;
    return session;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [id, s] of this.sessions) if (now - s.lastSeen > IDLE_MS) this.sessions.delete(id);
  }
}

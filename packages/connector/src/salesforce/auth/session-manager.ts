// One Salesforce session per tenant, shared by every caller and every worker: logs in only when no usable session
// is stored, single-flight within the process (one promise per tenant) and across processes (the store's login
// lock + re-read), and re-logs in at most once per failed generation (jsforce SessionRefreshDelegate's idea).
// The in-memory copy is checked against the store every so often (another process may have cleared or replaced
// it), a stored session that cannot be opened counts as absent, and a tenant whose login just failed is refused
// for a while without another token request.

import type { Clock, KeySigner, SecretBox, SessionRepository, StoredSession } from '../../domain/ports.js';
import type { Tenant, TenantSettings } from '../../domain/tenant.js';
import { isAppError } from '../../errors/app-error.js';
import type { Logger } from '../../logging/logger.js';
import { assertionClaims } from './jwt-assertion.js';
import { parseIdentityUrl, type TokenClient } from './token-client.js';

/**
 * What the session manager needs of a tenant. `settings` is read only for `jwtAudience` (TenantSettings), which
 * overrides the audience derived from the login URL; it is typed loosely so callers' narrower settings fit.
 */
export type AuthTenant = Pick<Tenant, 'id' | 'loginUrl' | 'consumerKey' | 'username'> & { settings?: object };

function audienceOverride(tenant: AuthTenant): TenantSettings['jwtAudience'] {
  const settings = tenant.settings;
  return settings && 'jwtAudience' in settings && typeof settings.jwtAudience === 'string'
    ? settings.jwtAudience
    : undefined;
}

export interface SalesforceSession {
  tenantId: string;
  accessToken: string;
  instanceUrl: string;
  identityUrl: string;
  orgId: string;
  userId: string;
  /** the login this session came from; pass it back to `invalidate` when Salesforce rejects the token */
  generation: number;
}

export interface SessionManagerDeps {
  sessions: SessionRepository;
  box: SecretBox;
  tokens: TokenClient;
  clock: Clock;
  /** the tenant's active signing key; only called when a login is needed */
  signerFor(tenant: AuthTenant): Promise<KeySigner>;
  log: Logger;
  /** told after every successful login (e.g. to record the instance URL on the tenant); its failure is only logged */
  onLogin?: (
    tenantId: string,
    login: { instanceUrl: string; orgId: string; userId: string },
  ) => Promise<void>;
  /**
   * How long the in-memory session is trusted before it is compared with the stored one (one SELECT), so a session
   * another process cleared (identity change) or replaced is noticed. Default 30 s, by the clock.
   */
  revalidateAfterMs?: number;
  /**
   * After a failed token request the tenant gets the same error, without a new request, for `initialMs`; each
   * further failure doubles the wait up to `maxMs`; a success or `forget` ends it. Default 30 s to 5 min; 0 turns
   * it off.
   */
  loginBackoff?: { initialMs: number; maxMs: number };
}

export interface SessionStats {
  /** token requests this process made for the tenant (successful or not) */
  logins: number;
  /** sessions adopted from the store that another worker (or an earlier run) created */
  adopted: number;
}

const binding = (tenantId: string) => ({ tenantId, field: 'access_token' });

export const DEFAULT_REVALIDATE_AFTER_MS = 30_000;
export const DEFAULT_LOGIN_BACKOFF = { initialMs: 30_000, maxMs: 300_000 } as const;

/** A session in memory, with the envelope it was opened from and when it was last compared with the store. */
interface CachedSession {
  session: SalesforceSession;
  envelope: string;
  checkedAt: number;
}

interface Backoff {
  error: unknown;
  until: number;
  delayMs: number;
}

export class SessionManager {
  private readonly cache = new Map<string, CachedSession>();
  private readonly inflight = new Map<string, Promise<SalesforceSession>>();
  private readonly revalidating = new Map<string, Promise<SalesforceSession>>();
  private readonly backoffs = new Map<string, Backoff>();
  private readonly counters = new Map<string, SessionStats>();

  constructor(private readonly deps: SessionManagerDeps) {}

  /** The tenant's current session, logging in only when none is stored. */
  async getSession(tenant: AuthTenant): Promise<SalesforceSession> {
    const cached = this.cache.get(tenant.id);
    if (!cached) return this.acquire(tenant, null);
    const revalidateAfter = this.deps.revalidateAfterMs ?? DEFAULT_REVALIDATE_AFTER_MS;
    if (this.now() - cached.checkedAt < revalidateAfter) return cached.session;
    return this.revalidate(tenant, cached);
  }

  /**
   * Salesforce rejected the token of `generationSeen` (INVALID_SESSION_ID). Returns a newer session: one another
   * caller or worker already obtained, or a fresh login if the stored generation is still the one that failed.
   */
  async invalidate(tenant: AuthTenant, generationSeen: number): Promise<SalesforceSession> {
    const cached = this.cache.get(tenant.id);
    if (cached && cached.session.generation > generationSeen) return cached.session;
    return this.acquire(tenant, generationSeen);
  }

  /** Revokes the stored token at Salesforce and forgets the session (tenant removal). */
  async revoke(tenant: AuthTenant): Promise<void> {
    const stored = await this.deps.sessions.get(tenant.id);
    this.forget(tenant.id);
    if (!stored) return;
    const opened = this.tryOpen(stored);
    // A token we cannot open we cannot revoke either; it expires with the session timeout.
    if (opened)
      await this.deps.tokens.revoke({
        tenantId: tenant.id,
        loginUrl: tenant.loginUrl,
        token: opened.session.accessToken,
      });
    await this.deps.sessions.clear(tenant.id);
  }

  /** Forgets the in-memory copy and any login backoff (e.g. after the tenant's key or login URL changed). */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
    this.backoffs.delete(tenantId);
  }

  stats(tenantId: string): SessionStats {
    return { ...(this.counters.get(tenantId) ?? { logins: 0, adopted: 0 }) };
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  /**
   * Compares the cached session with the stored one (one per tenant at a time). Unchanged: trusted for another
   * period. Cleared, re-sealed or replaced: dropped, and the stored one adopted or a new login made.
   */
  private revalidate(tenant: AuthTenant, cached: CachedSession): Promise<SalesforceSession> {
    const running = this.revalidating.get(tenant.id);
    if (running) return running;
    const check = (async (): Promise<SalesforceSession> => {
      let stored: StoredSession | null;
      try {
        stored = await this.deps.sessions.get(tenant.id);
      } catch (err) {
        // The store being unreachable is no reason to stop using a session Salesforce still accepts.
        this.deps.log.warn(
          { tenantId: tenant.id, err: isAppError(err) ? err.code : 'store read failed' },
          'could not revalidate the cached salesforce session',
        );
        cached.checkedAt = this.now();
        return cached.session;
      }
      if (
        stored?.generation === cached.session.generation &&
        stored.accessTokenEnvelope === cached.envelope
      ) {
        cached.checkedAt = this.now();
        return cached.session;
      }
      if (this.cache.get(tenant.id) === cached) this.cache.delete(tenant.id);
      this.deps.log.info(
        {
          tenantId: tenant.id,
          generation: cached.session.generation,
          storedGeneration: stored?.generation ?? null,
        },
        'cached salesforce session changed in the store',
      );
      return this.acquire(tenant, null);
    })();
    const tracked = check.finally(() => {
      if (this.revalidating.get(tenant.id) === tracked) this.revalidating.delete(tenant.id);
    });
    this.revalidating.set(tenant.id, tracked);
    return tracked;
  }

  /** `staleGeneration` null: any stored session will do; a number: only one newer than it. */
  private async acquire(tenant: AuthTenant, staleGeneration: number | null): Promise<SalesforceSession> {
    const running = this.inflight.get(tenant.id);
    if (running) {
      // Joiners share the flight's outcome, failures included: ten callers of a broken tenant make one token request.
      const session = await running;
      if (staleGeneration === null || session.generation > staleGeneration) return session;
      // That flight started before this caller saw its session fail and handed back the failed one: go again.
      return this.acquire(tenant, staleGeneration);
    }
    const flight = this.deps.sessions
      .withLoginLock(tenant.id, () => this.underLock(tenant, staleGeneration))
      .then((opened) => {
        const cached = this.cache.get(tenant.id);
        if (!cached || cached.session.generation <= opened.session.generation)
          this.cache.set(tenant.id, { ...opened, checkedAt: this.now() });
        return opened.session;
      })
      .finally(() => {
        if (this.inflight.get(tenant.id) === flight) this.inflight.delete(tenant.id);
      });
    this.inflight.set(tenant.id, flight);
    return flight;
  }

  private async underLock(
    tenant: AuthTenant,
    staleGeneration: number | null,
  ): Promise<Omit<CachedSession, 'checkedAt'>> {
    // Re-read under the lock: another worker may have logged in while we waited for it.
    const stored = await this.deps.sessions.get(tenant.id);
    if (stored && (staleGeneration === null || stored.generation > staleGeneration)) {
      // A session sealed under a master key this process no longer has is as good as none: log in again.
      const opened = this.tryOpen(stored);
      if (opened) {
        this.count(tenant.id, 'adopted');
        return opened;
      }
    }
    const backoff = this.backoffs.get(tenant.id);
    if (backoff && this.now() < backoff.until) {
      this.deps.log.debug(
        { tenantId: tenant.id, until: new Date(backoff.until).toISOString() },
        'salesforce login backing off after a failure',
      );
      throw backoff.error;
    }
    // Generations only grow, cleared sessions included, so no cached number can match a newer session.
    const last = stored?.generation ?? (await this.deps.sessions.lastGeneration(tenant.id));
    return this.login(tenant, Math.max(last, staleGeneration ?? 0) + 1);
  }

  private async login(tenant: AuthTenant, generation: number): Promise<Omit<CachedSession, 'checkedAt'>> {
    const signer = await this.deps.signerFor(tenant);
    const assertion = await signer.sign(
      assertionClaims(
        {
          tenantId: tenant.id,
          consumerKey: tenant.consumerKey,
          username: tenant.username,
          loginUrl: tenant.loginUrl,
          audience: audienceOverride(tenant),
        },
        this.deps.clock,
      ),
    );
    this.count(tenant.id, 'logins');
    const started = this.deps.clock.now();
    let grant;
    try {
      grant = await this.deps.tokens.exchange({
        tenantId: tenant.id,
        loginUrl: tenant.loginUrl,
        username: tenant.username,
        assertion,
      });
    } catch (err) {
      this.backOff(tenant.id, err);
      throw err;
    }
    this.backoffs.delete(tenant.id);
    const stored: StoredSession = {
      tenantId: tenant.id,
      accessTokenEnvelope: this.deps.box.seal(grant.accessToken, binding(tenant.id)),
      instanceUrl: grant.instanceUrl,
      identityUrl: grant.identityUrl,
      issuedAt: started.toISOString(),
      generation,
    };
    await this.deps.sessions.put(stored);
    this.deps.log.info(
      { tenantId: tenant.id, generation, instanceUrl: grant.instanceUrl },
      'salesforce login',
    );
    await this.deps
      .onLogin?.(tenant.id, { instanceUrl: grant.instanceUrl, orgId: grant.orgId, userId: grant.userId })
      .catch((err: unknown) => this.deps.log.warn({ tenantId: tenant.id, err }, 'login hook failed'));
    return {
      session: { ...this.open(stored), orgId: grant.orgId, userId: grant.userId },
      envelope: stored.accessTokenEnvelope,
    };
  }

  /** A failed token request: refuse the tenant's logins for a while, longer after each further failure. */
  private backOff(tenantId: string, error: unknown): void {
    const policy = this.deps.loginBackoff ?? DEFAULT_LOGIN_BACKOFF;
    if (policy.initialMs <= 0) return;
    const previous = this.backoffs.get(tenantId);
    const delayMs = previous ? Math.min(previous.delayMs * 2, policy.maxMs) : policy.initialMs;
    const until = this.now() + delayMs;
    this.backoffs.set(tenantId, { error, until, delayMs });
    this.deps.log.warn(
      {
        tenantId,
        code: isAppError(error) ? error.code : 'unknown',
        retryAfterMs: delayMs,
      },
      'salesforce login failed; backing off',
    );
  }

  /** Opens a stored session, or logs why it cannot (the error code, never the envelope) and returns null. */
  private tryOpen(stored: StoredSession): Omit<CachedSession, 'checkedAt'> | null {
    try {
      return { session: this.open(stored), envelope: stored.accessTokenEnvelope };
    } catch (err) {
      this.deps.log.warn(
        {
          tenantId: stored.tenantId,
          generation: stored.generation,
          code: isAppError(err) ? err.code : 'UNREADABLE',
        },
        'stored salesforce session cannot be opened; treating it as absent',
      );
      return null;
    }
  }

  private open(stored: StoredSession): SalesforceSession {
    const ids = parseIdentityUrl(stored.identityUrl) ?? { orgId: '', userId: '' };
    return {
      tenantId: stored.tenantId,
      accessToken: this.deps.box.open(stored.accessTokenEnvelope, binding(stored.tenantId)),
      instanceUrl: stored.instanceUrl,
      identityUrl: stored.identityUrl,
      orgId: ids.orgId,
      userId: ids.userId,
      generation: stored.generation,
    };
  }

  private count(tenantId: string, what: keyof SessionStats): void {
    const stats = this.counters.get(tenantId) ?? { logins: 0, adopted: 0 };
    stats[what] += 1;
    this.counters.set(tenantId, stats);
  }
}

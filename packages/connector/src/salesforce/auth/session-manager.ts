// One Salesforce session per tenant, shared by every caller and every worker: logs in only when no usable session
// is stored, single-flight within the process (one promise per tenant) and across processes (the store's login
// lock + re-read), and re-logs in at most once per failed generation (jsforce SessionRefreshDelegate's idea).

import type { Clock, KeySigner, SecretBox, SessionRepository, StoredSession } from '../../domain/ports.js';
import type { Tenant, TenantSettings } from '../../domain/tenant.js';
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
}

export interface SessionStats {
  /** token requests this process made for the tenant (successful or not) */
  logins: number;
  /** sessions adopted from the store that another worker (or an earlier run) created */
  adopted: number;
}

const binding = (tenantId: string) => ({ tenantId, field: 'access_token' });

export class SessionManager {
  private readonly cache = new Map<string, SalesforceSession>();
  private readonly inflight = new Map<string, Promise<SalesforceSession>>();
  private readonly counters = new Map<string, SessionStats>();

  constructor(private readonly deps: SessionManagerDeps) {}

  /** The tenant's current session, logging in only when none is stored. */
  async getSession(tenant: AuthTenant): Promise<SalesforceSession> {
    const cached = this.cache.get(tenant.id);
    if (cached) return cached;
    return this.acquire(tenant, null);
  }

  /**
   * Salesforce rejected the token of `generationSeen` (INVALID_SESSION_ID). Returns a newer session: one another
   * caller or worker already obtained, or a fresh login if the stored generation is still the one that failed.
   */
  async invalidate(tenant: AuthTenant, generationSeen: number): Promise<SalesforceSession> {
    const cached = this.cache.get(tenant.id);
    if (cached && cached.generation > generationSeen) return cached;
    return this.acquire(tenant, generationSeen);
  }

  /** Revokes the stored token at Salesforce and forgets the session (tenant removal). */
  async revoke(tenant: AuthTenant): Promise<void> {
    const stored = await this.deps.sessions.get(tenant.id);
    this.cache.delete(tenant.id);
    if (!stored) return;
    const token = this.deps.box.open(stored.accessTokenEnvelope, binding(tenant.id));
    await this.deps.tokens.revoke({ tenantId: tenant.id, loginUrl: tenant.loginUrl, token });
    await this.deps.sessions.clear(tenant.id);
  }

  /** Forgets the in-memory copy only (e.g. after the tenant's key or login URL changed). */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  stats(tenantId: string): SessionStats {
    return { ...(this.counters.get(tenantId) ?? { logins: 0, adopted: 0 }) };
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
      .then((session) => {
        const cached = this.cache.get(tenant.id);
        if (!cached || cached.generation <= session.generation) this.cache.set(tenant.id, session);
        return session;
      })
      .finally(() => {
        if (this.inflight.get(tenant.id) === flight) this.inflight.delete(tenant.id);
      });
    this.inflight.set(tenant.id, flight);
    return flight;
  }

  private async underLock(tenant: AuthTenant, staleGeneration: number | null): Promise<SalesforceSession> {
    // Re-read under the lock: another worker may have logged in while we waited for it.
    const stored = await this.deps.sessions.get(tenant.id);
    if (stored && (staleGeneration === null || stored.generation > staleGeneration)) {
      this.count(tenant.id, 'adopted');
      return this.open(stored);
    }
    const generation = Math.max(stored?.generation ?? 0, staleGeneration ?? 0) + 1;
    return this.login(tenant, generation);
  }

  private async login(tenant: AuthTenant, generation: number): Promise<SalesforceSession> {
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
    const grant = await this.deps.tokens.exchange({
      tenantId: tenant.id,
      loginUrl: tenant.loginUrl,
      username: tenant.username,
      assertion,
    });
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
    return { ...this.open(stored), orgId: grant.orgId, userId: grant.userId };
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

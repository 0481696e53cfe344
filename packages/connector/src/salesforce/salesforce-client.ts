// The Salesforce REST client: jsforce 3.10.16 underneath for URLs, auth headers and bodies; on top, the one retry
// layer (by error, exponential backoff with full jitter), one re-login per call on INVALID_SESSION_ID, the tenant
// pause on REQUEST_LIMIT_EXCEEDED, and an audit record plus an in-memory count for every HTTP attempt.

import { performance } from 'node:perf_hooks';

import { Connection } from 'jsforce';

import type { ApiAuditRepository, Clock, TenantPauseRepository } from '../domain/ports.js';
import { appError, isAppError } from '../errors/app-error.js';
import {
  SF_API_REQUEST_LIMIT,
  SF_API_SESSION_REJECTED,
  SF_API_UNAVAILABLE,
  SF_API_WRITE_OUTCOME_UNKNOWN,
} from '../errors/codes/salesforce-api.js';
import type { Logger } from '../logging/logger.js';
import type { AuthTenant, SalesforceSession, SessionManager } from './auth/session-manager.js';
import { apiError, parseErrorBody, type SalesforceErrorBody } from './rest/api-errors.js';
import { parseLimitInfo, type ApiUsage } from './rest/limit-info.js';
import { ObservingTransport, networkErrorOf, type ObservedExchange } from './rest/observing-transport.js';
import { redactPath } from './rest/redact-path.js';
import {
  backoffDelay,
  classifyFailure,
  DEFAULT_RETRY,
  mayRetry,
  type FailureKind,
  type RetryOptions,
  type WriteSafety,
} from './rest/retry-policy.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface ApiRequest {
  method: HttpMethod;
  /** relative to the version root (`/query?q=...`, `/sobjects/Case`) or from `/services/...` (nextRecordsUrl) */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** defaults: GET read, PATCH/DELETE idempotent, POST unsafe */
  safety?: WriteSafety;
  /** the sObject and record the call is about, for error messages */
  sobject?: string;
  recordId?: string;
  /** audit label, e.g. 'case-sync' */
  purpose?: string;
  /** a 204 answers with this */
  noContent?: unknown;
  /**
   * For unsafe writes: after an ambiguous failure (the connection dropped after sending), look for what the attempt
   * may have created. A value found is returned instead of writing again; null means "not applied", so retry.
   */
  reconcile?: () => Promise<unknown>;
}

export interface SalesforceClientOptions {
  sessions: SessionManager;
  audit: ApiAuditRepository;
  pauses: TenantPauseRepository;
  clock: Clock;
  log: Logger;
  retry?: Partial<RetryOptions>;
  /** how long REQUEST_LIMIT_EXCEEDED pauses a tenant's background work (default a day: the allocation's window) */
  limitPauseMs?: number;
  /** per-attempt HTTP timeout (default two minutes) */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** monotonic milliseconds for durations */
  monotonic?: () => number;
}

export interface TenantUsage {
  /** HTTP attempts sent (every retry and re-login retry included) */
  attempts: number;
  /** logical calls (one `request`) */
  calls: number;
  retries: number;
  reauths: number;
  failures: number;
  lastApiUsage: ApiUsage | null;
  /**
   * Streaming API (CometD) requests sent for the tenant's Case change stream: handshakes, long-poll connects,
   * subscriptions. Counted apart from `attempts`: they are not REST calls, and the emulator (like the Streaming
   * API's own allocations, which count delivered events and clients) does not charge them to the daily REST
   * allocation the budget gate shares out.
   */
  streamRequests: number;
}

export interface ClientTenant extends AuthTenant {
  settings: { apiVersion: string };
}

/** The daily allocation is counted over a rolling 24 hours: a spent allocation pauses the tenant for that long. */
const DEFAULT_PAUSE_MS = 24 * 60 * 60 * 1000;

/** How often a successful call looks for a pause another process set (one DELETE per tenant at most this often). */
const PAUSE_LIFT_CHECK_MS = 60_000;

/** After a timed-out write, how long to let Salesforce finish it before checking whether it was applied. */
const AMBIGUOUS_SETTLE_MS = 5_000;

export class SalesforceClient {
  private readonly retry: RetryOptions;
  private readonly usageByTenant = new Map<string, TenantUsage>();
  private readonly connections = new Map<string, { key: string; conn: Connection }>();
  /** when a success last cleared each tenant's pause; a tenant this process paused is absent (cleared at once) */
  private readonly pauseLiftedAt = new Map<string, number>();

  constructor(private readonly options: SalesforceClientOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** Per-tenant counters since this process started (benchmarks, status). */
  usage(tenantId: string): TenantUsage {
    const u = this.usageByTenant.get(tenantId);
    return u
      ? { ...u }
      : { attempts: 0, calls: 0, retries: 0, reauths: 0, failures: 0, lastApiUsage: null, streamRequests: 0 };
  }

  /** counts one Streaming API request of the tenant's Case change stream (see TenantUsage.streamRequests) */
  countStreamRequest(tenantId: string): void {
    this.counter(tenantId).streamRequests += 1;
  }

  /** The current session (identity URL, user id) of a tenant, logging in if needed. */
  session(tenant: ClientTenant): Promise<SalesforceSession> {
    return this.options.sessions.getSession(tenant);
  }

  async request<T>(tenant: ClientTenant, req: ApiRequest): Promise<T> {
    return (await this.exchange<T>(tenant, req)).value;
  }

  /**
   * As `request`, with the response headers of the attempt that succeeded (lower-case names): Bulk API 2.0 pages
   * its query results by the `Sforce-Locator` header, not in the body.
   */
  async requestWithHeaders<T>(
    tenant: ClientTenant,
    req: ApiRequest,
  ): Promise<{ value: T; headers: Record<string, string> }> {
    return this.exchange<T>(tenant, req);
  }

  private async exchange<T>(
    tenant: ClientTenant,
    req: ApiRequest,
  ): Promise<{ value: T; headers: Record<string, string> }> {
    const safety =
      req.safety ?? (req.method === 'GET' ? 'read' : req.method === 'POST' ? 'unsafe' : 'idempotent');
    const usage = this.counter(tenant.id);
    usage.calls += 1;
    let session = await this.options.sessions.getSession(tenant);
    let reauthed = false;
    let attempt = 0;
    let tries = 0;
    for (;;) {
      attempt += 1;
      tries += 1;
      const outcome = await this.attempt(tenant, session, req, attempt);
      if (outcome.ok) {
        await this.liftPause(tenant.id);
        return { value: outcome.value as T, headers: outcome.headers };
      }
      const { kind, errors, status, reason } = outcome;

      if (kind === 'session-expired') {
        if (reauthed) {
          usage.failures += 1;
          throw appError(SF_API_SESSION_REJECTED, {
            params: { tenant: tenant.id },
            details: { status, errorCode: errors[0]?.errorCode ?? null },
          });
        }
        reauthed = true;
        usage.reauths += 1;
        tries -= 1;
        session = await this.options.sessions.invalidate(tenant, session.generation);
        continue;
      }
      if (kind === 'limit') {
        usage.failures += 1;
        throw await this.pause(tenant.id, errors);
      }
      if (kind === 'permanent') {
        usage.failures += 1;
        throw apiError(errors, { tenantId: tenant.id, status, ...optional(req) });
      }
      // transient
      const ambiguousWrite = kind === 'transient-ambiguous' && safety === 'unsafe';
      if (ambiguousWrite && !req.reconcile) {
        usage.failures += 1;
        throw appError(SF_API_WRITE_OUTCOME_UNKNOWN, {
          params: { tenant: tenant.id, object: req.sobject ?? 'a record', reason },
        });
      }
      if (!ambiguousWrite && !mayRetry(kind, safety)) {
        usage.failures += 1;
        throw apiError(errors, { tenantId: tenant.id, status, ...optional(req) });
      }
      if (tries >= this.retry.maxAttempts) {
        usage.failures += 1;
        throw appError(SF_API_UNAVAILABLE, {
          params: { tenant: tenant.id, attempts: attempt, reason },
          details: { status, errorCode: errors[0]?.errorCode ?? null },
        });
      }
      const delay = backoffDelay(tries, this.retry, this.options.random ?? Math.random);
      if (ambiguousWrite && req.reconcile) {
        // Wait before looking: a request we stopped waiting for may still be running in Salesforce (its own limit
        // is minutes), and reconciling at once would find nothing and write a second copy.
        await this.sleep(/timeout|abort/i.test(reason) ? Math.max(delay, AMBIGUOUS_SETTLE_MS) : delay);
        const existing = await req.reconcile();
        if (existing !== null && existing !== undefined) {
          this.options.log.info(
            { tenantId: tenant.id, sobject: req.sobject, attempt },
            'salesforce write reconciled',
          );
          return { value: existing as T, headers: {} };
        }
        usage.retries += 1;
        continue;
      }
      usage.retries += 1;
      await this.sleep(delay);
    }
  }

  private async attempt(
    tenant: ClientTenant,
    session: SalesforceSession,
    req: ApiRequest,
    attempt: number,
  ): Promise<
    | { ok: true; value: unknown; headers: Record<string, string> }
    | { ok: false; kind: FailureKind; errors: SalesforceErrorBody[]; status: number | null; reason: string }
  > {
    const conn = this.connection(tenant, session);
    const transport = new ObservingTransport(conn, this.options.timeoutMs ?? 120_000);
    const headers: Record<string, string> = { ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const at = this.options.clock.now();
    const started = this.monotonic();
    let value: unknown;
    let thrown: unknown = null;
    try {
      value = await conn.request(
        { method: req.method, url: req.url, headers, ...(body === undefined ? {} : { body }) },
        { transport, noContentResponse: req.noContent },
      );
    } catch (err) {
      thrown = err;
    }
    const exchange: ObservedExchange = transport.observed ?? {
      method: req.method,
      url: req.url,
      response: null,
      networkError: thrown === null ? null : networkErrorOf(thrown),
    };
    const status = exchange.response?.status ?? null;
    const errors =
      exchange.response && status !== null && status >= 400 ? parseErrorBody(exchange.response.body) : [];
    const networkError =
      exchange.networkError ??
      (exchange.response === null && thrown !== null ? networkErrorOf(thrown) : null);
    const errorCode =
      errors[0]?.errorCode ??
      networkError?.code ??
      (thrown !== null && status !== null && status >= 400 ? `HTTP_${status}` : null);
    const apiUsage = parseLimitInfo(exchange.response?.headers['sforce-limit-info']);
    const usage = this.counter(tenant.id);
    usage.attempts += 1;
    if (apiUsage) usage.lastApiUsage = apiUsage;
    await this.audit({
      tenantId: tenant.id,
      at: at.toISOString(),
      method: req.method,
      path: redactPath(exchange.url),
      status,
      errorCode,
      durationMs: Math.round(this.monotonic() - started),
      apiUsed: apiUsage?.used ?? null,
      apiMax: apiUsage?.max ?? null,
      attempt,
      purpose: req.purpose ?? null,
    });
    if (thrown === null) return { ok: true, value, headers: exchange.response?.headers ?? {} };
    // Not an HTTP failure (e.g. jsforce could not parse a 2xx): not retryable, report as a Salesforce error.
    if (status !== null && status < 400) {
      return {
        ok: false,
        kind: 'permanent',
        errors: [{ errorCode: 'UNREADABLE_RESPONSE', message: 'the response could not be read', fields: [] }],
        status,
        reason: 'unreadable response',
      };
    }
    const kind = classifyFailure({
      status,
      errorCode,
      message: errors[0]?.message ?? networkError?.message ?? '',
      usage: apiUsage ? { used: apiUsage.used, max: apiUsage.max } : null,
    });
    const reason =
      status === null ? (networkError?.message ?? 'no response') : `HTTP ${status} ${errorCode ?? ''}`.trim();
    return { ok: false, kind, errors, status, reason };
  }

  /** A call went through, so the allocation is not spent (any more): background work may resume. */
  private async liftPause(tenantId: string): Promise<void> {
    const now = this.options.clock.now().getTime();
    const last = this.pauseLiftedAt.get(tenantId);
    if (last !== undefined && now - last < PAUSE_LIFT_CHECK_MS) return;
    this.pauseLiftedAt.set(tenantId, now);
    try {
      await this.options.pauses.clear(tenantId);
    } catch (err) {
      this.options.log.warn({ tenantId, err }, 'could not lift tenant pause');
    }
  }

  private async pause(tenantId: string, errors: SalesforceErrorBody[]) {
    this.pauseLiftedAt.delete(tenantId);
    const until = new Date(
      this.options.clock.now().getTime() + (this.options.limitPauseMs ?? DEFAULT_PAUSE_MS),
    );
    try {
      await this.options.pauses.pause(tenantId, until, 'REQUEST_LIMIT_EXCEEDED');
    } catch (err) {
      this.options.log.error({ tenantId, err }, 'could not record tenant pause');
    }
    this.options.log.warn(
      { tenantId, until: until.toISOString() },
      'salesforce api allocation spent; tenant paused',
    );
    return appError(SF_API_REQUEST_LIMIT, {
      params: { tenant: tenantId, until: until.toISOString() },
      details: {
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
        message: errors[0]?.message ?? '',
        until: until.toISOString(),
      },
    });
  }

  private async audit(entry: Parameters<ApiAuditRepository['record']>[0]): Promise<void> {
    try {
      await this.options.audit.record(entry);
    } catch (err) {
      // The audit log must never break a call that already spent the allocation.
      this.options.log.warn(
        { tenantId: entry.tenantId, err: isAppError(err) ? err.code : 'audit write failed' },
        'api audit not recorded',
      );
    }
  }

  private connection(tenant: ClientTenant, session: SalesforceSession): Connection {
    const key = `${session.generation}|${session.instanceUrl}|${tenant.settings.apiVersion}`;
    const cached = this.connections.get(tenant.id);
    if (cached && cached.key === key && cached.conn.accessToken === session.accessToken) return cached.conn;
    // No refreshFn/oauth2: jsforce must not re-login on 401 itself; the session manager does, once.
    const conn = new Connection({
      instanceUrl: session.instanceUrl,
      accessToken: session.accessToken,
      version: tenant.settings.apiVersion,
    });
    this.connections.set(tenant.id, { key, conn });
    return conn;
  }

  private counter(tenantId: string): TenantUsage {
    let u = this.usageByTenant.get(tenantId);
    if (!u) {
      u = {
        attempts: 0,
        calls: 0,
        retries: 0,
        reauths: 0,
        failures: 0,
        lastApiUsage: null,
        streamRequests: 0,
      };
      this.usageByTenant.set(tenantId, u);
    }
    return u;
  }

  private sleep(ms: number): Promise<void> {
    return (this.options.sleep ?? ((d) => new Promise((resolve) => setTimeout(resolve, d))))(ms);
  }

  private monotonic(): number {
    return (this.options.monotonic ?? (() => performance.now()))();
  }
}

function optional(req: ApiRequest): { sobject?: string; recordId?: string } {
  return {
    ...(req.sobject === undefined ? {} : { sobject: req.sobject }),
    ...(req.recordId === undefined ? {} : { recordId: req.recordId }),
  };
}

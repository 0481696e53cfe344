// The OAuth token endpoint: exchanges a signed JWT bearer assertion for an access token, and revokes tokens.
// https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm

import { performance } from 'node:perf_hooks';

import { z } from 'zod';

import type { ApiAuditEntry, ApiAuditRepository, Clock } from '../../domain/ports.js';
import { appError, isAppError } from '../../errors/app-error.js';
import {
  SF_AUTH_TOKEN_ENDPOINT_UNREACHABLE,
  SF_AUTH_UNAVAILABLE,
  SF_AUTH_UNEXPECTED_RESPONSE,
} from '../../errors/codes/salesforce-auth.js';
import type { Logger } from '../../logging/logger.js';
import { scrubSecrets } from '../../logging/scrub-secrets.js';
import { normaliseLoginUrl } from './jwt-assertion.js';
import { tokenEndpointError } from './token-errors.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** One form POST; the default uses Node's fetch. Injected in tests. */
export type FormPost = (url: string, form: URLSearchParams) => Promise<{ status: number; body: string }>;

export function fetchFormPost(timeoutMs = 30_000): FormPost {
  return async (url, form) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, body: await res.text() };
  };
}

/**
 * The JWT flow's success shape: never a refresh token, no expires_in (the session timeout governs).
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm ("Salesforce Grants a New Access Token")
 */
const TokenSuccess = z.object({
  access_token: z.string().min(1),
  instance_url: z.string().url(),
  id: z.string().url(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  issued_at: z.string().optional(),
});

const TokenFailure = z.object({ error: z.string(), error_description: z.string().optional() });

export interface TokenGrant {
  accessToken: string;
  instanceUrl: string;
  identityUrl: string;
  orgId: string;
  userId: string;
  scope: string | null;
}

export interface TokenRequest {
  tenantId: string;
  loginUrl: string;
  username: string;
  assertion: string;
}

/** Org and user ids are the last two path segments of the identity URL, whatever its host. */
export function parseIdentityUrl(identityUrl: string): { orgId: string; userId: string } | null {
  const segments = new URL(identityUrl).pathname.split('/').filter(Boolean);
  const userId = segments.at(-1);
  const orgId = segments.at(-2);
  return orgId && userId ? { orgId, userId } : null;
}

function describeNetworkError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err.cause as { code?: unknown } | undefined)?.code ?? (err as { code?: unknown }).code;
    return scrubSecrets(typeof code === 'string' ? `${err.name} ${code}` : `${err.name}: ${err.message}`);
  }
  return 'unknown network error';
}

/** Where token and revoke requests are audited (invariant 4: every Salesforce call attempt is). */
export interface TokenAudit {
  audit: ApiAuditRepository;
  clock: Clock;
  log: Logger;
  /** monotonic milliseconds for durations */
  monotonic?: () => number;
}

/** The error of a call for the audit log: the OAuth `error`, the network error code, or HTTP_<status>. */
function auditErrorCode(res: { status: number; body: string } | null, err: unknown): string | null {
  if (res === null) {
    const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    return typeof code === 'string' ? code : err instanceof Error ? err.name : 'NETWORK_ERROR';
  }
  if (res.status === 200) return null;
  const failure = TokenFailure.safeParse(safeJson(res.body));
  return failure.success ? failure.data.error.slice(0, 100) : `HTTP_${res.status}`;
}

/** How transient token-endpoint failures are retried: at most `retries` more attempts, full-jitter backoff. */
export interface TokenRetry {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_TOKEN_RETRY: TokenRetry = {
  retries: 3,
  baseDelayMs: 500,
  maxDelayMs: 4_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** A name that does not resolve is a wrong login URL, not an outage: retrying it only delays the fix. */
const NOT_TRANSIENT_NETWORK = new Set(['ENOTFOUND']);

function networkCode(err: unknown): string | null {
  const code = (err as { cause?: { code?: unknown }; code?: unknown } | undefined)?.cause?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.name : null;
}

/**
 * Whether a failed token request may succeed if sent again: no answer (timeout, reset, refused) or a 5xx. An OAuth
 * error naming the request itself (`invalid_grant`, `invalid_client*`) is never retried: it would fail the same
 * way, and repeated bad logins can lock the service user out.
 */
function isTransient(res: { status: number; body: string } | null, err: unknown): boolean {
  if (res === null) return !NOT_TRANSIENT_NETWORK.has(networkCode(err) ?? '');
  if (res.status < 500) return false;
  const failure = TokenFailure.safeParse(safeJson(res.body));
  return !(failure.success && /^invalid_(grant|client)/.test(failure.data.error));
}

export class TokenClient {
  private readonly retry: TokenRetry;

  constructor(
    private readonly post: FormPost = fetchFormPost(),
    private readonly audit?: TokenAudit,
    retry: Partial<TokenRetry> = {},
  ) {
    this.retry = { ...DEFAULT_TOKEN_RETRY, ...retry };
  }

  /**
   * POST the assertion; resolve with the session or throw the SF_AUTH_ code of the failure. A transient failure
   * (503, timeout, reset) is retried up to `retries` times, each attempt audited, then reported as SF_AUTH_UNAVAILABLE.
   */
  async exchange(request: TokenRequest): Promise<TokenGrant> {
    const loginUrl = normaliseLoginUrl(request.loginUrl);
    const url = `${loginUrl}/services/oauth2/token`;
    const form = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: request.assertion });
    let res: { status: number; body: string } | null = null;
    for (let attempt = 1; ; attempt += 1) {
      let thrown: unknown = null;
      try {
        res = await this.audited(
          request.tenantId,
          '/services/oauth2/token',
          'login',
          () => this.post(url, form),
          attempt,
        );
      } catch (err) {
        res = null;
        thrown = err;
      }
      if (!isTransient(res, thrown)) {
        if (res === null) throw unreachable(request.tenantId, url, thrown);
        break;
      }
      if (attempt > this.retry.retries) {
        const code = thrown === null ? null : networkCode(thrown);
        if (code === 'ECONNREFUSED') throw unreachable(request.tenantId, url, thrown);
        throw appError(SF_AUTH_UNAVAILABLE, {
          params: {
            tenant: request.tenantId,
            url,
            attempts: attempt,
            reason: res === null ? describeNetworkError(thrown) : `HTTP ${res.status}`,
          },
          details: { status: res?.status ?? null, attempts: attempt },
        });
      }
      const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
      await this.retry.sleep(Math.floor(this.retry.random() * ceiling));
    }
    const json = safeJson(res.body);
    const context = { tenantId: request.tenantId, loginUrl, username: request.username, status: res.status };
    if (res.status === 200) {
      const ok = TokenSuccess.safeParse(json);
      const ids = ok.success ? parseIdentityUrl(ok.data.id) : null;
      if (ok.success && ids) {
        return {
          accessToken: ok.data.access_token,
          instanceUrl: ok.data.instance_url.replace(/\/+$/, ''),
          identityUrl: ok.data.id,
          orgId: ids.orgId,
          userId: ids.userId,
          scope: ok.data.scope ?? null,
        };
      }
      throw unexpected(context, 'the success response lacks access_token, instance_url or a valid id');
    }
    const failure = TokenFailure.safeParse(json);
    if (failure.success)
      throw tokenEndpointError(failure.data.error, failure.data.error_description ?? '', context);
    throw unexpected(context, res.status >= 500 ? 'server error' : 'not an OAuth error response');
  }

  /** Revokes an access token (tenant removal). Already-invalid tokens are fine: the goal is that it no longer works. */
  async revoke(request: { tenantId: string; loginUrl: string; token: string }): Promise<void> {
    const url = `${normaliseLoginUrl(request.loginUrl)}/services/oauth2/revoke`;
    let res: { status: number; body: string };
    try {
      res = await this.audited(request.tenantId, '/services/oauth2/revoke', 'revoke', () =>
        this.post(url, new URLSearchParams({ token: request.token })),
      );
    } catch (err) {
      throw appError(SF_AUTH_TOKEN_ENDPOINT_UNREACHABLE, {
        params: { tenant: request.tenantId, url, reason: describeNetworkError(err) },
      });
    }
    if (res.status === 200) return;
    const failure = TokenFailure.safeParse(safeJson(res.body));
    // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm: an unknown or already revoked
    // token answers 400 unsupported_token_type; that is the state we want.
    if (res.status === 400 && failure.success && failure.data.error === 'unsupported_token_type') return;
    throw unexpected(
      { tenantId: request.tenantId, status: res.status },
      failure.success ? `${failure.data.error} ${failure.data.error_description ?? ''}` : 'revoke failed',
    );
  }

  /**
   * Runs one POST and records it: method, path (never the form: it holds the assertion or the token), status, the
   * OAuth error, duration. A failed audit write is logged, never raised: the call already happened.
   */
  private async audited(
    tenantId: string,
    path: string,
    purpose: string,
    send: () => Promise<{ status: number; body: string }>,
    attempt = 1,
  ): Promise<{ status: number; body: string }> {
    const audit = this.audit;
    if (!audit) return send();
    const monotonic = audit.monotonic ?? (() => performance.now());
    const at = audit.clock.now().toISOString();
    const started = monotonic();
    let res: { status: number; body: string } | null = null;
    let thrown: unknown = null;
    try {
      res = await send();
      return res;
    } catch (err) {
      thrown = err;
      throw err;
    } finally {
      const entry: ApiAuditEntry = {
        tenantId,
        at,
        method: 'POST',
        path,
        status: res?.status ?? null,
        errorCode: auditErrorCode(res, thrown),
        durationMs: Math.round(monotonic() - started),
        apiUsed: null,
        apiMax: null,
        attempt,
        purpose,
      };
      await audit.audit
        .record(entry)
        .catch((err: unknown) =>
          audit.log.warn(
            { tenantId, err: isAppError(err) ? err.code : 'audit write failed' },
            'api audit not recorded',
          ),
        );
    }
  }
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

function unreachable(tenant: string, url: string, err: unknown) {
  return appError(SF_AUTH_TOKEN_ENDPOINT_UNREACHABLE, {
    params: { tenant, url, reason: describeNetworkError(err) },
  });
}

function unexpected(context: { tenantId: string; status: number }, what: string) {
  return appError(SF_AUTH_UNEXPECTED_RESPONSE, {
    params: { tenant: context.tenantId, status: context.status, error: what, description: '' },
    details: { status: context.status },
  });
}

// Verifies an employee's identity token for a tenant: RS256 or ES256 only, the tenant's issuer and audience, `sub`
// the email, a `jti`, `exp` at most ten minutes ahead, ±60 s of clock skew. The key is the tenant's PEM, or its JWKS
// fetched under the webhook URL policy (policy-fetch.ts) and cached at most an hour.

import { createPublicKey, type KeyObject } from 'node:crypto';

import {
  createRemoteJWKSet,
  customFetch,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { z } from 'zod';

import type { BotIdentitySettings } from '../../domain/bot/bot-ports.js';
import type { Clock } from '../../domain/ports.js';
import { isKnownTimeZone } from '../../domain/tickets/nudge-rules.js';
import { appError, isAppError } from '../../errors/app-error.js';
import { BOT_IDENTITY_KEYS_UNAVAILABLE, BOT_IDENTITY_TOKEN_INVALID } from '../../errors/codes/bot.js';

export const IDENTITY_ALGORITHMS = ['RS256', 'ES256'];
/** the clock skew allowed on exp, nbf and iat */
export const CLOCK_SKEW_SECONDS = 60;
/** the longest an identity token may live ahead of now: it is a one-time exchange, not a credential to keep */
export const MAX_TOKEN_LIFETIME_SECONDS = 600;
/** JWKS documents are refetched at least this often (a rotated key reaches us within the hour) */
export const JWKS_CACHE_MS = 3_600_000;

export interface VerifiedIdentity {
  email: string;
  jti: string;
  expiresAt: Date;
  /** the `name` claim, when the platform sent one */
  name: string | null;
  /** the `zoneinfo` claim (OpenID Connect: the employee's IANA time zone), when it names a zone this runtime knows */
  zoneinfo: string | null;
}

export type PolicyFetchFn = (
  url: string,
  init?: { method?: string; headers?: Headers | Record<string, string>; signal?: AbortSignal },
) => Promise<Response>;

const Claims = z.object({
  sub: z.email(),
  jti: z.string().min(1).max(200),
  exp: z.number(),
  name: z.string().max(200).optional(),
  // a claim the platform may add without the exchange depending on it: anything but a known zone is ignored
  zoneinfo: z.unknown().optional(),
});

export class IdentityVerifier {
  private readonly jwks = new Map<string, { url: string; get: JWTVerifyGetKey }>();

  constructor(private readonly deps: { clock: Clock; fetch: PolicyFetchFn }) {}

  async verify(token: string, settings: BotIdentitySettings): Promise<VerifiedIdentity> {
    const now = this.deps.clock.now();
    let payload: JWTPayload;
    try {
      const options = {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: IDENTITY_ALGORITHMS,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'jti', 'sub'],
        currentDate: now,
      };
      payload =
        settings.publicKeyPem === null
          ? (await jwtVerify(token, this.keySetOf(settings), options)).payload
          : (await jwtVerify(token, this.pemKey(settings.publicKeyPem), options)).payload;
    } catch (err) {
      throw this.refusal(err);
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success)
      throw appError(BOT_IDENTITY_TOKEN_INVALID, {
        params: { reason: 'sub must be an email and jti a string' },
      });
    const { sub, jti, exp, name, zoneinfo } = claims.data;
    if (exp - now.getTime() / 1000 > MAX_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS)
      throw appError(BOT_IDENTITY_TOKEN_INVALID, {
        params: { reason: `exp is more than ${MAX_TOKEN_LIFETIME_SECONDS / 60} minutes ahead` },
      });
    return {
      email: sub,
      jti,
      expiresAt: new Date(exp * 1000),
      name: name ?? null,
      zoneinfo:
        typeof zoneinfo === 'string' && zoneinfo.length <= 100 && isKnownTimeZone(zoneinfo) ? zoneinfo : null,
    };
  }

  private pemKey(pem: string): KeyObject {
    try {
      return createPublicKey(pem);
    } catch (err) {
      throw appError(BOT_IDENTITY_KEYS_UNAVAILABLE, { cause: err });
    }
  }

  private keySetOf(settings: BotIdentitySettings): JWTVerifyGetKey {
    const url = settings.jwksUrl ?? '';
    const cached = this.jwks.get(settings.tenantId);
    if (cached?.url === url) return cached.get;
    const get = createRemoteJWKSet(new URL(url), {
      cacheMaxAge: JWKS_CACHE_MS,
      [customFetch]: (input: string, init: { method?: string; headers?: Headers; signal?: AbortSignal }) =>
        this.deps.fetch(String(input), init),
    });
    this.jwks.set(settings.tenantId, { url, get });
    return get;
  }

  private refusal(err: unknown): Error {
    if (isAppError(err)) return appError(BOT_IDENTITY_KEYS_UNAVAILABLE, { cause: err });
    const reason =
      err instanceof joseErrors.JWTExpired
        ? 'it has expired'
        : err instanceof joseErrors.JWTClaimValidationFailed
          ? `claim ${err.claim} ${err.reason === 'missing' ? 'is missing' : 'is not what the tenant expects'}`
          : err instanceof joseErrors.JOSEAlgNotAllowed || err instanceof joseErrors.JOSENotSupported
            ? 'its algorithm is not RS256 or ES256'
            : err instanceof joseErrors.JWSSignatureVerificationFailed
              ? 'its signature does not verify'
              : err instanceof joseErrors.JWKSNoMatchingKey
                ? 'no key of the JWKS matches it'
                : err instanceof joseErrors.JWKSTimeout ||
                    err instanceof joseErrors.JWKSInvalid ||
                    err instanceof joseErrors.JWKSMultipleMatchingKeys
                  ? null
                  : err instanceof joseErrors.JOSEError
                    ? 'it is malformed'
                    : null;
    if (reason === null) return appError(BOT_IDENTITY_KEYS_UNAVAILABLE, { cause: err });
    return appError(BOT_IDENTITY_TOKEN_INVALID, { params: { reason } });
  }
}

// The JWT bearer assertion: its claims (iss, sub, aud, exp) and an RS256 KeySigner over a PEM private key.
// https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm

import { createPrivateKey, type KeyObject } from 'node:crypto';

import { SignJWT } from 'jose';

import type { Clock, JwtBearerClaims, KeySigner } from '../../domain/ports.js';
import { appError } from '../../errors/app-error.js';
import { SF_AUTH_KEY_UNUSABLE } from '../../errors/codes/salesforce-auth.js';

/** Salesforce documents that the assertion must expire "within 3 minutes"; longer is tolerated but not promised. */
export const ASSERTION_LIFETIME_SECONDS = 180;

export interface AssertionSubject {
  tenantId: string;
  consumerKey: string;
  username: string;
  /** the tenant's login URL: where the token request goes, and what the audience is derived from */
  loginUrl: string;
  /** the tenant's `settings.jwtAudience`: used as the audience verbatim when set */
  audience?: string | undefined;
}

/** Login URL without trailing slashes: Salesforce compares the audience as a string. */
export function normaliseLoginUrl(loginUrl: string): string {
  return loginUrl.replace(/\/+$/, '');
}

export const PRODUCTION_AUDIENCE = 'https://login.salesforce.com';
export const SANDBOX_AUDIENCE = 'https://test.salesforce.com';

/**
 * Hosts whose org is a sandbox (or a scratch org, which lives on sandbox instances): enhanced-domain sandbox My
 * Domains, `cs<N>` instances with or without My Domain, Hyperforce sandbox instances (`usa2s.sfdc-….salesforce.com`),
 * and test.salesforce.com itself. The same rules as @salesforce/core's `SfdcUrl.isSandboxUrl`.
 */
const SANDBOX_HOSTS: readonly RegExp[] = [
  /^test\.salesforce\.com$/,
  /\.sandbox\.my\.salesforce\.com$/,
  /\.scratch\.my\.salesforce\.com$/,
  /(^|\.)cs\d+(\.my)?\.salesforce\.com$/,
  /(^|\.)[a-z]{3}\d+s\.sfdc-[^.]+\.(salesforce|force)\.com$/,
];

/**
 * The JWT `aud` for a login URL. Salesforce documents three audiences: https://login.salesforce.com (production),
 * https://test.salesforce.com (sandbox) or an Experience Cloud site URL; a My Domain URL as the audience is not
 * among them, so a My Domain login URL maps to the audience of its kind of org, as the sf CLI does
 * (@salesforce/core `getJwtAudienceUrl`). Any other host (an Experience Cloud site, the loopback emulator) is its
 * own audience. The token request still goes to the login URL.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm ("aud")
 */
export function jwtAudience(loginUrl: string, override?: string): string {
  if (override !== undefined && override.trim() !== '') return normaliseLoginUrl(override.trim());
  const normalised = normaliseLoginUrl(loginUrl);
  let host: string;
  try {
    host = new URL(normalised).hostname.toLowerCase();
  } catch {
    return normalised;
  }
  if (SANDBOX_HOSTS.some((pattern) => pattern.test(host))) return SANDBOX_AUDIENCE;
  if (host === 'login.salesforce.com' || host.endsWith('.my.salesforce.com')) return PRODUCTION_AUDIENCE;
  return normalised;
}

export function assertionClaims(subject: AssertionSubject, clock: Clock): JwtBearerClaims {
  return {
    iss: subject.consumerKey,
    sub: subject.username,
    aud: jwtAudience(subject.loginUrl, subject.audience),
    // seconds, not milliseconds (the sf CLI sends ms and gets away with it; we do not rely on that)
    exp: Math.floor(clock.now().getTime() / 1000) + ASSERTION_LIFETIME_SECONDS,
  };
}

/**
 * A KeySigner over an RSA private key in PEM form, PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE
 * KEY`); node:crypto reads both, jose's importPKCS8 only the first. Errors never quote the key.
 */
export function rsaKeySigner(privateKeyPem: string, tenantId: string): KeySigner {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch {
    throw appError(SF_AUTH_KEY_UNUSABLE, {
      params: { tenant: tenantId, reason: 'the key is not a readable PEM private key' },
    });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw appError(SF_AUTH_KEY_UNUSABLE, {
      params: {
        tenant: tenantId,
        reason: `the key is ${key.asymmetricKeyType ?? 'not asymmetric'}, Salesforce needs RSA (RS256)`,
      },
    });
  }
  return {
    sign: (claims) => new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256' }).sign(key),
  };
}

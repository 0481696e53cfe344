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
  /** the tenant's login URL; the audience and where the token request goes */
  loginUrl: string;
}

/** Login URL without trailing slashes: Salesforce compares the audience as a string. */
export function normaliseLoginUrl(loginUrl: string): string {
  return loginUrl.replace(/\/+$/, '');
}

export function assertionClaims(subject: AssertionSubject, clock: Clock): JwtBearerClaims {
  return {
    iss: subject.consumerKey,
    sub: subject.username,
    aud: normaliseLoginUrl(subject.loginUrl),
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

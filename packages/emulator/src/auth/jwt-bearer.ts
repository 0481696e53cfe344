// Verification of the OAuth 2.0 JWT bearer grant, in the order Salesforce applies it (salesforce.md 1.8), each
// failure with Salesforce's exact `error`/`error_description`.
// https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm

import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { OAuthError } from '../errors.js';
import type { ConnectedApp } from '../registry/connected-app.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import { checkPreAuthorization, findLoginUser } from './pre-authorization.js';

/** the documentation's "within 3 minutes", enforced only in strict mode */
const STRICT_EXP_WINDOW_MS = 180_000;

export interface GrantContext {
  /** filled in as verification proceeds, for the token log */
  clientId: string | null;
  username: string | null;
}

export interface VerifiedGrant {
  app: ConnectedApp;
  userId: string;
}

const invalidAssertion = (): OAuthError => new OAuthError('invalid_grant', 'invalid assertion');

export async function verifyJwtBearer(
  org: OrgRuntime,
  assertion: string,
  now: number,
  strictExpiry: boolean,
  ctx: GrantContext,
): Promise<VerifiedGrant> {
  let claims: JWTPayload;
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(assertion).alg;
    claims = decodeJwt(assertion);
  } catch {
    throw invalidAssertion();
  }
  if (typeof claims.sub === 'string') ctx.username = claims.sub;
  if (typeof claims.iss !== 'string') throw new OAuthError('invalid_client_id', 'client identifier invalid');
  ctx.clientId = claims.iss;
  const app = org.appByConsumerKey(claims.iss);
  if (app === undefined) throw new OAuthError('invalid_client_id', 'client identifier invalid');

  // Only RS256 with the certificate uploaded under "Use digital signatures" is accepted for this flow.
  if (alg !== 'RS256' || app.publicKey === undefined) throw invalidAssertion();
  try {
    await compactVerify(assertion, app.publicKey, { algorithms: ['RS256'] });
  } catch {
    throw invalidAssertion();
  }

  const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  if (!audiences.some((aud) => org.audienceAccepted(aud))) {
    throw new OAuthError('invalid_grant', 'audience is invalid');
  }

  // `exp` is seconds since the epoch. sf sends milliseconds (Date.now() + 300), which reads as a date far in the
  // future; Salesforce accepts that (salesforce.md 1.2), so only a past `exp` fails unless strict mode is on.
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) {
    throw new OAuthError('invalid_grant', 'expired authorization code');
  }
  if (strictExpiry && claims.exp * 1000 > now + STRICT_EXP_WINDOW_MS) throw invalidAssertion();

  if (typeof claims.sub !== 'string')
    throw new OAuthError('invalid_grant', 'user does not exist or is inactive');
  const user = findLoginUser(org, claims.sub);
  checkPreAuthorization(org, app, user.userId);
  return { app, userId: user.userId };
}

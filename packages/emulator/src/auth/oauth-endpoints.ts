// The OAuth endpoints of an org's login URL: token (JWT bearer, username-password, refresh token), revoke,
// userinfo and the identity URL. Token failures are HTTP 400 `{error, error_description}` (salesforce.md 1.5).

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { OAuthError } from '../errors.js';
import type { ApiRequest, ApiResult } from '../http/api-types.js';
import { header } from '../http/api-types.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import type { ConnectedApp } from '../registry/connected-app.js';
import type { AuthPlatform } from './auth-platform.js';
import { accessTokenOf } from './bearer.js';
import { identityDocument, identityUrl, userInfoClaims } from './identity.js';
import { verifyJwtBearer, type GrantContext } from './jwt-bearer.js';
import { checkPreAuthorization, findLoginUser } from './pre-authorization.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

// The headers Salesforce sends on token responses (salesforce.md 1.5).
const TOKEN_HEADERS = {
  'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private',
  pragma: 'no-cache',
};

export interface OAuthOutcome {
  result: ApiResult;
  userId: string | null;
}

function formParams(req: ApiRequest): URLSearchParams {
  const type = header(req, 'content-type') ?? '';
  if (!type.toLowerCase().includes('application/x-www-form-urlencoded') || req.rawBody === undefined) {
    return new URLSearchParams();
  }
  return new URLSearchParams(req.rawBody);
}

/** compares a presented secret (consumer secret, password) in constant time */
function sameSecret(presented: string | null, expected: string): boolean {
  const a = createHash('sha256')
    .update(presented ?? '')
    .digest();
  const b = createHash('sha256').update(expected).digest();
  return presented !== null && timingSafeEqual(a, b);
}

function tokenResponse(
  em: AuthPlatform,
  org: OrgRuntime,
  app: ConnectedApp,
  userId: string,
  grantType: string,
  refreshToken?: string,
): Record<string, unknown> {
  const now = em.clock.now().getTime();
  const session = em.tokens.mint(
    org.orgId,
    userId,
    app.id,
    app.scopes,
    app.sessionTimeoutMinutes * 60_000,
    now,
  );
  const id = identityUrl(org, userId);
  const body: Record<string, unknown> = { access_token: session.token };
  if (refreshToken !== undefined) body['refresh_token'] = refreshToken;
  // The JWT flow's documented response has no issued_at/signature; the other grants carry both (salesforce.md 1.3).
  if (grantType !== JWT_BEARER_GRANT) {
    const issuedAt = String(now);
    body['signature'] = createHmac('sha256', app.consumerSecret)
      .update(id + issuedAt)
      .digest('base64');
    if (grantType !== 'password') body['scope'] = app.scopes.join(' ');
    body['instance_url'] = org.loginUrl;
    body['id'] = id;
    body['token_type'] = 'Bearer';
    body['issued_at'] = issuedAt;
    return body;
  }
  body['scope'] = app.scopes.join(' ');
  body['instance_url'] = org.loginUrl;
  body['id'] = id;
  body['token_type'] = 'Bearer';
  return body;
}

function checkClient(
  org: OrgRuntime,
  params: URLSearchParams,
  ctx: GrantContext,
  secretRequired: boolean,
): ConnectedApp {
  const clientId = params.get('client_id');
  ctx.clientId = clientId;
  const app = clientId === null ? undefined : org.appByConsumerKey(clientId);
  if (app === undefined) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  const secret = params.get('client_secret');
  if ((secretRequired || secret !== null) && !sameSecret(secret, app.consumerSecret)) {
    throw new OAuthError('invalid_client', 'invalid client credentials');
  }
  return app;
}

async function grant(
  em: AuthPlatform,
  org: OrgRuntime,
  params: URLSearchParams,
  ctx: GrantContext,
): Promise<{ body: Record<string, unknown>; userId: string }> {
  const grantType = params.get('grant_type');
  if (grantType === null || grantType === '')
    throw new OAuthError('invalid_request', 'grant type is missing');
  const now = em.clock.now().getTime();
  switch (grantType) {
    case JWT_BEARER_GRANT: {
      const assertion = params.get('assertion');
      if (assertion === null) throw new OAuthError('invalid_grant', 'invalid assertion');
      const { app, userId } = await verifyJwtBearer(org, assertion, now, em.strictJwtExpiry, ctx);
      return { body: tokenResponse(em, org, app, userId, grantType), userId };
    }
    case 'password': {
      const app = checkClient(org, params, ctx, true);
      const username = params.get('username') ?? '';
      ctx.username = username;
      let userId: string;
      try {
        userId = findLoginUser(org, username).userId;
      } catch {
        throw new OAuthError('invalid_grant', 'authentication failure');
      }
      const password = org.passwords.get(userId);
      if (password === undefined || !sameSecret(params.get('password'), password)) {
        throw new OAuthError('invalid_grant', 'authentication failure');
      }
      // The user typed their own password, so self-authorization is implied; admin approval is not.
      if (app.permittedUsers === 'admin_approved') checkPreAuthorization(org, app, userId);
      return { body: tokenResponse(em, org, app, userId, grantType), userId };
    }
    case 'refresh_token': {
      const app = checkClient(org, params, ctx, false);
      const refresh = em.tokens.refreshGrant(params.get('refresh_token') ?? '');
      if (refresh === undefined || refresh.orgId !== org.orgId || refresh.appId !== app.id) {
        throw new OAuthError('invalid_grant', 'expired access/refresh token');
      }
      const user = org.data.getUser(refresh.userId);
      if (user === undefined || user['IsActive'] === false)
        throw new OAuthError('invalid_grant', 'inactive user');
      return { body: tokenResponse(em, org, app, refresh.userId, grantType), userId: refresh.userId };
    }
    default:
      throw new OAuthError('unsupported_grant_type', 'grant type not supported');
  }
}

async function tokenEndpoint(em: AuthPlatform, org: OrgRuntime, req: ApiRequest): Promise<OAuthOutcome> {
  const params = formParams(req);
  const ctx: GrantContext = { clientId: params.get('client_id'), username: null };
  const time = em.clock.now().toISOString();
  // every attempt is logged, accepted or refused, with what the client claimed to be
  const log = (userId: string | null, status: number, outcome: string, errorDescription: string | null) =>
    em.tokenLog.add({
      time,
      orgId: org.orgId,
      grantType: params.get('grant_type'),
      clientId: ctx.clientId,
      username: ctx.username,
      userId,
      status,
      outcome,
      errorDescription,
    });
  try {
    if (req.method !== 'POST') throw new OAuthError('invalid_request', 'must use HTTP POST');
    const { body, userId } = await grant(em, org, params, ctx);
    log(userId, 200, 'success', null);
    return { result: { status: 200, body, headers: TOKEN_HEADERS }, userId };
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    log(null, err.status, err.error, err.message);
    return { result: { status: err.status, body: err.toBody(), headers: TOKEN_HEADERS }, userId: null };
  }
}

function revokeEndpoint(em: AuthPlatform, org: OrgRuntime, req: ApiRequest): OAuthOutcome {
  const token = formParams(req).get('token') ?? req.query.get('token');
  if (token === null || em.tokens.orgOf(token) !== org.orgId || !em.tokens.revoke(token)) {
    const err = new OAuthError('unsupported_token_type', 'this token type is not supported');
    return { result: { status: 400, body: err.toBody(), headers: TOKEN_HEADERS }, userId: null };
  }
  return { result: { status: 200 }, userId: null };
}

/** userinfo and identity answer a bad token with a plain 401 and Salesforce's text body */
function badToken(): OAuthOutcome {
  return {
    result: { status: 401, body: 'Bad_OAuth_Token', headers: { 'content-type': 'text/plain;charset=UTF-8' } },
    userId: null,
  };
}

function versionParam(em: AuthPlatform, req: ApiRequest): string {
  const v = req.query.get('version');
  if (v === null || v === 'latest') return `${em.maxApiVersion}.0`;
  return v;
}

/** the caller's live session; a deactivated user's sessions end with the deactivation, as on the data API */
function liveSession(em: AuthPlatform, org: OrgRuntime, req: ApiRequest): { userId: string } | undefined {
  const token = accessTokenOf(req, true);
  const session = token === undefined ? undefined : em.tokens.use(token, org.orgId, em.clock.now().getTime());
  if (session === undefined) return undefined;
  const user = org.data.getUser(session.userId);
  if (user === undefined || user['IsActive'] === false) {
    em.tokens.revoke(session.token);
    return undefined;
  }
  return session;
}

function userInfoEndpoint(em: AuthPlatform, org: OrgRuntime, req: ApiRequest): OAuthOutcome {
  const session = liveSession(em, org, req);
  const user = session === undefined ? undefined : org.data.getUser(session.userId);
  if (session === undefined || user === undefined) return badToken();
  return {
    result: { status: 200, body: userInfoClaims(org, user, versionParam(em, req)) },
    userId: session.userId,
  };
}

function identityEndpoint(
  em: AuthPlatform,
  org: OrgRuntime,
  req: ApiRequest,
  orgId: string,
  userId: string,
): OAuthOutcome {
  const session = liveSession(em, org, req);
  if (session === undefined) return badToken();
  const user = org.data.getUser(userId);
  if (orgId.slice(0, 15) !== org.orgId.slice(0, 15) || user === undefined) {
    return {
      result: { status: 403, body: 'Bad_Id', headers: { 'content-type': 'text/plain;charset=UTF-8' } },
      userId: session.userId,
    };
  }
  return {
    result: { status: 200, body: identityDocument(org, user, versionParam(em, req)) },
    userId: session.userId,
  };
}

/** the OAuth/identity answer for `req`, or undefined when the path is not one of these endpoints */
export async function handleOAuth(
  em: AuthPlatform,
  org: OrgRuntime,
  req: ApiRequest,
): Promise<OAuthOutcome | undefined> {
  switch (req.path) {
    case '/services/oauth2/token':
      return tokenEndpoint(em, org, req);
    case '/services/oauth2/revoke':
      return revokeEndpoint(em, org, req);
    case '/services/oauth2/userinfo':
      return userInfoEndpoint(em, org, req);
    default: {
      const m = /^\/id\/([A-Za-z0-9]{15,18})\/([A-Za-z0-9]{15,18})$/.exec(req.path);
      if (m?.[1] !== undefined && m[2] !== undefined) return identityEndpoint(em, org, req, m[1], m[2]);
      return undefined;
    }
  }
}

// Control plane: connected apps (certificate, policies, assignments), user self-approvals, and sessions.

import {
  AppInputError,
  describeApp,
  importCertificate,
  type PermittedUsers,
} from '../registry/connected-app.js';
import {
  appOf,
  created,
  grantOf,
  ok,
  orgOf,
  userOf,
  type ControlCall,
  type ControlAnswer,
} from './control-call.js';
import { badInput } from './control-error.js';
import { optNumber, optString, optStringArray, reqString } from './input.js';

function permittedUsersOf(value: string | undefined): PermittedUsers | undefined {
  if (value === undefined || value === 'admin_approved' || value === 'all_users_self_authorize') return value;
  throw badInput("permittedUsers must be 'admin_approved' or 'all_users_self_authorize'");
}

async function withAppErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppInputError) throw badInput(err.message);
    throw err;
  }
}

export function listApps(call: ControlCall): ControlAnswer {
  return ok([...orgOf(call).apps.values()].map(describeApp));
}

export function getApp(call: ControlCall): ControlAnswer {
  return ok(describeApp(appOf(orgOf(call), call.params[1] ?? '')));
}

export async function addApp(call: ControlCall): Promise<ControlAnswer> {
  const org = orgOf(call);
  const b = call.body;
  const permittedUsers = permittedUsersOf(optString(b, 'permittedUsers'));
  const sessionTimeoutMinutes = optNumber(b, 'sessionTimeoutMinutes');
  const consumerKey = optString(b, 'consumerKey');
  const consumerSecret = optString(b, 'consumerSecret');
  const certificatePem = optString(b, 'certificatePem');
  const scopes = optStringArray(b, 'scopes');
  const app = await withAppErrors(() =>
    org.addApp({
      name: reqString(b, 'name'),
      ...(consumerKey !== undefined ? { consumerKey } : {}),
      ...(consumerSecret !== undefined ? { consumerSecret } : {}),
      ...(certificatePem !== undefined ? { certificatePem } : {}),
      ...(permittedUsers !== undefined ? { permittedUsers } : {}),
      ...(sessionTimeoutMinutes !== undefined ? { sessionTimeoutMinutes } : {}),
      ...(scopes !== undefined ? { scopes } : {}),
      profileIds: (optStringArray(b, 'profiles') ?? []).map((ref) => grantOf(org, ref).id),
      permissionSetIds: (optStringArray(b, 'permissionSets') ?? []).map((ref) => grantOf(org, ref).id),
    }),
  );
  return created(describeApp(app));
}

/** change policies; `profiles` and `permissionSets` replace the assignments; `certificatePem` replaces the cert */
export async function updateApp(call: ControlCall): Promise<ControlAnswer> {
  const org = orgOf(call);
  const app = appOf(org, call.params[1] ?? '');
  const b = call.body;
  const permittedUsers = permittedUsersOf(optString(b, 'permittedUsers'));
  const timeout = optNumber(b, 'sessionTimeoutMinutes');
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
    throw badInput('sessionTimeoutMinutes must be a positive integer');
  }
  const profiles = optStringArray(b, 'profiles')?.map((ref) => grantOf(org, ref).id);
  const permissionSets = optStringArray(b, 'permissionSets')?.map((ref) => grantOf(org, ref).id);
  const scopes = optStringArray(b, 'scopes');
  const pem = optString(b, 'certificatePem');
  if (pem !== undefined) {
    app.publicKey = await withAppErrors(() => importCertificate(pem));
    app.certificatePem = pem;
  }
  if (permittedUsers !== undefined) app.permittedUsers = permittedUsers;
  if (timeout !== undefined) app.sessionTimeoutMinutes = timeout;
  if (profiles !== undefined) app.profileIds = new Set(profiles);
  if (permissionSets !== undefined) app.permissionSetIds = new Set(permissionSets);
  if (scopes !== undefined) app.scopes = scopes;
  return ok(describeApp(app));
}

/** a user approves the app in an interactive flow that issues a refresh token (self-authorize policy) */
export function approveUser(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const app = appOf(org, call.params[1] ?? '');
  const user = userOf(org, reqString(call.body, 'user'));
  const refreshToken = call.em.tokens.issueRefreshToken(org.orgId, user.Id, app.id);
  app.approvals.set(user.Id, refreshToken);
  return created({ userId: user.Id, refreshToken });
}

export function revokeApproval(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const app = appOf(org, call.params[1] ?? '');
  const user = userOf(org, call.params[2] ?? '');
  const refreshToken = app.approvals.get(user.Id);
  if (refreshToken !== undefined) call.em.tokens.revoke(refreshToken);
  app.approvals.delete(user.Id);
  return ok({ userId: user.Id, revoked: refreshToken !== undefined });
}

export function listSessions(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  return ok(
    call.em.tokens
      .list((s) => s.orgId === org.orgId)
      .map((s) => ({
        tokenPrefix: s.token.slice(0, 20),
        userId: s.userId,
        appId: s.appId ?? null,
        issuedAt: new Date(s.issuedAt).toISOString(),
        lastActivity: new Date(s.lastActivity).toISOString(),
        timeoutMinutes: s.timeoutMs / 60_000,
      })),
  );
}

/** end sessions now: all of the org's, one user's (`user`) or one token (`token`) */
export function expireSessions(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const token = optString(call.body, 'token');
  const userRef = optString(call.body, 'user');
  const userId = userRef === undefined ? undefined : userOf(org, userRef).Id;
  const expired = call.em.tokens.expire(
    (s) =>
      s.orgId === org.orgId &&
      (token === undefined || s.token === token) &&
      (userId === undefined || s.userId === userId),
  );
  return ok({ expired });
}

/** revoke an access or refresh token as `POST /services/oauth2/revoke` would */
export function revokeToken(call: ControlCall): ControlAnswer {
  const org = orgOf(call);
  const token = reqString(call.body, 'token');
  if (call.em.tokens.orgOf(token) !== org.orgId) throw badInput('no such token in this org');
  return ok({ revoked: call.em.tokens.revoke(token) });
}

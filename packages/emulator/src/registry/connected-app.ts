// Connected apps of an org: consumer key and secret, the uploaded X.509 certificate, the OAuth policies
// (permitted users, session timeout, scopes) and who may use the app (assigned profiles and permission sets,
// users who self-approved). Mirrors Setup → App Manager → Manage → Edit Policies.
// https://help.salesforce.com/s/articleView?id=sf.connected_app_manage_oauth.htm

import { randomBytes } from 'node:crypto';
import { importX509 } from 'jose';

/** the key type jose verifies with */
export type VerifyKey = Awaited<ReturnType<typeof importX509>>;

export type PermittedUsers = 'admin_approved' | 'all_users_self_authorize';

export interface ConnectedAppSpec {
  name: string;
  consumerKey?: string;
  consumerSecret?: string;
  /** PEM of the certificate uploaded under "Use digital signatures" */
  certificatePem?: string;
  /** default `all_users_self_authorize`, as a new connected app has */
  permittedUsers?: PermittedUsers;
  /** Session Policies → Timeout Value, in minutes; default 120 (the org default of 2 hours) */
  sessionTimeoutMinutes?: number;
  profileIds?: string[];
  permissionSetIds?: string[];
  scopes?: string[];
}

export interface ConnectedApp {
  id: string;
  name: string;
  consumerKey: string;
  consumerSecret: string;
  certificatePem: string | undefined;
  /** the certificate's public key, imported once at upload so that every grant verifies in O(1) */
  publicKey: VerifyKey | undefined;
  permittedUsers: PermittedUsers;
  sessionTimeoutMinutes: number;
  profileIds: Set<string>;
  permissionSetIds: Set<string>;
  scopes: string[];
  /** users who approved the app in an interactive flow that issued a refresh token: userId → refresh token */
  approvals: Map<string, string>;
}

export class AppInputError extends Error {}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** random text in Salesforce consumer-key style (`3MVG9` + letters, digits, `.` and `_`) */
export function randomConsumerKey(): string {
  const bytes = randomBytes(80);
  let out = '3MVG9';
  for (const b of bytes) out += ALNUM[b % ALNUM.length] ?? 'A';
  return out;
}

export function randomConsumerSecret(): string {
  return randomBytes(32).toString('hex').toUpperCase();
}

export async function importCertificate(pem: string): Promise<VerifyKey> {
  try {
    return await importX509(pem.trim(), 'RS256');
  } catch (err) {
    throw new AppInputError(
      `certificatePem is not an X.509 certificate with an RSA key: ${(err as Error).message}`,
    );
  }
}

export async function buildConnectedApp(id: string, spec: ConnectedAppSpec): Promise<ConnectedApp> {
  if (typeof spec.name !== 'string' || spec.name.trim() === '') throw new AppInputError('name is required');
  const permittedUsers = spec.permittedUsers ?? 'all_users_self_authorize';
  if (permittedUsers !== 'admin_approved' && permittedUsers !== 'all_users_self_authorize') {
    throw new AppInputError("permittedUsers must be 'admin_approved' or 'all_users_self_authorize'");
  }
  const timeout = spec.sessionTimeoutMinutes ?? 120;
  if (!(Number.isInteger(timeout) && timeout > 0)) {
    throw new AppInputError('sessionTimeoutMinutes must be a positive integer');
  }
  const publicKey =
    spec.certificatePem === undefined ? undefined : await importCertificate(spec.certificatePem);
  return {
    id,
    name: spec.name,
    consumerKey: spec.consumerKey ?? randomConsumerKey(),
    consumerSecret: spec.consumerSecret ?? randomConsumerSecret(),
    certificatePem: spec.certificatePem,
    publicKey,
    permittedUsers,
    sessionTimeoutMinutes: timeout,
    profileIds: new Set(spec.profileIds ?? []),
    permissionSetIds: new Set(spec.permissionSetIds ?? []),
    scopes: spec.scopes ?? ['api', 'refresh_token', 'offline_access'],
    approvals: new Map(),
  };
}

/** The app as the control plane shows it (no key material beyond the consumer key and secret). */
export function describeApp(app: ConnectedApp): Record<string, unknown> {
  return {
    id: app.id,
    name: app.name,
    consumerKey: app.consumerKey,
    consumerSecret: app.consumerSecret,
    hasCertificate: app.certificatePem !== undefined,
    permittedUsers: app.permittedUsers,
    sessionTimeoutMinutes: app.sessionTimeoutMinutes,
    profileIds: [...app.profileIds],
    permissionSetIds: [...app.permissionSetIds],
    scopes: app.scopes,
    approvedUserIds: [...app.approvals.keys()],
  };
}

// Who may obtain a token through a connected app: an active user who is pre-authorized under the app's
// "Permitted Users" policy (salesforce.md 1.4).
// https://help.salesforce.com/s/articleView?id=sf.connected_app_manage_oauth.htm

import { OAuthError } from '../errors.js';
import type { ConnectedApp } from '../registry/connected-app.js';
import type { OrgRuntime } from '../registry/org-runtime.js';

/** the user named by a login (JWT `sub`, password-grant username), or the Salesforce error for it */
export function findLoginUser(org: OrgRuntime, username: string): { userId: string } {
  const user = org.data.getUser(username);
  // getUser also accepts an id; a login names a user by username only (usernames are case-insensitive).
  const stored = user?.['Username'];
  if (user === undefined || typeof stored !== 'string' || stored.toLowerCase() !== username.toLowerCase()) {
    throw new OAuthError('invalid_grant', 'user does not exist or is inactive');
  }
  // A deactivated (or frozen) user: the wording reported by restforce#303.
  if (user['IsActive'] === false) throw new OAuthError('invalid_grant', 'inactive user');
  return { userId: String(user['Id']) };
}

export function isAdminApproved(org: OrgRuntime, app: ConnectedApp, userId: string): boolean {
  const { profileId, permissionSetIds } = org.data.grantsOf(userId);
  return app.profileIds.has(profileId) || permissionSetIds.some((id) => app.permissionSetIds.has(id));
}

/**
 * "Admin approved users are pre-authorized": the user's profile or one of their permission sets must be assigned
 * to the app. "All users may self-authorize": the user must have approved the app before in an interactive flow
 * that issued a refresh token.
 */
export function checkPreAuthorization(org: OrgRuntime, app: ConnectedApp, userId: string): void {
  if (app.permittedUsers === 'admin_approved') {
    if (!isAdminApproved(org, app, userId)) {
      throw new OAuthError('invalid_app_access', 'user is not admin approved to access this app');
    }
  } else if (!app.approvals.has(userId)) {
    throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
  }
}

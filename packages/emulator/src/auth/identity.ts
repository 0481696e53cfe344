// The identity URL document and the OpenID Connect userinfo claims of a user (salesforce.md 1.7).
// https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm

import type { SObjectRecord } from '../org/contract.js';
import type { OrgRuntime } from '../registry/org-runtime.js';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function identityUrl(org: OrgRuntime, userId: string): string {
  return `${org.loginUrl}/id/${org.orgId}/${userId}`;
}

function urls(org: OrgRuntime, userId: string, version: string): Record<string, string> {
  const base = org.loginUrl;
  const org15 = org.orgId.slice(0, 15);
  return {
    enterprise: `${base}/services/Soap/c/${version}/${org15}`,
    metadata: `${base}/services/Soap/m/${version}/${org15}`,
    partner: `${base}/services/Soap/u/${version}/${org15}`,
    rest: `${base}/services/data/v${version}/`,
    sobjects: `${base}/services/data/v${version}/sobjects/`,
    search: `${base}/services/data/v${version}/search/`,
    query: `${base}/services/data/v${version}/query/`,
    recent: `${base}/services/data/v${version}/recent/`,
    tooling_soap: `${base}/services/Soap/T/${version}/${org15}`,
    tooling_rest: `${base}/services/data/v${version}/tooling/`,
    profile: `${base}/${userId}`,
    feeds: `${base}/services/data/v${version}/chatter/feeds`,
    groups: `${base}/services/data/v${version}/chatter/groups`,
    users: `${base}/services/data/v${version}/chatter/users`,
    feed_items: `${base}/services/data/v${version}/chatter/feed-items`,
    feed_elements: `${base}/services/data/v${version}/chatter/feed-elements`,
    custom_domain: base,
  };
}

/** The user's facts both documents report, each under its own names (identity URL vs OpenID Connect claims). */
function userFacts(org: OrgRuntime, user: SObjectRecord) {
  const userId = String(user['Id']);
  const firstName = str(user['FirstName']);
  const lastName = str(user['LastName']);
  return {
    id: identityUrl(org, userId),
    userId,
    username: str(user['Username']),
    nickname: str(user['CommunityNickname']) ?? str(user['Alias']),
    displayName: [firstName, lastName].filter((p) => p !== null).join(' '),
    email: str(user['Email']),
    firstName,
    lastName,
    timezone: str(user['TimeZoneSidKey']) ?? 'America/Los_Angeles',
    lastModified: str(user['LastModifiedDate']) ?? null,
    photos: {
      picture: `${org.loginUrl}/profilephoto/005/F`,
      thumbnail: `${org.loginUrl}/profilephoto/005/T`,
    },
  };
}

/** The settings block the two documents share, under the same names and in the same order. */
function settings(org: OrgRuntime, user: SObjectRecord, userId: string, version: string) {
  return {
    urls: urls(org, userId, version),
    active: user['IsActive'] !== false,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
  };
}

/** `GET /id/{orgId}/{userId}`; `version` replaces the `{version}` placeholder in the URLs (`latest` = newest) */
export function identityDocument(
  org: OrgRuntime,
  user: SObjectRecord,
  version: string,
): Record<string, unknown> {
  const u = userFacts(org, user);
  return {
    id: u.id,
    asserted_user: true,
    user_id: u.userId,
    organization_id: org.orgId,
    username: u.username,
    nick_name: u.nickname,
    display_name: u.displayName,
    email: u.email,
    email_verified: true,
    first_name: u.firstName,
    last_name: u.lastName,
    timezone: u.timezone,
    photos: u.photos,
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    ...settings(org, user, u.userId, version),
    last_modified_date: u.lastModified,
    is_app_installed: true,
  };
}

/** `GET /services/oauth2/userinfo` */
export function userInfoClaims(
  org: OrgRuntime,
  user: SObjectRecord,
  version: string,
): Record<string, unknown> {
  const u = userFacts(org, user);
  return {
    sub: u.id,
    user_id: u.userId,
    organization_id: org.orgId,
    preferred_username: u.username,
    nickname: u.nickname,
    name: u.displayName,
    email: u.email,
    email_verified: true,
    given_name: u.firstName,
    family_name: u.lastName,
    zoneinfo: u.timezone,
    photos: u.photos,
    profile: `${org.loginUrl}/${u.userId}`,
    picture: u.photos.picture,
    address: { country: 'US' },
    ...settings(org, user, u.userId, version),
    updated_at: u.lastModified,
    is_app_installed: true,
  };
}

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

function displayName(user: SObjectRecord): string {
  return [str(user['FirstName']), str(user['LastName'])].filter((p) => p !== null).join(' ');
}

/** `GET /id/{orgId}/{userId}`; `version` replaces the `{version}` placeholder in the URLs (`latest` = newest) */
export function identityDocument(
  org: OrgRuntime,
  user: SObjectRecord,
  version: string,
): Record<string, unknown> {
  const userId = String(user['Id']);
  return {
    id: identityUrl(org, userId),
    asserted_user: true,
    user_id: userId,
    organization_id: org.orgId,
    username: str(user['Username']),
    nick_name: str(user['CommunityNickname']) ?? str(user['Alias']),
    display_name: displayName(user),
    email: str(user['Email']),
    email_verified: true,
    first_name: str(user['FirstName']),
    last_name: str(user['LastName']),
    timezone: str(user['TimeZoneSidKey']) ?? 'America/Los_Angeles',
    photos: {
      picture: `${org.loginUrl}/profilephoto/005/F`,
      thumbnail: `${org.loginUrl}/profilephoto/005/T`,
    },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: urls(org, userId, version),
    active: user['IsActive'] !== false,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    last_modified_date: str(user['LastModifiedDate']) ?? null,
    is_app_installed: true,
  };
}

/** `GET /services/oauth2/userinfo` */
export function userInfoClaims(
  org: OrgRuntime,
  user: SObjectRecord,
  version: string,
): Record<string, unknown> {
  const userId = String(user['Id']);
  return {
    sub: identityUrl(org, userId),
    user_id: userId,
    organization_id: org.orgId,
    preferred_username: str(user['Username']),
    nickname: str(user['CommunityNickname']) ?? str(user['Alias']),
    name: displayName(user),
    email: str(user['Email']),
    email_verified: true,
    given_name: str(user['FirstName']),
    family_name: str(user['LastName']),
    zoneinfo: str(user['TimeZoneSidKey']) ?? 'America/Los_Angeles',
    photos: {
      picture: `${org.loginUrl}/profilephoto/005/F`,
      thumbnail: `${org.loginUrl}/profilephoto/005/T`,
    },
    profile: `${org.loginUrl}/${userId}`,
    picture: `${org.loginUrl}/profilephoto/005/F`,
    address: { country: 'US' },
    urls: urls(org, userId, version),
    active: user['IsActive'] !== false,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    updated_at: str(user['LastModifiedDate']) ?? null,
    is_app_installed: true,
  };
}

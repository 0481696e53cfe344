// SF_AUTH_: the OAuth 2.0 JWT bearer token exchange with Salesforce. One code per distinct token-endpoint failure,
// because `casebridge doctor` prints the fix; salesforce/auth/token-errors.ts maps Salesforce's strings onto them.
// https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_flow_errors.htm

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const SF_AUTH_CLIENT_ID_INVALID = defineError(
  'SF_AUTH_CLIENT_ID_INVALID',
  'Salesforce at {loginUrl} does not know the consumer key of tenant {tenant} (invalid_client_id: client identifier invalid).',
  'Check the consumer key; check that the login URL matches the org (https://test.salesforce.com for a sandbox, https://login.salesforce.com or the My Domain URL for production); a newly created or changed connected app can take up to 10 minutes to propagate, so try again later.',
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_ASSERTION_INVALID = defineError(
  'SF_AUTH_ASSERTION_INVALID',
  'Salesforce rejected the signature of the JWT assertion for tenant {tenant} (invalid_grant: invalid assertion).',
  'The private key does not match the certificate uploaded to the connected app: upload the certificate that belongs to this key (`casebridge tenants show` prints its fingerprint) under "Use digital signatures", or rotate the key.',
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_AUDIENCE_INVALID = defineError(
  'SF_AUTH_AUDIENCE_INVALID',
  'Salesforce rejected the JWT audience {loginUrl} for tenant {tenant} (invalid_grant: audience is invalid).',
  'The audience is derived from the login URL (https://login.salesforce.com for production and My Domain URLs, https://test.salesforce.com for sandboxes, the URL itself for other hosts): check the tenant login URL, or set the tenant setting jwtAudience to https://login.salesforce.com, https://test.salesforce.com or the Experience Cloud site URL.',
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_ASSERTION_EXPIRED = defineError(
  'SF_AUTH_ASSERTION_EXPIRED',
  'Salesforce considers the JWT assertion for tenant {tenant} expired (invalid_grant: expired authorization code).',
  "The assertion expires 3 minutes after it is signed: synchronise this machine's clock with NTP (a clock running behind or ahead by minutes causes this).",
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_USER_UNKNOWN = defineError(
  'SF_AUTH_USER_UNKNOWN',
  'Salesforce does not know the service user {username} of tenant {tenant}, or the user is inactive (invalid_grant: user does not exist or is inactive).',
  'Check the username (the full Salesforce username, e.g. integration@acme.com.sandbox for a sandbox) and that the user exists and is active in this org.',
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_USER_INACTIVE = defineError(
  'SF_AUTH_USER_INACTIVE',
  'The service user {username} of tenant {tenant} is inactive, frozen or locked (invalid_grant: {description}).',
  'In Setup → Users, activate (or unfreeze / unlock) the service user, or configure another active user.',
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_USER_NOT_APPROVED = defineError(
  'SF_AUTH_USER_NOT_APPROVED',
  "The service user {username} has not approved the connected app of tenant {tenant} (invalid_grant: user hasn't approved this consumer).",
  'The app\'s OAuth policy lets users self-authorize, and this user never approved it. Either set "Permitted Users" to "Admin approved users are pre-authorized" and assign the user\'s profile or the casebridge permission set to the app (recommended), or have the user approve the app once through an interactive login with the refresh_token scope.',
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_APP_ACCESS_DENIED = defineError(
  'SF_AUTH_APP_ACCESS_DENIED',
  'The service user {username} is not admin approved to access the connected app of tenant {tenant} (invalid_app_access).',
  "The app admits only pre-authorized users: in Setup → Connected Apps → Manage → Profiles / Permission Sets, assign the service user's profile or the casebridge permission set to the app.",
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_APP_NOT_INSTALLED = defineError(
  'SF_AUTH_APP_NOT_INSTALLED',
  'The connected app of tenant {tenant} is not installed in the org, which blocks OAuth for it (invalid_client: app must be installed into org).',
  'In Setup → Connected Apps OAuth Usage, install the app (or grant the service user "Approve Uninstalled Connected Apps"), or use an External Client App.',
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_IP_RESTRICTED = defineError(
  'SF_AUTH_IP_RESTRICTED',
  'Salesforce refused the login of tenant {tenant} from this network address (invalid_grant: ip restricted).',
  "Add this server's outbound IP address to the service user's profile Login IP Ranges, or set the connected app's IP Relaxation policy to \"Relax IP restrictions\".",
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_GRANT_UNSUPPORTED = defineError(
  'SF_AUTH_GRANT_UNSUPPORTED',
  'Salesforce does not accept the JWT bearer grant for tenant {tenant} ({error}: {description}).',
  'Enable OAuth and "Use digital signatures" on the connected app (or the JWT bearer flow on the External Client App) and check the login URL.',
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_ORG_INACTIVE = defineError(
  'SF_AUTH_ORG_INACTIVE',
  'The Salesforce org of tenant {tenant} is inactive or locked ({error}: {description}).',
  "Check the org's status with its Salesforce administrator (expired trial, locked or deleted org, or a sandbox being refreshed).",
  401,
  EXIT.salesforceAuth,
);

export const SF_AUTH_RATE_LIMITED = defineError(
  'SF_AUTH_RATE_LIMITED',
  'Salesforce is rate-limiting token requests for tenant {tenant}.',
  'Wait a few minutes; casebridge shares one session per tenant, so this means something else is logging in as the service user too often.',
  503,
  EXIT.salesforceAuth,
);

export const SF_AUTH_TOKEN_ENDPOINT_UNREACHABLE = defineError(
  'SF_AUTH_TOKEN_ENDPOINT_UNREACHABLE',
  'The Salesforce token endpoint {url} cannot be reached for tenant {tenant}: {reason}.',
  "Check the login URL, DNS, the proxy and outbound firewall rules (HTTPS to the login host and the instance host), and Salesforce's status page.",
  503,
  EXIT.salesforceAuth,
);

export const SF_AUTH_UNAVAILABLE = defineError(
  'SF_AUTH_UNAVAILABLE',
  'Salesforce is unavailable: the token endpoint {url} failed for tenant {tenant} on {attempts} attempts ({reason}).',
  'This is usually temporary: casebridge retried with backoff and logs in again on the next call. If it lasts, check https://status.salesforce.com and the network path (proxy, firewall) to the login host.',
  503,
  EXIT.salesforceAuth,
);

export const SF_AUTH_UNEXPECTED_RESPONSE = defineError(
  'SF_AUTH_UNEXPECTED_RESPONSE',
  'The Salesforce token endpoint answered tenant {tenant} with something casebridge does not understand (HTTP {status}: {error} {description}).',
  'Check that the login URL points at Salesforce (not a proxy or a login page); if it does, report the error and description in details.',
  502,
  EXIT.salesforceAuth,
);

export const SF_AUTH_KEY_UNUSABLE = defineError(
  'SF_AUTH_KEY_UNUSABLE',
  'The private key of tenant {tenant} cannot sign a JWT assertion: {reason}.',
  'Import an RSA private key in PEM form (PKCS#8 "BEGIN PRIVATE KEY" or PKCS#1 "BEGIN RSA PRIVATE KEY"), e.g. one made by `casebridge keygen`.',
  500,
  EXIT.salesforceAuth,
);

// Maps the token endpoint's `error` + `error_description` to one registered SF_AUTH_ code each, so doctor can name
// the fix. Strings from https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.remoteaccess_oauth_flow_errors.htm
// and variants observed in public issue threads (e.g. restforce/restforce#303 "inactive user").

import type { AppError } from '../../errors/app-error.js';
import { appError } from '../../errors/app-error.js';
import type { ErrorDefinition } from '../../errors/define-error.js';
import {
  SF_AUTH_APP_ACCESS_DENIED,
  SF_AUTH_APP_NOT_INSTALLED,
  SF_AUTH_ASSERTION_EXPIRED,
  SF_AUTH_ASSERTION_INVALID,
  SF_AUTH_AUDIENCE_INVALID,
  SF_AUTH_CLIENT_ID_INVALID,
  SF_AUTH_GRANT_UNSUPPORTED,
  SF_AUTH_IP_RESTRICTED,
  SF_AUTH_ORG_INACTIVE,
  SF_AUTH_RATE_LIMITED,
  SF_AUTH_UNEXPECTED_RESPONSE,
  SF_AUTH_USER_INACTIVE,
  SF_AUTH_USER_NOT_APPROVED,
  SF_AUTH_USER_UNKNOWN,
} from '../../errors/codes/salesforce-auth.js';
import { scrubSecrets } from '../../logging/scrub-secrets.js';

export interface TokenErrorContext {
  tenantId: string;
  loginUrl: string;
  username: string;
  status: number;
}

/** `invalid_grant` covers many causes; the description tells them apart (matched case-insensitively). */
const INVALID_GRANT_REASONS: readonly [RegExp, ErrorDefinition][] = [
  [/hasn.?t approved this consumer/, SF_AUTH_USER_NOT_APPROVED],
  [/not admin approved/, SF_AUTH_APP_ACCESS_DENIED],
  [/audience/, SF_AUTH_AUDIENCE_INVALID],
  // Salesforce reuses the authorization-code wording for an expired JWT (clock skew).
  [/expired authorization code|expired|exp claim/, SF_AUTH_ASSERTION_EXPIRED],
  [/invalid assertion|signature|malformed/, SF_AUTH_ASSERTION_INVALID],
  [/does not exist|user not found|unknown user/, SF_AUTH_USER_UNKNOWN],
  [/inactive|frozen|locked/, SF_AUTH_USER_INACTIVE],
  [/ip restricted|ip address/, SF_AUTH_IP_RESTRICTED],
];

function definitionFor(error: string, description: string): ErrorDefinition {
  const text = description.toLowerCase();
  switch (error) {
    case 'invalid_client_id':
      return SF_AUTH_CLIENT_ID_INVALID;
    case 'invalid_client':
      if (/install/.test(text)) return SF_AUTH_APP_NOT_INSTALLED;
      if (/client identifier/.test(text)) return SF_AUTH_CLIENT_ID_INVALID;
      return SF_AUTH_UNEXPECTED_RESPONSE;
    case 'invalid_app_access':
      return SF_AUTH_APP_ACCESS_DENIED;
    case 'invalid_grant':
      return (
        INVALID_GRANT_REASONS.find(([pattern]) => pattern.test(text))?.[1] ?? SF_AUTH_UNEXPECTED_RESPONSE
      );
    case 'unsupported_grant_type':
    case 'invalid_request':
      return SF_AUTH_GRANT_UNSUPPORTED;
    case 'inactive_org':
      return SF_AUTH_ORG_INACTIVE;
    case 'inactive_user':
      return SF_AUTH_USER_INACTIVE;
    case 'rate_limit_exceeded':
      return SF_AUTH_RATE_LIMITED;
    default:
      return SF_AUTH_UNEXPECTED_RESPONSE;
  }
}

/** The AppError for a token-endpoint failure; Salesforce's two strings travel in details (they hold no secret). */
export function tokenEndpointError(error: string, description: string, context: TokenErrorContext): AppError {
  const safeError = scrubSecrets(error).slice(0, 200);
  const safeDescription = scrubSecrets(description).slice(0, 500);
  return appError(definitionFor(error, description), {
    params: {
      tenant: context.tenantId,
      loginUrl: context.loginUrl,
      username: context.username,
      status: context.status,
      error: safeError,
      description: safeDescription,
    },
    details: { error: safeError, error_description: safeDescription, status: context.status },
  });
}

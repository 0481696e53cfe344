// Reading the access token a request carries: `Authorization: Bearer <t>` (REST), `OAuth <t>` (older clients,
// CometD), or `?oauth_token=<t>` (jsforce's identity call, real-clients.md 4).

import { header, type ApiRequest } from '../http/api-types.js';

export function accessTokenOf(req: ApiRequest, allowQueryParam = false): string | undefined {
  const auth = header(req, 'authorization');
  if (auth !== undefined) {
    const space = auth.indexOf(' ');
    if (space > 0) {
      const scheme = auth.slice(0, space).toLowerCase();
      if (scheme === 'bearer' || scheme === 'oauth') return auth.slice(space + 1).trim();
    }
    return undefined;
  }
  if (allowQueryParam) return req.query.get('oauth_token') ?? undefined;
  return undefined;
}

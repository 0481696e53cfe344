// The webhook URL policy, applied when a URL is saved and again before every delivery: https only (unless the
// operator allows http), no credentials in the URL, and every address the host resolves to must be public (or in
// the operator's allow-list). The sender then connects to the address checked here, never resolving again, so a
// DNS answer that changes between the check and the connection (DNS rebinding) cannot redirect it.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

import { appError } from '../../errors/app-error.js';
import {
  NOTIFY_WEBHOOK_ADDRESS_BLOCKED,
  NOTIFY_WEBHOOK_HOST_UNRESOLVED,
  NOTIFY_WEBHOOK_URL_CREDENTIALS,
  NOTIFY_WEBHOOK_URL_INSECURE,
  NOTIFY_WEBHOOK_URL_INVALID,
} from '../../errors/codes/notify.js';
import { judgeAddress, parseAllowedRanges, type AllowedRange } from './address-policy.js';

export interface WebhookUrlPolicy {
  /** plain http allowed (tests, the demo, a receiver on a trusted network); https otherwise */
  readonly allowHttp: boolean;
  /** non-public ranges the operator allows anyway */
  readonly allowedRanges: readonly AllowedRange[];
}

/** Builds the policy from the operator's settings (a list of CIDRs, e.g. from CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS). */
export function webhookUrlPolicy(options: {
  allowHttp?: boolean;
  allowedCidrs?: readonly string[];
}): WebhookUrlPolicy {
  return {
    allowHttp: options.allowHttp ?? false,
    allowedRanges: parseAllowedRanges(options.allowedCidrs ?? []),
  };
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address it has. Injected in tests; `systemResolver` in production. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The operating system's resolver (getaddrinfo, so /etc/hosts counts), every address, in its order. */
export const systemResolver: HostResolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** Where one delivery goes: the URL as given, and the one address that was checked and must be connected to. */
export interface WebhookTarget {
  readonly url: URL;
  /** the host name without IPv6 brackets: the TLS server name and the Host header */
  readonly hostname: string;
  readonly address: ResolvedAddress;
  /** every address the host resolved to; all of them passed */
  readonly checked: readonly string[];
}

/** Checks what can be checked without the network. Throws a NOTIFY_WEBHOOK_URL_* AppError. */
export function checkWebhookUrlSyntax(text: string, policy: WebhookUrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw appError(NOTIFY_WEBHOOK_URL_INVALID, { params: { reason: 'not an absolute URL' } });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw appError(NOTIFY_WEBHOOK_URL_INVALID, {
      params: { reason: `the scheme ${url.protocol} is not http(s)` },
    });
  if (url.protocol === 'http:' && !policy.allowHttp)
    throw appError(NOTIFY_WEBHOOK_URL_INSECURE, { params: { scheme: 'http' } });
  if (url.username !== '' || url.password !== '') throw appError(NOTIFY_WEBHOOK_URL_CREDENTIALS);
  if (url.hostname === '') throw appError(NOTIFY_WEBHOOK_URL_INVALID, { params: { reason: 'no host' } });
  return url;
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * Checks a webhook URL fully: syntax, then every address its host resolves to (an IP literal is its own only
 * address). One refused address refuses the URL, even if others are public: a resolver may hand either out.
 * Used when the URL is saved (to tell the admin at once) and before each delivery (DNS may have changed).
 */
export async function resolveWebhookTarget(
  text: string,
  policy: WebhookUrlPolicy,
  resolve: HostResolver = systemResolver,
): Promise<WebhookTarget> {
  const url = checkWebhookUrlSyntax(text, policy);
  const hostname = stripBrackets(url.hostname);
  const literal = isIP(hostname);
  let addresses: readonly ResolvedAddress[];
  if (literal !== 0) {
    addresses = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(hostname);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? 'lookup failed';
      throw appError(NOTIFY_WEBHOOK_HOST_UNRESOLVED, { params: { host: hostname, reason }, cause: err });
    }
    if (addresses.length === 0)
      throw appError(NOTIFY_WEBHOOK_HOST_UNRESOLVED, { params: { host: hostname, reason: 'no addresses' } });
  }
  for (const { address } of addresses) {
    const verdict = judgeAddress(address, policy.allowedRanges);
    if (!verdict.allowed)
      throw appError(NOTIFY_WEBHOOK_ADDRESS_BLOCKED, {
        params: { host: hostname, address, range: verdict.range },
        details: { host: hostname, address, range: verdict.range },
      });
  }
  const [first] = addresses;
  if (first === undefined) throw new TypeError('unreachable: addresses checked non-empty');
  return { url, hostname, address: first, checked: addresses.map((entry) => entry.address) };
}

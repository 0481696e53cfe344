// Which IP addresses a webhook may be delivered to: public unicast only, unless the operator allows a range.
// Classification is ipaddr.js's (its special-range tables follow the IANA registries); this file only decides.

import { isIP } from 'node:net';

import ipaddr from 'ipaddr.js';

import { appError } from '../../errors/app-error.js';
import { NOTIFY_WEBHOOK_ALLOWLIST_INVALID } from '../../errors/codes/notify.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** A CIDR range the operator allows despite it being non-public, e.g. 127.0.0.1/32 for a local receiver. */
export interface AllowedRange {
  readonly cidr: string;
  readonly range: readonly [Address, number];
}

export type AddressVerdict =
  | { readonly allowed: true; readonly address: string; readonly via: 'public' | 'allow-list' }
  | {
      readonly allowed: false;
      readonly address: string;
      /** why, in ipaddr.js's range names (loopback, private, linkLocal, ipv4Compatible, ...) */
      readonly range: string;
    };

/**
 * Parses the operator's allow-list. Every entry must be a CIDR (`10.1.2.0/24`, `::1/128`) or a single address
 * (taken as /32 or /128); a bad entry fails the whole list, because a typo silently allowing nothing (or more than
 * meant) is worse than refusing to start.
 */
export function parseAllowedRanges(entries: readonly string[]): AllowedRange[] {
  const bad: string[] = [];
  const ranges: AllowedRange[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    try {
      const range = entry.includes('/')
        ? ipaddr.parseCIDR(entry)
        : ((address: Address): [Address, number] => [address, address.kind() === 'ipv4' ? 32 : 128])(
            ipaddr.parse(entry),
          );
      ranges.push({ cidr: entry, range });
    } catch {
      bad.push(entry);
    }
  }
  if (bad.length > 0)
    throw appError(NOTIFY_WEBHOOK_ALLOWLIST_INVALID, {
      params: { entries: bad.join(', ') },
      details: { entries: bad },
    });
  return ranges;
}

function inAllowList(address: Address, allowed: readonly AllowedRange[]): boolean {
  return allowed.some(({ range }) => range[0].kind() === address.kind() && address.match(range[0], range[1]));
}

// IPv6 global unicast is 2000::/3 (RFC 4291 §2.4, IANA IPv6 address space). Anything outside it that ipaddr.js
// still calls 'unicast' is reserved space, notably the deprecated IPv4-compatible ::a.b.c.d (::/96), which
// some stacks route to the embedded IPv4 address.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

function nonPublicReason(address: Address): string | null {
  const range = address.range();
  if (range !== 'unicast') return range;
  if (address.kind() === 'ipv6' && !address.match(GLOBAL_UNICAST_V6)) return 'ipv4Compatible';
  return null;
}

/**
 * Parses an address the way the socket will read it. IPv6 text goes through the WHATWG URL parser first, because
 * ipaddr.js reads the IPv4-compatible `::127.0.0.1` as if it were the IPv4-mapped `::ffff:127.0.0.1`, which
 * would let `::8.8.8.8` pass as 8.8.8.8; the URL parser gives the RFC 5952 form (`::7f00:1`) that ipaddr.js reads
 * right. Only strict dotted-quad IPv4 is accepted (no `127.1` or octal forms).
 */
function canonical(text: string): Address | null {
  try {
    const family = isIP(text);
    if (family === 4) return ipaddr.IPv4.parse(text);
    if (family === 6) return ipaddr.IPv6.parse(new URL(`http://[${text}]/`).hostname.slice(1, -1));
  } catch {
    return null;
  }
  return null;
}

/**
 * Judges one IP address (canonical text, as DNS or `net.isIP` gives it). An IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is judged as the IPv4 address it reaches. Other forms that embed an IPv4 address (NAT64
 * 64:ff9b::/96, 6to4, Teredo, IPv4-compatible) are refused outright: where they lead depends on a gateway we
 * cannot see. The allow-list wins over every rule, so an operator can allow 127.0.0.1/32 for a local receiver.
 */
export function judgeAddress(text: string, allowed: readonly AllowedRange[]): AddressVerdict {
  const address = canonical(text.replace(/^\[|\]$/g, ''));
  if (address === null) return { allowed: false, address: text, range: 'invalid' };
  const reached =
    address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
      ? (address as ipaddr.IPv6).toIPv4Address()
      : address;
  if (inAllowList(reached, allowed) || inAllowList(address, allowed))
    return { allowed: true, address: text, via: 'allow-list' };
  const reason = nonPublicReason(reached);
  if (reason !== null)
    return { allowed: false, address: text, range: reached === address ? reason : `ipv4Mapped ${reason}` };
  return { allowed: true, address: text, via: 'public' };
}

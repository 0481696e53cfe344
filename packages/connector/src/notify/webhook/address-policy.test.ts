// Only public unicast addresses receive webhooks, in every spelling an address can take, unless the operator
// allows a range.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isAppError } from '../../errors/app-error.js';
import { judgeAddress, parseAllowedRanges } from './address-policy.js';

const BLOCKED: readonly [string, string][] = [
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.254', 'carrierGradeNat'],
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['169.254.169.254', 'linkLocal'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['224.0.0.1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.2.10', 'reserved'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fc00::1', 'uniqueLocal'],
  ['fdff:ffff::1', 'uniqueLocal'],
  ['fe80::1', 'linkLocal'],
  ['febf:ffff::1', 'linkLocal'],
  ['ff02::1', 'multicast'],
  // IPv4-mapped: judged as the IPv4 address they reach
  ['::ffff:127.0.0.1', 'ipv4Mapped loopback'],
  ['::ffff:7f00:1', 'ipv4Mapped loopback'],
  ['::ffff:10.1.2.3', 'ipv4Mapped private'],
  ['::ffff:169.254.169.254', 'ipv4Mapped linkLocal'],
  ['0:0:0:0:0:ffff:c0a8:0101', 'ipv4Mapped private'],
  // other forms that embed IPv4: refused whatever they embed
  ['::127.0.0.1', 'ipv4Compatible'],
  ['::8.8.8.8', 'ipv4Compatible'],
  ['64:ff9b::10.0.0.1', 'rfc6052'],
  ['64:ff9b::8.8.8.8', 'rfc6052'],
  ['2002:0a00:0001::1', '6to4'],
  ['2001:0::1', 'teredo'],
  ['::ffff:0:7f00:1', 'rfc6145'],
  ['100::1', 'discard'],
];

test('every non-public range is refused, including IPv4-mapped and IPv4-embedding IPv6 forms', () => {
  for (const [address, range] of BLOCKED) {
    const verdict = judgeAddress(address, []);
    assert.deepEqual(verdict, { allowed: false, address, range }, address);
  }
});

test('public unicast addresses pass, in either family and as an IPv4-mapped spelling', () => {
  for (const address of [
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])
    assert.deepEqual(judgeAddress(address, []), { allowed: true, address, via: 'public' }, address);
});

test('the allow-list lets the operator reach a listed range, and only that range', () => {
  const allowed = parseAllowedRanges(['127.0.0.1/32', '10.20.0.0/16', '::1']);
  assert.equal(judgeAddress('127.0.0.1', allowed).allowed, true);
  assert.equal(judgeAddress('::ffff:127.0.0.1', allowed).allowed, true);
  assert.equal(judgeAddress('::1', allowed).allowed, true);
  assert.equal(judgeAddress('10.20.30.40', allowed).allowed, true);
  assert.equal(judgeAddress('127.0.0.2', allowed).allowed, false);
  assert.equal(judgeAddress('10.21.0.1', allowed).allowed, false);
  assert.equal(judgeAddress('192.168.0.1', allowed).allowed, false);
});

test('a malformed allow-list entry fails the whole list with every bad entry named', () => {
  assert.throws(
    () => parseAllowedRanges(['127.0.0.1/32', '10.0.0.0/33', 'localhost', ' ']),
    (err) =>
      isAppError(err, 'NOTIFY_WEBHOOK_ALLOWLIST_INVALID') && err.message.includes('10.0.0.0/33, localhost'),
  );
});

test('text that is no address is refused, not thrown', () => {
  assert.deepEqual(judgeAddress('not-an-ip', []), { allowed: false, address: 'not-an-ip', range: 'invalid' });
});

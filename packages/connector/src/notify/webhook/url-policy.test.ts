// The URL policy refuses what it must when a URL is saved and before each delivery, whatever the URL's spelling
// or whatever its host resolves to.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isAppError } from '../../errors/app-error.js';
import { resolveWebhookTarget, webhookUrlPolicy, type HostResolver } from './url-policy.js';

const strict = webhookUrlPolicy({});
const resolverOf =
  (table: Record<string, string[]>): HostResolver =>
  (hostname) => {
    const found = table[hostname];
    if (found === undefined) return Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    return Promise.resolve(found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
const dns = resolverOf({
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
  'internal.example.com': ['10.0.0.7'],
  'sneaky.example.com': ['93.184.216.34', '169.254.169.254'],
  'mapped.example.com': ['::ffff:127.0.0.1'],
  'nat64.example.com': ['64:ff9b::a00:1'],
  'empty.example.com': [],
  localhost: ['127.0.0.1', '::1'],
});

async function refusal(url: string, policy = strict): Promise<{ code: string; message: string }> {
  try {
    await resolveWebhookTarget(url, policy, dns);
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  assert.fail(`${url} was accepted`);
}

test('a public https URL resolves to a checked address that the sender will connect to', async () => {
  const target = await resolveWebhookTarget('https://hooks.example.com/cb?token=abc', strict, dns);
  assert.equal(target.hostname, 'hooks.example.com');
  assert.deepEqual(target.address, { address: '93.184.216.34', family: 4 });
  assert.deepEqual(target.checked, ['93.184.216.34', '2606:2800:220:1::1']);
});

test('http, other schemes, credentials and garbage are refused before any lookup', async () => {
  assert.equal((await refusal('http://hooks.example.com/x')).code, 'NOTIFY_WEBHOOK_URL_INSECURE');
  assert.equal((await refusal('ftp://hooks.example.com/x')).code, 'NOTIFY_WEBHOOK_URL_INVALID');
  assert.equal((await refusal('file:///etc/passwd')).code, 'NOTIFY_WEBHOOK_URL_INVALID');
  assert.equal((await refusal('hooks.example.com/x')).code, 'NOTIFY_WEBHOOK_URL_INVALID');
  const creds = await refusal('https://bot:s3cr3t-pass@hooks.example.com/x');
  assert.equal(creds.code, 'NOTIFY_WEBHOOK_URL_CREDENTIALS');
  assert.ok(!creds.message.includes('s3cr3t-pass'));
  const allowHttp = webhookUrlPolicy({ allowHttp: true });
  assert.equal(
    (await resolveWebhookTarget('http://hooks.example.com/x', allowHttp, dns)).url.protocol,
    'http:',
  );
});

test('names that resolve to a non-public address are refused, even when only one of their addresses is', async () => {
  for (const [url, address] of [
    ['https://internal.example.com/', '10.0.0.7'],
    ['https://sneaky.example.com/', '169.254.169.254'],
    ['https://mapped.example.com/', '::ffff:127.0.0.1'],
    ['https://nat64.example.com/', '64:ff9b::a00:1'],
    ['https://localhost:8443/', '127.0.0.1'],
  ] as const) {
    const { code, message } = await refusal(url);
    assert.equal(code, 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED', url);
    assert.ok(message.includes(address), message);
  }
});

test('IP literals in every spelling the URL parser accepts are judged as the address they are', async () => {
  for (const url of [
    'https://127.0.0.1/',
    'https://2130706433/',
    'https://0x7f.0.0.1/',
    'https://0177.0.0.1/',
    'https://127.1/',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:7f00:1]/',
    'https://[0:0:0:0:0:ffff:a9fe:a9fe]/',
    'https://[::127.0.0.1]/',
    'https://[fd12:3456::1]/',
    'https://[fe80::1]/',
    'https://[::]/',
    'https://0.0.0.0/',
  ])
    assert.equal((await refusal(url)).code, 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED', url);
});

test('the operator allow-list admits a local receiver, by literal or by name', async () => {
  const local = webhookUrlPolicy({ allowHttp: true, allowedCidrs: ['127.0.0.0/8', '::1/128'] });
  const literal = await resolveWebhookTarget('http://127.0.0.1:8080/hook', local, dns);
  assert.deepEqual(literal.address, { address: '127.0.0.1', family: 4 });
  const named = await resolveWebhookTarget('http://localhost:8080/hook', local, dns);
  assert.deepEqual(named.checked, ['127.0.0.1', '::1']);
  assert.equal((await refusal('http://internal.example.com/', local)).code, 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED');
});

test('a host that does not resolve, or resolves to nothing, is reported as unresolved', async () => {
  assert.equal((await refusal('https://nowhere.example.com/')).code, 'NOTIFY_WEBHOOK_HOST_UNRESOLVED');
  assert.equal((await refusal('https://empty.example.com/')).code, 'NOTIFY_WEBHOOK_HOST_UNRESOLVED');
});

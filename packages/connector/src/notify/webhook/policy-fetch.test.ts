// Identity keys fetched from an operator-given JWKS URL obey the same policy as webhooks, and jose can use them.

import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';

import { createRemoteJWKSet, customFetch, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

import { isAppError } from '../../errors/app-error.js';
import { createPolicyFetch } from './policy-fetch.js';
import { webhookUrlPolicy, type HostResolver } from './url-policy.js';

async function server(handler: (path: string, res: ServerResponse) => void): Promise<string> {
  const http = createServer((req, res) => handler(req.url ?? '/', res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  after(() => {
    http.closeAllConnections();
    http.close();
  });
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

const local = webhookUrlPolicy({ allowHttp: true, allowedCidrs: ['127.0.0.1/32'] });

test('jose verifies an identity token against keys fetched through the policy fetch', async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const base = await server((_path, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
  );
  // keys.test resolves only through the injected resolver: a fetch that bypassed the policy could not reach it
  const port = new URL(base).port;
  const resolve: HostResolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
  const keys = createRemoteJWKSet(new URL(`http://keys.test:${port}/.well-known/jwks.json`), {
    [customFetch]: createPolicyFetch({ policy: local, resolve, timeoutMs: 2_000 }),
  });
  const token = await new SignJWT({ sub: 'ada@example.com' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer('https://bot.example.com')
    .setAudience('casebridge:acme')
    .setExpirationTime('5m')
    .sign(privateKey);
  const { payload } = await jwtVerify(token, keys, {
    issuer: 'https://bot.example.com',
    audience: 'casebridge:acme',
  });
  assert.equal(payload.sub, 'ada@example.com');
});

test('a JWKS URL on a private address is refused without the allow-list', async () => {
  const base = await server((_path, res) => res.writeHead(200).end('{"keys":[]}'));
  const fetch = createPolicyFetch({ policy: webhookUrlPolicy({ allowHttp: true }) });
  await assert.rejects(fetch(`${base}/jwks`), (err) => isAppError(err, 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED'));
});

test('redirects come back unfollowed, oversized documents and other methods are refused', async () => {
  let hits = 0;
  const base = await server((path, res) => {
    hits += 1;
    if (path === '/moved') res.writeHead(302, { location: '/jwks' }).end();
    else res.writeHead(200).end('x'.repeat(200_000));
  });
  const fetch = createPolicyFetch({ policy: local });
  const moved = await fetch(`${base}/moved`);
  assert.equal(moved.status, 302);
  assert.equal(hits, 1);
  await assert.rejects(fetch(`${base}/big`), /larger than allowed/);
  await assert.rejects(fetch(`${base}/big`, { method: 'POST' }), TypeError);
});

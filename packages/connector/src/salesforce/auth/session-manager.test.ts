// Logins are single-flight per tenant in a process and across processes sharing a store; a failed generation is
// re-logged in once, never in a loop; the stored token is sealed.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FakeSecretBox } from '../../../test/fakes/fake-crypto.js';
import { FixedClock } from '../../../test/fakes/fixed-clock.js';
import { MemorySessionRepository } from '../../../test/fakes/memory-tenant-store.js';
import type { KeySigner } from '../../domain/ports.js';
import { isAppError } from '../../errors/app-error.js';
import { silentLogger } from '../../logging/logger.js';
import { SessionManager, type AuthTenant } from './session-manager.js';
import { TokenClient, type FormPost } from './token-client.js';

const tenant: AuthTenant = {
  id: 'acme',
  loginUrl: 'https://login.salesforce.com',
  consumerKey: 'ck',
  username: 'svc@acme.com',
};
const signer: KeySigner = { sign: (claims) => Promise.resolve(`signed.${claims.sub}.${claims.exp}`) };

/** A token endpoint that issues token-1, token-2, ... after a tick, counting requests. */
function tokenEndpoint(options: { fail?: boolean } = {}): { post: FormPost; requests: () => number } {
  let n = 0;
  return {
    requests: () => n,
    post: async () => {
      n += 1;
      const issued = n;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (options.fail)
        return {
          status: 400,
          body: JSON.stringify({ error: 'invalid_grant', error_description: 'invalid assertion' }),
        };
      return {
        status: 200,
        body: JSON.stringify({
          access_token: `00D000000000001!token-${issued}`,
          instance_url: 'https://acme.my.salesforce.com',
          id: 'https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA',
          token_type: 'Bearer',
        }),
      };
    },
  };
}

function manager(post: FormPost, sessions = new MemorySessionRepository()): SessionManager {
  return new SessionManager({
    sessions,
    box: new FakeSecretBox(),
    tokens: new TokenClient(post),
    clock: new FixedClock(),
    signerFor: () => Promise.resolve(signer),
    log: silentLogger(),
  });
}

void test('10 concurrent callers → 1 login, one shared session, token sealed in the store', async () => {
  const endpoint = tokenEndpoint();
  const sessions = new MemorySessionRepository();
  const sut = manager(endpoint.post, sessions);
  const all = await Promise.all(Array.from({ length: 10 }, () => sut.getSession(tenant)));
  assert.equal(endpoint.requests(), 1);
  assert.ok(all.every((s) => s.accessToken === '00D000000000001!token-1' && s.generation === 1));
  assert.equal(all[0]?.userId, '005000000000001AAA');
  const stored = await sessions.get('acme');
  assert.ok(stored && !stored.accessTokenEnvelope.includes('token-1'));
  assert.equal(sut.stats('acme').logins, 1);
});

void test('two managers (workers) sharing one store log in once', async () => {
  const endpoint = tokenEndpoint();
  const sessions = new MemorySessionRepository();
  const [a, b] = [manager(endpoint.post, sessions), manager(endpoint.post, sessions)];
  const got = await Promise.all([
    a.getSession(tenant),
    b.getSession(tenant),
    a.getSession(tenant),
    b.getSession(tenant),
  ]);
  assert.equal(endpoint.requests(), 1);
  assert.equal(new Set(got.map((s) => s.accessToken)).size, 1);
  assert.equal(b.stats('acme').adopted, 1);
});

void test('invalidate: concurrent callers that saw generation 1 fail cause one re-login; a stale generation reuses the newer session', async () => {
  const endpoint = tokenEndpoint();
  const sut = manager(endpoint.post);
  const first = await sut.getSession(tenant);
  const renewed = await Promise.all(
    Array.from({ length: 5 }, () => sut.invalidate(tenant, first.generation)),
  );
  assert.equal(endpoint.requests(), 2);
  assert.ok(renewed.every((s) => s.generation === 2 && s.accessToken.endsWith('token-2')));
  const again = await sut.invalidate(tenant, 1);
  assert.equal(again.generation, 2);
  assert.equal(endpoint.requests(), 2);
});

void test('a worker whose peer already re-logged in adopts the newer generation instead of logging in', async () => {
  const endpoint = tokenEndpoint();
  const sessions = new MemorySessionRepository();
  const [a, b] = [manager(endpoint.post, sessions), manager(endpoint.post, sessions)];
  const seen = await a.getSession(tenant);
  await b.getSession(tenant);
  await b.invalidate(tenant, seen.generation);
  const adopted = await a.invalidate(tenant, seen.generation);
  assert.equal(adopted.generation, 2);
  assert.equal(endpoint.requests(), 2);
});

void test('a failing login is shared by its joiners (one token request) and not cached', async () => {
  const endpoint = tokenEndpoint({ fail: true });
  const sut = manager(endpoint.post);
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => sut.getSession(tenant)));
  assert.equal(endpoint.requests(), 1);
  assert.ok(
    results.every((r) => r.status === 'rejected' && isAppError(r.reason, 'SF_AUTH_ASSERTION_INVALID')),
  );
  await assert.rejects(sut.getSession(tenant));
  assert.equal(endpoint.requests(), 2);
});

void test('revoke posts the stored token to the revoke endpoint and clears the session', async () => {
  const endpoint = tokenEndpoint();
  const revoked: string[] = [];
  const sessions = new MemorySessionRepository();
  const post: FormPost = (url, form) => {
    if (url.endsWith('/revoke')) {
      revoked.push(form.get('token') ?? '');
      return Promise.resolve({ status: 200, body: '' });
    }
    return endpoint.post(url, form);
  };
  const sut = manager(post, sessions);
  await sut.getSession(tenant);
  await sut.revoke(tenant);
  assert.deepEqual(revoked, ['00D000000000001!token-1']);
  assert.equal(await sessions.get('acme'), null);
});

void test('the assertion audience is derived from the login URL, and settings.jwtAudience overrides it', async () => {
  const audiences: string[] = [];
  const recording: KeySigner = {
    sign: (claims) => {
      audiences.push(claims.aud);
      return signer.sign(claims);
    },
  };
  const sut = (sessions = new MemorySessionRepository()) =>
    new SessionManager({
      sessions,
      box: new FakeSecretBox(),
      tokens: new TokenClient(tokenEndpoint().post),
      clock: new FixedClock(),
      signerFor: () => Promise.resolve(recording),
      log: silentLogger(),
    });
  await sut().getSession({ ...tenant, loginUrl: 'https://acme--uat.sandbox.my.salesforce.com' });
  await sut().getSession({
    ...tenant,
    loginUrl: 'https://acme.my.salesforce.com',
    settings: { apiVersion: '66.0', jwtAudience: 'https://acme.my.site.com/customers' },
  });
  assert.deepEqual(audiences, ['https://test.salesforce.com', 'https://acme.my.site.com/customers']);
});

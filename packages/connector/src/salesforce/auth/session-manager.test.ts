// Logins are single-flight per tenant in a process and across processes sharing a store; a failed generation is
// re-logged in once, never in a loop; the stored token is sealed.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FakeSecretBox } from '../../../test/fakes/fake-crypto.js';
import { FixedClock } from '../../../test/fakes/fixed-clock.js';
import { MemorySessionRepository } from '../../../test/fakes/memory-tenant-store.js';
import type { KeySigner } from '../../domain/ports.js';
import { appError, isAppError } from '../../errors/app-error.js';
import { SECRETS_UNKNOWN_KEY } from '../../errors/codes/secrets.js';
import { silentLogger, type Logger } from '../../logging/logger.js';
import { SessionManager, type AuthTenant, type SessionManagerDeps } from './session-manager.js';
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

function manager(
  post: FormPost,
  sessions = new MemorySessionRepository(),
  extra: Partial<SessionManagerDeps> = {},
): SessionManager {
  return new SessionManager({
    sessions,
    box: new FakeSecretBox(),
    tokens: new TokenClient(post),
    clock: new FixedClock(),
    signerFor: () => Promise.resolve(signer),
    log: silentLogger(),
    ...extra,
  });
}

/** A logger that keeps every line, to check what was said (and that no envelope or token was). */
function recordingLogger(): { log: Logger; lines: { level: string; obj: unknown; msg: string }[] } {
  const lines: { level: string; obj: unknown; msg: string }[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at =
      (level: string) =>
      (obj: Record<string, unknown>, msg: string): void => {
        lines.push({ level, obj: { ...bindings, ...obj }, msg });
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return { log: make({}), lines };
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
  const clock = new FixedClock();
  const sut = manager(endpoint.post, new MemorySessionRepository(), { clock });
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => sut.getSession(tenant)));
  assert.equal(endpoint.requests(), 1);
  assert.ok(
    results.every((r) => r.status === 'rejected' && isAppError(r.reason, 'SF_AUTH_ASSERTION_INVALID')),
  );
  clock.advance(30_000);
  await assert.rejects(sut.getSession(tenant));
  assert.equal(endpoint.requests(), 2);
});

void test('after a failed login the tenant gets the same error without a token request, for 30 s doubling to 5 min', async () => {
  const endpoint = tokenEndpoint({ fail: true });
  const clock = new FixedClock();
  const sut = manager(endpoint.post, new MemorySessionRepository(), { clock });
  const first = await sut.getSession(tenant).catch((err: unknown) => err);
  assert.ok(isAppError(first, 'SF_AUTH_ASSERTION_INVALID'));
  const expectRequestsAfter = async (ms: number, requests: number): Promise<void> => {
    clock.advance(ms);
    await assert.rejects(sut.getSession(tenant), (err) => isAppError(err, 'SF_AUTH_ASSERTION_INVALID'));
    assert.equal(endpoint.requests(), requests, `after +${ms} ms`);
  };
  await expectRequestsAfter(0, 1);
  await assert.rejects(sut.invalidate(tenant, 0), (err) => err === first, 'the same error again');
  await expectRequestsAfter(29_999, 1);
  await expectRequestsAfter(1, 2); // 30 s passed: one new attempt, which fails: now 60 s
  await expectRequestsAfter(59_999, 2);
  await expectRequestsAfter(1, 3);
  for (const wait of [120_000, 240_000, 300_000, 300_000])
    await expectRequestsAfter(wait, endpoint.requests() + 1);
  await expectRequestsAfter(299_999, endpoint.requests()); // capped at 5 minutes
  // forget (the admin changed the tenant) lifts the backoff at once
  sut.forget(tenant.id);
  await expectRequestsAfter(0, endpoint.requests() + 1);
});

void test('a backing-off worker still adopts a session another worker obtained meanwhile', async () => {
  let failing = true;
  const endpoint = tokenEndpoint();
  const post: FormPost = (url, form) =>
    failing
      ? Promise.resolve({
          status: 400,
          body: JSON.stringify({ error: 'invalid_grant', error_description: 'invalid assertion' }),
        })
      : endpoint.post(url, form);
  const sessions = new MemorySessionRepository();
  const a = manager(post, sessions);
  await assert.rejects(a.getSession(tenant));
  failing = false;
  const fromB = await manager(post, sessions).getSession(tenant);
  const adopted = await a.getSession(tenant);
  assert.equal(adopted.accessToken, fromB.accessToken);
  assert.equal(endpoint.requests(), 1);
});

void test('a stored session that cannot be opened (its master key is gone) counts as absent: logged by code, logged in again', async () => {
  const endpoint = tokenEndpoint();
  const sessions = new MemorySessionRepository();
  const box = new FakeSecretBox();
  await sessions.put({
    tenantId: 'acme',
    accessTokenEnvelope: 'sealed-under-a-retired-key',
    instanceUrl: 'https://acme.my.salesforce.com',
    identityUrl: 'https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA',
    issuedAt: '2026-11-24T11:00:00.000Z',
    generation: 7,
  });
  const { log, lines } = recordingLogger();
  const sut = manager(endpoint.post, sessions, {
    log,
    box: {
      currentKeyId: box.currentKeyId,
      seal: (text, b) => box.seal(text, b),
      keyIdOf: (e) => box.keyIdOf(e),
      open: (envelope, b) => {
        if (envelope === 'sealed-under-a-retired-key')
          throw appError(SECRETS_UNKNOWN_KEY, { params: { keyId: 'k1' } });
        return box.open(envelope, b);
      },
    },
  });
  const session = await sut.getSession(tenant);
  assert.equal(session.accessToken, '00D000000000001!token-1');
  assert.equal(session.generation, 8, 'a new generation above the unreadable one');
  assert.equal(endpoint.requests(), 1);
  const warning = lines.find((l) => l.level === 'warn' && /cannot be opened/.test(l.msg));
  assert.deepEqual(warning?.obj, { tenantId: 'acme', generation: 7, code: 'SECRETS_UNKNOWN_KEY' });
  assert.ok(!JSON.stringify(lines).includes('sealed-under-a-retired-key'), 'the envelope is never logged');
  // and revoking such a session just clears it
  await sessions.put({ ...(await sessions.get('acme'))!, accessTokenEnvelope: 'sealed-under-a-retired-key' });
  await sut.revoke(tenant);
  assert.equal(await sessions.get('acme'), null);
});

void test('two workers: one notices within the revalidation period that another cleared and replaced the session', async () => {
  const endpoint = tokenEndpoint();
  const sessions = new MemorySessionRepository();
  const clock = new FixedClock();
  const [a, b] = [manager(endpoint.post, sessions, { clock }), manager(endpoint.post, sessions, { clock })];
  const seenByA = await a.getSession(tenant);
  await b.getSession(tenant);
  assert.equal(seenByA.generation, 1);

  // the admin changes the tenant's identity in B's process: B forgets, the store is cleared, B logs in again
  b.forget(tenant.id);
  await sessions.clear(tenant.id);
  const fresh = await b.getSession(tenant);
  assert.equal(fresh.generation, 2, 'a cleared session does not reset the generation');
  assert.equal(await sessions.lastGeneration(tenant.id), 2);

  // A keeps its copy only until the revalidation period is over (a cheap read, no token request)
  clock.advance(29_000);
  assert.equal((await a.getSession(tenant)).accessToken, seenByA.accessToken);
  clock.advance(1_000);
  const adopted = await a.getSession(tenant);
  assert.deepEqual([adopted.generation, adopted.accessToken], [2, fresh.accessToken]);
  assert.equal(endpoint.requests(), 2);
  assert.equal(a.stats('acme').logins, 1);

  // cleared and not yet replaced: A logs in itself, numbered above every earlier generation
  await sessions.clear(tenant.id);
  clock.advance(30_000);
  const relogged = await a.getSession(tenant);
  assert.equal(relogged.generation, 3);
  assert.equal(endpoint.requests(), 3);
});

void test('revalidation: an unchanged session costs one store read per period, never a token request', async () => {
  const endpoint = tokenEndpoint();
  const sessions = new MemorySessionRepository();
  let reads = 0;
  const counting = Object.assign(Object.create(sessions) as MemorySessionRepository, {
    get: (id: string) => {
      reads += 1;
      return sessions.get(id);
    },
  });
  const clock = new FixedClock();
  const sut = manager(endpoint.post, counting, { clock, revalidateAfterMs: 10_000 });
  await sut.getSession(tenant);
  const afterLogin = reads;
  for (let i = 0; i < 5; i += 1) await sut.getSession(tenant);
  assert.equal(reads, afterLogin, 'within the period: no read');
  clock.advance(10_000);
  await Promise.all(Array.from({ length: 5 }, () => sut.getSession(tenant)));
  assert.equal(reads, afterLogin + 1, 'one read for all concurrent callers');
  assert.equal(endpoint.requests(), 1);
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

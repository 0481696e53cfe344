// Every token-endpoint failure becomes its own SF_AUTH_ code; the success shape is parsed; nothing secret leaks.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FixedClock } from '../../../test/fakes/fixed-clock.js';
import { MemoryApiAuditRepository } from '../../../test/fakes/memory-api-audit.js';
import { isAppError } from '../../errors/app-error.js';
import { silentLogger } from '../../logging/logger.js';
import { TokenClient, type FormPost, type TokenAudit } from './token-client.js';

const ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJTRUNSRVQifQ.c2lnbmF0dXJlLXNlY3JldA';
const TOKEN = '00D5g00000AbCdE!AQEAQsecret.token';

function answering(
  status: number,
  body: unknown,
): { post: FormPost; calls: { url: string; form: URLSearchParams }[] } {
  const calls: { url: string; form: URLSearchParams }[] = [];
  return {
    calls,
    post: (url, form) => {
      calls.push({ url, form });
      return Promise.resolve({ status, body: typeof body === 'string' ? body : JSON.stringify(body) });
    },
  };
}

const request = {
  tenantId: 'acme',
  loginUrl: 'https://login.salesforce.com/',
  username: 'svc@acme.com',
  assertion: ASSERTION,
};

void test('posts the jwt-bearer grant to <loginUrl>/services/oauth2/token and parses the success shape', async () => {
  const fake = answering(200, {
    access_token: TOKEN,
    scope: 'api',
    instance_url: 'https://acme.my.salesforce.com',
    id: 'https://login.salesforce.com/id/00D5g00000AbCdEEAV/0055g00000XyZabAAB',
    token_type: 'Bearer',
  });
  const grant = await new TokenClient(fake.post).exchange(request);
  assert.equal(fake.calls[0]?.url, 'https://login.salesforce.com/services/oauth2/token');
  assert.equal(fake.calls[0]?.form.get('grant_type'), 'urn:ietf:params:oauth:grant-type:jwt-bearer');
  assert.equal(fake.calls[0]?.form.get('assertion'), ASSERTION);
  assert.deepEqual(grant, {
    accessToken: TOKEN,
    instanceUrl: 'https://acme.my.salesforce.com',
    identityUrl: 'https://login.salesforce.com/id/00D5g00000AbCdEEAV/0055g00000XyZabAAB',
    orgId: '00D5g00000AbCdEEAV',
    userId: '0055g00000XyZabAAB',
    scope: 'api',
  });
});

const cases: [string, string, string][] = [
  ['invalid_client_id', 'client identifier invalid', 'SF_AUTH_CLIENT_ID_INVALID'],
  ['invalid_grant', 'invalid assertion', 'SF_AUTH_ASSERTION_INVALID'],
  ['invalid_grant', 'audience is invalid', 'SF_AUTH_AUDIENCE_INVALID'],
  ['invalid_grant', 'Audience validation failed', 'SF_AUTH_AUDIENCE_INVALID'],
  ['invalid_grant', 'expired authorization code', 'SF_AUTH_ASSERTION_EXPIRED'],
  ['invalid_grant', 'user does not exist or is inactive', 'SF_AUTH_USER_UNKNOWN'],
  ['invalid_grant', 'inactive user', 'SF_AUTH_USER_INACTIVE'],
  ['invalid_grant', "user hasn't approved this consumer", 'SF_AUTH_USER_NOT_APPROVED'],
  ['invalid_app_access', 'user is not admin approved to access this app', 'SF_AUTH_APP_ACCESS_DENIED'],
  ['invalid_client', 'app must be installed into org', 'SF_AUTH_APP_NOT_INSTALLED'],
  ['invalid_grant', 'ip restricted', 'SF_AUTH_IP_RESTRICTED'],
  ['unsupported_grant_type', 'grant type not supported', 'SF_AUTH_GRANT_UNSUPPORTED'],
  ['inactive_org', 'org is locked', 'SF_AUTH_ORG_INACTIVE'],
  ['rate_limit_exceeded', 'too many requests', 'SF_AUTH_RATE_LIMITED'],
  ['invalid_grant', 'something new', 'SF_AUTH_UNEXPECTED_RESPONSE'],
  ['brand_new_error', 'who knows', 'SF_AUTH_UNEXPECTED_RESPONSE'],
];

for (const [error, description, code] of cases) {
  void test(`${error} / ${description} → ${code}, with Salesforce's strings in details`, async () => {
    const fake = answering(400, { error, error_description: description });
    await assert.rejects(new TokenClient(fake.post).exchange(request), (err) => {
      assert.ok(isAppError(err, code), `got ${String((err as { code?: string }).code)}`);
      assert.deepEqual(err.details, { error, error_description: description, status: 400 });
      const text = JSON.stringify(err.toJSON()) + err.message + err.fix;
      assert.ok(!text.includes(ASSERTION) && !text.includes('c2lnbmF0dXJl'));
      return true;
    });
  });
}

void test('"not approved" and "not admin approved" name different fixes', async () => {
  const fixes = [];
  for (const [error, description] of [
    ['invalid_grant', "user hasn't approved this consumer"],
    ['invalid_app_access', 'user is not admin approved to access this app'],
  ] as const) {
    const err = await new TokenClient(answering(400, { error, error_description: description }).post)
      .exchange(request)
      .catch((e: unknown) => e);
    assert.ok(isAppError(err));
    fixes.push(err.fix);
  }
  assert.notEqual(fixes[0], fixes[1]);
  assert.match(fixes[0] ?? '', /self-authorize/);
  assert.match(fixes[1] ?? '', /assign/);
});

const noWait = { sleep: () => Promise.resolve() };

void test('an unreachable endpoint, an outage and a non-OAuth answer have their own codes', async () => {
  const down: FormPost = () =>
    Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
  await assert.rejects(
    new TokenClient(down, undefined, noWait).exchange(request),
    (err) => isAppError(err, 'SF_AUTH_TOKEN_ENDPOINT_UNREACHABLE') && /ECONNREFUSED/.test(err.message),
  );
  await assert.rejects(
    new TokenClient(answering(502, '<html>bad gateway</html>').post, undefined, noWait).exchange(request),
    (err) => isAppError(err, 'SF_AUTH_UNAVAILABLE') && /Salesforce is unavailable/.test(err.message),
  );
  await assert.rejects(
    new TokenClient(answering(200, { access_token: TOKEN }).post).exchange(request),
    (err) => {
      return isAppError(err, 'SF_AUTH_UNEXPECTED_RESPONSE') && !JSON.stringify(err.toJSON()).includes(TOKEN);
    },
  );
});

void test('revoke posts the token and treats an already-invalid token as done', async () => {
  const ok = answering(200, '');
  await new TokenClient(ok.post).revoke({
    tenantId: 'acme',
    loginUrl: 'https://login.salesforce.com',
    token: TOKEN,
  });
  assert.equal(ok.calls[0]?.url, 'https://login.salesforce.com/services/oauth2/revoke');
  assert.equal(ok.calls[0]?.form.get('token'), TOKEN);
  const gone = answering(400, {
    error: 'unsupported_token_type',
    error_description: 'this token type is not supported',
  });
  await new TokenClient(gone.post).revoke({
    tenantId: 'acme',
    loginUrl: 'https://login.salesforce.com',
    token: TOKEN,
  });
});

void test('every token and revoke request is audited: path, status, OAuth error, duration, never the assertion or token', async () => {
  const audit = new MemoryApiAuditRepository();
  let tick = 0;
  const auditing = (post: FormPost): TokenClient =>
    new TokenClient(
      post,
      {
        audit,
        clock: new FixedClock(),
        log: silentLogger(),
        monotonic: () => (tick += 40),
      } satisfies TokenAudit,
      noWait,
    );
  const ok = answering(200, {
    access_token: TOKEN,
    instance_url: 'https://acme.my.salesforce.com',
    id: 'https://login.salesforce.com/id/00D5g00000AbCdEEAV/0055g00000XyZabAAB',
  });
  await auditing(ok.post).exchange(request);
  await assert.rejects(
    auditing(
      answering(400, { error: 'invalid_grant', error_description: 'invalid assertion' }).post,
    ).exchange(request),
  );
  const down: FormPost = () =>
    Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
  await assert.rejects(auditing(down).exchange(request));
  await assert.rejects(auditing(answering(502, '<html>bad gateway</html>').post).exchange(request));
  await auditing(answering(200, '').post).revoke({
    tenantId: 'acme',
    loginUrl: request.loginUrl,
    token: TOKEN,
  });
  assert.deepEqual(
    audit.entries.map((e) => [e.tenantId, e.method, e.path, e.status, e.errorCode, e.durationMs, e.purpose]),
    [
      ['acme', 'POST', '/services/oauth2/token', 200, null, 40, 'login'],
      ['acme', 'POST', '/services/oauth2/token', 400, 'invalid_grant', 40, 'login'],
      ...Array.from({ length: 4 }, () => [
        'acme',
        'POST',
        '/services/oauth2/token',
        null,
        'ECONNREFUSED',
        40,
        'login',
      ]),
      ...Array.from({ length: 4 }, () => [
        'acme',
        'POST',
        '/services/oauth2/token',
        502,
        'HTTP_502',
        40,
        'login',
      ]),
      ['acme', 'POST', '/services/oauth2/revoke', 200, null, 40, 'revoke'],
    ],
  );
  assert.ok(audit.entries.every((e) => e.at === '2026-11-24T12:00:00.000Z'));
  assert.deepEqual(
    audit.entries.map((e) => e.attempt),
    [1, 1, 1, 2, 3, 4, 1, 2, 3, 4, 1],
  );
  const all = JSON.stringify(audit.entries);
  assert.ok(!all.includes(ASSERTION) && !all.includes(TOKEN), 'no assertion or token in the audit log');
});

void test('an audit write that fails never fails the token request', async () => {
  const broken = new MemoryApiAuditRepository();
  broken.record = () => Promise.reject(new Error('store down'));
  const ok = answering(200, {
    access_token: TOKEN,
    instance_url: 'https://acme.my.salesforce.com',
    id: 'https://login.salesforce.com/id/00D5g00000AbCdEEAV/0055g00000XyZabAAB',
  });
  const grant = await new TokenClient(ok.post, {
    audit: broken,
    clock: new FixedClock(),
    log: silentLogger(),
  }).exchange(request);
  assert.equal(grant.accessToken, TOKEN);
});

const GRANT = {
  access_token: TOKEN,
  instance_url: 'https://acme.my.salesforce.com',
  id: 'https://login.salesforce.com/id/00D5g00000AbCdEEAV/0055g00000XyZabAAB',
};

/** A token endpoint answering from a script: a status and body, or a thrown network error, per attempt. */
function scripted(steps: ({ status: number; body: unknown } | Error)[]): {
  post: FormPost;
  calls: () => number;
} {
  let calls = 0;
  return {
    calls: () => calls,
    post: () => {
      const step = steps[Math.min(calls, steps.length - 1)];
      calls += 1;
      if (step instanceof Error) return Promise.reject(step);
      return Promise.resolve({ status: step?.status ?? 500, body: JSON.stringify(step?.body ?? '') });
    },
  };
}

void test('one 503 or one reset at login is retried after a jittered wait, each attempt audited', async () => {
  for (const first of [
    { status: 503, body: '<html>Service Unavailable</html>' },
    Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }),
  ]) {
    const audit = new MemoryApiAuditRepository();
    const waits: number[] = [];
    const endpoint = scripted([first, { status: 200, body: GRANT }]);
    const grant = await new TokenClient(
      endpoint.post,
      { audit, clock: new FixedClock(), log: silentLogger() },
      { sleep: (ms) => (waits.push(ms), Promise.resolve()), random: () => 0.5 },
    ).exchange(request);
    assert.equal(grant.accessToken, TOKEN);
    assert.equal(endpoint.calls(), 2);
    assert.deepEqual(
      audit.entries.map((e) => [e.attempt, e.status]),
      [
        [1, first instanceof Error ? null : 503],
        [2, 200],
      ],
    );
    assert.deepEqual(waits, [250], 'half (random 0.5) of the first ceiling of 500 ms');
  }
});

void test('timeouts every time: three retries with growing jittered waits, then "Salesforce is unavailable"', async () => {
  const waits: number[] = [];
  const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  const endpoint = scripted([timeout]);
  const err = await new TokenClient(endpoint.post, undefined, {
    sleep: (ms) => (waits.push(ms), Promise.resolve()),
    random: () => 0.999,
  })
    .exchange(request)
    .then(
      () => null,
      (e: unknown) => e,
    );
  assert.ok(isAppError(err, 'SF_AUTH_UNAVAILABLE'), String(err));
  assert.match(err.message, /^Salesforce is unavailable/);
  assert.match(err.message, /4 attempts/);
  assert.equal(endpoint.calls(), 4, 'the first attempt and at most 3 retries');
  assert.deepEqual(waits, [499, 999, 1998]);
});

void test('invalid_grant and invalid_client answers are never retried, whatever their status', async () => {
  for (const answer of [
    {
      status: 400,
      body: { error: 'invalid_grant', error_description: "user hasn't approved this consumer" },
    },
    { status: 400, body: { error: 'invalid_client_id', error_description: 'client identifier invalid' } },
    { status: 503, body: { error: 'invalid_client', error_description: 'invalid client credentials' } },
  ]) {
    const endpoint = scripted([answer, { status: 200, body: GRANT }]);
    await assert.rejects(new TokenClient(endpoint.post, undefined, noWait).exchange(request));
    assert.equal(endpoint.calls(), 1, answer.body.error);
  }
});

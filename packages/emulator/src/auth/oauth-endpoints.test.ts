// OAuth endpoints over real HTTP: every JWT bearer failure with Salesforce's exact error, the success shapes,
// session expiry by the clock, revoke, identity and userinfo, and the token log.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair } from '../seed/keys.js';
import { JWT_GRANT, startHarness, type Harness } from '../testing/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

async function jwtError(claims: Record<string, unknown>, privateKeyPem?: string): Promise<unknown> {
  const res = await h.tokenRequest({
    grant_type: JWT_GRANT,
    assertion: await h.assertion(claims, privateKeyPem),
  });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('cache-control'), 'no-cache,must-revalidate,max-age=0,no-store,private');
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return res.json;
}

describe('JWT bearer grant', () => {
  it('answers the documented success shape, with no refresh token, issued_at or expires_in', async () => {
    const res = await h.tokenRequest({ grant_type: JWT_GRANT, assertion: await h.assertion() });
    assert.equal(res.status, 200);
    const body = res.json as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'id', 'instance_url', 'scope', 'token_type']);
    assert.match(body['access_token'] ?? '', new RegExp(`^${h.org.orgId.slice(0, 15)}!`));
    assert.equal(body['instance_url'], h.url);
    assert.equal(body['id'], `${h.url}/id/${h.org.orgId}/${h.demo.integrationUserId}`);
    assert.equal(body['token_type'], 'Bearer');
    assert.equal(body['scope'], 'api refresh_token offline_access');
  });

  it("accepts the org's own URL with or without trailing slash, and production's login host", async () => {
    const own = `http://localhost:${new URL(h.url).port}`;
    for (const aud of [
      h.url,
      `${h.url}/`,
      own,
      `${own}/`,
      'https://login.salesforce.com',
      'https://login.salesforce.com/',
    ]) {
      const res = await h.tokenRequest({ grant_type: JWT_GRANT, assertion: await h.assertion({ aud }) });
      assert.equal(res.status, 200, aud);
    }
  });

  it("a production org refuses the sandbox login host as aud; a sandbox refuses production's", async () => {
    const audienceInvalid = { error: 'invalid_grant', error_description: 'audience is invalid' };
    assert.deepEqual(await jwtError({ aud: 'https://test.salesforce.com' }), audienceInvalid);
    assert.equal((await h.control('PATCH', '/orgs/demo/settings', { isSandbox: true })).status, 200);
    try {
      assert.deepEqual(await jwtError({ aud: 'https://login.salesforce.com' }), audienceInvalid);
      for (const aud of ['https://test.salesforce.com', 'https://test.salesforce.com/', h.url, `${h.url}/`]) {
        const res = await h.tokenRequest({ grant_type: JWT_GRANT, assertion: await h.assertion({ aud }) });
        assert.equal(res.status, 200, aud);
      }
      const org = (await h.control('GET', '/orgs/demo')).json as { loginHosts: string[] };
      assert.deepEqual(org.loginHosts, ['https://test.salesforce.com']);
    } finally {
      await h.control('PATCH', '/orgs/demo/settings', { isSandbox: false });
    }
  });

  it('accepts exp in milliseconds, as sf sends it', async () => {
    const res = await h.tokenRequest({
      grant_type: JWT_GRANT,
      assertion: await h.assertion({ exp: h.clock.now().getTime() + 300 }),
    });
    assert.equal(res.status, 200);
  });

  it('rejects a signature from another key', async () => {
    const other = await generateKeyPair('intruder');
    assert.deepEqual(await jwtError({}, other.privateKeyPem), {
      error: 'invalid_grant',
      error_description: 'invalid assertion',
    });
  });

  it('rejects a malformed assertion', async () => {
    const res = await h.tokenRequest({ grant_type: JWT_GRANT, assertion: 'not.a.jwt' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { error: 'invalid_grant', error_description: 'invalid assertion' });
  });

  it('rejects an unknown consumer key', async () => {
    assert.deepEqual(await jwtError({ iss: '3MVG9unknown' }), {
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
  });

  it('rejects a wrong audience', async () => {
    assert.deepEqual(await jwtError({ aud: 'https://example.com' }), {
      error: 'invalid_grant',
      error_description: 'audience is invalid',
    });
  });

  it('rejects an expired assertion', async () => {
    const exp = Math.floor(h.clock.now().getTime() / 1000) - 10;
    assert.deepEqual(await jwtError({ exp }), {
      error: 'invalid_grant',
      error_description: 'expired authorization code',
    });
  });

  it('rejects an unknown user and an inactive user', async () => {
    assert.deepEqual(await jwtError({ sub: 'nobody@demo.example.com' }), {
      error: 'invalid_grant',
      error_description: 'user does not exist or is inactive',
    });
    assert.deepEqual(await jwtError({ sub: h.demo.inactiveUsername }), {
      error: 'invalid_grant',
      error_description: 'inactive user',
    });
  });

  it('under "admin approved users are pre-authorized", rejects a user whose profile and permission sets are not assigned', async () => {
    assert.deepEqual(await jwtError({ sub: h.demo.agentUsernames[0] }), {
      error: 'invalid_app_access',
      error_description: 'user is not admin approved to access this app',
    });
  });

  it('under "all users may self-authorize", needs a prior approval with a refresh token', async () => {
    const agent = h.demo.agentUsernames[1] ?? '';
    const app = encodeURIComponent(h.demo.connectedAppName);
    assert.equal(
      (
        await h.control('PATCH', `/orgs/demo/connected-apps/${app}`, {
          permittedUsers: 'all_users_self_authorize',
        })
      ).status,
      200,
    );
    try {
      assert.deepEqual(await jwtError({ sub: agent }), {
        error: 'invalid_grant',
        error_description: "user hasn't approved this consumer",
      });
      const approval = await h.control('POST', `/orgs/demo/connected-apps/${app}/approvals`, { user: agent });
      assert.equal(approval.status, 201);
      const res = await h.tokenRequest({
        grant_type: JWT_GRANT,
        assertion: await h.assertion({ sub: agent }),
      });
      assert.equal(res.status, 200);
      // The refresh token from that approval works for the refresh_token grant.
      const refresh = await h.tokenRequest({
        grant_type: 'refresh_token',
        client_id: h.demo.consumerKey,
        refresh_token: (approval.json as { refreshToken: string }).refreshToken,
      });
      assert.equal(refresh.status, 200);
      assert.ok((refresh.json as Record<string, unknown>)['issued_at']);
    } finally {
      await h.control('PATCH', `/orgs/demo/connected-apps/${app}`, { permittedUsers: 'admin_approved' });
    }
  });

  it('logs exactly the error it answered', async () => {
    const before = h.em.tokenLog.list().length;
    await jwtError({ aud: 'https://wrong.example.com' });
    const log = await h.control('GET', '/token-log?org=demo');
    const entries = (log.json as { entries: Record<string, unknown>[] }).entries;
    assert.equal(entries.length, before + 1);
    const last = entries.at(-1) ?? {};
    assert.equal(last['outcome'], 'invalid_grant');
    assert.equal(last['errorDescription'], 'audience is invalid');
    assert.equal(last['username'], h.demo.username);
    assert.equal(last['clientId'], h.demo.consumerKey);
  });
});

describe('strict exp mode', () => {
  it('rejects an exp more than 3 minutes ahead', async () => {
    const strict = await startHarness({ strictJwtExpiry: true, contacts: 2, cases: 1 });
    try {
      const res = await strict.tokenRequest({
        grant_type: JWT_GRANT,
        assertion: await strict.assertion({ exp: strict.clock.now().getTime() + 300 }),
      });
      assert.equal(res.status, 400);
      assert.equal(
        (await strict.tokenRequest({ grant_type: JWT_GRANT, assertion: await strict.assertion() })).status,
        200,
      );
    } finally {
      await strict.close();
    }
  });
});

describe('token endpoint request errors', () => {
  it('answers missing and unsupported grant types', async () => {
    const missing = await h.tokenRequest({});
    assert.deepEqual(missing.json, { error: 'invalid_request', error_description: 'grant type is missing' });
    const unknown = await h.tokenRequest({ grant_type: 'magic' });
    assert.deepEqual(unknown.json, {
      error: 'unsupported_grant_type',
      error_description: 'grant type not supported',
    });
    const get = await h.api('GET', '/services/oauth2/token');
    assert.equal(get.status, 400);
    assert.deepEqual(get.json, { error: 'invalid_request', error_description: 'must use HTTP POST' });
  });
});

describe('username-password grant', () => {
  it('issues a token with issued_at and an HMAC signature; rejects bad secrets and passwords', async () => {
    const fields = {
      grant_type: 'password',
      client_id: h.demo.consumerKey,
      client_secret: h.demo.consumerSecret,
      username: h.demo.username,
      password: h.demo.password,
    };
    const res = await h.tokenRequest(fields);
    assert.equal(res.status, 200);
    const body = res.json as Record<string, string>;
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', h.demo.consumerSecret)
      .update(`${body['id']}${body['issued_at']}`)
      .digest('base64');
    assert.equal(body['signature'], expected);
    assert.match(body['issued_at'] ?? '', /^\d{13}$/);
    assert.deepEqual((await h.tokenRequest({ ...fields, client_secret: 'nope' })).json, {
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
    assert.deepEqual((await h.tokenRequest({ ...fields, password: 'nope' })).json, {
      error: 'invalid_grant',
      error_description: 'authentication failure',
    });
  });
});

describe('sessions', () => {
  const invalid = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

  it('expires after the app session timeout of inactivity, and each use extends it', async () => {
    const token = await h.login();
    const path = '/services/data/v62.0/limits';
    h.clock.advance(23 * 3_600_000);
    assert.notEqual((await h.api('GET', path, { token })).status, 401);
    h.clock.advance(23 * 3_600_000);
    assert.notEqual((await h.api('GET', path, { token })).status, 401, 'activity extended the session');
    h.clock.advance(24 * 3_600_000 + 1000);
    const res = await h.api('GET', path, { token });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, invalid);
  });

  it('answers 401 for unknown tokens and tokens of another org', async () => {
    assert.deepEqual(
      (await h.api('GET', '/services/data/v62.0/sobjects', { token: 'garbage' })).json,
      invalid,
    );
    assert.equal((await h.api('GET', '/services/data/v62.0/sobjects')).status, 401);
    const other = await h.control('POST', '/orgs', { name: 'other', seed: 'demo', contacts: 2, cases: 1 });
    assert.equal(other.status, 201);
    const otherUrl = (other.json as { loginUrl: string }).loginUrl;
    assert.notEqual(otherUrl, h.url);
    assert.notEqual((other.json as { orgId: string }).orgId, h.org.orgId);
    const token = await h.login();
    const res = await fetch(`${otherUrl}/services/data/v62.0/sobjects`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 401);
    assert.equal((await h.control('DELETE', '/orgs/other')).status, 200);
  });

  it('revokes an access token', async () => {
    const token = await h.login();
    const res = await fetch(`${h.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    assert.equal(res.status, 200);
    assert.equal((await h.api('GET', '/services/data/v62.0/sobjects', { token })).status, 401);
    const again = await h.tokenRequest({ token });
    assert.equal(again.status, 400);
  });

  it('serves the identity URL with ?oauth_token= (the ! percent-encoded) and userinfo with a Bearer header', async () => {
    const token = await h.login();
    // jsforce sends the token percent-encoded, `!` as %21 (real-clients.md 4).
    const encoded = encodeURIComponent(token).replace(/!/g, '%21');
    assert.ok(encoded.includes('%21'));
    const idPath = `/id/${h.org.orgId}/${h.demo.integrationUserId}?format=json&oauth_token=${encoded}`;
    const identity = await h.api('GET', idPath);
    assert.equal(identity.status, 200);
    const doc = identity.json as Record<string, unknown>;
    assert.equal(doc['username'], h.demo.username);
    assert.equal(doc['organization_id'], h.org.orgId);
    assert.equal((doc['urls'] as Record<string, string>)['rest'], `${h.url}/services/data/v66.0/`);
    const info = await h.api('GET', '/services/oauth2/userinfo', { token });
    assert.equal(info.status, 200);
    assert.equal((info.json as Record<string, unknown>)['preferred_username'], h.demo.username);
    assert.equal((await h.api('GET', '/services/oauth2/userinfo', { token: 'bad' })).status, 401);
  });
});

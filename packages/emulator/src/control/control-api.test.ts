// The control plane over HTTP: its bearer token, its 400s for bad input, and each family of actions.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator } from '../registry/emulator.js';
import { generateKeyPair } from '../seed/keys.js';
import { request, startHarness, type Harness } from '../testing/harness.js';

let h: Harness;
let token: string;
const V = '/services/data/v62.0';

before(async () => {
  h = await startHarness({ contacts: 10, cases: 6 });
  token = await h.login();
});
after(() => h.close());

async function query(
  soql: string,
  as = token,
): Promise<{ totalSize: number; records: Record<string, unknown>[] }> {
  const res = await h.api('GET', `${V}/query?q=${encodeURIComponent(soql)}`, { token: as });
  assert.equal(res.status, 200, res.text);
  return res.json as { totalSize: number; records: Record<string, unknown>[] };
}

describe('control-plane access', () => {
  it('answers 401 without the token or with a wrong one', async () => {
    const none = await request(`${h.url}/__emulator/orgs`);
    assert.equal(none.status, 401);
    assert.equal(typeof (none.json as { error: string }).error, 'string');
    assert.equal((await h.control('GET', '/orgs', undefined, 'wrong')).status, 401);
    assert.equal((await h.control('GET', '/health')).status, 200);
  });

  it('refuses an empty control token (it would leave the control plane open)', () => {
    assert.throws(() => new Emulator({ controlToken: '' }), /control token must not be empty/);
    assert.throws(() => new Emulator({ controlToken: '  ' }), /control token must not be empty/);
  });

  it('answers bad input with 400 and a message, unknown things with 404', async () => {
    const badJson = await request(`${h.url}/__emulator/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.em.controlToken}`, 'content-type': 'application/json' },
      body: '{nope',
    });
    assert.equal(badJson.status, 400);
    const checks: [string, string, unknown, number][] = [
      ['POST', '/orgs', { seed: 'galaxy' }, 400],
      ['POST', '/orgs', { port: 'x' }, 400],
      ['GET', '/orgs/unknown', undefined, 404],
      ['POST', '/orgs/demo/users', { username: 'x@y.z' }, 400],
      ['POST', '/orgs/demo/users', { username: 'x@y.z', lastName: 'X', profile: 'No Such Profile' }, 400],
      ['POST', '/orgs/demo/connected-apps', { name: 'A', certificatePem: 'not a cert' }, 400],
      ['POST', '/orgs/demo/connected-apps', { name: 'A', permittedUsers: 'everyone' }, 400],
      ['POST', '/orgs/demo/actions/dance', {}, 400],
      ['POST', '/orgs/demo/actions/comment-case', { caseId: 'nope', body: 'x' }, 400],
      ['POST', '/orgs/demo/actions/set-case-status', {}, 400],
      ['PATCH', '/orgs/demo/settings', { caseSharingDefault: 'Open' }, 400],
      ['PATCH', '/orgs/demo/settings', { colour: 'blue' }, 400],
      ['POST', '/clock', {}, 400],
      ['POST', '/clock', { set: 'yesterday-ish' }, 400],
      ['GET', '/calls?since=whenever', undefined, 400],
      ['GET', '/calls?path=%5E(', undefined, 400],
      ['DELETE', '/faults/fault-999', undefined, 404],
      ['GET', '/nothing', undefined, 404],
      ['PUT', '/orgs', {}, 405],
    ];
    for (const [method, path, body, status] of checks) {
      const res = await h.control(method, path, body);
      assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
      assert.equal(typeof (res.json as { error: string }).error, 'string', `${method} ${path}`);
    }
  });
});

describe('people and apps', () => {
  it('registers a profile, permission set, user and connected app that can then log in', async () => {
    const profile = await h.control('POST', '/orgs/demo/profiles', {
      name: 'Bot Profile',
      userPermissions: { apiEnabled: true },
    });
    assert.equal(profile.status, 201);
    const set = await h.control('POST', '/orgs/demo/permission-sets', {
      name: 'bot_access',
      objectPermissions: { Case: { read: true } },
    });
    assert.equal(set.status, 201);
    const user = await h.control('POST', '/orgs/demo/users', {
      username: 'bot@demo.example.com',
      lastName: 'Bot',
      profile: 'Bot Profile',
    });
    assert.equal(user.status, 201);
    assert.equal(
      (
        await h.control('POST', '/orgs/demo/users/bot@demo.example.com/permission-sets', {
          permissionSet: 'bot_access',
        })
      ).status,
      200,
    );
    const app = await h.control('POST', '/orgs/demo/connected-apps', {
      name: 'Bot_App',
      certificatePem: h.keys.certificatePem,
      permittedUsers: 'admin_approved',
      permissionSets: ['bot_access'],
      sessionTimeoutMinutes: 15,
    });
    assert.equal(app.status, 201);
    const consumerKey = (app.json as { consumerKey: string }).consumerKey;
    const res = await h.tokenRequest({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: await h.assertion({ iss: consumerKey, sub: 'bot@demo.example.com' }),
    });
    assert.equal(res.status, 200, res.text);
    const botToken = (res.json as { access_token: string }).access_token;
    h.clock.advance(16 * 60_000);
    assert.equal(
      (await h.api('GET', `${V}/sobjects`, { token: botToken })).status,
      401,
      '15-minute session timeout',
    );
  });

  it('expires sessions on demand', async () => {
    const fresh = await h.login();
    const res = await h.control('POST', '/orgs/demo/sessions/expire', { user: h.demo.username });
    assert.ok((res.json as { expired: number }).expired >= 1);
    assert.equal((await h.api('GET', `${V}/sobjects`, { token: fresh })).status, 401);
    token = await h.login();
  });
});

describe('agent actions', () => {
  it('comments publicly and internally, changes status, creates, merges and deletes cases', async () => {
    const caseId = h.demo.caseIds[0] ?? '';
    const pub = await h.control('POST', '/orgs/demo/actions/comment-case', {
      caseId,
      body: 'Public reply',
      isPublic: true,
    });
    assert.equal(pub.status, 201, pub.text);
    const internal = await h.control('POST', '/orgs/demo/actions/comment-case', {
      caseId,
      body: 'Internal note',
      isPublic: false,
      agent: h.demo.agentUsernames[1],
    });
    assert.equal(internal.status, 201);
    const comments = await query(
      `SELECT CommentBody, IsPublished FROM CaseComment WHERE ParentId = '${caseId}' AND CreatedById != null ORDER BY CreatedDate DESC LIMIT 2`,
    );
    assert.deepEqual(comments.records.map((r) => [r['CommentBody'], r['IsPublished']]).sort(), [
      ['Internal note', false],
      ['Public reply', true],
    ]);

    assert.equal(
      (await h.control('POST', '/orgs/demo/actions/set-case-status', { caseId, status: 'Resolved' })).status,
      200,
    );
    const closed = await query(`SELECT Status, IsClosed FROM Case WHERE Id = '${caseId}'`);
    assert.equal(closed.records[0]?.['IsClosed'], true);

    const created = await h.control('POST', '/orgs/demo/actions/create-case', {
      fields: { Subject: 'Agent-made', Origin: 'Phone' },
    });
    assert.equal(created.status, 201);
    const newId = (created.json as { id: string }).id;
    const master = h.demo.caseIds[1] ?? '';
    assert.equal(
      (await h.control('POST', '/orgs/demo/actions/merge-cases', { masterId: master, loserIds: [newId] }))
        .status,
      200,
    );
    assert.equal((await query(`SELECT Id FROM Case WHERE Id = '${newId}'`)).totalSize, 0);
    assert.equal((await h.control('POST', '/orgs/demo/actions/delete-case', { caseId: master })).status, 200);
    assert.equal((await query(`SELECT Id FROM Case WHERE Id = '${master}'`)).totalSize, 0);
  });

  it('creates, publishes, drafts, archives and deletes articles', async () => {
    const created = await h.control('POST', '/orgs/demo/actions/create-article', {
      title: 'Brand new answer',
      fields: { Answer__c: '<p>Hi</p>' },
      publish: true,
    });
    assert.equal(created.status, 201, created.text);
    const { versionId, knowledgeArticleId } = created.json as {
      versionId: string;
      knowledgeArticleId: string;
    };
    const online = await query(
      `SELECT Id FROM Knowledge__kav WHERE PublishStatus = 'Online' AND KnowledgeArticleId = '${knowledgeArticleId}'`,
    );
    assert.equal(online.totalSize, 1);
    const draft = await h.control('POST', '/orgs/demo/actions/create-draft', {
      knowledgeArticleId,
      fields: { Title: 'Brand new answer v2' },
    });
    assert.equal(draft.status, 201, draft.text);
    const draftId = (draft.json as { versionId: string }).versionId;
    assert.equal(
      (await h.control('POST', '/orgs/demo/actions/publish-article', { versionId: draftId })).status,
      200,
    );
    assert.equal(
      (await h.control('POST', '/orgs/demo/actions/archive-article', { versionId: draftId })).status,
      200,
    );
    const after = await query(
      `SELECT Id FROM Knowledge__kav WHERE PublishStatus = 'Online' AND KnowledgeArticleId = '${knowledgeArticleId}'`,
    );
    assert.equal(after.totalSize, 0);
    assert.ok(versionId);
  });
});

describe('settings, limits, clock, logs, reset', () => {
  it('turns Knowledge off and on', async () => {
    assert.equal((await h.control('PATCH', '/orgs/demo/settings', { knowledgeEnabled: false })).status, 200);
    const res = await h.api('GET', `${V}/query?q=SELECT+Id+FROM+Knowledge__kav`, { token });
    assert.equal(res.status, 400);
    assert.equal((res.json as { errorCode: string }[])[0]?.errorCode, 'INVALID_TYPE');
    assert.equal((await h.control('PATCH', '/orgs/demo/settings', { knowledgeEnabled: true })).status, 200);
  });

  it('adds a validation rule and restricts a field (FLS)', async () => {
    const rule = {
      sobject: 'Case',
      name: 'No_Forbidden',
      active: true,
      errorCondition: "Subject = 'forbidden'",
      errorMessage: 'Not this subject',
      errorField: 'Subject',
    };
    assert.equal((await h.control('PATCH', '/orgs/demo/settings', { validationRules: [rule] })).status, 200);
    const blocked = await h.api('POST', `${V}/sobjects/Case`, { token, body: { Subject: 'forbidden' } });
    assert.equal(blocked.status, 400);
    assert.deepEqual(blocked.json, [
      { message: 'Not this subject', errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: ['Subject'] },
    ]);
    assert.equal((await h.control('PATCH', '/orgs/demo/settings', { validationRules: [] })).status, 200);

    const set = h.demo.permissionSetId;
    const fls = await h.control('PATCH', `/orgs/demo/grants/${set}`, {
      fieldPermissions: { 'Case.Description': { readable: false, editable: false } },
    });
    assert.equal(fls.status, 200);
    const hidden = await h.api('GET', `${V}/query?q=SELECT+Description+FROM+Case+LIMIT+1`, { token });
    assert.equal(hidden.status, 400);
    await h.control('PATCH', `/orgs/demo/grants/${set}`, {
      fieldPermissions: { 'Case.Description': { readable: true, editable: true } },
    });
    assert.equal(
      (await h.api('GET', `${V}/query?q=SELECT+Description+FROM+Case+LIMIT+1`, { token })).status,
      200,
    );
  });

  it('moves the clock and filters the call log', async () => {
    const before = Date.parse(((await h.control('GET', '/clock')).json as { now: string }).now);
    const moved = await h.control('POST', '/clock', { advanceMs: 3_600_000 });
    assert.ok(Date.parse((moved.json as { now: string }).now) - before >= 3_600_000);
    const lastSeq = ((await h.control('GET', '/calls?limit=0')).json as { lastSeq: number }).lastSeq;
    token = await h.login();
    await h.api('GET', `${V}/sobjects/Case/describe`, { token });
    await h.api('GET', `${V}/sobjects`, { token });
    const calls = await h.control('GET', `/calls?afterSeq=${lastSeq}&path=/describe`);
    const list = (calls.json as { calls: { path: string; status: number; counted: boolean }[] }).calls;
    assert.equal(list.length, 1);
    assert.deepEqual(
      [list[0]?.path, list[0]?.status, list[0]?.counted],
      [`${V}/sobjects/Case/describe`, 200, true],
    );
    const counted = await h.control('GET', `/calls?afterSeq=${lastSeq}&counted=true`);
    assert.equal((counted.json as { count: number }).count, 2);
  });

  it('refuses to move the clock back, by a negative advance or a set to an earlier time', async () => {
    const now = (): string => h.clock.now().toISOString();
    const before = now();
    const back = await h.control('POST', '/clock', { advanceMs: -1e15 });
    assert.equal(back.status, 400, back.text);
    assert.match((back.json as { error: string }).error, /must not be negative.*only moves forward/);
    const earlier = await h.control('POST', '/clock', { set: '2001-01-01T00:00:00Z' });
    assert.equal(earlier.status, 400, earlier.text);
    assert.match((earlier.json as { error: string }).error, /before the emulator's now/);
    const beyond = await h.control('POST', '/clock', { advanceMs: 1e15 });
    assert.equal(beyond.status, 400, beyond.text);
    assert.ok(now() >= before && now().startsWith('2'), `the clock stayed where it was: ${now()}`);
    assert.throws(() => h.clock.advance(-1), RangeError);
    assert.equal((await h.control('POST', '/clock', { advanceMs: 0 })).status, 200);
  });

  it('bounds the demo seed counts before creating anything', async () => {
    const orgsBefore = h.em.listOrgs().length;
    for (const body of [
      { contacts: 1e9 },
      { contacts: 0 },
      { contacts: 2.5 },
      { cases: -1 },
      { cases: 1001 },
    ]) {
      const res = await h.control('POST', '/orgs', { seed: 'demo', ...body });
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.match((res.json as { error: string }).error, /must be a whole number from \d+ to \d+/);
    }
    assert.equal(h.em.listOrgs().length, orgsBefore, 'no half-made org is left behind');
  });

  it('refuses to delete the last org (the control plane would go with it), deletes any other', async () => {
    const spare = await h.control('POST', '/orgs', { name: 'spare' });
    assert.equal(spare.status, 201, spare.text);
    const spareUrl = (spare.json as { loginUrl: string }).loginUrl;
    // the other orgs of this file are gone by now: demo and spare remain
    assert.deepEqual(
      h.em.listOrgs().map((o) => o.name),
      ['demo', 'spare'],
    );
    const viaSpare = await request(`${spareUrl}/__emulator/orgs/spare`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${h.em.controlToken}` },
    });
    assert.equal(viaSpare.status, 200, 'an org can be deleted through its own listener');
    const last = await h.control('DELETE', '/orgs/demo');
    assert.equal(last.status, 409, last.text);
    assert.match((last.json as { error: string }).error, /last org.*Create another org first.*SIGINT/);
    assert.deepEqual(((await h.control('GET', '/health')).json as { orgs: number }).orgs, 1);
  });

  it('resets the org to its seeded data', async () => {
    await h.api('POST', `${V}/sobjects/Case`, { token, body: { Subject: 'before reset' } });
    assert.equal((await query("SELECT Id FROM Case WHERE Subject = 'before reset'")).totalSize, 1);
    assert.equal((await h.control('POST', '/orgs/demo/reset', {})).status, 200);
    assert.equal((await query("SELECT Id FROM Case WHERE Subject = 'before reset'")).totalSize, 0);
  });
});

describe('reset restores connected apps; accepted audiences', () => {
  const appPath = (): string => `/orgs/demo/connected-apps/${h.demo.consumerKey}`;

  it('puts a broken connected app back as seeded and removes apps and approvals added since', async () => {
    const seeded = (await h.control('GET', appPath())).json as Record<string, unknown>;
    const other = await h.control('POST', '/orgs/demo/connected-apps', { name: 'Added_After_Seed' });
    assert.equal(other.status, 201);
    const broken = await h.control('PATCH', appPath(), {
      permittedUsers: 'all_users_self_authorize',
      profiles: [],
      permissionSets: [],
      sessionTimeoutMinutes: 5,
      scopes: ['api'],
      certificatePem: (await generateKeyPair()).certificatePem,
    });
    assert.equal(broken.status, 200);
    const approval = await h.control('POST', `${appPath()}/approvals`, { user: h.demo.username });
    const refreshToken = (approval.json as { refreshToken: string }).refreshToken;
    const refresh = (): ReturnType<Harness['tokenRequest']> =>
      h.tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: h.demo.consumerKey,
      });
    assert.equal((await refresh()).status, 200);
    await assert.rejects(h.login(), /login failed/, 'a new certificate refuses the old key');

    assert.equal((await h.control('POST', '/orgs/demo/reset', {})).status, 200);
    assert.deepEqual((await h.control('GET', appPath())).json, seeded);
    const apps = (await h.control('GET', '/orgs/demo/connected-apps')).json as { name: string }[];
    assert.equal(
      apps.some((a) => a.name === 'Added_After_Seed'),
      false,
    );
    token = await h.login();
    // The approval made after seeding is gone, and so is the refresh token it issued.
    const refreshed = await refresh();
    assert.equal(refreshed.status, 400, refreshed.text);
    assert.deepEqual(refreshed.json, {
      error: 'invalid_grant',
      error_description: 'expired access/refresh token',
    });
  });

  it('an org created with acceptOwnUrlAudiences: false accepts only its login hosts as aud', async () => {
    const res = await h.control('POST', '/orgs', {
      name: 'strict-aud',
      seed: 'demo',
      contacts: 3,
      cases: 1,
      loginHosts: ['https://login.example.test'],
      acceptOwnUrlAudiences: false,
    });
    assert.equal(res.status, 201, res.text);
    const org = res.json as {
      loginUrl: string;
      loginHosts: string[];
      acceptOwnUrlAudiences: boolean;
      demo: { consumerKey: string; username: string; privateKeyPem: string };
    };
    assert.deepEqual([org.loginHosts, org.acceptOwnUrlAudiences], [['https://login.example.test'], false]);
    const port = new URL(org.loginUrl).port;
    const tryAud = async (aud: string): Promise<{ status: number; json: unknown }> => {
      const assertion = await h.assertion(
        { iss: org.demo.consumerKey, sub: org.demo.username, aud },
        org.demo.privateKeyPem,
      );
      return request(`${org.loginUrl}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion,
        }).toString(),
      });
    };
    for (const aud of [
      org.loginUrl,
      `${org.loginUrl}/`,
      `http://localhost:${port}`,
      'https://login.salesforce.com',
    ]) {
      const refused = await tryAud(aud);
      assert.equal(refused.status, 400, aud);
      assert.deepEqual(refused.json, { error: 'invalid_grant', error_description: 'audience is invalid' });
    }
    assert.equal((await tryAud('https://login.example.test/')).status, 200);
    assert.equal((await h.control('DELETE', '/orgs/strict-aud')).status, 200);
  });
});

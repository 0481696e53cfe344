// The console over real HTTP on the demo org's listener, without a browser: sign-in rules, CSRF and cross-site
// refusals, escaping, permissions and sharing as the engine enforces them, and writes logged as UI actions.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.js';
import { createConsole } from './console-app.js';

const FORM = 'application/x-www-form-urlencoded';

/** a browser-like client: keeps cookies, follows nothing */
function client(base: string) {
  const jar = new Map<string, string>();
  const send = async (method: string, path: string, form?: Record<string, string>, headers = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form !== undefined ? { 'content-type': FORM } : {}),
        ...headers,
      },
      ...(form !== undefined ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = (pair ?? '').split('=');
      if (k !== undefined && v !== undefined) jar.set(k, v);
    }
    return {
      status: res.status,
      location: res.headers.get('location'),
      headers: res.headers,
      text: await res.text(),
    };
  };
  const csrfIn = (text: string): string => /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
  return {
    jar,
    send,
    csrfIn,
    async login(username: string, password: string) {
      const form = await send('GET', '/console/login');
      return send('POST', '/console/login', {
        csrf: csrfIn(form.text),
        username,
        password,
        next: '/console/cases',
      });
    },
  };
}

void describe('agent console over HTTP', () => {
  let h: Harness;
  let agent = '';
  let agentId = '';
  let caseId = '';

  before(async () => {
    h = await startHarness({ contacts: 20, cases: 10 });
    agent = h.demo.agentUsernames[0] ?? '';
    agentId = String(h.org.data.getUser(agent)?.['Id']);
    caseId = h.demo.caseIds[0] ?? '';
  });
  after(() => h.close());

  it('signs in a demo agent with the documented password, and refuses a wrong one or an inactive user', async () => {
    const c = client(h.url);
    const wrong = await c.login(agent, 'nope');
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /Wrong username or password/);
    const inactive = await client(h.url).login(h.demo.inactiveUsername, h.demo.password);
    assert.equal(inactive.status, 401);
    const ok = await c.login(agent, 'demo-password-1');
    assert.equal(ok.status, 303);
    assert.equal(ok.location, '/console/cases');
    const cookie = ok.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
  });

  it('refuses a sign-in without the form token, and never redirects off the console after one', async () => {
    const c = client(h.url);
    const forged = await c.send('POST', '/console/login', { username: agent, password: h.demo.password });
    assert.equal(forged.status, 403);
    const form = await c.send('GET', '/console/login?next=//evil.example/x');
    const res = await c.send('POST', '/console/login', {
      csrf: c.csrfIn(form.text),
      username: agent,
      password: h.demo.password,
      next: '//evil.example/x',
    });
    assert.equal(res.location, '/console/cases');
  });

  it('sends every page with a strict CSP and no inline script', async () => {
    const c = client(h.url);
    await c.login(agent, h.demo.password);
    const page = await c.send('GET', `/console/cases/${caseId}`);
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.doesNotMatch(page.text, /<script>|<script [^>]*>[^<]|\son[a-z]+=/);
    assert.match(page.text, /<script src="\/console\/assets\/console.js" defer><\/script>/);
    const js = await c.send('GET', '/console/assets/console.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
  });

  it('escapes a subject and a comment holding markup', async () => {
    const evil = '<script>alert(1)</script>';
    const id = h.org.data.insert('Case', { Subject: evil, Status: 'New', OwnerId: agentId }, agentId);
    h.org.data.insert(
      'CaseComment',
      { ParentId: id, CommentBody: `<b onclick="x()">hi</b>`, IsPublished: true },
      agentId,
    );
    const c = client(h.url);
    await c.login(agent, h.demo.password);
    const list = await c.send('GET', '/console/cases');
    assert.match(list.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(list.text, /<script>alert/);
    const comments = await c.send('GET', `/console/cases/${id}/comments`);
    assert.match(comments.text, /&lt;b onclick=&quot;x\(\)&quot;&gt;hi&lt;\/b&gt;/);
  });

  it('writes a comment as the agent, logged as a UI action that is not counted', async () => {
    const c = client(h.url);
    await c.login(agent, h.demo.password);
    const page = await c.send('GET', `/console/cases/${caseId}`);
    const seq = h.em.callLog.lastSeq();
    const usedBefore = h.org.usage.used();
    const res = await c.send('POST', `/console/cases/${caseId}/comments`, {
      csrf: c.csrfIn(page.text),
      body: 'Looking into it now.',
      visibility: 'public',
    });
    assert.equal(res.status, 303);
    const entries = h.em.callLog.list({ afterSeq: seq });
    assert.deepEqual(
      entries.map((e) => [e.method, e.path, e.userId, e.status, e.counted]),
      [['POST', `/console/cases/${caseId}/comments`, agentId, 303, false]],
    );
    assert.equal(h.org.usage.used(), usedBefore);
    const ctx = { userId: agentId, apiVersion: '62.0' };
    const rows = h.org.data.query(
      ctx,
      `SELECT CommentBody, IsPublished, CreatedById FROM CaseComment WHERE ParentId = '${caseId}' ORDER BY CreatedDate DESC, Id DESC LIMIT 1`,
    ).records;
    assert.deepEqual(
      rows.map((r) => [r['CommentBody'], r['IsPublished'], r['CreatedById']]),
      [['Looking into it now.', true, agentId]],
    );
  });

  it('transfers a case to another agent as the signed-in agent, and refuses a status outside the picklist', async () => {
    const c = client(h.url);
    await c.login(agent, h.demo.password);
    const other = String(h.org.data.getUser(h.demo.agentUsernames[1] ?? '')?.['Id']);
    const id = h.org.data.insert(
      'Case',
      { Subject: 'Transfer me', Status: 'New', OwnerId: agentId },
      agentId,
    );
    const page = await c.send('GET', `/console/cases/${id}`);
    h.clock.advance(1000);
    const res = await c.send('POST', `/console/cases/${id}`, {
      csrf: c.csrfIn(page.text),
      status: 'New',
      owner: other,
    });
    assert.equal(res.status, 303);
    const saved = h.org.data.peek(id)?.record;
    assert.equal(saved?.['OwnerId'], other);
    assert.equal(saved?.['LastModifiedById'], agentId);
    assert.equal(saved?.['Status'], 'New');

    const bogus = await c.send('POST', `/console/cases/${id}`, {
      csrf: c.csrfIn(page.text),
      status: 'Bogus',
    });
    assert.equal(bogus.status, 303);
    assert.equal(h.org.data.peek(id)?.record['Status'], 'New');
    const shown = await c.send('GET', `/console/cases/${id}`);
    assert.match(shown.text, /Could not save the case/);
  });

  it('refuses a post with a wrong token or from another origin', async () => {
    const c = client(h.url);
    await c.login(agent, h.demo.password);
    const page = await c.send('GET', `/console/cases/${caseId}`);
    const seq = h.em.callLog.lastSeq();
    const wrong = await c.send('POST', `/console/cases/${caseId}`, { csrf: 'x', status: 'Closed' });
    assert.equal(wrong.status, 403);
    const cross = await c.send(
      'POST',
      `/console/cases/${caseId}`,
      { csrf: c.csrfIn(page.text), status: 'Closed' },
      { origin: 'http://evil.example' },
    );
    assert.equal(cross.status, 403);
    assert.equal(h.em.callLog.list({ afterSeq: seq }).length, 0);
    assert.notEqual(h.org.data.peek(caseId)?.record['Status'], 'Closed');
  });

  it("obeys the agent's permissions and the org's sharing", async () => {
    const readOnly = h.org.data.addProfile({
      name: 'Read Only Agent',
      label: 'Read Only Agent',
      objectPermissions: { Case: { read: true }, CaseComment: { read: true } },
      fieldPermissions: {},
      userPermissions: {},
    });
    const viewerId = h.org.data.addUser({
      username: 'viewer@demo.example.com',
      lastName: 'Viewer',
      profileId: readOnly.id,
    });
    h.org.passwords.set(viewerId, 'viewer-pass-1');
    const own = h.org.data.insert(
      'Case',
      { Subject: 'Viewer case', Status: 'New', OwnerId: viewerId },
      viewerId,
    );
    const c = client(h.url);
    assert.equal((await c.login('viewer@demo.example.com', 'viewer-pass-1')).status, 303);
    // Case sharing is Private and this profile has no View All: another agent's case does not exist for them.
    assert.equal((await c.send('GET', `/console/cases/${caseId}`)).status, 404);
    const page = await c.send('GET', `/console/cases/${own}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /You may not change this case/);
    assert.match(page.text, /You do not have permission to comment/);
    // A hand-made post is refused by the engine as the REST API would refuse it, logged with its error code.
    const seq = h.em.callLog.lastSeq();
    const res = await c.send('POST', `/console/cases/${own}`, {
      csrf: c.csrfIn(page.text),
      status: 'Working',
    });
    assert.equal(res.status, 303);
    const [entry] = h.em.callLog.list({ afterSeq: seq });
    assert.equal(entry?.userId, viewerId);
    assert.notEqual(entry?.errorCode, null);
    assert.equal(h.org.data.peek(own)?.record['Status'], 'New');
    const after_ = await c.send('GET', `/console/cases/${own}`);
    assert.match(after_.text, /Could not save the case/);
  });

  it('ends the session of a user deactivated since', async () => {
    const id = h.org.data.addUser({
      username: 'leaver@demo.example.com',
      lastName: 'Leaver',
      profileId: h.org.data.grantsOf(agentId).profileId,
    });
    h.org.passwords.set(id, 'leaver-pass-1');
    const c = client(h.url);
    await c.login('leaver@demo.example.com', 'leaver-pass-1');
    assert.equal((await c.send('GET', '/console/cases')).status, 200);
    h.org.data.updateUser(id, { isActive: false });
    const res = await c.send('GET', '/console/cases');
    assert.equal(res.status, 303);
    assert.match(res.location ?? '', /^\/console\/login/);
  });

  it('sends a signed-out page to the sign-in form and answers a signed-out comment refresh 401', async () => {
    const c = client(h.url);
    const page = await c.send('GET', `/console/cases/${caseId}`);
    assert.equal(page.status, 303);
    assert.equal(page.location, `/console/login?next=${encodeURIComponent(`/console/cases/${caseId}`)}`);
    const refresh = await c.send('GET', `/console/cases/${caseId}/comments`);
    assert.equal(refresh.status, 401);
    assert.doesNotMatch(refresh.text, /comment-body/);
  });

  it('answers loopback callers only', async () => {
    const app = createConsole({
      data: h.org.data,
      passwords: h.org.passwords,
      clock: h.org.clock,
      log: h.em.callLog,
    });
    const res = await app.handle('192.0.2.10', {
      method: 'GET',
      path: '/console/login',
      query: new URLSearchParams(),
      headers: {},
      rawBody: undefined,
    });
    assert.equal(res.status, 403);
  });
});

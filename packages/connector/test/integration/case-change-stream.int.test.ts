// The connector's Case change stream against the emulator's CometD endpoint: events become notices in order,
// a stored replay id resumes without loss, a replay id past the 72-hour retention is reported as a gap (so a poll
// heals it) and new events still arrive, and an ended session or a forgotten client is survived.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { controlClient, startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';
import { SignJWT, importPKCS8 } from 'jose';
import jsforce, { type Connection } from 'jsforce';

import type { CaseChangeNotice } from '../../src/salesforce/cdc/sf-change-event.js';
import { CaseChangeStream } from '../../src/salesforce/cdc/case-change-stream.js';

const VERSION = '62.0';
let em: StartedEmulator;
let conn: Connection;
let caseId = '';

const control = (method: string, path: string, body?: unknown): Promise<unknown> =>
  controlClient(em)(method, path, body);

async function session(): Promise<{ accessToken: string; instanceUrl: string }> {
  const key = await importPKCS8(readFileSync(em.privateKeyPath, 'utf8'), 'RS256');
  // The emulator's clock moves in these tests: the assertion is dated by it.
  const clock = (await control('GET', '/clock')) as { now: string };
  const now = Math.floor(Date.parse(clock.now) / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(em.consumerKey)
    .setSubject(em.username)
    .setAudience(em.loginUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + 180)
    .sign(key);
  const oauth2 = new jsforce.OAuth2({ loginUrl: em.loginUrl, clientId: em.consumerKey });
  const token = await oauth2.requestToken({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion,
  });
  return { accessToken: token.access_token, instanceUrl: token.instance_url };
}

/** a stream and what it reported, with a way to wait for the next notices */
function recorder(replayFrom: number | null, onGap: () => void = () => undefined) {
  const notices: CaseChangeNotice[] = [];
  let gaps = 0;
  let subscriptions = 0;
  let waiting: { n: number; resolve: () => void } | undefined;
  const stream = new CaseChangeStream({
    session,
    apiVersion: VERSION,
    replayFrom,
    onChange: (n) => {
      notices.push(n);
      if (waiting !== undefined && notices.length >= waiting.n) waiting.resolve();
    },
    onGap: () => {
      gaps += 1;
      onGap();
    },
    onSubscribed: () => {
      subscriptions += 1;
    },
  });
  const until = (n: number): Promise<void> =>
    notices.length >= n
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${notices.length} of ${n} notices`)), 25_000);
          waiting = { n, resolve: () => (clearTimeout(timer), resolve()) };
        });
  /** polls until `check` holds (a stream recovers on its own time) */
  const eventually = async (check: () => boolean): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('condition not reached in 20 s');
      await new Promise((done) => setTimeout(done, 100));
    }
  };
  return { stream, notices, until, eventually, gaps: () => gaps, subscriptions: () => subscriptions };
}

const setStatus = async (Status: string): Promise<void> => {
  // A session of its own each time: the tests end sessions and move the clock past their timeout.
  const s = await session();
  const writer = new jsforce.Connection({
    instanceUrl: s.instanceUrl,
    accessToken: s.accessToken,
    version: VERSION,
  });
  const r = await writer.sobject('Case').update({ Id: caseId, Status });
  assert.equal(r.success, true);
};

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-cdc-int-')) });
  await control('PATCH', `/orgs/${em.orgId}/settings`, { changeDataCaptureEntities: ['Case'] });
  await control('PATCH', `/orgs/${em.orgId}/streaming`, { connectTimeoutMs: 2_000 });
  const s = await session();
  conn = new jsforce.Connection({ instanceUrl: s.instanceUrl, accessToken: s.accessToken, version: VERSION });
  const created = await conn.sobject('Case').create({ Subject: 'watched by CDC', Origin: 'Web' });
  assert.ok(created.success);
  caseId = created.id;
});
after(async () => {
  await em.close();
});

test('a Case change arrives as a notice; a stream started from the saved replay id gets what came meanwhile', async () => {
  const first = recorder(null);
  await first.stream.start();
  await setStatus('Working');
  await first.until(1);
  assert.deepEqual(first.notices[0]?.caseIds, [caseId]);
  assert.equal(first.notices[0]?.changeType, 'UPDATE');
  assert.ok(first.notices[0]?.changedFields.includes('Status'));
  await first.stream.stop();
  const saved = first.stream.position;
  assert.equal(saved, first.notices[0]?.replayId);

  await setStatus('Escalated');
  const resumed = recorder(saved);
  await resumed.stream.start();
  await resumed.until(1);
  assert.equal(resumed.notices.length, 1);
  assert.ok((resumed.notices[0]?.replayId ?? 0) > saved);
  await resumed.stream.stop();
});

test('the stream survives a forgotten client and an ended session without losing an event', async () => {
  const r = recorder(null);
  await r.stream.start();
  await setStatus('Escalated');
  await r.until(1);
  // Forgotten while a change is committed: faye handshakes again, the Replay extension asks for what came after.
  await control('POST', `/orgs/${em.orgId}/streaming/expire-clients`);
  await setStatus('Working');
  await r.until(2);
  // The session ends: faye is told not to reconnect; the stream opens a new client with a fresh session.
  await control('POST', `/orgs/${em.orgId}/sessions/expire`, {});
  await setStatus('Escalated');
  await r.until(3);
  await r.stream.stop();
  assert.deepEqual(
    r.notices.map((n) => n.replayId),
    [...new Set(r.notices.map((n) => n.replayId))].sort((a, b) => a - b),
    'each event once, in order',
  );
  assert.equal(r.gaps(), 0);
});

test('a long-poll cut without an answer (a dropped connection): faye connects again and the next change arrives', async () => {
  const r = recorder(null);
  await r.stream.start();
  await setStatus('Working');
  await r.until(1);
  // once faye's next long-poll is held, cut it
  const deadline = Date.now() + 10_000;
  let dropped = 0;
  while (dropped === 0 && Date.now() < deadline) {
    const answer = await control('POST', `/orgs/${em.orgId}/streaming/drop-connections`);
    dropped = (answer as { dropped: number }).dropped;
    if (dropped === 0) await new Promise((done) => setTimeout(done, 20));
  }
  assert.equal(dropped, 1, 'the stream held a long-poll');
  await setStatus('Escalated');
  await r.until(2);
  await r.stream.stop();
  assert.equal(r.gaps(), 0);
  assert.ok((r.notices[1]?.replayId ?? 0) > (r.notices[0]?.replayId ?? 0));
});

test('a stream forgotten before it saw any event reports a gap (it cannot know what it missed)', async () => {
  const r = recorder(null);
  await r.stream.start();
  await control('POST', `/orgs/${em.orgId}/streaming/expire-clients`);
  await setStatus('Working');
  await r.eventually(() => r.gaps() > 0);
  await r.stream.stop();
  assert.equal(r.gaps(), 1);
});

test('a replay id past the 72-hour retention is reported as a gap once the new subscription stands: what is committed as the healing poll starts still arrives', async () => {
  const first = recorder(null);
  await first.stream.start();
  await setStatus('Working');
  await first.until(1);
  await first.stream.stop();
  const stale = first.stream.position;
  await setStatus('Escalated');
  await control('POST', '/clock', { advanceMs: 73 * 3_600_000 });
  // The caller polls when told of the gap; a change committed at that very moment (in process, synchronously) is
  // after what the poll reads only if the stream already listens for it.
  const userId = String(em.org.data.getUser(em.username)?.['Id']);
  const late = recorder(stale, () => em.org.data.patch('Case', caseId, { Status: 'Escalated' }, userId));
  await late.stream.start();
  assert.equal(late.gaps(), 1);
  await late.until(1);
  assert.equal(late.notices[0]?.changeType, 'UPDATE');
  await setStatus('Working');
  await late.until(2);
  await late.stream.stop();
});

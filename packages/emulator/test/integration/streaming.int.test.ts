// jsforce 3.10.16's streaming client (faye, long-polling), unmodified, against the emulator's CometD endpoint:
// Case change events, the Replay extension, and healing after a dropped long-poll and forgotten clients.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsforce, { type Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import {
  JWT_BEARER,
  control,
  signAssertion,
  startDemoEmulator,
  type EmulatorFixture,
} from '../helpers/emulator-fixture.js';

const VERSION = '62.0';
const CHANNEL = '/data/CaseChangeEvent';

interface ChangeEvent {
  payload: Record<string, unknown> & {
    ChangeEventHeader: { changeType: string; recordIds: string[]; changedFields: string[] };
  };
  event: { replayId: number };
}

/** collects a subscription's events and lets a test wait for the next ones */
class Inbox {
  readonly events: ChangeEvent[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];

  readonly listener = (message: unknown): void => {
    this.events.push(message as ChangeEvent);
    this.waiters = this.waiters.filter((w) => {
      if (this.events.length < w.n) return true;
      w.resolve();
      return false;
    });
  };

  /** resolves once `n` events in all have arrived; fails after `ms` */
  until(n: number, ms = 20_000): Promise<void> {
    if (this.events.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.events.length} of ${n} events arrived`)), ms);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

/**
 * faye's disconnect: a /meta/disconnect whose success closes the transport. Awaited, because a client whose
 * disconnect never got through keeps retrying its long-poll for ever (and keeps the process alive).
 */
async function end(client: object): Promise<void> {
  // The faye typings jsforce ships leave out disconnect (faye 1.4 returns a thenable from it).
  const done = (client as { disconnect(): unknown }).disconnect() as
    { then?: (ok: () => void, fail: (err: unknown) => void) => unknown } | undefined;
  if (done?.then !== undefined) await new Promise<void>((resolve, reject) => done.then?.(resolve, reject));
}

/** resolves when the client's subscription is confirmed by the server */
function subscribed(sub: { then(ok: () => void, fail: (err: unknown) => void): unknown }): Promise<void> {
  return new Promise((resolve, reject) => {
    sub.then(resolve, reject);
  });
}

void describe('jsforce streaming against the emulator', () => {
  let fx: EmulatorFixture;
  let conn: Connection;
  let caseId = '';
  const orgPath = (): string => `/orgs/${fx.em.orgId}`;
  const setStatus = async (Status: string): Promise<void> => {
    const r = await conn.sobject('Case').update({ Id: caseId, Status });
    assert.equal(r.success, true);
  };

  before(async () => {
    fx = await startDemoEmulator();
    await control(fx.em, 'PATCH', `${orgPath()}/settings`, { changeDataCaptureEntities: ['Case'] });
    // Short long-polls keep the suite quick; faye follows the advice's timeout.
    await control(fx.em, 'PATCH', `${orgPath()}/streaming`, { connectTimeoutMs: 2_000 });
    const oauth2 = new jsforce.OAuth2({ loginUrl: fx.em.loginUrl, clientId: fx.em.consumerKey });
    const token = await oauth2.requestToken({
      grant_type: JWT_BEARER,
      assertion: await signAssertion(fx.em),
    });
    conn = new jsforce.Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      version: VERSION,
    });
    const created = await conn.sobject('Case').create({ Subject: 'streamed by jsforce', Origin: 'Web' });
    assert.ok(created.success);
    caseId = created.id;
  });

  after(async () => {
    await fx.close();
  });

  void it('conn.streaming.topic(...).subscribe receives a Case UPDATE with its header', async () => {
    const inbox = new Inbox();
    const sub = conn.streaming.topic(CHANNEL).subscribe(inbox.listener);
    try {
      await subscribed(sub);
      await setStatus('Working');
      await inbox.until(1);
      const [event] = inbox.events;
      assert.equal(event?.payload.ChangeEventHeader.changeType, 'UPDATE');
      assert.deepEqual(event.payload.ChangeEventHeader.recordIds, [caseId]);
      assert.ok(event.payload.ChangeEventHeader.changedFields.includes('Status'));
      assert.equal(event.payload['Status'], 'Working');
    } finally {
      sub.cancel();
      // jsforce keeps the faye client behind topic() to itself and has no call that ends it; left connected, faye
      // would retry against the closed emulator for ever and keep the process alive.
      const internal = (conn.streaming as unknown as { _fayeClients: Record<string, object> })._fayeClients;
      for (const client of Object.values(internal)) await end(client);
    }
  });

  void it('the Replay extension with -2 replays the retained events to a new client', async () => {
    const inbox = new Inbox();
    const client = conn.streaming.createClient([new StreamingExtension.Replay(CHANNEL, -2)]);
    try {
      await subscribed(client.subscribe(CHANNEL, inbox.listener));
      await inbox.until(1);
      assert.ok(inbox.events.some((e) => e.payload.ChangeEventHeader.recordIds.includes(caseId)));
    } finally {
      await end(client);
    }
  });

  void it('after a dropped long-poll and after the server forgets its clients, no event is missed', async () => {
    const inbox = new Inbox();
    const replay = new StreamingExtension.Replay(CHANNEL, -1);
    const client = conn.streaming.createClient([replay]);
    try {
      await subscribed(client.subscribe(CHANNEL, inbox.listener));
      await setStatus('Escalated');
      await inbox.until(1);

      // The held connect is cut; the client keeps its id, retries, and collects what was queued meanwhile.
      await control(fx.em, 'POST', `${orgPath()}/streaming/drop-connections`);
      await setStatus('Working');
      await inbox.until(2);

      // Clients forgotten (expiry, restart): faye gets 403::Unknown client, handshakes again and resubscribes;
      // the Replay extension asks for events after the last replay id it saw, so the change made meanwhile arrives.
      await control(fx.em, 'POST', `${orgPath()}/streaming/expire-clients`);
      await setStatus('Escalated');
      await inbox.until(3, 30_000);
      const statuses = inbox.events.map((e) => e.payload['Status']);
      assert.deepEqual(statuses, ['Escalated', 'Working', 'Escalated']);
      const ids = inbox.events.map((e) => e.event.replayId);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        'in replay order, none twice',
      );
      assert.equal(new Set(ids).size, ids.length);
    } finally {
      await end(client);
    }
  });
});

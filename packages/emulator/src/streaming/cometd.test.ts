// The emulator's CometD endpoint over HTTP, message by message: what a Bayeux client sees for handshake, connect,
// subscribe, replay, change events, permissions and the faults it must heal from.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.js';

type Msg = Record<string, unknown>;
interface Header {
  entityName: string;
  recordIds: string[];
  changeType: string;
  changedFields: string[];
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
}
interface EventData {
  payload: Record<string, unknown> & { ChangeEventHeader: Header };
  event: { replayId: number };
}

const V = '62.0';
const CASE_CHANNEL = '/data/CaseChangeEvent';

void describe('CometD endpoint (/cometd/<version>)', () => {
  let h: Harness;
  let token = '';
  let caseId = '';

  const bayeux = async (messages: Msg[], auth = token): Promise<Msg[]> => {
    const res = await fetch(`${h.url}/cometd/${V}`, {
      method: 'POST',
      headers: { authorization: `OAuth ${auth}`, 'content-type': 'application/json' },
      body: JSON.stringify(messages),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as Msg[];
  };
  const handshake = async (auth = token): Promise<string> => {
    const [reply] = await bayeux(
      [{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' }],
      auth,
    );
    assert.equal(reply?.['successful'], true, JSON.stringify(reply));
    const clientId = String(reply['clientId']);
    // every client's first connect, answered at once: the connects the tests send after it are held
    const [first] = await bayeux(
      [{ channel: '/meta/connect', clientId, connectionType: 'long-polling' }],
      auth,
    );
    assert.equal(first?.['successful'], true, JSON.stringify(first));
    return clientId;
  };
  const subscribe = async (
    clientId: string,
    channel: string,
    replay?: number,
    auth = token,
  ): Promise<Msg> => {
    const [reply] = await bayeux(
      [
        {
          channel: '/meta/subscribe',
          clientId,
          subscription: channel,
          id: '2',
          ...(replay !== undefined ? { ext: { replay: { [channel]: replay } } } : {}),
        },
      ],
      auth,
    );
    assert.ok(reply);
    return reply;
  };
  const connect = (clientId: string, auth = token): Promise<Msg[]> =>
    bayeux([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '3' }], auth);
  const eventsOf = (replies: Msg[], channel = CASE_CHANNEL): EventData[] =>
    replies.filter((m) => m['channel'] === channel).map((m) => m['data'] as EventData);
  const updateCase = async (fields: Record<string, unknown>, id = caseId): Promise<void> => {
    const res = await h.api('PATCH', `/services/data/v${V}/sobjects/Case/${id}`, { token, body: fields });
    assert.equal(res.status, 204, res.text);
  };
  const settings = async (body: unknown): Promise<void> => {
    const res = await h.control('PATCH', '/orgs/demo/settings', body);
    assert.equal(res.status, 200, res.text);
  };

  before(async () => {
    h = await startHarness();
    token = await h.login();
    // A Case of the integration user's own: View All lets it read the others, not edit them.
    const created = await h.api('POST', `/services/data/v${V}/sobjects/Case`, {
      token,
      body: { Subject: 'streamed case', Origin: 'Web' },
    });
    caseId = (created.json as { id: string }).id;
    const res = await h.control('PATCH', '/orgs/demo/streaming', { connectTimeoutMs: 150 });
    assert.equal(res.status, 200, res.text);
  });
  after(() => h.close());
  beforeEach(() => settings({ changeDataCaptureEntities: ['Case'] }));

  void it('answers a handshake with a client id, long-polling and the replay extension', async () => {
    const [reply] = await bayeux([
      { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' },
    ]);
    assert.equal(reply?.['successful'], true);
    assert.equal(typeof reply['clientId'], 'string');
    assert.deepEqual(reply['supportedConnectionTypes'], ['long-polling']);
    assert.deepEqual(reply['ext'], { replay: true, 'payload.format': true });
  });

  void it('answers the first connect after a handshake at once, with the subscribe batched with it', async () => {
    await h.control('PATCH', '/orgs/demo/streaming', { connectTimeoutMs: 5_000 });
    try {
      const [hello] = await bayeux([
        { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] },
      ]);
      const clientId = String(hello?.['clientId']);
      const started = performance.now();
      const replies = await bayeux([
        { channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '2' },
        { channel: '/meta/subscribe', clientId, subscription: CASE_CHANNEL, id: '3' },
      ]);
      assert.ok(performance.now() - started < 4_000, 'not held for the 5 s timeout');
      assert.deepEqual(
        replies.map((r) => [r['channel'], r['successful']]),
        [
          ['/meta/subscribe', true],
          ['/meta/connect', true],
        ],
      );
      assert.deepEqual((replies[1] as { advice?: unknown }).advice, {
        reconnect: 'retry',
        interval: 0,
        timeout: 5_000,
      });
    } finally {
      await h.control('PATCH', '/orgs/demo/streaming', { connectTimeoutMs: 150 });
    }
  });

  void it('holds a connect until the timeout, then advises retry with the interval and timeout', async () => {
    const clientId = await handshake();
    const replies = await connect(clientId);
    assert.deepEqual(replies, [
      {
        channel: '/meta/connect',
        id: '3',
        clientId,
        successful: true,
        advice: { reconnect: 'retry', interval: 0, timeout: 150 },
      },
    ]);
  });

  void it('delivers an UPDATE to Case on the held connect with Salesforce’s change event header', async () => {
    const clientId = await handshake();
    assert.equal((await subscribe(clientId, CASE_CHANNEL))['successful'], true);
    const polled = connect(clientId);
    const writtenFrom = h.clock.now().getTime();
    await updateCase({ Status: 'Working' });
    const writtenBy = h.clock.now().getTime();
    const [event, more] = eventsOf(await polled);
    assert.equal(more, undefined);
    assert.ok(event);
    const header = event.payload.ChangeEventHeader;
    assert.equal(header.entityName, 'Case');
    assert.equal(header.changeType, 'UPDATE');
    assert.deepEqual(header.recordIds, [caseId]);
    assert.ok(header.changedFields.includes('Status'));
    assert.ok(header.changedFields.includes('LastModifiedDate'));
    assert.equal(header.changedFields.includes('SystemModstamp'), false);
    assert.equal(header.commitUser, h.demo.integrationUserId);
    assert.equal(header.sequenceNumber, 1);
    assert.ok(header.commitTimestamp >= writtenFrom && header.commitTimestamp <= writtenBy);
    assert.equal(typeof header.transactionKey, 'string');
    assert.equal(typeof header.commitNumber, 'number');
    assert.equal(event.payload['Status'], 'Working');
    assert.match(String(event.payload['LastModifiedDate']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(event.payload['Subject'], undefined, 'an UPDATE carries only the changed fields');
    assert.equal(typeof event.event.replayId, 'number');
  });

  void it('sends CREATE with the record’s fields and DELETE with none', async () => {
    const clientId = await handshake();
    await subscribe(clientId, CASE_CHANNEL);
    const created = await h.api('POST', `/services/data/v${V}/sobjects/Case`, {
      token,
      body: { Subject: 'cdc create', Origin: 'Web' },
    });
    const id = (created.json as { id: string }).id;
    // The integration user may not delete Cases; an admin's delete is a transaction like any other.
    h.org.data.remove('Case', id, h.demo.integrationUserId);
    const events = eventsOf(await connect(clientId));
    assert.deepEqual(
      events.map((e) => e.payload.ChangeEventHeader.changeType),
      ['CREATE', 'DELETE'],
    );
    const [create, del] = events;
    assert.equal(create?.payload['Subject'], 'cdc create');
    assert.equal(create?.payload['Status'], 'New');
    assert.deepEqual(create?.payload.ChangeEventHeader.changedFields, []);
    assert.deepEqual(Object.keys(del?.payload ?? {}), ['ChangeEventHeader']);
    assert.ok((del?.event.replayId ?? 0) > (create?.event.replayId ?? 0));
  });

  void it('sends nothing for an entity the admin has not selected for Change Data Capture', async () => {
    await settings({ changeDataCaptureEntities: [] });
    const clientId = await handshake();
    assert.equal((await subscribe(clientId, CASE_CHANNEL))['successful'], true);
    await updateCase({ Priority: 'High' });
    assert.deepEqual(eventsOf(await connect(clientId)), []);
  });

  void it('refuses the Case channel to a user without View All on Case or View All Data', async () => {
    const profile = h.org.data.addProfile({
      name: 'No View All',
      label: 'No View All',
      objectPermissions: { Case: { read: true, edit: true } },
      fieldPermissions: {},
      userPermissions: { apiEnabled: true },
    });
    const userId = h.org.data.addUser({
      username: 'noviewall@example.com',
      lastName: 'Plain',
      profileId: profile.id,
    });
    const now = h.clock.now().getTime();
    const plain = h.em.tokens.mint(h.org.orgId, userId, undefined, ['api'], 3_600_000, now).token;
    const clientId = await handshake(plain);
    const refused = await subscribe(clientId, CASE_CHANNEL, undefined, plain);
    assert.equal(refused['successful'], false);
    assert.match(String(refused['error']), /^403::/);
    // /data/ChangeEvents takes the subscription and withholds what the user may not see.
    assert.equal((await subscribe(clientId, '/data/ChangeEvents', undefined, plain))['successful'], true);
    await updateCase({ Priority: 'Low' });
    assert.deepEqual(eventsOf(await connect(clientId, plain), '/data/ChangeEvents'), []);
  });

  void it('delivers every selected entity’s events on /data/ChangeEvents to a View All Data user', async () => {
    const admin = await h.login(h.demo.adminUsername);
    const clientId = await handshake(admin);
    await subscribe(clientId, '/data/ChangeEvents', undefined, admin);
    await updateCase({ Priority: 'Medium' });
    const [event] = eventsOf(await connect(clientId, admin), '/data/ChangeEvents');
    assert.equal(event?.payload.ChangeEventHeader.entityName, 'Case');
  });

  void it('replays all retained events with -2, those after a stored replay id, and none with -1', async () => {
    const first = await handshake();
    await subscribe(first, CASE_CHANNEL);
    await updateCase({ Status: 'Escalated' });
    await updateCase({ Status: 'Working' });
    const live = eventsOf(await connect(first));
    assert.equal(live.length, 2);
    const firstId = live[0]?.event.replayId ?? -99;

    const all = await handshake();
    await subscribe(all, CASE_CHANNEL, -2);
    const replayed = eventsOf(await connect(all)).map((e) => e.event.replayId);
    assert.ok(replayed.includes(firstId) && replayed.length >= 2);

    const after = await handshake();
    await subscribe(after, CASE_CHANNEL, firstId);
    assert.deepEqual(
      eventsOf(await connect(after)).map((e) => e.event.replayId),
      [live[1]?.event.replayId],
    );

    const fresh = await handshake();
    await subscribe(fresh, CASE_CHANNEL, -1);
    assert.deepEqual(eventsOf(await connect(fresh)), []);
  });

  void it('keeps events 72 hours on the emulator clock, then refuses the expired replay id as Salesforce does', async () => {
    const clientId = await handshake();
    await subscribe(clientId, CASE_CHANNEL);
    await updateCase({ Status: 'Escalated' });
    const [old] = eventsOf(await connect(clientId));
    const oldId = old?.event.replayId ?? -99;
    h.clock.advance(71 * 3_600_000);
    token = await h.login();
    await updateCase({ Status: 'Working' });
    const within = await handshake();
    assert.equal((await subscribe(within, CASE_CHANNEL, oldId - 1))['successful'], true);
    h.clock.advance(2 * 3_600_000);
    token = await h.login();
    const late = await handshake();
    const refused = await subscribe(late, CASE_CHANNEL, oldId - 1);
    assert.equal(refused['successful'], false);
    assert.equal(
      refused['error'],
      `400::The replayId {${oldId - 1}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
    );
    const all = await handshake();
    await subscribe(all, CASE_CHANNEL, -2);
    const kept = eventsOf(await connect(all)).map((e) => e.event.replayId);
    assert.equal(kept.includes(oldId), false, 'the 73-hour-old event is gone');
    assert.equal(kept.length, 1);
  });

  void it('answers a stale client id with 403::Unknown client and advice to handshake', async () => {
    const clientId = await handshake();
    const expired = await h.control('POST', '/orgs/demo/streaming/expire-clients');
    assert.equal(expired.status, 200);
    const [reply] = await connect(clientId);
    assert.equal(reply?.['successful'], false);
    assert.equal(reply['error'], '403::Unknown client');
    assert.deepEqual(reply['advice'], { reconnect: 'handshake', interval: 0 });
    const [sub] = await bayeux([
      { channel: '/meta/subscribe', clientId, subscription: CASE_CHANNEL, id: '9' },
    ]);
    assert.equal(sub?.['error'], '403::Unknown client');
  });

  void it('forgets a client that does not reconnect within the interval (on the emulator clock)', async () => {
    const clientId = await handshake();
    await connect(clientId);
    h.clock.advance(41_000);
    const [reply] = await connect(clientId);
    assert.equal(reply?.['error'], '403::Unknown client');
  });

  void it('ends the stream with 401::Authentication invalid when the session expires mid-stream', async () => {
    const own = await h.login();
    const clientId = await handshake(own);
    h.em.tokens.revoke(own);
    const [reply] = await connect(clientId, own);
    assert.equal(reply?.['error'], '401::Authentication invalid');
    assert.deepEqual(reply['advice'], { reconnect: 'none', interval: 0 });
    const [shake] = await bayeux([{ channel: '/meta/handshake', version: '1.0', id: '1' }], own);
    assert.equal(shake?.['error'], '403::Handshake denied');
  });

  void it('unsubscribe stops delivery; disconnect forgets the client', async () => {
    const clientId = await handshake();
    await subscribe(clientId, CASE_CHANNEL);
    const [unsub] = await bayeux([
      { channel: '/meta/unsubscribe', clientId, subscription: CASE_CHANNEL, id: '4' },
    ]);
    assert.equal(unsub?.['successful'], true);
    await updateCase({ Priority: 'High' });
    assert.deepEqual(eventsOf(await connect(clientId)), []);
    const [bye] = await bayeux([{ channel: '/meta/disconnect', clientId, id: '5' }]);
    assert.equal(bye?.['successful'], true);
    assert.equal((await connect(clientId))[0]?.['error'], '403::Unknown client');
  });

  void it('cuts a held long-poll without an answer on the drop fault', async () => {
    const clientId = await handshake();
    await h.control('PATCH', '/orgs/demo/streaming', { connectTimeoutMs: 5_000 });
    try {
      const polled = connect(clientId);
      await new Promise((r) => setTimeout(r, 50));
      const dropped = await h.control('POST', '/orgs/demo/streaming/drop-connections');
      assert.deepEqual(dropped.json, { dropped: 1 });
      await assert.rejects(polled);
    } finally {
      await h.control('PATCH', '/orgs/demo/streaming', { connectTimeoutMs: 150 });
    }
  });
});

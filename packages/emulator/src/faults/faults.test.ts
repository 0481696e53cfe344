// Fault injection over HTTP: scripted errors, latency, dropped connections before and after the write, rates
// from a seeded PRNG, and faults that stop by themselves.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdjustableClock } from '../clock.js';
import { startHarness, type Harness } from '../testing/harness.js';
import { FaultInjector } from './fault-injector.js';

let h: Harness;
let token: string;
const V = '/services/data/v62.0';

before(async () => {
  h = await startHarness({ contacts: 5, cases: 2 });
  token = await h.login();
});
after(() => h.close());

async function addFault(spec: Record<string, unknown>): Promise<void> {
  const res = await h.control('POST', '/faults', spec);
  assert.equal(res.status, 201, res.text);
}

async function countCases(subject: string): Promise<number> {
  const q = encodeURIComponent(`SELECT COUNT() FROM Case WHERE Subject = '${subject}'`);
  const res = await h.api('GET', `${V}/query?q=${q}`, { token });
  return (res.json as { totalSize: number }).totalSize;
}

describe('scripted faults', () => {
  it('answers the next N matching requests with 503 SERVER_UNAVAILABLE, then serves normally', async () => {
    await addFault({ kind: 'server-unavailable', method: 'GET', path: '*/sobjects', count: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await h.api('GET', `${V}/sobjects`, { token });
      assert.equal(res.status, 503);
      assert.deepEqual(res.json, [
        { message: 'Server unavailable. Please try again later.', errorCode: 'SERVER_UNAVAILABLE' },
      ]);
    }
    assert.equal((await h.api('GET', `${V}/sobjects`, { token })).status, 200);
    assert.deepEqual((await h.control('GET', '/faults')).json, []);
  });

  it('injects 403, 401 and UNABLE_TO_LOCK_ROW with their Salesforce bodies', async () => {
    const cases: [string, number, string][] = [
      ['request-limit', 403, 'REQUEST_LIMIT_EXCEEDED'],
      ['invalid-session', 401, 'INVALID_SESSION_ID'],
      ['unable-to-lock-row', 400, 'UNABLE_TO_LOCK_ROW'],
    ];
    for (const [kind, status, errorCode] of cases) {
      await addFault({ kind, path: `${V}/limits` });
      const res = await h.api('GET', `${V}/limits`, { token });
      assert.equal(res.status, status);
      assert.equal((res.json as { errorCode: string }[])[0]?.errorCode, errorCode);
    }
  });

  it('only matches its method, path and org', async () => {
    await addFault({ kind: 'server-unavailable', method: 'POST', path: '*/sobjects/Case', org: 'demo' });
    assert.equal((await h.api('GET', `${V}/sobjects/Case`, { token })).status, 200);
    assert.equal((await h.api('POST', `${V}/sobjects/Case`, { token, body: { Subject: 'x' } })).status, 503);
  });

  it('adds latency', async () => {
    await addFault({ kind: 'latency', latencyMs: 150, path: `${V}/sobjects` });
    const started = Date.now();
    assert.equal((await h.api('GET', `${V}/sobjects`, { token })).status, 200);
    assert.ok(Date.now() - started >= 140);
  });
});

describe('dropped connections', () => {
  it('drop-after applies the write, then closes the socket without an answer', async () => {
    await addFault({ kind: 'drop-after', method: 'POST', path: `${V}/sobjects/Case` });
    await assert.rejects(h.api('POST', `${V}/sobjects/Case`, { token, body: { Subject: 'dropped after' } }));
    assert.equal(await countCases('dropped after'), 1);
    const log = await h.control(
      'GET',
      `/calls?method=POST&path=${encodeURIComponent(`${V}/sobjects/Case`)}&limit=1`,
    );
    const entry = (log.json as { calls: Record<string, unknown>[] }).calls[0];
    assert.equal(entry?.['errorCode'], 'CONNECTION_DROPPED');
    assert.equal(entry?.['counted'], true);
  });

  it('drop-before closes the socket and applies nothing', async () => {
    await addFault({ kind: 'drop-before', method: 'POST', path: `${V}/sobjects/Case` });
    await assert.rejects(h.api('POST', `${V}/sobjects/Case`, { token, body: { Subject: 'dropped before' } }));
    assert.equal(await countCases('dropped before'), 0);
  });
});

describe('fault lifetime and validation', () => {
  it('expires a fault after ttlMs of emulator time', async () => {
    await addFault({ kind: 'server-unavailable', path: `${V}/sobjects`, ttlMs: 60_000, rate: 1 });
    assert.equal((await h.api('GET', `${V}/sobjects`, { token })).status, 503);
    assert.equal((await h.api('GET', `${V}/sobjects`, { token })).status, 503);
    h.clock.advance(61_000);
    assert.equal((await h.api('GET', `${V}/sobjects`, { token })).status, 200);
  });

  it('rejects bad fault specs with 400 and a message', async () => {
    for (const spec of [
      { kind: 'boom' },
      { kind: 'latency' },
      { kind: 'server-unavailable', rate: 2, count: 1 },
      { kind: 'server-unavailable', rate: 0.5 },
      { kind: 'server-unavailable', path: '^(' },
    ]) {
      const res = await h.control('POST', '/faults', spec);
      assert.equal(res.status, 400, JSON.stringify(spec));
      assert.equal(typeof (res.json as { error: string }).error, 'string');
    }
  });

  it('hits a reproducible share of requests at a given rate', () => {
    const pick = (): boolean[] => {
      const injector = new FaultInjector(new AdjustableClock(), 7);
      injector.add({ kind: 'server-unavailable', rate: 0.3, count: 1000 });
      return Array.from({ length: 200 }, () => injector.take('00D', 'GET', '/x') !== undefined);
    };
    const first = pick();
    assert.deepEqual(first, pick());
    const hits = first.filter(Boolean).length;
    assert.ok(hits > 40 && hits < 80, `hits ${hits}`);
  });
});

// The stdio server's bot API client: the bot API's coded errors come back as they were answered, the session goes
// only in the Authorization header, and a service that is down or answers something else is MCP_BOT_API_UNREACHABLE
// naming the URL without its credentials.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { silentLogger } from '../logging/logger.js';
import { botApiDesk } from './bot-api-desk.js';
import { failureOf } from './coded-error.js';

const SESSION = 'cbs_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

function answering(status: number, body: string, seen: Request[] = []): typeof fetch {
  return (input, init) => {
    seen.push(new Request(input, init));
    return Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json' } }));
  };
}

void test('a call sends the session as a bearer header only, and the idempotency key as its header', async () => {
  const seen: Request[] = [];
  const desk = botApiDesk({
    url: 'http://127.0.0.1:8789/',
    session: SESSION,
    fetch: answering(201, JSON.stringify({ number: '00001027', parts: 1, replayed: false }), seen),
  });
  assert.deepEqual(await desk.comment('00001027', 'hello', 'key-1'), {
    number: '00001027',
    parts: 1,
    replayed: false,
  });
  const [request] = seen;
  assert.equal(request?.url, 'http://127.0.0.1:8789/v1/tickets/00001027/comments');
  assert.equal(request?.headers.get('authorization'), `Bearer ${SESSION}`);
  assert.equal(request?.headers.get('idempotency-key'), 'key-1');
  assert.deepEqual(await request?.json(), { text: 'hello' });
  assert.ok(!request?.url.includes(SESSION));
});

void test('a base URL with a path keeps it: the bot API behind a proxy prefix', async () => {
  const seen: Request[] = [];
  const desk = botApiDesk({
    url: 'https://proxy.example.com/casebridge',
    session: SESSION,
    fetch: answering(200, JSON.stringify({ tickets: [] }), seen),
  });
  assert.deepEqual(await desk.list(), []);
  assert.equal(seen[0]?.url, 'https://proxy.example.com/casebridge/v1/tickets');
});

void test('a coded error of the bot API is the tool failure, as it was answered', async () => {
  const error = {
    code: 'BOT_TICKET_NOT_FOUND',
    message: 'No ticket 42 of yours was found.',
    fix: 'List them.',
  };
  const desk = botApiDesk({
    url: 'http://127.0.0.1:1',
    session: SESSION,
    fetch: answering(404, JSON.stringify({ error })),
  });
  await assert.rejects(desk.show('42'), (err: unknown) => {
    assert.deepEqual(failureOf(err, silentLogger()), error);
    return true;
  });
});

void test('no service, or an answer that is not a coded error: MCP_BOT_API_UNREACHABLE without credentials', async () => {
  const down = botApiDesk({
    url: 'http://user:secret@127.0.0.1:9/',
    session: SESSION,
    fetch: () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })),
  });
  await assert.rejects(down.list(), (err: unknown) => {
    const failure = failureOf(err, silentLogger());
    assert.equal(failure.code, 'MCP_BOT_API_UNREACHABLE');
    assert.match(failure.message, /http:\/\/127\.0\.0\.1:9\/v1\/tickets .*ECONNREFUSED/);
    assert.ok(!JSON.stringify(failure).includes('secret'));
    assert.ok(!JSON.stringify(failure).includes(SESSION));
    return true;
  });
  const proxy = botApiDesk({
    url: 'http://127.0.0.1:9',
    session: SESSION,
    fetch: answering(502, '<html>bad gateway</html>'),
  });
  await assert.rejects(proxy.list(), (err: unknown) => {
    assert.match(failureOf(err, silentLogger()).message, /HTTP 502, not JSON/);
    return true;
  });
});

void test('an error raised on no purpose is MCP_INTERNAL with a reference: no message, no stack, no session', () => {
  const failure = failureOf(new Error(`pool exploded with ${SESSION}`), silentLogger());
  assert.equal(failure.code, 'MCP_INTERNAL');
  assert.match(failure.message, /reference [0-9a-f-]{36}/);
  assert.ok(!JSON.stringify(failure).includes('exploded'));
});

// One delivery attempt against a real receiver on 127.0.0.1 (allowed explicitly): signed, sent to the checked
// address, never redirected, bounded in time and in what it reads, and classified for the outbox.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';

import { createLogger } from '../../logging/logger.js';
import { MAX_RESPONSE_BYTES, WebhookSender } from './send-webhook.js';
import { verifyWebhook } from './signature.js';
import { webhookUrlPolicy, type HostResolver } from './url-policy.js';

const SECRET = 'whsec_test-secret-0123456789abcdefghijklmnop';
const NOW = 1_764_600_000;

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function receiver(handler: Handler): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, received };
}

const local = webhookUrlPolicy({ allowHttp: true, allowedCidrs: ['127.0.0.1/32'] });
/** receiver.test resolves to the local receiver only through this resolver, never through the system's */
const lookups: string[] = [];
const resolve: HostResolver = (hostname) => {
  lookups.push(hostname);
  return hostname === 'receiver.test'
    ? Promise.resolve([{ address: '127.0.0.1', family: 4 }])
    : Promise.reject(Object.assign(new Error('no such host'), { code: 'ENOTFOUND' }));
};
const sender = (options: Partial<ConstructorParameters<typeof WebhookSender>[0]> = {}) =>
  new WebhookSender({ policy: local, nowSeconds: () => NOW, resolve, timeoutMs: 2_000, ...options });
const delivery = (url: string) => ({
  url,
  eventId: 'evt_42',
  body: JSON.stringify({ id: 'evt_42', text: 'Hallo 👋' }),
  secrets: [SECRET],
});

test('a delivery arrives signed, at the checked address, with the name kept as the Host header', async () => {
  const { port, received } = await receiver((_req, res) => res.writeHead(204).end());
  lookups.length = 0;
  const report = await sender().send(delivery(`http://receiver.test:${port}/hooks/cb?tenant=acme`));
  assert.deepEqual(report.outcome, { kind: 'delivered', status: 204 });
  assert.equal(report.address, '127.0.0.1');
  assert.deepEqual(lookups, ['receiver.test']);
  const [request] = received;
  assert.ok(request);
  assert.equal(request.method, 'POST');
  assert.equal(request.url, '/hooks/cb?tenant=acme');
  assert.equal(request.headers.host, `receiver.test:${port}`);
  assert.equal(request.headers['content-type'], 'application/json');
  assert.equal(request.headers['casebridge-event-id'], 'evt_42');
  assert.equal(request.body, delivery('').body);
  const verdict = verifyWebhook({
    body: request.body,
    timestamp: request.headers['casebridge-timestamp'] as string,
    signature: request.headers['casebridge-signature'] as string,
    secrets: [SECRET],
    nowSeconds: NOW + 5,
  });
  assert.deepEqual(verdict, { ok: true });
});

test('redirects are refused as permanent and the redirect target receives nothing', async () => {
  const target = await receiver((_req, res) => res.writeHead(200).end());
  const { port } = await receiver((_req, res) =>
    res.writeHead(307, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end(),
  );
  const report = await sender().send(delivery(`http://127.0.0.1:${port}/hook`));
  assert.equal(report.outcome.kind, 'permanent');
  assert.match(
    report.outcome.kind === 'permanent' ? report.outcome.reason : '',
    /redirect refused \(HTTP 307\)/,
  );
  assert.equal(target.received.length, 0);
});

test('statuses are classified: 5xx and 429 retried (with Retry-After), other 4xx permanent', async () => {
  const answers = [
    [503, { 'retry-after': '120' }],
    [429, { 'retry-after': new Date((NOW + 30) * 1000).toUTCString() }],
    [500, {}],
    [400, {}],
    [401, {}],
    [410, {}],
    [501, {}],
  ] as const;
  let next = 0;
  const { port } = await receiver((_req, res) => {
    const answer = answers[next++];
    if (answer) res.writeHead(answer[0], answer[1]).end('nope');
  });
  const url = `http://127.0.0.1:${port}/hook`;
  const outcomes = [];
  for (let i = 0; i < answers.length; i++) outcomes.push((await sender().send(delivery(url))).outcome);
  assert.deepEqual(outcomes, [
    { kind: 'retryable', status: 503, reason: 'HTTP 503', retryAfterSeconds: 120 },
    { kind: 'retryable', status: 429, reason: 'HTTP 429', retryAfterSeconds: 30 },
    { kind: 'retryable', status: 500, reason: 'HTTP 500' },
    { kind: 'permanent', status: 400, reason: 'HTTP 400' },
    { kind: 'permanent', status: 401, reason: 'HTTP 401' },
    { kind: 'permanent', status: 410, reason: 'HTTP 410' },
    { kind: 'permanent', status: 501, reason: 'HTTP 501' },
  ]);
});

test('a receiver that never answers is cut off at the timeout and retried later', async () => {
  const { port } = await receiver(() => undefined);
  const report = await sender({ timeoutMs: 150 }).send(delivery(`http://127.0.0.1:${port}/hook`));
  assert.deepEqual(report.outcome, { kind: 'retryable', reason: 'timeout' });
});

test('the timeout covers a resolver that hangs', async () => {
  const hanging: HostResolver = () => new Promise(() => undefined);
  const report = await sender({ timeoutMs: 100, resolve: hanging }).send(delivery('http://slow.test/hook'));
  assert.deepEqual(report.outcome, { kind: 'retryable', reason: 'timeout resolving host' });
});

test('an endless response is read up to 64 KB and no further', async () => {
  const { port } = await receiver((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  const report = await sender().send(delivery(`http://127.0.0.1:${port}/hook`));
  assert.deepEqual(report.outcome, { kind: 'delivered', status: 200 });
  assert.equal(report.responseTruncated, true);
  assert.equal(report.responseBytes, MAX_RESPONSE_BYTES);
});

test('a small response is read whole', async () => {
  const { port } = await receiver((_req, res) => res.writeHead(202).end('{"ok":true}'));
  const report = await sender().send(delivery(`http://127.0.0.1:${port}/hook`));
  assert.equal(report.responseBytes, 11);
  assert.equal(report.responseTruncated, false);
});

test('at send time the policy still applies: without the allow-list, 127.0.0.1 is refused and nothing is sent', async () => {
  const { port, received } = await receiver((_req, res) => res.writeHead(200).end());
  const strictHttp = webhookUrlPolicy({ allowHttp: true });
  const report = await sender({ policy: strictHttp }).send(delivery(`http://127.0.0.1:${port}/hook`));
  assert.equal(report.outcome.kind, 'permanent');
  assert.equal('code' in report.outcome ? report.outcome.code : '', 'NOTIFY_WEBHOOK_ADDRESS_BLOCKED');
  const https = await sender({ policy: webhookUrlPolicy({ allowedCidrs: ['127.0.0.1/32'] }) }).send(
    delivery(`http://127.0.0.1:${port}/hook`),
  );
  assert.equal('code' in https.outcome ? https.outcome.code : '', 'NOTIFY_WEBHOOK_URL_INSECURE');
  assert.equal(received.length, 0);
});

test('connection refused and unresolvable hosts are retryable', async () => {
  const { port } = await receiver(() => undefined);
  const closed = await new Promise<number>((resolvePort) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const free = (probe.address() as AddressInfo).port;
      probe.close(() => resolvePort(free));
    });
  });
  assert.ok(closed !== port);
  const refused = await sender().send(delivery(`http://127.0.0.1:${closed}/hook`));
  assert.deepEqual(refused.outcome, { kind: 'retryable', reason: 'ECONNREFUSED' });
  const unresolved = await sender().send(delivery('http://nowhere.test/hook'));
  assert.equal(unresolved.outcome.kind, 'retryable');
  assert.equal('code' in unresolved.outcome ? unresolved.outcome.code : '', 'NOTIFY_WEBHOOK_HOST_UNRESOLVED');
});

test('the attempt is logged by host and outcome, never with the body, the secret or the URL path', async () => {
  const { port } = await receiver((_req, res) => res.writeHead(500).end());
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ destination, level: 'debug' });
  await sender({ logger }).send(delivery(`http://receiver.test:${port}/hooks/t0ken-in-path?key=k3y`));
  const text = lines.join('');
  assert.match(text, /"msg":"webhook attempt"/);
  assert.match(text, /"outcome":"retryable"/);
  assert.match(text, new RegExp(`"host":"receiver.test:${port}"`));
  for (const leak of [SECRET, 'Hallo', 't0ken-in-path', 'k3y']) assert.ok(!text.includes(leak), leak);
});

test('a delivery with no active secret is never sent unsigned', async () => {
  const { port, received } = await receiver((_req, res) => res.writeHead(200).end());
  const report = await sender().send({ ...delivery(`http://127.0.0.1:${port}/hook`), secrets: [] });
  assert.equal(report.outcome.kind, 'permanent');
  assert.equal('code' in report.outcome ? report.outcome.code : '', 'NOTIFY_WEBHOOK_NO_SECRET');
  assert.equal(received.length, 0);
});

test('an IPv6 literal receiver (::1, allowed) is reached with its bracketed Host', async (t) => {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers.host ?? '');
    req.resume();
    res.writeHead(200).end();
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => resolve(true));
  });
  if (!listening) return t.skip('this machine has no IPv6 loopback');
  after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const v6 = webhookUrlPolicy({ allowHttp: true, allowedCidrs: ['::1/128'] });
  const report = await sender({ policy: v6 }).send(delivery(`http://[::1]:${port}/hook`));
  assert.deepEqual(report.outcome, { kind: 'delivered', status: 200 });
  assert.equal(report.address, '::1');
  assert.deepEqual(received, [`[::1]:${port}`]);
});

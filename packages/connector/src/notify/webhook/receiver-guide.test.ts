// The verification snippet in docs/webhooks.md is run as written against deliveries casebridge signed, and it
// gives the same answers as the connector's own verifier; a receiver deduplicating on the event id as the guide
// advises acts once on a re-sent event.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { WebhookSender } from './send-webhook.js';
import { signWebhook, verifyWebhook, WEBHOOK_HEADERS } from './signature.js';
import { webhookUrlPolicy } from './url-policy.js';

type Verify = (
  rawBody: Buffer | string,
  headers: Record<string, string | string[] | undefined>,
  secrets: string[],
  nowSeconds?: number,
) => boolean;

const guide = readFileSync(new URL('../../../../../docs/webhooks.md', import.meta.url), 'utf8');

async function loadSnippet(): Promise<Verify> {
  const match = /<!-- snippet:verify -->\n```js\n([\s\S]*?)\n```/.exec(guide);
  assert.ok(match?.[1], 'docs/webhooks.md has the verification snippet');
  const dir = mkdtempSync(join(tmpdir(), 'cb-webhook-guide-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'verify.mjs');
  writeFileSync(file, match[1]);
  const module = (await import(pathToFileURL(file).href)) as { verifyCasebridgeWebhook: Verify };
  return module.verifyCasebridgeWebhook;
}

const OLD = 'whsec_old-0123456789abcdefghijklmnopqrstuv';
const NEW = 'whsec_new-0123456789abcdefghijklmnopqrstuv';
const OTHER = 'whsec_zzz-0123456789abcdefghijklmnopqrstuv';
const NOW = 1_764_600_000;

test('the guide states the exact header names the signer sends', () => {
  for (const name of Object.values(WEBHOOK_HEADERS)) assert.ok(guide.includes(`\`${name}\``), name);
});

test("the guide's snippet accepts what casebridge signs and agrees with the connector's verifier", async () => {
  const snippet = await loadSnippet();
  const body = JSON.stringify({ id: 'evt_9', text: '日本語 and 👩🏽‍💻' });
  const cases: { signedWith: string[]; accepts: string[]; at: number; body?: string }[] = [
    { signedWith: [OLD, NEW], accepts: [OLD], at: NOW },
    { signedWith: [OLD, NEW], accepts: [NEW], at: NOW },
    { signedWith: [NEW], accepts: [OLD, NEW], at: NOW - 299 },
    { signedWith: [NEW], accepts: [OLD], at: NOW },
    { signedWith: [OLD, NEW], accepts: [OTHER], at: NOW },
    { signedWith: [NEW], accepts: [NEW], at: NOW - 301 },
    { signedWith: [NEW], accepts: [NEW], at: NOW + 301 },
    { signedWith: [NEW], accepts: [NEW], at: NOW, body: `${body} ` },
  ];
  const answers = cases.map(({ signedWith, accepts, at, body: received }) => {
    const signed = signWebhook({ eventId: 'evt_9', body, secrets: signedWith, timestampSeconds: at });
    const headers = {
      'casebridge-event-id': signed['Casebridge-Event-Id'],
      'casebridge-timestamp': signed['Casebridge-Timestamp'],
      'casebridge-signature': signed['Casebridge-Signature'],
    };
    const raw = Buffer.from(received ?? body, 'utf8');
    const fromGuide = snippet(raw, headers, accepts, NOW);
    const ours = verifyWebhook({
      body: raw,
      timestamp: headers['casebridge-timestamp'],
      signature: headers['casebridge-signature'],
      secrets: accepts,
      nowSeconds: NOW,
    }).ok;
    assert.equal(fromGuide, ours);
    return fromGuide;
  });
  assert.deepEqual(answers, [true, true, true, false, false, false, false, false]);
  assert.equal(snippet(body, {}, [NEW], NOW), false);
});

test('a receiver built from the guide verifies real deliveries and acts once on a re-sent event', async () => {
  const snippet = await loadSnippet();
  const processed = new Set<string>();
  const effects: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (!snippet(raw, req.headers, [NEW], NOW)) return void res.writeHead(401).end();
      const id = req.headers['casebridge-event-id'] as string;
      if (!processed.has(id)) {
        processed.add(id);
        effects.push(raw.toString('utf8'));
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  const sender = new WebhookSender({
    policy: webhookUrlPolicy({ allowHttp: true, allowedCidrs: ['127.0.0.1/32'] }),
    nowSeconds: () => NOW,
  });
  const event = { url, eventId: 'evt_1', body: '{"n":1}', secrets: [OLD, NEW] };
  const outcomes = [];
  outcomes.push((await sender.send(event)).outcome.kind);
  outcomes.push((await sender.send(event)).outcome.kind);
  outcomes.push((await sender.send({ ...event, eventId: 'evt_2', body: '{"n":2}' })).outcome.kind);
  outcomes.push((await sender.send({ ...event, eventId: 'evt_3', secrets: [OTHER] })).outcome.kind);
  assert.deepEqual(outcomes, ['delivered', 'delivered', 'delivered', 'permanent']);
  assert.deepEqual(effects, ['{"n":1}', '{"n":2}']);
});

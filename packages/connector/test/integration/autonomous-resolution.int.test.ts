// Autonomous resolution end to end, as the service runs it: openRuntime + startBackgroundWork (ticket monitoring polls
// the emulator, the outbox delivers to a signed webhook receiver and keeps the offer in the conversation), the
// resolution run called directly (its recurring job is switched off here so the test decides when it runs), and the
// employee answering over the bot API. Cases are filed directly in the emulator, by a user who is not casebridge.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';
import { SignJWT } from 'jose';

import { loadConfig } from '../../src/config/load-config.js';
import { ConversationTurnSchema } from '../../src/http/bot/contracts.js';
import { buildBotApp } from '../../src/http/bot-app.js';
import { silentLogger } from '../../src/logging/logger.js';
import {
  openRuntime,
  startBackgroundWork,
  ticketMonitorJobFor,
  type BackgroundWork,
  type Runtime,
} from '../../src/main.js';
import { addEmulatorTenant } from '../helpers/emulator-tenant.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const TENANT = 'acme';
const ISSUER = 'https://bot.example.com';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
let tmp: string;
let em: StartedEmulator;
let rt: Runtime;
let work: BackgroundWork;
let receiver: WebhookReceiver;
let bot: string;
let closeBot: () => Promise<void>;
let creatorId: string;
let agentId: string;
let jti = 0;
let keys = 0;

const userId = (username: string): string => String(em.org.data.getUser(username)?.['Id']);
const record = (id: string): Record<string, unknown> => em.org.data.peek(id)?.record ?? {};
const commentsOf = (caseId: string): { body: string; isPublic: boolean }[] =>
  em.org.data
    .query(
      { userId: em.demo?.integrationUserId ?? '' } as never,
      `SELECT CommentBody, IsPublished FROM CaseComment WHERE ParentId = '${caseId}' ORDER BY CreatedDate`,
    )
    .records.map((r) => ({ body: String(r['CommentBody']), isPublic: r['IsPublished'] === true }));

async function until(what: string, done: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * `n` ticket polls that start now: the service's own monitor job, run here instead of waiting up to its 10 s
 * interval (the schema's minimum). While the background run holds the tenant's poll lease, the run skips, and is
 * tried again once that poll is done.
 */
async function polls(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    let polled = false;
    const job = ticketMonitorJobFor(rt, (_tenant, outcome) => (polled = outcome.polled));
    const context = {
      job: job.name,
      tenantId: TENANT,
      log: silentLogger(),
      signal: new AbortController().signal,
      progress: () => undefined,
    };
    for (await job.run(context); !polled; await job.run(context)) await sleep(100);
  }
}

function employee(first: string): { email: string; contactId: string } {
  const email = `${first.toLowerCase()}.resolve@example.com`;
  const contactId = em.org.data.insert(
    'Contact',
    { FirstName: first, LastName: 'Resolve', Email: email },
    creatorId,
  );
  return { email, contactId };
}

/** a case as a web form files it: created, owned and last modified by a user who is not casebridge's */
function fileInOrg(contactId: string, subject: string): string {
  return em.org.data.insert(
    'Case',
    {
      Subject: subject,
      Description: subject,
      Status: 'New',
      Origin: 'Web',
      ContactId: contactId,
      OwnerId: creatorId,
    },
    creatorId,
  );
}

async function sessionFor(email: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  jti += 1;
  const token = await new SignJWT({ sub: email, jti: `r-${jti}-${now}`, exp: now + 300, iat: now })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(ISSUER)
    .setAudience(`casebridge:${TENANT}`)
    .sign(rsa.privateKey);
  const res = await fetch(`${bot}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: TENANT, identityToken: token }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { session: string }).session;
}

async function say(session: string, input: unknown): Promise<string> {
  keys += 1;
  const res = await fetch(`${bot}/v1/conversation/messages`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${session}`,
      'content-type': 'application/json',
      'idempotency-key': `r-${keys}`,
    },
    body: JSON.stringify(input),
  });
  const body: unknown = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  const turn = ConversationTurnSchema.parse(body);
  return turn.messages.flatMap((m) => (m.type === 'text' ? [m.text] : [])).join(' ');
}

/** the offer reached the webhook and, once delivered, the employee's conversation */
async function offerReached(session: string, caseNumber: string): Promise<void> {
  await until('the offer webhook', () =>
    receiver.requests.some((r) => {
      const body = JSON.parse(r.body) as { type: string; case: { number: string } };
      return body.type === 'case.resolution_offered' && body.case.number === caseNumber;
    }),
  );
  await until('the offer in the conversation', async () => {
    const res = await fetch(`${bot}/v1/conversation`, { headers: { authorization: `Bearer ${session}` } });
    const { turns } = (await res.json()) as {
      turns: { input: unknown; caseNumber: string | null; messages: { type: string }[] }[];
    };
    return turns.some(
      (t) => t.input === null && t.caseNumber === caseNumber && t.messages.some((m) => m.type === 'articles'),
    );
  });
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-resolution-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator'), dailyApiLimit: 1_000_000 });
  rt = await openRuntime(
    loadConfig({
      CASEBRIDGE_DATA_DIR: join(tmp, 'data'),
      CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 5).toString('base64'),
      CASEBRIDGE_WEBHOOK_ALLOW_HTTP: 'true',
      CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      CASEBRIDGE_AUTONOMOUS_RESOLUTION: 'false',
    }),
    {
      log: silentLogger(),
      inMemoryStore: true,
      outboxPolicy: { backoffBaseMs: 200, backoffMaxMs: 2_000, maxAttempts: 1_000, leaseMs: 60_000 },
    },
  );
  assert.throws(
    () => rt.jobKinds.get('autonomous-resolution'),
    'switched off by CASEBRIDGE_AUTONOMOUS_RESOLUTION',
  );
  await addEmulatorTenant(rt.admin, em, TENANT);
  await rt.admin.updateTenant(TENANT, { settings: { monitor: { intervalSeconds: 10, lookBackMinutes: 5 } } });
  await rt.store.bot.identity.put({
    tenantId: TENANT,
    issuer: ISSUER,
    audience: `casebridge:${TENANT}`,
    publicKeyPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    jwksUrl: null,
  });
  const { secret } = await rt.webhooks.set(TENANT, 'http://127.0.0.1:1/placeholder');
  assert.ok(secret !== null);
  receiver = await startWebhookReceiver({ secrets: [secret], nowSeconds: () => Date.now() / 1000 });
  await rt.webhooks.set(TENANT, receiver.url);
  await rt.knowledgeSync.run(TENANT);
  // closing a case someone else owns needs edit access to it: Modify All on Case (or a sharing rule) for the service user
  const grantId = em.demo?.permissionSetId ?? '';
  const grant = em.org.data.getGrant(grantId);
  em.org.data.updateGrant(grantId, {
    objectPermissions: {
      ...grant?.objectPermissions,
      Case: { ...grant?.objectPermissions['Case'], modifyAll: true },
    },
  });
  creatorId = userId(em.demo?.adminUsername ?? '');
  agentId = userId(em.demo?.agentUsernames[0] ?? '');
  const app = buildBotApp({ ...rt.bot, log: silentLogger(), version: 'test' });
  bot = await app.listen({ port: 0, host: '127.0.0.1' });
  closeBot = () => app.close();
  work = await startBackgroundWork(rt);
});

after(async () => {
  await closeBot();
  await work.stop();
  await rt.close();
  await receiver.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

void test('a ticket filed in the org is offered a fix, confirmed in the chat, closed with a public comment; a reopen is counted', async () => {
  const ada = employee('Ada');
  const caseId = fileInOrg(
    ada.contactId,
    'What payroll software is currently in operation for salary management?',
  );
  const number = String(record(caseId)['CaseNumber']);
  await polls(1);
  const run = await rt.bot.resolution.run(TENANT);
  assert.equal(run.offered, 1);
  const note = commentsOf(caseId).find((c) => !c.isPublic);
  assert.match(note?.body ?? '', /proposed this fix to the employee[\s\S]*Streamlining Payroll/);
  const s = await sessionFor(ada.email);
  await offerReached(s, number);
  const webhook = receiver.requests
    .map((r) => JSON.parse(r.body) as { type: string; offer?: { articles: { title: string }[] } })
    .find((b) => b.type === 'case.resolution_offered');
  assert.match(webhook?.offer?.articles[0]?.title ?? '', /Streamlining Payroll/);

  assert.match(await say(s, { text: 'yes, that solved it' }), new RegExp(`I closed ticket ${number}`));
  assert.equal(record(caseId)['Status'], 'Closed');
  const publicNote = commentsOf(caseId).find((c) => c.isPublic);
  assert.match(publicNote?.body ?? '', /employee confirmed in the chat[\s\S]*Streamlining Payroll/);
  const second = await rt.bot.resolution.run(TENANT);
  assert.equal(second.offered, 0, 'a case is considered once');

  // an agent reopens it: the funnel counts the reopen
  em.org.data.patch('Case', caseId, { Status: 'Working' }, agentId);
  await polls(2);
  assert.equal((await rt.bot.resolution.run(TENANT)).reopened, 1);
  const status = await rt.admin.status();
  const funnel = status.tenants.find((t) => t.id === TENANT)?.autonomousResolution;
  assert.equal(funnel?.confirmed, 1);
  assert.equal(funnel?.reopened, 1);
});

void test('an agent who comments between the offer and the confirmation keeps the case open', async () => {
  const ben = employee('Ben');
  const caseId = fileInOrg(
    ben.contactId,
    'Who is the independent assessor of the company’s financial statements?',
  );
  const number = String(record(caseId)['CaseNumber']);
  await polls(1);
  assert.equal((await rt.bot.resolution.run(TENANT)).offered, 1);
  const s = await sessionFor(ben.email);
  await offerReached(s, number);
  em.org.data.insert(
    'CaseComment',
    { ParentId: caseId, CommentBody: 'Looking at this now', IsPublished: true },
    agentId,
  );
  const answer = await say(s, { action: 'confirm-resolution', caseNumber: number });
  assert.match(answer, /already picked up ticket .* so I left it open/);
  assert.equal(record(caseId)['Status'], 'New');
  assert.ok(!commentsOf(caseId).some((c) => /employee confirmed/.test(c.body)));
});

void test('a declined offer stays with the agents and the details the employee adds reach the case', async () => {
  const cy = employee('Cy');
  const caseId = fileInOrg(
    cy.contactId,
    'Identify the legal counsel firm that provides consultancy for the company?',
  );
  const number = String(record(caseId)['CaseNumber']);
  await polls(1);
  assert.equal((await rt.bot.resolution.run(TENANT)).offered, 1);
  const s = await sessionFor(cy.email);
  await offerReached(s, number);
  assert.match(await say(s, { text: 'no' }), /stays with the support team\. Tell me anything/);
  assert.match(
    commentsOf(caseId)
      .map((c) => c.body)
      .join('\n'),
    /did not solve the problem; the case stays with you/,
  );
  assert.match(
    await say(s, { text: 'I need the firm for a contract in Germany, not the US one' }),
    /added that to ticket/,
  );
  const relayed = commentsOf(caseId).find((c) => c.isPublic && /contract in Germany/.test(c.body));
  assert.ok(relayed, 'the details reach the case as a public comment');
  assert.equal(record(caseId)['Status'], 'New');
  const funnel = await rt.bot.resolution.funnel(TENANT);
  assert.ok(funnel.declined >= 1 && funnel.offered >= 3);
});

void test('cases an agent touched, or the bot filed, or with a vague subject are not offered', async () => {
  const dee = employee('Dee');
  const touched = fileInOrg(dee.contactId, 'What is the motto of the company?');
  em.org.data.insert(
    'CaseComment',
    { ParentId: touched, CommentBody: 'internal triage', IsPublished: false },
    agentId,
  );
  const vague = fileInOrg(dee.contactId, 'How do you gain entry to conference room A-561?');
  const byBot = em.org.data.insert(
    'Case',
    {
      Subject: 'Under which stock ticker code is the company listed?',
      Status: 'New',
      ContactId: dee.contactId,
    },
    em.demo?.integrationUserId ?? '',
  );
  await polls(1);
  const before = await rt.bot.resolution.funnel(TENANT);
  const run = await rt.bot.resolution.run(TENANT);
  assert.equal(run.offered, 0);
  const reasons = await Promise.all(
    [touched, vague, byBot].map((id) => rt.store.resolutions.get(TENANT, id)),
  );
  assert.deepEqual(
    reasons.map((r) => [r?.status, r?.reason]),
    [
      ['ineligible', 'agent-commented'],
      ['not-offered', 'below-threshold'],
      ['ineligible', 'filed-by-bot'],
    ],
  );
  const afterRun = await rt.bot.resolution.funnel(TENANT);
  assert.equal(afterRun.eligible, before.eligible + 1, 'only the vague one was eligible');
});

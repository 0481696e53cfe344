// The conversation over the bot API against the emulator (the demo org's knowledge synced into the index): a
// question gets articles and "did this solve it?", "no" a prefilled ticket that files once per key, "status of N",
// "my tickets", "close my VPN ticket" (one match, several, none), a reply after a notification lands on its case,
// nonsense gets the help answer; history, deletion, and another employee's ticket answering like a missing one.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { type StartedEmulator } from '@casebridge/salesforce-emulator';
import { SignJWT } from 'jose';
import type { z } from 'zod';

import { ConversationTurnSchema } from '../../src/http/bot/contracts.js';
import { buildAdminApp } from '../../src/http/admin-app.js';
import { buildBotApp } from '../../src/http/bot-app.js';
import { silentLogger } from '../../src/logging/logger.js';
import { type Runtime } from '../../src/main.js';
import { BOT_AUDIENCE, BOT_ISSUER, openBotTenant } from '../helpers/bot-tenant.js';

const ISSUER = BOT_ISSUER;
const AUDIENCE = BOT_AUDIENCE;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

type Turn = z.output<typeof ConversationTurnSchema>;

let tmp: string;
let em: StartedEmulator;
let runtime: Runtime;
let base: string;
let close: () => Promise<void>;
let jti = 0;
let keys = 0;
let agentId: string;
const contacts: Record<string, string> = {};

function insert(
  sobject: string,
  fields: Record<string, unknown>,
  as = em.demo?.integrationUserId ?? '',
): string {
  return em.org.data.insert(sobject, fields, as);
}
const numberOf = (caseId: string): string => String(em.org.data.peek(caseId)?.record['CaseNumber']);
const statusOf = (caseId: string): string => String(em.org.data.peek(caseId)?.record['Status']);

async function call(
  method: string,
  path: string,
  options: { session?: string; body?: unknown; key?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (options.session !== undefined) headers['authorization'] = `Bearer ${options.session}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.key !== undefined) headers['idempotency-key'] = options.key;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

async function sessionFor(email: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  jti += 1;
  const token = await new SignJWT({ sub: email, jti: `c-${jti}-${now}`, exp: now + 300, iat: now })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .sign(rsa.privateKey);
  const res = await call('POST', '/v1/sessions', { body: { tenant: 'acme', identityToken: token } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return String(res.body['session']);
}

/** One turn; the answer must match the documented contract exactly. */
async function say(session: string, input: unknown, key = `k-${(keys += 1)}`): Promise<Turn> {
  const res = await call('POST', '/v1/conversation/messages', { session, body: input, key });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return ConversationTurnSchema.parse(res.body);
}

const texts = (turn: Turn): string =>
  turn.messages.flatMap((m) => (m.type === 'text' ? [m.text] : [])).join(' ');
function messageOf<T extends Turn['messages'][number]['type']>(
  turn: Turn,
  type: T,
): Extract<Turn['messages'][number], { type: T }> {
  const found = turn.messages.find((m) => m.type === type);
  assert.ok(found, `a ${type} message in ${JSON.stringify(turn.messages)}`);
  return found as Extract<Turn['messages'][number], { type: T }>;
}
const actionsOf = (turn: Turn): string[] => messageOf(turn, 'actions').actions.map((a) => a.action);

function person(first: string, last: string): string {
  const email = `${first}.${last}@example.com`.toLowerCase();
  contacts[email] = insert('Contact', { FirstName: first, LastName: last, Email: email });
  return email;
}
function caseOf(email: string, subject: string, status = 'New'): string {
  return insert('Case', {
    Subject: subject,
    Description: subject,
    Status: status,
    ContactId: contacts[email],
  });
}

before(async () => {
  ({ tmp, em, runtime } = await openBotTenant('cb-conversation-', rsa.publicKey));
  await runtime.knowledgeSync.run('acme');
  agentId = String(em.org.data.getUser(em.demo?.agentUsernames[0] ?? '')?.['Id']);
  const app = buildBotApp({ ...runtime.bot, log: silentLogger(), version: 'test' });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  close = () => app.close();
});

after(async () => {
  await close();
  await runtime.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

void test('a question gets articles and "did this solve it?"; "no" a prefilled ticket, filed once per key', async () => {
  const email = person('Quinn', 'Asker');
  const s = await sessionFor(email);
  const asked = await say(s, { text: 'How many staff members does Department X have?' });
  const { articles } = messageOf(asked, 'articles');
  assert.ok(articles.length >= 1 && articles.length <= 3);
  assert.match(articles[0]?.title ?? '', /Department X/);
  assert.match(texts(asked), /Did this solve it\?/);
  assert.deepEqual(actionsOf(asked), ['solved', 'not-solved']);

  const no = await say(s, { text: 'no, it did not' });
  const { draft } = messageOf(no, 'draft');
  assert.equal(draft.subject, 'How many staff members does Department X have?');
  assert.match(draft.description, /Articles already tried with the bot:\n- Understanding Department X/);
  assert.deepEqual(
    draft.articlesTried.map((a) => a.title),
    articles.map((a) => a.title),
  );
  assert.deepEqual(actionsOf(no), ['file-ticket', 'cancel']);

  const filed = await say(s, { action: 'file-ticket', subject: 'Headcount of Department X' }, 'file-1');
  const ticket = messageOf(filed, 'ticket').ticket;
  assert.equal(ticket.subject, 'Headcount of Department X');
  assert.equal(ticket.label, 'Received');
  const again = await say(s, { action: 'file-ticket' }, 'file-1');
  assert.deepEqual(again, filed, 'a retried key answers the same turn');
  const made = em.org.data.query(
    { userId: em.demo?.integrationUserId ?? '' } as never,
    `SELECT Id, Description FROM Case WHERE Subject = 'Headcount of Department X'`,
  ).records;
  assert.equal(made.length, 1, 'one Case for one key');
  assert.match(String(made[0]?.['Description']), /Articles already tried with the bot/);
});

void test('"yes" after articles ends the thread; nonsense and greetings get the help answer without a search', async () => {
  const s = await sessionFor(person('Sol', 'Ved'));
  await say(s, { text: 'Where can I park at Office #456?' });
  assert.match(texts(await say(s, { text: 'yes, thanks' })), /Glad that helped/);
  for (const nonsense of ['asdfgh qwrtz', '???!!!', 'xkcd brr']) {
    const answer = await say(s, { text: nonsense });
    assert.match(texts(answer), /did not understand/i, nonsense);
    assert.match(texts(answer), /my tickets/);
    assert.deepEqual(actionsOf(answer), ['my-tickets', 'file-ticket']);
  }
  assert.match(texts(await say(s, { text: 'hello' })), /^Hello! I can search/);
  const nothing = await say(s, { text: 'zorblax quibbitude' });
  assert.match(texts(nothing), /no help article/);
  assert.equal(messageOf(nothing, 'draft').draft.subject, 'zorblax quibbitude');
});

void test('"status of N" shows the ticket in the employee’s words with the latest agent comment; another’s is missing', async () => {
  const email = person('Stan', 'Tus');
  const other = person('Otto', 'Ther');
  const own = caseOf(email, 'Laptop battery swells', 'Working');
  insert('CaseComment', { ParentId: own, CommentBody: 'First look tomorrow', IsPublished: true }, agentId);
  insert('CaseComment', { ParentId: own, CommentBody: 'Replacement ordered', IsPublished: true }, agentId);
  insert(
    'CaseComment',
    { ParentId: own, CommentBody: 'internal: vendor RMA 7', IsPublished: false },
    agentId,
  );
  const theirs = caseOf(other, 'Not yours');
  const s = await sessionFor(email);
  const shown = await say(s, { text: `what's the status of ${numberOf(own)}?` });
  const card = messageOf(shown, 'ticket').ticket;
  assert.equal(card.label, 'In progress');
  assert.deepEqual(card.latestAgentComment?.body, 'Replacement ordered');
  assert.equal(shown.caseNumber, numberOf(own));
  const missing = await say(s, { text: `status of ${numberOf(theirs)}` });
  assert.match(texts(missing), new RegExp(`no ticket ${numberOf(theirs)} of yours`));
  assert.ok(!JSON.stringify(missing).includes('Not yours'));
  const list = await say(s, { text: 'my tickets' });
  assert.deepEqual(
    messageOf(list, 'tickets').tickets.map((t) => t.subject),
    ['Laptop battery swells'],
  );
});

void test('"close my VPN ticket": one match asks to confirm, then closes; two matches ask which; none lists all', async () => {
  const email = person('Cleo', 'Ser');
  const vpn = caseOf(email, 'VPN drops every hour');
  const printer = caseOf(email, 'Printer on floor 3 jams');
  const s = await sessionFor(email);
  const asked = await say(s, { text: 'please close my VPN ticket' });
  assert.match(texts(asked), new RegExp(`Close ticket ${numberOf(vpn)} "VPN drops every hour"\\?`));
  assert.deepEqual(messageOf(asked, 'actions').actions[0], {
    action: 'close-ticket',
    label: 'Close it',
    caseNumber: numberOf(vpn),
  });
  const closed = await say(s, { text: 'yes' });
  assert.match(texts(closed), new RegExp(`Ticket ${numberOf(vpn)} is closed`));
  assert.equal(statusOf(vpn), 'Closed');
  assert.equal(statusOf(printer), 'New');

  const vpn2 = caseOf(email, 'VPN client will not install');
  const vpn3 = caseOf(email, 'VPN token expired');
  const which = await say(s, { text: 'close the vpn case' });
  assert.match(texts(which), /More than one ticket matches/);
  assert.deepEqual(
    messageOf(which, 'tickets')
      .tickets.map((t) => t.number)
      .sort(),
    [numberOf(vpn2), numberOf(vpn3)].sort(),
  );
  await say(s, { action: 'close-ticket', caseNumber: numberOf(vpn3) });
  assert.equal(statusOf(vpn3), 'Closed');
  assert.equal(statusOf(vpn2), 'New');

  const none = await say(s, { text: 'close my payroll ticket' });
  assert.match(texts(none), /could not tell which ticket/);
  assert.equal(messageOf(none, 'tickets').tickets.length, 2);
  assert.match(texts(await say(s, { text: 'no' })), /nothing was changed/);
});

void test('a change by an agent since the employee saw the ticket keeps it open', async () => {
  const email = person('Agnes', 'Later');
  const vpn = caseOf(email, 'Wifi in room 5 is down');
  const s = await sessionFor(email);
  await say(s, { text: 'close my wifi ticket' });
  // the agent changes the case after the employee was shown it (a whole second later: If-Unmodified-Since is in seconds)
  await new Promise((resolve) => setTimeout(resolve, 1100));
  em.org.data.patch('Case', vpn, { Status: 'Working' }, agentId);
  const answer = await say(s, { text: 'yes' });
  assert.match(texts(answer), /changed ticket .* since you saw it, so I left it open/);
  assert.equal(statusOf(vpn), 'Working');
});

void test('after a notification, the employee’s next words land on that ticket; a text may name its ticket too', async () => {
  const email = person('Noa', 'Tify');
  const first = caseOf(email, 'Monitor flickers', 'Waiting on Employee');
  const second = caseOf(email, 'Keyboard missing keys', 'Working');
  const s = await sessionFor(email);
  await runtime.bot.conversation.speak(
    { tenantId: 'acme', employee: contacts[email] ?? '' },
    {
      messages: [
        { type: 'text', text: `The support team asked about ticket ${numberOf(first)}: which cable?` },
      ],
      caseNumber: numberOf(first),
      awaiting: 'reply',
    },
  );
  const replied = await say(s, { text: 'It is the HDMI cable from the dock' });
  assert.match(texts(replied), new RegExp(`added that to ticket ${numberOf(first)}`));
  const onFirst = await call('GET', `/v1/tickets/${numberOf(first)}`, { session: s });
  assert.match(JSON.stringify(onFirst.body['comments']), /HDMI cable from the dock/);
  // the next question is a question again
  assert.ok(messageOf(await say(s, { text: 'Where can I park at Office #456?' }), 'articles'));
  await say(s, { text: 'The F and J keys', caseNumber: numberOf(second) });
  const onSecond = await call('GET', `/v1/tickets/${numberOf(second)}`, { session: s });
  assert.match(JSON.stringify(onSecond.body['comments']), /The F and J keys/);
});

void test('history answers the turns in order; DELETE forgets them; bad input is a coded 400', async () => {
  const s = await sessionFor(person('Hist', 'Ory'));
  await say(s, { text: 'hello' });
  await say(s, { text: 'my tickets' });
  const history = await call('GET', '/v1/conversation', { session: s });
  assert.equal(history.status, 200);
  const turns = history.body['turns'] as Turn[];
  assert.deepEqual(
    turns.map((t) => t.input),
    [{ text: 'hello' }, { text: 'my tickets' }],
  );
  const otherHistory = await call('GET', '/v1/conversation', {
    session: await sessionFor(person('Else', 'Where')),
  });
  assert.deepEqual(otherHistory.body['turns'], []);
  assert.equal((await call('DELETE', '/v1/conversation', { session: s })).status, 204);
  assert.deepEqual((await call('GET', '/v1/conversation', { session: s })).body['turns'], []);
  const both = await call('POST', '/v1/conversation/messages', {
    session: s,
    key: 'b-1',
    body: { text: 'hi', action: 'solved' },
  });
  assert.equal(both.status, 400);
  assert.equal((both.body['error'] as { code: string }).code, 'BOT_BAD_REQUEST');
  const noKey = await call('POST', '/v1/conversation/messages', { session: s, body: { text: 'hi' } });
  assert.equal((noKey.body['error'] as { code: string }).code, 'BOT_IDEMPOTENCY_KEY_MISSING');
});

void test('an operator lists, exports and deletes one employee’s conversation (admin operations and admin API)', async () => {
  const email = person('Exa', 'Port');
  const s = await sessionFor(email);
  await say(s, { text: 'hello' });
  await say(s, { text: 'my tickets' });
  const contactId = contacts[email] ?? '';
  const listed = await runtime.admin.listConversations('acme');
  assert.equal(listed.find((c) => c.employee === contactId)?.turns, 2);
  const app = buildAdminApp({
    ops: runtime.admin,
    token: 'admin-token-for-tests-0123456789',
    log: silentLogger(),
  });
  const adminUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const auth = { authorization: 'Bearer admin-token-for-tests-0123456789' };
    const exported = await fetch(`${adminUrl}/v1/tenants/acme/conversations/${contactId}`, { headers: auth });
    assert.equal(exported.status, 200);
    const body = (await exported.json()) as { employee: string; turns: Turn[] };
    assert.deepEqual(
      body.turns.map((t) => t.input),
      [{ text: 'hello' }, { text: 'my tickets' }],
    );
    const deleted = await fetch(`${adminUrl}/v1/tenants/acme/conversations/${contactId}`, {
      method: 'DELETE',
      headers: auth,
    });
    assert.deepEqual(await deleted.json(), { removed: 1 });
    const missingTenant = await fetch(`${adminUrl}/v1/tenants/nope/conversations`, { headers: auth });
    assert.equal(missingTenant.status, 404);
  } finally {
    await app.close();
  }
  assert.deepEqual((await call('GET', '/v1/conversation', { session: s })).body['turns'], []);
  assert.deepEqual((await runtime.admin.exportConversation('acme', contactId)).turns, []);
});

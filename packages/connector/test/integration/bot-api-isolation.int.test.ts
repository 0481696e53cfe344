// The isolation sweep: every employee-scoped route of the bot API, called with another employee's ticket, another
// tenant's ticket (a second org whose case numbers overlap the first's), another tenant's session or key, answers
// as if the ticket did not exist and changes nothing. The actors include two demo-org Contacts that share one email
// (each chose their Contact) and an employee whom no Contact has, who files, comments and closes by email alone. The
// conversation's inputs that name a ticket (show, close, answer a resolution offer, reply) are swept the same way.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { buildBotApp } from '../../src/http/bot-app.js';
import { silentLogger } from '../../src/logging/logger.js';
import { BOT_OPERATIONS } from '../../src/http/bot/contracts.js';
import { botCall, startBotStack, type BotAnswer, type BotStack } from '../helpers/bot-api-kit.js';

let stack: BotStack;
let base: string;
let closeApp: () => Promise<void>;
const keys = new Map<string, string>();

interface Actor {
  name: string;
  tenant: string;
  session: string;
  /** the ticket this actor filed */
  number: string;
}
interface Ticket {
  number: string;
  state: string;
  updatedAt: string;
  comments: { body: string }[];
  tickets: { number: string }[];
  session: string;
  error?: { code: string; details: { candidates: { contactId: string }[] } };
}

const actors: Actor[] = [];

async function open(tenant: string, email: string, contactId?: string): Promise<string> {
  const res = await botCall<Ticket>(base, 'POST', '/v1/sessions', {
    apiKey: keys.get(tenant) ?? '',
    body: {
      tenant,
      identityToken: await stack.sign(tenant, { sub: email }),
      ...(contactId === undefined ? {} : { contactId }),
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.session;
}

async function actor(name: string, tenant: string, session: string): Promise<Actor> {
  const filed = await botCall<Ticket>(base, 'POST', '/v1/tickets', {
    apiKey: keys.get(tenant) ?? '',
    session,
    idempotencyKey: 'same-key-for-everyone',
    body: { subject: `${name}'s printer`, description: `The printer of ${name} jams.` },
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const made = { name, tenant, session, number: filed.body.number };
  actors.push(made);
  return made;
}

/** every route that names a ticket, with a harmless body */
const TICKET_ROUTES = [
  { method: 'GET', path: (n: string) => `/v1/tickets/${n}` },
  {
    method: 'POST',
    path: (n: string) => `/v1/tickets/${n}/comments`,
    body: { text: 'intruder' },
    idem: true,
  },
  { method: 'POST', path: (n: string) => `/v1/tickets/${n}/close`, body: {} },
  { method: 'POST', path: (n: string) => `/v1/tickets/${n}/reopen`, body: {} },
];

/** every conversation input that names a ticket: a button's action, or a text answering that ticket */
const CONVERSATION_INPUTS = [
  ...(['show-ticket', 'close-ticket', 'confirm-resolution', 'decline-resolution'] as const).map(
    (action) => (n: string) => ({ action, caseNumber: n }),
  ),
  (n: string) => ({ text: 'intruder says the printer works now', caseNumber: n }),
];

before(async () => {
  stack = await startBotStack(['acme', 'beta'], { separateOrgs: true });
  for (const tenant of ['acme', 'beta'])
    keys.set(tenant, (await stack.runtime.botKeys.create(tenant, 'sweep')).secret);
  const app = buildBotApp({
    ...stack.runtime.bot,
    apiKeys: stack.runtime.botKeys,
    log: silentLogger(),
    version: 't',
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  closeApp = () => app.close();

  stack.insert('Contact', { FirstName: 'Ada', LastName: 'Ng', Email: 'ada.sweep@example.com' });
  stack.insert('Contact', { FirstName: 'Ben', LastName: 'Ode', Email: 'ben.sweep@example.com' });
  stack.insert('Contact', { FirstName: 'Ada', LastName: 'Ng', Email: 'ada.sweep@example.com' }, 'beta');
  await actor('ada', 'acme', await open('acme', 'ada.sweep@example.com'));
  await actor('ben', 'acme', await open('acme', 'ben.sweep@example.com'));
  await actor('ada-at-beta', 'beta', await open('beta', 'ada.sweep@example.com'));
  await actor('nobody', 'acme', await open('acme', 'nobody.sweep@example.com'));

  // the demo org's Contacts that share one email: each chooses their own
  const demo = stack.em.demo?.contactIds ?? [];
  const emailOf = (id: string): string => {
    const value = stack.em.org.data.peek(id)?.record['Email'];
    return typeof value === 'string' ? value : '';
  };
  const shared = demo.find((id, i) => demo.findIndex((other) => emailOf(other) === emailOf(id)) !== i);
  assert.ok(shared !== undefined, 'the demo org has Contacts sharing an email');
  const email = emailOf(shared);
  const ambiguous = await botCall<Ticket>(base, 'POST', '/v1/sessions', {
    apiKey: keys.get('acme') ?? '',
    body: { tenant: 'acme', identityToken: await stack.sign('acme', { sub: email }) },
  });
  assert.equal(ambiguous.body.error?.code, 'BOT_EMPLOYEE_AMBIGUOUS');
  const [first, second] = ambiguous.body.error?.details.candidates ?? [];
  assert.ok(first !== undefined && second !== undefined);
  await actor('twin-1', 'acme', await open('acme', email, first.contactId));
  await actor('twin-2', 'acme', await open('acme', email, second.contactId));
});

after(async () => {
  await closeApp();
  await stack.close();
});

void test('one Idempotency-Key used by every employee files one ticket each, never another’s', () => {
  const acme = actors.filter((a) => a.tenant === 'acme').map((a) => a.number);
  assert.equal(new Set(acme).size, acme.length);
});

void test('every ticket route refuses every other employee’s and tenant’s ticket as missing, and changes nothing', async () => {
  // what each owner sees before the sweep
  const before = new Map<string, Ticket>();
  for (const owner of actors) {
    const seen = await botCall<Ticket>(base, 'GET', `/v1/tickets/${owner.number}`, {
      apiKey: keys.get(owner.tenant) ?? '',
      session: owner.session,
    });
    assert.equal(seen.status, 200, `${owner.name} sees their own ticket`);
    before.set(owner.name, seen.body);
  }
  let tried = 0;
  for (const intruder of actors)
    for (const owner of actors) {
      if (intruder === owner) continue;
      // a number that is also a case in the intruder's own org is theirs only if they filed it
      if (intruder.tenant !== owner.tenant && intruder.number === owner.number) continue;
      for (const route of TICKET_ROUTES) {
        const res = await botCall<Ticket>(base, route.method, route.path(owner.number), {
          apiKey: keys.get(intruder.tenant) ?? '',
          session: intruder.session,
          ...(route.body === undefined ? {} : { body: route.body }),
          ...(route.idem === true ? { idempotencyKey: randomUUID() } : {}),
        });
        tried += 1;
        assert.equal(res.status, 404, `${intruder.name} → ${owner.name}'s ${route.path(owner.number)}`);
        assert.equal(res.body.error?.code, 'BOT_TICKET_NOT_FOUND');
      }
      // the conversation reaches the same tickets through the bot's ticket service: the turn names nothing of theirs
      for (const input of CONVERSATION_INPUTS) {
        const turn = await botCall<Ticket>(base, 'POST', '/v1/conversation/messages', {
          apiKey: keys.get(intruder.tenant) ?? '',
          session: intruder.session,
          idempotencyKey: randomUUID(),
          body: input(owner.number),
        });
        tried += 1;
        const said = JSON.stringify(turn.body);
        assert.equal(turn.status, 201, `${intruder.name} → ${owner.name}'s ticket in conversation: ${said}`);
        assert.ok(
          !said.includes(`${owner.name}'s printer`),
          `${intruder.name} is shown ${owner.name}'s: ${said}`,
        );
      }
      const listed = await botCall<Ticket>(base, 'GET', '/v1/tickets', {
        apiKey: keys.get(intruder.tenant) ?? '',
        session: intruder.session,
      });
      if (intruder.tenant === owner.tenant)
        assert.ok(
          !listed.body.tickets.some((t) => t.number === owner.number),
          `${intruder.name} lists ${owner.name}'s`,
        );
    }
  assert.ok(
    tried >= actors.length * (actors.length - 2) * (TICKET_ROUTES.length + CONVERSATION_INPUTS.length),
  );
  for (const owner of actors) {
    const now = await botCall<Ticket>(base, 'GET', `/v1/tickets/${owner.number}`, {
      apiKey: keys.get(owner.tenant) ?? '',
      session: owner.session,
    });
    const was = before.get(owner.name);
    assert.equal(now.body.state, was?.state, `${owner.name}'s ticket kept its state`);
    assert.equal(now.body.updatedAt, was?.updatedAt, `${owner.name}'s ticket was not modified`);
    assert.ok(
      !now.body.comments.some((c) => c.body.includes('intruder')),
      `no comment reached ${owner.name}'s`,
    );
  }
});

void test('another tenant’s key with a session, or a session of another tenant, is refused on every employee route', async () => {
  const ada = actors.find((a) => a.name === 'ada');
  assert.ok(ada !== undefined);
  const employeeRoutes: readonly { method: string; path: string }[] = BOT_OPERATIONS.filter(
    (op) => op.session,
  );
  for (const op of employeeRoutes) {
    const route: string = op.path.split(':number').join(ada.number);
    const res: BotAnswer<Ticket> = await botCall<Ticket>(base, op.method, route, {
      apiKey: keys.get('beta') ?? '',
      session: ada.session,
      ...(op.method === 'POST' ? { body: {} } : {}),
      idempotencyKey: randomUUID(),
    });
    assert.equal(res.status, 401, `${op.method} ${route}`);
    assert.equal(res.body.error?.code, 'BOT_SESSION_INVALID');
  }
});

void test('an employee whom no Contact has sees, comments on and closes their own ticket by their email alone', async () => {
  const nobody = actors.find((a) => a.name === 'nobody');
  assert.ok(nobody !== undefined);
  const apiKey = keys.get('acme') ?? '';
  const listed = await botCall<Ticket>(base, 'GET', '/v1/tickets', { apiKey, session: nobody.session });
  assert.deepEqual(
    listed.body.tickets.map((t) => t.number),
    [nobody.number],
  );
  const comment = await botCall<Ticket>(base, 'POST', `/v1/tickets/${nobody.number}/comments`, {
    apiKey,
    session: nobody.session,
    idempotencyKey: randomUUID(),
    body: { text: 'Still jamming on page 2.' },
  });
  assert.equal(comment.status, 201, JSON.stringify(comment.body));
  const shown = await botCall<Ticket>(base, 'GET', `/v1/tickets/${nobody.number}`, {
    apiKey,
    session: nobody.session,
  });
  assert.ok(shown.body.comments.some((c) => c.body.includes('Still jamming on page 2.')));
  const closed = await botCall<Ticket>(base, 'POST', `/v1/tickets/${nobody.number}/close`, {
    apiKey,
    session: nobody.session,
    body: {},
  });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
});

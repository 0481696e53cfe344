// The calling platform's API keys on the bot API as served (buildBotApp with the runtime's keys and the store's
// request counts): no key, a forged or revoked key and another tenant's key are refused; a rotation keeps both keys
// valid until it is finished; limits per key and per employee hold across two workers sharing one store; the
// identity token's zoneinfo becomes the employee's zone for reminders.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { buildAdminApp } from '../../src/http/admin-app.js';
import { buildBotApp } from '../../src/http/bot-app.js';
import { silentLogger } from '../../src/logging/logger.js';
import { botCall, startBotStack, type BotStack } from '../helpers/bot-api-kit.js';

let stack: BotStack;
let base: string;
let closeApp: () => Promise<void>;
let acmeKey: string;
let betaKey: string;

/** the fields the admin API's answers are read for */
interface AdminBody {
  secret: string;
  error: { code: string };
  keys: { name: string; state: string; prefix: string }[];
}

type Session = { session: string; employee: { contactId: string | null } };

function served(options: Partial<Parameters<typeof buildBotApp>[0]> = {}) {
  return buildBotApp({
    ...stack.runtime.bot,
    apiKeys: stack.runtime.botKeys,
    log: silentLogger(),
    version: 'test',
    ...options,
  });
}

async function sessionAt(url: string, apiKey: string, tenant: string, email: string, claims = {}) {
  return botCall<Session>(url, 'POST', '/v1/sessions', {
    apiKey,
    body: { tenant, identityToken: await stack.sign(tenant, { sub: email, ...claims }) },
  });
}

before(async () => {
  stack = await startBotStack(['acme', 'beta']);
  stack.insert('Contact', { FirstName: 'Ada', LastName: 'Ng', Email: 'ada.keys@example.com' });
  acmeKey = (await stack.runtime.botKeys.create('acme', 'teams-bot')).secret;
  betaKey = (await stack.runtime.botKeys.create('beta', 'teams-bot')).secret;
  const app = served();
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  closeApp = () => app.close();
});

after(async () => {
  await closeApp();
  await stack.close();
});

void test('every operation needs a live key of its tenant: none, forged or another tenant’s is refused', async () => {
  assert.match(acmeKey, /^cbk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
  const none = await botCall(base, 'POST', '/v1/sessions', { body: { tenant: 'acme', identityToken: 'x' } });
  assert.equal(none.status, 401);
  assert.equal(none.body.error?.code, 'BOT_API_KEY_INVALID');
  // same public id, another secret: the stored hash does not match
  const forged = `${acmeKey.slice(0, 17)}${'A'.repeat(43)}`;
  for (const apiKey of [forged, 'cbk_nothing', `${acmeKey}x`]) {
    const res = await botCall(base, 'GET', '/v1/me', { apiKey });
    assert.equal(res.status, 401);
    assert.equal(res.body.error?.code, 'BOT_API_KEY_INVALID');
    assert.ok(!JSON.stringify(res.body).includes(apiKey), 'a key is never echoed');
  }
  const ok = await sessionAt(base, acmeKey, 'acme', 'ada.keys@example.com');
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const mismatch = await sessionAt(base, betaKey, 'acme', 'ada.keys@example.com');
  assert.equal(mismatch.status, 403);
  assert.equal(mismatch.body.error?.code, 'BOT_API_KEY_TENANT_MISMATCH');
  // acme's session with beta's key: unknown, as if it did not exist
  const crossed = await botCall(base, 'GET', '/v1/me', { apiKey: betaKey, session: ok.body.session });
  assert.equal(crossed.status, 401);
  assert.equal(crossed.body.error?.code, 'BOT_SESSION_INVALID');
  assert.equal(
    (await botCall(base, 'GET', '/v1/me', { apiKey: acmeKey, session: ok.body.session })).status,
    200,
  );
  // the contract is open to read without a key
  assert.equal((await botCall(base, 'GET', '/v1/openapi.json')).status, 200);
});

void test('through the admin API: made once, listed without secrets, rotated with both valid, then revoked', async () => {
  const admin = buildAdminApp({
    ops: stack.runtime.admin,
    token: 'admin-token',
    log: silentLogger(),
    botKeys: stack.runtime.admin.bot,
  });
  const send = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) => {
    const res = await admin.inject({
      method,
      url,
      headers: { authorization: 'Bearer admin-token' },
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: res.statusCode, body: JSON.parse(res.body) as AdminBody };
  };
  try {
    const made = await send('POST', '/v1/tenants/acme/bot-keys', { name: 'intranet' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const first = made.body.secret;
    assert.equal((await send('POST', '/v1/tenants/acme/bot-keys', { name: 'intranet' })).status, 409);
    const badName = await send('POST', '/v1/tenants/acme/bot-keys', { name: 'has space' });
    assert.equal(badName.status, 400);
    assert.equal(badName.body.error.code, 'BOT_API_KEY_NAME_INVALID');

    const rotated = await send('POST', '/v1/tenants/acme/bot-keys/intranet/rotation');
    assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
    const second = rotated.body.secret;
    const again = await send('POST', '/v1/tenants/acme/bot-keys/intranet/rotation');
    assert.equal(again.body.error.code, 'BOT_API_KEY_ROTATION_PENDING');
    for (const key of [first, second])
      assert.equal((await sessionAt(base, key, 'acme', 'ada.keys@example.com')).status, 201);

    const listed = await send('GET', '/v1/tenants/acme/bot-keys');
    const keys = listed.body.keys;
    assert.deepEqual(
      keys.filter((k) => k.name === 'intranet').map((k) => k.state),
      ['retiring', 'active'],
    );
    assert.ok(!JSON.stringify(listed.body).includes(first.slice(17)), 'no secret is listed');
    assert.ok(keys.every((k) => /^cbk_[a-z0-9]{12}$/.test(k.prefix)));

    assert.equal((await send('POST', '/v1/tenants/acme/bot-keys/intranet/rotation/finish')).status, 200);
    const old = await sessionAt(base, first, 'acme', 'ada.keys@example.com');
    assert.equal(old.body.error?.code, 'BOT_API_KEY_INVALID');
    assert.equal((await sessionAt(base, second, 'acme', 'ada.keys@example.com')).status, 201);

    assert.equal((await send('DELETE', '/v1/tenants/acme/bot-keys/intranet')).status, 200);
    assert.equal((await sessionAt(base, second, 'acme', 'ada.keys@example.com')).status, 401);
    const gone = await send('DELETE', '/v1/tenants/acme/bot-keys/intranet');
    assert.equal(gone.body.error.code, 'BOT_API_KEY_NOT_FOUND');
    // the stored row holds a hash, not the key
    const stored = await stack.runtime.store.db.query<{ secret_hash: string }>(
      'SELECT secret_hash FROM bot_api_keys',
    );
    assert.ok(stored.rows.every((r) => /^[0-9a-f]{64}$/.test(r.secret_hash)));
    assert.ok(!stored.rows.some((r) => [first, second].some((k) => r.secret_hash.includes(k.slice(17)))));
  } finally {
    await admin.close();
  }
});

void test('per-employee and per-key limits are shared by the apps of a runtime (and through the store by workers on PostgreSQL): two together allow each once', async () => {
  stack.insert('Contact', { FirstName: 'Rita', LastName: 'Moe', Email: 'rita.keys@example.com' });
  const limited = { employeeLimit: { max: 4, windowMs: 60_000 }, keyLimit: { max: 1_000, windowMs: 60_000 } };
  const one = served(limited);
  const two = served(limited);
  const urls = [
    await one.listen({ port: 0, host: '127.0.0.1' }),
    await two.listen({ port: 0, host: '127.0.0.1' }),
  ];
  try {
    const rita = (await sessionAt(urls[0] ?? '', acmeKey, 'acme', 'rita.keys@example.com')).body.session;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await botCall(urls[i % 2] ?? '', 'GET', '/v1/me', { apiKey: acmeKey, session: rita })).status,
      );
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    const over = await botCall(urls[1] ?? '', 'GET', '/v1/me', { apiKey: acmeKey, session: rita });
    assert.equal(over.body.error?.code, 'BOT_RATE_LIMITED');
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
  const keyed = { keyLimit: { max: 3, windowMs: 60_000 } };
  const three = served(keyed);
  const four = served(keyed);
  const more = [
    await three.listen({ port: 0, host: '127.0.0.1' }),
    await four.listen({ port: 0, host: '127.0.0.1' }),
  ];
  const fresh = (await stack.runtime.botKeys.create('acme', 'kiosk')).secret;
  const other = (await stack.runtime.botKeys.create('acme', 'kiosk-2')).secret;
  try {
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(await botCall(more[i % 2] ?? '', 'POST', '/v1/sessions', { apiKey: fresh, body: {} }));
    assert.deepEqual(
      answers.map((a) => a.status),
      [400, 400, 400, 429],
    );
    assert.equal(answers[3]?.body.error?.code, 'BOT_KEY_RATE_LIMITED');
    // another key of the same tenant is not held back
    assert.equal(
      (await botCall(more[0] ?? '', 'POST', '/v1/sessions', { apiKey: other, body: {} })).status,
      400,
    );
  } finally {
    await Promise.all([three.close(), four.close()]);
  }
});

void test("the identity token's zoneinfo becomes the employee's zone for reminders; an unknown zone is ignored", async () => {
  const tom = stack.insert('Contact', { FirstName: 'Tom', LastName: 'Ito', Email: 'tom.keys@example.com' });
  const made = await sessionAt(base, acmeKey, 'acme', 'tom.keys@example.com', { zoneinfo: 'Asia/Tokyo' });
  assert.equal(made.status, 201);
  assert.equal((await stack.runtime.store.employeeZones.getMany('acme', [tom])).get(tom), 'Asia/Tokyo');
  const junk = await sessionAt(base, acmeKey, 'acme', 'tom.keys@example.com', { zoneinfo: 'Mars/Olympus' });
  assert.equal(junk.status, 201, 'a bad zone never costs the employee their session');
  assert.equal((await stack.runtime.store.employeeZones.getMany('acme', [tom])).get(tom), 'Asia/Tokyo');
});

// The bot API's limits are the operator's settings: a service started with CASEBRIDGE_BOT_EMPLOYEE_RATE_LIMIT and
// CASEBRIDGE_BOT_KEY_RATE_LIMIT refuses the call past each (docs/configuration.md), on the bot listener as served.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startService, type RunningService } from '../../src/cli/service.js';
import { botCall, startBotStack, type BotStack } from '../helpers/bot-api-kit.js';

let stack: BotStack;
let service: RunningService;

before(async () => {
  stack = await startBotStack(['acme'], {
    env: {
      CASEBRIDGE_BOT_EMPLOYEE_RATE_LIMIT: '2',
      CASEBRIDGE_BOT_KEY_RATE_LIMIT: '6',
      CASEBRIDGE_BOT_PORT: '0',
      CASEBRIDGE_ADMIN_PORT: '0',
      CASEBRIDGE_HTTP_PORT: '0',
    },
  });
  stack.insert('Contact', { FirstName: 'Lena', LastName: 'Ort', Email: 'lena.limits@example.com' });
  service = await startService(stack.runtime);
});

after(async () => {
  await service.stop();
  await stack.close();
});

void test('the served bot API allows each employee and each key the calls a minute the settings give, no more', async () => {
  const apiKey = (await stack.runtime.botKeys.create('acme', 'limits-bot')).secret;
  const opened = await botCall<{ session: string }>(service.botUrl, 'POST', '/v1/sessions', {
    apiKey,
    body: {
      tenant: 'acme',
      identityToken: await stack.sign('acme', { sub: 'lena.limits@example.com' }),
    },
  });
  assert.equal(opened.status, 201);
  const me = [];
  for (let i = 0; i < 3; i++)
    me.push(await botCall(service.botUrl, 'GET', '/v1/me', { apiKey, session: opened.body.session }));
  assert.deepEqual(
    me.map((a) => a.status),
    [200, 200, 429],
  );
  assert.equal(me[2]?.body.error?.code, 'BOT_RATE_LIMITED');
  assert.match(me[2]?.body.error?.message ?? '', /at most 2 /);
  // the key has spent 4 of its 6 (the session and three calls): two more, then it is refused too
  const more = [];
  for (let i = 0; i < 3; i++)
    more.push(await botCall(service.botUrl, 'POST', '/v1/sessions', { apiKey, body: {} }));
  assert.deepEqual(
    more.map((a) => a.status),
    [400, 400, 429],
  );
  assert.equal(more[2]?.body.error?.code, 'BOT_KEY_RATE_LIMITED');
});

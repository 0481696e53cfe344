// An employee whom no Contact has files a ticket under a name longer than Case.SuppliedName holds (80 characters):
// on the emulator over HTTP, the name is shortened visibly, never silently, and kept whole in the description.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startService, type RunningService } from '../../src/cli/service.js';
import { botCall, startBotStack, type BotStack } from '../helpers/bot-api-kit.js';

let stack: BotStack;
let service: RunningService;

before(async () => {
  stack = await startBotStack(['acme'], {
    env: { CASEBRIDGE_BOT_PORT: '0', CASEBRIDGE_ADMIN_PORT: '0', CASEBRIDGE_HTTP_PORT: '0' },
  });
  service = await startService(stack.runtime);
});

after(async () => {
  await service.stop();
  await stack.close();
});

void test('a contactless filing under a 120-character name: Web Name shortened with "…", the whole name in the description', async () => {
  const name = `Maximiliane ${'von '.repeat(24)}Hohenzollern-Sigmaringen`;
  assert.ok(name.length > 80);
  const apiKey = (await stack.runtime.botKeys.create('acme', 'name-bot')).secret;
  const opened = await botCall<{ session: string }>(service.botUrl, 'POST', '/v1/sessions', {
    apiKey,
    body: {
      tenant: 'acme',
      identityToken: await stack.sign('acme', { sub: 'maxi.long@example.com', name }),
    },
  });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const filed = await botCall<{ number: string }>(service.botUrl, 'POST', '/v1/tickets', {
    apiKey,
    session: opened.body.session,
    idempotencyKey: 'long-name-1',
    body: { subject: 'Laptop will not boot', description: 'Black screen after the logo.' },
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const [made] = stack.em.org.data.query(
    { userId: stack.em.demo?.integrationUserId ?? '' } as never,
    `SELECT SuppliedName, SuppliedEmail, Description FROM Case WHERE CaseNumber = '${filed.body.number}'`,
  ).records;
  const suppliedName = String(made?.['SuppliedName']);
  assert.equal(made?.['SuppliedEmail'], 'maxi.long@example.com');
  assert.ok(suppliedName.length <= 80, suppliedName);
  assert.ok(suppliedName.endsWith('…'), `marked as shortened: ${suppliedName}`);
  assert.ok(name.startsWith(suppliedName.slice(0, -1)));
  assert.match(
    String(made?.['Description']),
    /^Black screen after the logo\.\n\nName \(shortened in Web Name\): (.*)\n\n/,
  );
  assert.ok(String(made?.['Description']).includes(`: ${name}\n`), 'the whole name, once');
});

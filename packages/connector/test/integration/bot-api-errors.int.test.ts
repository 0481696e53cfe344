// A request no operation can take, on each listener: the bot listener (its operations, the web chat, /mcp) answers
// with its own codes whose fixes name its own docs, never the admin API's, never a 500 or a stack trace; the admin
// API keeps its codes.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';

import type { StartedEmulator } from '@casebridge/salesforce-emulator';
import type { FastifyInstance, InjectOptions } from 'fastify';

import { buildAdminApp } from '../../src/http/admin-app.js';
import { buildBotApp } from '../../src/http/bot-app.js';
import { DEFAULT_BODY_LIMIT } from '../../src/http/create-server.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { Runtime } from '../../src/main.js';
import { mountMcpEndpoint } from '../../src/mcp/http-endpoint.js';
import { openBotTenant } from '../helpers/bot-tenant.js';

interface WireError {
  code: string;
  message: string;
  fix: string;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ADMIN_TOKEN = 'admin-token-for-error-tests';
let tmp: string;
let em: StartedEmulator;
let runtime: Runtime;
let bot: FastifyInstance;
let admin: FastifyInstance;
let apiKey: string;

before(async () => {
  ({ tmp, em, runtime } = await openBotTenant('cb-bot-errors-', rsa.publicKey));
  apiKey = (await runtime.botKeys.create('acme', 'errors')).secret;
  // as cli/service.ts serves it: keys, the web chat and /mcp on the one listener
  bot = buildBotApp({
    ...runtime.bot,
    apiKeys: runtime.botKeys,
    chat: runtime.chat,
    log: silentLogger(),
    version: 'test',
  });
  mountMcpEndpoint(bot, {
    sessions: runtime.bot.sessions,
    tickets: runtime.bot.tickets,
    log: silentLogger(),
    version: 'test',
    clock: runtime.clock,
  });
  admin = buildAdminApp({ ops: runtime.admin, token: ADMIN_TOKEN, log: silentLogger() });
});

after(async () => {
  await bot.close();
  await admin.close();
  await runtime.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The coded answer, checked for what every refusal must be: a 4xx in the one shape, no stack trace. */
async function refusal(app: FastifyInstance, request: InjectOptions, status: number): Promise<WireError> {
  const response = await app.inject(request);
  assert.equal(response.statusCode, status, response.body);
  assert.doesNotMatch(response.body, /\n\s+at |\.ts:\d+/, 'never a stack trace');
  return response.json<{ error: WireError }>().error;
}

/** A bot API refusal: its own code, and a fix that sends the developer to the bot API's docs, not the admin API's. */
function assertBotApiWords(error: WireError, code: string): void {
  assert.equal(error.code, code);
  assert.match(error.fix, /docs\/bot-api\.md/);
  assert.doesNotMatch(`${error.message} ${error.fix}`, /admin/i);
}

/** as a platform calls: with its API key, which admission checks before any body is read */
const headers = (extra: Record<string, string>): Record<string, string> => ({
  'x-api-key': apiKey,
  ...extra,
});

void test('bad JSON on a bot API operation is 400 BOT_BAD_REQUEST pointing at docs/bot-api.md', async () => {
  const error = await refusal(
    bot,
    {
      method: 'POST',
      url: '/v1/sessions',
      headers: headers({ 'content-type': 'application/json' }),
      payload: '{"tenant": "acme",',
    },
    400,
  );
  assertBotApiWords(error, 'BOT_BAD_REQUEST');
  assert.match(error.message, /not valid JSON/);
});

void test('a body in another content type is 415 BOT_UNSUPPORTED_MEDIA_TYPE naming it and the OpenAPI document', async () => {
  for (const [url, contentType] of [
    ['/v1/sessions', 'text/plain'],
    ['/v1/sessions', 'application/xml'],
    ['/chat/acme/session', 'text/plain'],
  ] as const) {
    const error = await refusal(
      bot,
      { method: 'POST', url, headers: headers({ 'content-type': contentType }), payload: 'tenant=acme' },
      415,
    );
    assertBotApiWords(error, 'BOT_UNSUPPORTED_MEDIA_TYPE');
    assert.match(error.message, new RegExp(contentType.replace('/', '\\/')), url);
    assert.match(error.fix, /application\/json/);
    assert.match(error.fix, /\/v1\/openapi\.json/);
  }
});

void test('a body over the limit is 413 BOT_BODY_TOO_LARGE stating the limit', async () => {
  const error = await refusal(
    bot,
    {
      method: 'POST',
      url: '/v1/sessions',
      headers: headers({ 'content-type': 'application/json' }),
      payload: JSON.stringify({ tenant: 'acme', identityToken: 'x'.repeat(DEFAULT_BODY_LIMIT) }),
    },
    413,
  );
  assertBotApiWords(error, 'BOT_BODY_TOO_LARGE');
  assert.match(error.message, new RegExp(String(DEFAULT_BODY_LIMIT)));
});

void test('an unknown path or a method no operation has is 404 BOT_ROUTE_NOT_FOUND naming both', async () => {
  for (const [method, url] of [
    ['GET', '/v1/tenants'],
    ['GET', '/v1/sessions'],
    ['PUT', '/v1/tickets/00001001'],
    ['GET', '/chat/acme/nothing-here'],
  ] as const) {
    const error = await refusal(bot, { method, url: `${url}?q=1`, headers: headers({}) }, 404);
    assertBotApiWords(error, 'BOT_ROUTE_NOT_FOUND');
    assert.match(error.message, new RegExp(`${method} ${url}\\.$`), 'the path without its query');
    assert.match(error.fix, /\/v1\/openapi\.json/);
  }
});

void test('a NUL byte or a __proto__ key is BOT_INPUT_REFUSED, not the admin API’s code', async () => {
  const error = await refusal(
    bot,
    {
      method: 'POST',
      url: '/v1/sessions',
      headers: headers({ 'content-type': 'application/json' }),
      payload: '{"tenant":"acme","__proto__":{"x":1}}',
    },
    400,
  );
  assertBotApiWords(error, 'BOT_INPUT_REFUSED');
});

void test('/mcp answers a transport it cannot read with MCP codes naming docs/mcp.md, not the bot API’s operations', async () => {
  const cases: [Record<string, string>, string, number, string][] = [
    [{ 'content-type': 'application/json' }, '{"jsonrpc":', 400, 'MCP_BAD_REQUEST'],
    [{ 'content-type': 'text/plain' }, 'initialize', 415, 'MCP_UNSUPPORTED_MEDIA_TYPE'],
    [
      { 'content-type': 'application/json' },
      `"${'x'.repeat(DEFAULT_BODY_LIMIT)}"`,
      413,
      'MCP_BODY_TOO_LARGE',
    ],
    [{ 'content-type': 'application/json' }, '{"jsonrpc":"2.0","\\u0000":1}', 400, 'MCP_INPUT_REFUSED'],
  ];
  for (const [extra, payload, status, code] of cases) {
    const error = await refusal(bot, { method: 'POST', url: '/mcp', headers: extra, payload }, status);
    assert.equal(error.code, code);
    assert.match(error.fix, /docs\/mcp\.md/, code);
    assert.doesNotMatch(`${error.message} ${error.fix}`, /admin|bot-api\.md/i, code);
  }
});

void test('the admin API keeps its own codes and its own docs for the same requests', async () => {
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const badJson = await refusal(
    admin,
    {
      method: 'POST',
      url: '/v1/tenants',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{',
    },
    400,
  );
  assert.equal(badJson.code, 'ADMIN_BAD_REQUEST');
  const tooLarge = await refusal(
    admin,
    {
      method: 'POST',
      url: '/v1/tenants',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: `"${'x'.repeat(DEFAULT_BODY_LIMIT)}"`,
    },
    413,
  );
  assert.equal(tooLarge.code, 'ADMIN_BODY_TOO_LARGE');
  const missing = await refusal(admin, { method: 'GET', url: '/v1/nothing', headers: auth }, 404);
  assert.equal(missing.code, 'ADMIN_NOT_FOUND');
  assert.match(missing.fix, /docs\/admin-api\.md/);
  for (const error of [badJson, tooLarge, missing])
    assert.doesNotMatch(`${error.code} ${error.fix}`, /BOT_|bot-api/);
});

void test('an unexpected failure on the bot listener is 500 BOT_INTERNAL with a reference, never the error itself', async () => {
  const broken = buildBotApp({
    ...runtime.bot,
    // a failure no code of ours describes, raised where every operation passes
    apiKeys: { verify: () => Promise.reject(new TypeError('secret-ish internals at line 42')) },
    log: silentLogger(),
    version: 'test',
  });
  try {
    const error = await refusal(broken, { method: 'GET', url: '/v1/me', headers: headers({}) }, 500);
    assert.equal(error.code, 'BOT_INTERNAL');
    assert.match(error.message, /reference [0-9a-f-]{36}/);
    assert.doesNotMatch(`${error.message} ${error.fix}`, /internals|TypeError|admin/i);
  } finally {
    await broken.close();
  }
});

// The MCP tool server driven by the SDK's own client over both transports against the emulator: stdio (`casebridge
// mcp` as a child process, calling the bot API) and Streamable HTTP (/mcp on the bot listener). Every tool's success
// and bad input, another employee's case number, an expired session, a call without one, a refused web Origin, an
// MCP session that another employee's session tries to use, and a session of another tenant.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { type StartedEmulator } from '@casebridge/salesforce-emulator';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { SignJWT } from 'jose';

import type { Clock } from '../../src/domain/ports.js';
import { silentLogger } from '../../src/logging/logger.js';
import { type Runtime } from '../../src/main.js';
import { mountMcpEndpoint } from '../../src/mcp/http-endpoint.js';
import { CASEBRIDGE_BIN, cliEnv } from '../helpers/cli-process.js';
import { BOT_AUDIENCE, BOT_ISSUER, botAppOn, openBotTenant } from '../helpers/bot-tenant.js';

const ISSUER = BOT_ISSUER;
const AUDIENCE = BOT_AUDIENCE;
const ALLOWED_ORIGIN = 'https://assistant.example.com';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

let tmp: string;
let em: StartedEmulator;
let runtime: Runtime;
let bot: string;
let stopBot: () => Promise<void>;
let benCase: string;
let jti = 0;
/** the sessions' clock: tests move it to expire a session */
let now = Date.now();
const clock: Clock = { now: () => new Date(now) };

const ADA = 'ada.ng@example.com';
const BEN = 'ben.ode@example.com';

interface Failure {
  code: string;
  message: string;
  fix: string;
  details?: { issues?: { path: string; message: string }[] };
}

function insert(sobject: string, fields: Record<string, unknown>): string {
  return em.org.data.insert(sobject, fields, em.demo?.integrationUserId ?? '');
}
const numberOf = (caseId: string): string => String(em.org.data.peek(caseId)?.record['CaseNumber']);

async function sessionFor(email: string): Promise<string> {
  jti += 1;
  const seconds = Math.floor(now / 1000);
  const token = await new SignJWT({ sub: email, jti: `mcp-${jti}-${seconds}` })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + 300)
    .sign(rsa.privateKey);
  const res = await fetch(`${bot}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'acme', identityToken: token }),
  });
  const body = (await res.json()) as { session: string };
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.session;
}

async function httpClient(
  session: string | undefined,
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = new Client({ name: 'mcp-int-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${bot}/mcp`), {
    requestInit: {
      headers: { ...(session === undefined ? {} : { authorization: `Bearer ${session}` }), ...headers },
    },
  });
  await client.connect(transport);
  return client;
}

interface StdioRun {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
}

function stdioTransport(env: Record<string, string>): {
  transport: StdioClientTransport;
  stderr: () => string;
} {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CASEBRIDGE_BIN, 'mcp'],
    env: cliEnv(join(tmp, 'client-data'), { CASEBRIDGE_MCP_BOT_URL: bot, ...env }) as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return { transport, stderr: () => stderr };
}

async function stdioClient(session: string, tenant = 'acme'): Promise<StdioRun> {
  const { transport, stderr } = stdioTransport({
    CASEBRIDGE_MCP_SESSION: session,
    CASEBRIDGE_MCP_TENANT: tenant,
  });
  const client = new Client({ name: 'mcp-int-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr };
}

/** A stdio server that ends before it answers: its exit and what it said on stderr. */
async function stdioRefusal(env: Record<string, string>): Promise<string> {
  const { transport, stderr } = stdioTransport(env);
  const client = new Client({ name: 'mcp-int-test', version: '1.0.0' });
  const ended = new Promise<void>((resolve) => {
    client.onclose = resolve;
  });
  await assert.rejects(client.connect(transport));
  await ended;
  return stderr();
}

async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

const textOf = (result: CallToolResult): string =>
  result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

async function ok(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const result = await call(client, name, args);
  assert.notEqual(result.isError, true, `${name}: ${textOf(result)}`);
  assert.ok(textOf(result).length > 0, `${name} answers quotable text`);
  return result.structuredContent ?? {};
}

async function refused(client: Client, name: string, args: unknown): Promise<Failure> {
  const result = await call(client, name, args as Record<string, unknown>);
  assert.equal(result.isError, true, `${name} ${JSON.stringify(args)} should fail`);
  const failure = (result.structuredContent as { error: Failure }).error;
  assert.ok(failure.fix.length > 0, 'a coded error carries its fix');
  assert.ok(textOf(result).startsWith(`${failure.code}: `), 'the text names the code');
  assert.doesNotMatch(textOf(result), /\n\s+at /, 'never a stack trace');
  return failure;
}

before(async () => {
  ({ tmp, em, runtime } = await openBotTenant('cb-mcp-', rsa.publicKey));
  insert('Contact', { FirstName: 'Ada', LastName: 'Ng', Email: ADA });
  const benId = insert('Contact', { FirstName: 'Ben', LastName: 'Ode', Email: BEN });
  benCase = numberOf(insert('Case', { Subject: 'Ben only', Status: 'New', ContactId: benId }));
  const { app, sessions } = botAppOn(runtime, clock);
  mountMcpEndpoint(app, {
    sessions,
    tickets: runtime.bot.tickets,
    log: silentLogger(),
    version: 'test',
    allowedOrigins: [ALLOWED_ORIGIN],
    clock,
  });
  bot = await app.listen({ port: 0, host: '127.0.0.1' });
  stopBot = () => app.close();
});

after(async () => {
  await stopBot();
  await runtime.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Every tool, its success and its bad input, through one connected client (either transport). */
async function everyTool(client: Client, label: string): Promise<void> {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), [
    'close_ticket',
    'comment_on_ticket',
    'file_ticket',
    'list_my_tickets',
    'reopen_ticket',
    'search_knowledge',
    'show_ticket',
  ]);
  for (const tool of tools) {
    assert.ok((tool.description ?? '').length > 80, `${tool.name} says when to use it`);
    assert.equal(tool.inputSchema.type, 'object');
    assert.equal((tool.inputSchema as { additionalProperties?: boolean }).additionalProperties, false);
  }
  const file = tools.find((t) => t.name === 'file_ticket');
  assert.deepEqual([...(file?.inputSchema.required ?? [])].sort(), ['description', 'subject']);
  const fileProps = file?.inputSchema.properties as Record<
    string,
    { description?: string; maxLength?: number }
  >;
  assert.equal(fileProps['subject']?.maxLength, 255, 'the bot API contract’s limit');
  assert.ok(fileProps['idempotencyKey']?.description?.includes('same key'));
  assert.equal(tools.find((t) => t.name === 'search_knowledge')?.annotations?.readOnlyHint, true);

  // search knowledge
  const search = await ok(client, 'search_knowledge', { query: 'vpn', limit: 3 });
  assert.equal(search['tenantId'], 'acme');
  assert.equal(search['query'], 'vpn');
  const emptyQuery = await refused(client, 'search_knowledge', { query: '' });
  assert.equal(emptyQuery.code, 'BOT_BAD_REQUEST');
  assert.deepEqual(
    emptyQuery.details?.issues?.map((i) => i.path),
    ['query'],
  );
  assert.equal(
    (await refused(client, 'search_knowledge', { query: 'vpn', limit: 0 })).code,
    'BOT_BAD_REQUEST',
  );

  // file a ticket, once per idempotency key
  const subject = `Docking station (${label})`;
  const filed = await ok(client, 'file_ticket', {
    subject,
    description: 'The second monitor stays black since Monday.',
    idempotencyKey: `dock-${label}`,
  });
  assert.equal(filed['state'], 'NEW');
  const number = String(filed['number']);
  const again = await ok(client, 'file_ticket', {
    subject,
    description: 'The second monitor stays black since Monday.',
    idempotencyKey: `dock-${label}`,
  });
  assert.equal(again['number'], number, 'the same key files once');
  assert.equal((await refused(client, 'file_ticket', { subject: 'No description' })).code, 'BOT_BAD_REQUEST');
  assert.equal(
    (await refused(client, 'file_ticket', { subject: 'a', description: 'b', extra: true })).code,
    'BOT_BAD_REQUEST',
  );
  assert.equal(
    (await refused(client, 'file_ticket', { subject: 'a', description: 'b', idempotencyKey: 'has space' }))
      .code,
    'BOT_BAD_REQUEST',
  );

  // list my tickets: mine, never Ben's
  const listed = (await ok(client, 'list_my_tickets')) as { tickets: { number: string; subject: string }[] };
  assert.equal(listed.tickets.filter((t) => t.subject === subject).length, 1);
  assert.ok(!listed.tickets.some((t) => t.number === benCase));
  assert.equal((await refused(client, 'list_my_tickets', { all: true })).code, 'BOT_BAD_REQUEST');

  // show a ticket; another employee's number answers exactly like a missing one
  const shownResult = await call(client, 'show_ticket', { number });
  assert.match(textOf(shownResult), new RegExp(`Ticket #${number} "Docking station`));
  assert.match(
    String(shownResult.structuredContent?.['description']),
    /^The second monitor stays black since Monday\./,
  );
  assert.equal((await refused(client, 'show_ticket', { number: 'abc' })).code, 'BOT_BAD_REQUEST');
  const other = await refused(client, 'show_ticket', { number: benCase });
  const missing = await refused(client, 'show_ticket', { number: '99999999' });
  assert.equal(other.code, 'BOT_TICKET_NOT_FOUND');
  assert.deepEqual({ ...other, message: '' }, { ...missing, message: '' });

  // comment
  const commented = await ok(client, 'comment_on_ticket', {
    number,
    text: 'It works with the laptop screen closed.',
    idempotencyKey: `dock-comment-${label}`,
  });
  assert.deepEqual(commented, { number, parts: 1, replayed: false });
  const shown = (await ok(client, 'show_ticket', { number })) as { comments: { fromAgent: boolean }[] };
  assert.deepEqual(
    shown.comments.map((c) => c.fromAgent),
    [false],
  );
  assert.equal((await refused(client, 'comment_on_ticket', { number, text: '' })).code, 'BOT_BAD_REQUEST');
  assert.equal(
    (await refused(client, 'comment_on_ticket', { number: benCase, text: 'Is it fixed?' })).code,
    'BOT_TICKET_NOT_FOUND',
  );

  // close, then reopen; a reopen of an open ticket is refused with its code
  const seen = (await ok(client, 'show_ticket', { number }))['updatedAt'];
  assert.equal(
    (await refused(client, 'close_ticket', { number, lastSeenUpdatedAt: 'yesterday' })).code,
    'BOT_BAD_REQUEST',
  );
  assert.equal((await refused(client, 'close_ticket', { number: benCase })).code, 'BOT_TICKET_NOT_FOUND');
  const closed = await ok(client, 'close_ticket', { number, lastSeenUpdatedAt: seen });
  assert.equal(closed['state'], 'CLOSED');
  assert.equal((await refused(client, 'reopen_ticket', { number: Number(number) })).code, 'BOT_BAD_REQUEST');
  assert.equal((await refused(client, 'reopen_ticket', { number: benCase })).code, 'BOT_TICKET_NOT_FOUND');
  const reopened = await ok(client, 'reopen_ticket', { number });
  assert.equal(reopened['state'], 'IN_PROGRESS');
  const twice = await refused(client, 'reopen_ticket', { number });
  assert.equal(twice.code, 'BOT_TICKET_STATE_REFUSED');

  assert.equal((await refused(client, 'delete_everything', {})).code, 'MCP_TOOL_UNKNOWN');
}

void test('Streamable HTTP: every tool works for the session’s employee, and bad input is a coded tool error', async () => {
  const client = await httpClient(await sessionFor(ADA));
  try {
    await everyTool(client, 'http');
  } finally {
    await client.close();
  }
});

void test('stdio (`casebridge mcp`): every tool works through the bot API; the session never reaches its log', async () => {
  const session = await sessionFor(ADA);
  const run = await stdioClient(session);
  try {
    assert.equal(run.client.getServerVersion()?.name, 'casebridge');
    await everyTool(run.client, 'stdio');
  } finally {
    await run.client.close();
  }
  assert.match(run.stderr(), /mcp tool call/, 'each call is logged on stderr');
  assert.ok(!run.stderr().includes(session), 'the session is never logged');
});

void test('an expired session: HTTP answers 401 BOT_SESSION_INVALID, stdio a coded tool error with the fix', async () => {
  const http = await httpClient(await sessionFor(ADA));
  const stdio = await stdioClient(await sessionFor(ADA));
  try {
    assert.equal((await call(http, 'list_my_tickets')).isError, undefined);
    now += 31 * 60_000;
    await assert.rejects(call(http, 'list_my_tickets'), (err: Error) => {
      assert.match(err.message, /BOT_SESSION_INVALID/);
      assert.match(err.message, /30 minutes/);
      return true;
    });
    const failure = await refused(stdio.client, 'list_my_tickets', {});
    assert.equal(failure.code, 'BOT_SESSION_INVALID');
    assert.match(failure.message, /30 minutes/);
    assert.match(failure.fix, /POST \/v1\/sessions/);
  } finally {
    now = Date.now();
    await http.close().catch(() => undefined);
    await stdio.client.close();
  }
});

void test('without a session: HTTP refuses to connect (401), stdio stops at start with MCP_SESSION_MISSING', async () => {
  await assert.rejects(httpClient(undefined), (err: Error) => {
    assert.match(err.message, /BOT_SESSION_INVALID/);
    assert.match(err.message, /no session in the Authorization header/);
    return true;
  });
  const raw = await fetch(`${bot}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  assert.equal(raw.status, 401);
  assert.match(raw.headers.get('www-authenticate') ?? '', /^Bearer /);
  const stderr = await stdioRefusal({ CASEBRIDGE_MCP_TENANT: 'acme' });
  assert.match(stderr, /MCP_SESSION_MISSING/);
  assert.match(stderr, /CASEBRIDGE_MCP_SESSION/);
});

void test('a foreign web Origin is refused with 403 MCP_ORIGIN_REFUSED; an allowed one and none are served', async () => {
  const session = await sessionFor(ADA);
  await assert.rejects(httpClient(session, { origin: 'https://evil.example.com' }), (err: Error) => {
    assert.match(err.message, /MCP_ORIGIN_REFUSED/);
    return true;
  });
  const raw = await fetch(`${bot}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${session}`,
      origin: 'http://localhost:8000',
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'page', version: '1' } },
    }),
  });
  assert.equal(raw.status, 403);
  assert.equal(((await raw.json()) as { error: Failure }).error.code, 'MCP_ORIGIN_REFUSED');
  const allowed = await httpClient(session, { origin: ALLOWED_ORIGIN });
  try {
    assert.ok((await ok(allowed, 'list_my_tickets'))['tickets']);
  } finally {
    await allowed.close();
  }
});

void test('an MCP session stays bound to its employee session: Ben’s session on Ada’s MCP session is refused', async () => {
  const ada = await sessionFor(ADA);
  const ben = await sessionFor(BEN);
  const transport = new StreamableHTTPClientTransport(new URL(`${bot}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${ada}` } },
  });
  const client = new Client({ name: 'mcp-int-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    const res = await fetch(`${bot}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ben}`,
        'mcp-session-id': transport.sessionId ?? '',
        'mcp-protocol-version': transport.protocolVersion ?? '2025-06-18',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/call',
        params: { name: 'list_my_tickets' },
      }),
    });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: Failure }).error.code, 'MCP_SESSION_MISMATCH');
    const unknown = await fetch(`${bot}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ada}`,
        'mcp-session-id': 'no-such-session',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'tools/list' }),
    });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: Failure }).error.code, 'MCP_SESSION_NOT_FOUND');
    // and Ada's own calls still work on it
    assert.ok((await ok(client, 'list_my_tickets'))['tickets']);
  } finally {
    await client.close();
  }
});

void test('stdio with a session of another tenant than CASEBRIDGE_MCP_TENANT stops with MCP_TENANT_MISMATCH', async () => {
  const session = await sessionFor(ADA);
  const stderr = await stdioRefusal({ CASEBRIDGE_MCP_SESSION: session, CASEBRIDGE_MCP_TENANT: 'globex' });
  assert.match(stderr, /MCP_TENANT_MISMATCH/);
  assert.ok(!stderr.includes(session));
});

// `casebridge console` as an operator runs it: against a running service (the service mints the link and serves
// the console) and with no service (the command serves it until stopped). The link opens a session once, is
// stripped by a redirect, and appears in no log line.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { cliEnv, parseJson, runCasebridge, startCasebridge, startServe } from '../helpers/cli-process.js';

interface Link {
  url: string;
  expiresAt: string;
  via: 'service' | 'local';
}

/** opens the link the way a browser does: 303 to /console with the session cookie; then the console answers */
async function openOnce(link: string): Promise<void> {
  const first = await fetch(link, { redirect: 'manual' });
  assert.equal(first.status, 303);
  assert.equal(first.headers.get('location'), '/console');
  const cookie = first.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^cb_console=[^;]+; Path=\/console; HttpOnly; SameSite=Strict$/);
  const origin = new URL(link).origin;
  const console = await fetch(`${origin}/console`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
  assert.equal(console.status, 200);
  assert.match(await console.text(), /<h1>Tenants<\/h1>/);
  assert.equal((await fetch(`${origin}/console`)).status, 401, 'no cookie, no console');
  assert.equal((await fetch(link, { redirect: 'manual' })).status, 401, 'a used link is refused');
}

void test('casebridge console asks the running service for a one-time link', async () => {
  const env = {
    ...cliEnv(mkdtempSync(join(tmpdir(), 'casebridge-console-cli-'))),
    CASEBRIDGE_LOG_LEVEL: 'debug',
  };
  const service = await startServe(env);
  try {
    const printed = await runCasebridge(['--json', 'console'], env);
    assert.equal(printed.code, 0, printed.stderr);
    const link = parseJson<Link>(printed.stdout);
    assert.equal(link.via, 'service');
    assert.ok(link.url.startsWith(`${service.adminUrl}/console/login?t=`));
    await openOnce(link.url);
    const token = new URL(link.url).searchParams.get('t') ?? '';
    assert.ok(token.length >= 40);
    assert.ok(
      !service.stdout().includes(token) && !service.stderr().includes(token),
      'the link is never logged',
    );
    assert.match(service.stderr(), /"path":"\/console\/login"/, 'the request was logged, without its query');
  } finally {
    await service.stop();
  }
});

void test('with no service, casebridge console serves the console itself until stopped', async () => {
  const env = cliEnv(mkdtempSync(join(tmpdir(), 'casebridge-console-local-')));
  const running = await startCasebridge(['--json', 'console'], env, /"url"/, 120_000);
  try {
    const link = parseJson<Link>(running.stdout());
    assert.equal(link.via, 'local');
    await openOnce(link.url);
    // other commands reach the store through this process while it holds it
    const listed = await runCasebridge(['--json', 'tenants', 'list'], env);
    assert.equal(listed.code, 0, listed.stderr);
  } finally {
    await running.stop();
  }
});

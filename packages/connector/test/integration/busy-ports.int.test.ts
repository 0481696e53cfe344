// The README's first command on a machine where another program holds the default ports: the demo takes free
// ports, says which, prints every URL and token a user needs, and says "stopped" on Ctrl-C. `serve` with a busy
// port fails at once with CONFIG_PORT_IN_USE naming the setting; no service.json is left naming a dead process.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { cliEnv, parseJson, runCasebridge, startCasebridge } from '../helpers/cli-process.js';

const DEFAULT_PORTS = [8787, 8788, 4711];
const occupiers: Server[] = [];
let tmp: string;

/** Holds `port` on 127.0.0.1 with a tiny server; a port another program already holds is just as busy. */
function occupy(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer((_req, res) => res.end('someone else'));
    server.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' ? resolve() : reject(err),
    );
    server.listen(port, '127.0.0.1', () => {
      occupiers.push(server);
      resolve();
    });
  });
}

/** The child's environment with the casebridge ports left at their defaults. */
function defaultPortsEnv(data: string): NodeJS.ProcessEnv {
  const env = cliEnv(data);
  delete env['CASEBRIDGE_HTTP_PORT'];
  delete env['CASEBRIDGE_ADMIN_PORT'];
  return env;
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-busy-'));
  for (const port of DEFAULT_PORTS) await occupy(port);
});

after(async () => {
  await Promise.all(occupiers.map((server) => new Promise((done) => server.close(done))));
  rmSync(tmp, { recursive: true, force: true });
});

void test('the demo takes free ports when the defaults are busy and prints every URL, token and next command', async () => {
  const data = join(tmp, 'demo');
  const demo = await startCasebridge(['demo'], defaultPortsEnv(data), /Press Ctrl-C to stop\./, 240_000);
  try {
    const out = demo.stdout();
    for (const port of DEFAULT_PORTS)
      assert.match(out, new RegExp(`port ${port} was busy, so port \\d+ was taken instead`), out);
    assert.match(out, /set CASEBRIDGE_HTTP_PORT to choose/);
    const statusUrl = /status API +(http:\/\/127\.0\.0\.1:\d+)\/v1\/status/.exec(out)?.[1];
    const control = /control plane +(http:\/\/127\.0\.0\.1:\d+\/__emulator) +token (\S+)/.exec(out);
    assert.ok(statusUrl && control, out);
    assert.ok(!DEFAULT_PORTS.includes(Number(new URL(statusUrl).port)));
    assert.match(out, /admin API +http:\/\/127\.0\.0\.1:\d+/);
    assert.match(
      out,
      /agent console +http:\/\/127\.0\.0\.1:\d+\/console +\(sign in as \S+@demo\.example\.com/,
    );
    assert.match(out, /health +http:\/\/127\.0\.0\.1:\d+\/health/);
    assert.match(out, /npx casebridge tenants show demo/);
    assert.match(out, /All \d+ checks passed/);

    // what it printed works: the status API with the token from the file it names, the control plane with its token
    const tokenFile = /\$\(cat ([^)]+)\)/.exec(out)?.[1] ?? '';
    const { readFileSync } = await import('node:fs');
    const status = await fetch(`${statusUrl}/v1/status`, {
      headers: { authorization: `Bearer ${readFileSync(tokenFile, 'utf8').trim()}` },
    });
    assert.equal(status.status, 200);
    const faults = await fetch(`${control[1]}/faults`, {
      headers: { authorization: `Bearer ${control[2]}` },
    });
    assert.equal(faults.status, 200);
    // the three pages a person opens: the web chat, the agent console (above) and the operator console, whose
    // one-time link signs in (a redirect that sets the session cookie and strips the link)
    assert.match(out, /web chat +http:\/\/\S+/);
    const consoleLink = /operator console (http:\/\/127\.0\.0\.1:\d+\/console\/login\?t=\S+)/.exec(out)?.[1];
    assert.ok(consoleLink, out);
    const signIn = await fetch(consoleLink, { redirect: 'manual' });
    assert.equal(signIn.status, 303);
    assert.match(signIn.headers.get('set-cookie') ?? '', /HttpOnly/i);
  } finally {
    demo.child.kill('SIGINT');
    await new Promise((done) => demo.child.once('close', done));
  }
  assert.match(demo.stdout(), /\nstopped\n$/);
  assert.ok(!existsSync(join(data, 'service.json')), 'service.json removed on stop');
});

void test('serve with a busy port fails at once with CONFIG_PORT_IN_USE naming the setting, leaving no service.json', async () => {
  const data = join(tmp, 'serve');
  const env = { ...cliEnv(data), CASEBRIDGE_HTTP_PORT: '8787' };
  const human = await runCasebridge(['serve'], env, 180_000);
  assert.equal(human.code, 2, human.stderr);
  assert.match(human.stderr, /CONFIG_PORT_IN_USE/);
  assert.match(human.stderr, /set CASEBRIDGE_HTTP_PORT to a free port/);
  assert.ok(!existsSync(join(data, 'service.json')));
  const json = await runCasebridge(['--json', 'serve'], env, 180_000);
  assert.equal(json.code, 2);
  const body = parseJson<{ error: { code: string } }>(json.stdout);
  assert.equal(body.error.code, 'CONFIG_PORT_IN_USE');
});

void test('a service.json left by a killed process is removed by the next process that takes the store', async () => {
  const data = join(tmp, 'stale');
  assert.equal((await runCasebridge(['tenants', 'list'], cliEnv(data), 180_000)).code, 0);
  writeFileSync(
    join(data, 'service.json'),
    JSON.stringify({ pid: 2 ** 22 + 7, adminUrl: 'http://127.0.0.1:9' }),
  );
  const listed = await runCasebridge(['tenants', 'list'], cliEnv(data), 180_000);
  assert.equal(listed.code, 0, listed.stderr);
  assert.ok(!existsSync(join(data, 'service.json')), 'the dead process is no longer named');
});

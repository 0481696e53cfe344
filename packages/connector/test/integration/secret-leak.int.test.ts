// A known private key, consumer secret, password, master key and the access tokens the emulator issued, fed through
// every path (CLI, service log at debug, admin and status API incl. errors, store rows, docs), and all output scanned.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  startEmulator,
  type StartedEmulator,
  controlClient,
  type ControlCall,
} from '@casebridge/salesforce-emulator';

import { loadConfig } from '../../src/config/load-config.js';
import { ERROR_REGISTRY } from '../../src/errors/registry.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime } from '../../src/main.js';
import { cliEnv, runCasebridge, startServe, type CliResult, tenantAddArgs } from '../helpers/cli-process.js';
import { assertNoSecrets } from '../helpers/secret-scan.js';

const REPO_DOCS = fileURLToPath(new URL('../../../../docs/', import.meta.url));
const PASSWORD = 'Known-Passw0rd-4f9b2c71e0d3';

let tmp: string;
let data: string;
let em: StartedEmulator;
let privateKeyPem: string;
/** every text a user or an operator could see, by where it came from */
const outputs: { where: string; text: string }[] = [];

function keep(where: string, result: CliResult): CliResult {
  outputs.push(
    { where: `${where} (stdout)`, text: result.stdout },
    { where: `${where} (stderr)`, text: result.stderr },
  );
  return result;
}

/** Every access token the emulator issued to the demo org so far (the connector's logins, doctor's and the service's). */
const issuedTokens = new Set<string>();
function collectTokens(): void {
  for (const session of em.emulator.tokens.list((s) => s.orgId === em.orgId)) issuedTokens.add(session.token);
}

/** the control plane of the emulator under test (set once it has started) */
const control: ControlCall = (method, path, body) => controlClient(em)(method, path, body);

function secrets(): string[] {
  const masterKey = readFileSync(join(data, 'master.key'), 'utf8');
  return [privateKeyPem, em.consumerSecret, PASSWORD, masterKey, ...issuedTokens];
}

function scanAll(): void {
  const all = secrets();
  for (const { where, text } of outputs) {
    try {
      assertNoSecrets(text, all);
    } catch (err) {
      assert.fail(`${where}: ${(err as Error).message}`);
    }
  }
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-leak-int-'));
  data = join(tmp, 'data');
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
  privateKeyPem = readFileSync(em.privateKeyPath, 'utf8');
  writeFileSync(join(tmp, 'consumer-secret.txt'), em.consumerSecret, { mode: 0o600 });
  writeFileSync(join(tmp, 'password.txt'), PASSWORD, { mode: 0o600 });
});

after(async () => {
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

const withSecrets = () => [
  '--consumer-secret-file',
  join(tmp, 'consumer-secret.txt'),
  '--password-file',
  join(tmp, 'password.txt'),
];
const tenantArgs = (id: string, consumerKey = em.consumerKey) =>
  tenantAddArgs(em, id, { consumerKey, certOut: join(tmp, 'certs'), extra: withSecrets() });

void test('CLI commands at debug level, succeeding and failing, print no secret', async () => {
  const env = cliEnv(data, { CASEBRIDGE_LOG_LEVEL: 'debug' });
  const run = (where: string, ...args: string[]) => runCasebridge(args, env).then((r) => keep(where, r));

  assert.equal((await run('add --json', '--json', ...tenantArgs('leak'))).code, 0);
  assert.equal(
    (await run('add (wrong consumer key)', ...tenantArgs('refused', '3MVG9notAConsumerKeyOfThisOrg'))).code,
    0,
  );
  assert.equal(
    (
      await run(
        'add (invalid login URL)',
        ...tenantArgs('invalid').map((a) => (a === em.loginUrl ? 'ftp://example.com' : a)),
      )
    ).code,
    2,
  );
  assert.equal((await run('list', 'tenants', 'list')).code, 0);
  assert.equal((await run('show --json', '--json', 'tenants', 'show', 'leak')).code, 0);
  const update = await run(
    'update',
    '--json',
    'tenants',
    'update',
    'leak',
    '--set',
    'apiVersion=64.0',
    '--consumer-secret-file',
    join(tmp, 'consumer-secret.txt'),
    '--password-file',
    join(tmp, 'password.txt'),
  );
  assert.equal(update.code, 0);
  assert.match(update.stdout, /"hasConsumerSecret": true/);
  assert.equal((await run('doctor (pass)', 'doctor', 'leak')).code, 0);
  assert.equal((await run('doctor --json (refused)', '--json', 'doctor', 'refused')).code, 3);
  collectTokens();
  assert.ok(issuedTokens.size >= 1, 'the emulator issued the tokens doctor used');
  // logging was on (stderr), so the scan covers the log lines too
  assert.match(outputs.map((o) => o.text).join('\n'), /"level":\d+/);
  scanAll();
});

void test('the service at debug level: its log, CLI through the admin API, admin and status API answers and errors', async () => {
  const env = cliEnv(data, { CASEBRIDGE_LOG_LEVEL: 'debug' });
  const service = await startServe(env);
  const token = readFileSync(join(data, 'admin.token'), 'utf8').trim();
  const statusUrl = /"statusUrl":\s*"([^"]+)"/.exec(service.stdout())?.[1];
  assert.ok(statusUrl);
  const call = async (
    where: string,
    url: string,
    init: RequestInit = {},
    auth = `Bearer ${token}`,
  ): Promise<number> => {
    const res = await fetch(url, {
      ...init,
      headers: {
        authorization: auth,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    outputs.push({
      where: `${where} → ${res.status}`,
      text: `${JSON.stringify([...res.headers])}\n${await res.text()}`,
    });
    return res.status;
  };
  try {
    const run = (where: string, ...args: string[]) =>
      runCasebridge(args, env).then((r) => keep(`via service: ${where}`, r));
    assert.equal((await run('add', '--json', ...tenantArgs('leak2'))).code, 0);
    assert.equal((await run('list', '--json', 'tenants', 'list')).code, 0);
    assert.equal((await run('show', 'tenants', 'show', 'leak2')).code, 0);
    assert.equal((await run('update', 'tenants', 'update', 'leak2', ...withSecrets())).code, 0);
    // the session dies mid-doctor and Salesforce answers 503 twice: the re-login and retry paths log too
    await control('POST', '/faults', { kind: 'invalid-session', path: '*/sobjects/Case/describe', count: 1 });
    await control('POST', '/faults', {
      kind: 'server-unavailable',
      path: '*/sobjects/Contact/describe',
      count: 2,
    });
    assert.equal((await run('doctor (pass)', '--json', 'doctor', 'leak2')).code, 0);
    assert.deepEqual(await control('GET', '/faults'), [], 'both faults were hit');
    assert.equal((await run('doctor (refused)', 'doctor', 'refused')).code, 3);
    assert.equal((await run('add (duplicate)', ...tenantArgs('leak2'))).code === 0, false);

    const admin = service.adminUrl;
    const secretBody = {
      id: 'api',
      loginUrl: em.loginUrl,
      consumerKey: em.consumerKey,
      username: em.username,
      privateKeyPem,
      certificatePem: readFileSync(em.certificatePath, 'utf8'),
      consumerSecret: em.consumerSecret,
      password: PASSWORD,
    };
    assert.equal(await call('admin GET tenants', `${admin}/v1/tenants`), 200);
    assert.equal(
      await call('admin POST doctor', `${admin}/v1/tenants/leak2/doctor`, { method: 'POST', body: '{}' }),
      200,
    );
    assert.equal(await call('admin without token', `${admin}/v1/tenants`, {}, ''), 401);
    assert.equal(
      await call('admin with a secret as token', `${admin}/v1/tenants`, {}, `Bearer ${em.consumerSecret}`),
      401,
    );
    assert.equal(
      await call('admin POST invalid tenant with secrets', `${admin}/v1/tenants`, {
        method: 'POST',
        body: JSON.stringify({ ...secretBody, loginUrl: 'ftp://x' }),
      }),
      400,
    );
    assert.equal(
      await call('admin POST unknown field with secrets', `${admin}/v1/tenants`, {
        method: 'POST',
        body: JSON.stringify({ ...secretBody, extra: PASSWORD }),
      }),
      400,
    );
    assert.equal(
      (await call('admin POST key that is not a key', `${admin}/v1/tenants/leak2/key`, {
        method: 'POST',
        body: JSON.stringify({ privateKeyPem: `${PASSWORD}\n${em.consumerSecret}`, certificatePem: 'x' }),
      })) >= 400,
      true,
    );
    assert.equal(
      await call('admin POST malformed JSON with secrets', `${admin}/v1/tenants`, {
        method: 'POST',
        body: `{"password":"${PASSWORD}","consumerSecret":"${em.consumerSecret}",`,
      }),
      400,
    );
    assert.equal(
      await call('admin PATCH malformed JSON with a secret', `${admin}/v1/tenants/leak2`, {
        method: 'PATCH',
        body: `{"consumerSecret": ${em.consumerSecret}}`,
      }),
      400,
    );
    assert.equal(
      await call('admin POST created with secrets', `${admin}/v1/tenants`, {
        method: 'POST',
        body: JSON.stringify(secretBody),
      }),
      201,
    );
    assert.equal(
      await call(
        'admin unknown route with a secret in the query',
        `${admin}/v1/nothing?password=${PASSWORD}`,
      ),
      404,
    );
    const statusToken = readFileSync(join(data, 'status.token'), 'utf8').trim();
    assert.equal(await call('status', `${statusUrl}/v1/status`, {}, `Bearer ${statusToken}`), 200);
    assert.equal(await call('status without token', `${statusUrl}/v1/status`, {}, ''), 401);
    // the status token is read-only: it opens nothing on the admin API, and the admin token nothing on status
    assert.equal(
      await call('admin with the status token', `${admin}/v1/tenants`, {}, `Bearer ${statusToken}`),
      401,
    );
    assert.equal(await call('status with the admin token', `${statusUrl}/v1/status`), 401);
  } finally {
    await service.stop();
  }
  outputs.push(
    { where: 'service stdout', text: service.stdout() },
    { where: 'service stderr (log)', text: service.stderr() },
  );
  // with --json the service keeps stdout for its JSON document and logs to stderr
  assert.match(service.stderr(), /"msg":"tenant added"/, 'the service log is part of the scan');
  assert.doesNotMatch(service.stdout(), /"level":/, 'stdout holds only the JSON document');
  collectTokens();
  scanAll();
});

void test('the store holds secrets only sealed: no plaintext in any row, audit rows included', async () => {
  // Doctor logs in on throwaway sessions; the shared session a worker uses is the one kept (sealed) in the store.
  const rt = await openRuntime(loadConfig({ CASEBRIDGE_DATA_DIR: data }), { log: silentLogger() });
  const store = rt.store;
  try {
    await rt.sessions.getSession(await rt.admin.showTenant('leak'));
    collectTokens();
    // the plaintext really went in (so finding none of it in the rows means it is sealed, not absent)
    assert.equal((await rt.tenants.signingKey('leak')).privateKeyPem.trim(), privateKeyPem.trim());
    const tables = await store.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const dump: Record<string, unknown[]> = {};
    for (const { table_name: name } of tables.rows)
      dump[name] = (await store.db.query(`SELECT * FROM "${name}"`)).rows;
    const text = JSON.stringify(dump);
    const counts = Object.fromEntries(Object.entries(dump).map(([name, rows]) => [name, rows.length]));
    assert.ok(Object.values(counts).reduce((a, b) => a + b, 0) > 0, 'the store has rows');
    // the things scanned really are there: sealed secrets for both tenants, audited API calls
    assert.match(text, /consumer_secret/);
    assert.ok((counts['tenant_secrets'] ?? 0) >= 6, JSON.stringify(counts));
    assert.ok((counts['tenant_sessions'] ?? 0) >= 1, JSON.stringify(counts));
    assert.ok((counts['api_audit'] ?? 0) >= 20, JSON.stringify(counts));
    outputs.length = 0;
    outputs.push({ where: 'store rows', text });
    scanAll();
  } finally {
    await rt.close();
  }
});

void test('docs and the error registry quote no secret', () => {
  outputs.length = 0;
  for (const name of readdirSync(REPO_DOCS).filter((f) => f.endsWith('.md')))
    outputs.push({ where: `docs/${name}`, text: readFileSync(join(REPO_DOCS, name), 'utf8') });
  for (const definition of ERROR_REGISTRY.values())
    outputs.push({ where: `error ${definition.code}`, text: `${definition.message}\n${definition.fix}` });
  assert.ok(outputs.length > 40);
  scanAll();
});

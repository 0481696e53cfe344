// The HTTPS option (issue 9.8): with `https: true` every org listens over TLS with a generated certificate whose
// path the emulator gives out; jsforce (a separate process trusting it through NODE_EXTRA_CA_CERTS) and the real
// `sf` CLI log in with the JWT bearer flow against https:// login, instance and identity URLs. A client that does
// not trust the certificate is refused by its own TLS check.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import jsforce from 'jsforce';
import {
  JWT_BEARER,
  control,
  signAssertion,
  startDemoEmulator,
  type EmulatorFixture,
} from '../helpers/emulator-fixture.js';
import { blockerEnv, readBlocked } from '../helpers/network-guard.js';
import { SfCli, sfEnv } from '../helpers/sf-cli.js';

const CLIENT = fileURLToPath(new URL('../helpers/jsforce-jwt-client.ts', import.meta.url));

interface ClientOutput {
  instanceUrl?: string;
  userId?: string;
  idUrl?: string;
  cases?: number;
  error?: string;
  code?: string | null;
}

/** runs the jsforce client script in its own Node process with `extraEnv`; resolves with its JSON line */
function runClient(fx: EmulatorFixture, extraEnv: Record<string, string>): Promise<ClientOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT], {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        EMU_LOGIN_URL: fx.em.loginUrl,
        EMU_CONSUMER_KEY: fx.em.consumerKey,
        EMU_PRIVATE_KEY_PATH: fx.em.privateKeyPath,
        EMU_USERNAME: fx.em.username,
        ...blockerEnv(join(fx.dir, 'client-blocked.jsonl')),
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ClientOutput);
      } catch {
        reject(new Error(`the client printed no JSON: ${stdout}\n${stderr}`));
      }
    });
  });
}

void describe('the emulator over HTTPS', () => {
  let fx: EmulatorFixture;
  let certificatePath = '';

  before(async () => {
    fx = await startDemoEmulator({ https: true, demo: { contacts: 5, cases: 3 } });
    certificatePath = fx.em.tlsCertificatePath ?? '';
  });

  after(async () => {
    await fx.close();
  });

  void it('serves https:// URLs with a certificate for 127.0.0.1, ::1 and localhost kept in the data directory', () => {
    assert.match(fx.em.loginUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(fx.em.controlUrl, `${fx.em.loginUrl}/__emulator`);
    assert.equal(certificatePath, join(fx.dir, 'emulator', 'tls', 'tls.crt'));
    const cert = new X509Certificate(readFileSync(certificatePath));
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.ca, true, 'its own CA, so NODE_EXTRA_CA_CERTS can name it');
    assert.equal(statSync(join(fx.dir, 'emulator', 'tls', 'tls.key')).mode & 0o777, 0o600);
  });

  void it('a client that does not trust the certificate is refused by its own TLS check', async () => {
    const untrusting = await runClient(fx, {});
    assert.ok(untrusting.error, 'the login failed');
    assert.match(
      `${untrusting.code ?? ''} ${untrusting.error ?? ''}`,
      /SELF_SIGNED|self.signed|certificate/i,
    );
    const oauth2 = new jsforce.OAuth2({ loginUrl: fx.em.loginUrl, clientId: fx.em.consumerKey });
    await assert.rejects(
      oauth2.requestToken({ grant_type: JWT_BEARER, assertion: await signAssertion(fx.em) }),
      /self.signed|certificate/i,
    );
  });

  void it('jsforce trusting the printed certificate (NODE_EXTRA_CA_CERTS) logs in by JWT and gets https instance and identity URLs', async () => {
    const out = await runClient(fx, { NODE_EXTRA_CA_CERTS: certificatePath });
    assert.equal(out.error, undefined, out.error);
    assert.equal(out.instanceUrl, fx.em.loginUrl);
    assert.equal(out.userId, fx.em.demo?.integrationUserId);
    assert.equal(out.idUrl, `${fx.em.loginUrl}/id/${fx.em.orgId}/${fx.em.demo?.integrationUserId ?? ''}`);
    assert.equal(out.cases, 3);
  });

  void it('an org created through the control plane listens over https too', async () => {
    const made = await control<{ loginUrl: string; name: string }>(fx.em, 'POST', '/orgs', { name: 'tls-2' });
    assert.match(made.loginUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(made.loginUrl, fx.em.loginUrl);
    await control(fx.em, 'DELETE', '/orgs/tls-2');
  });

  void it('sf org login jwt and sf data query over https with NODE_EXTRA_CA_CERTS', async () => {
    const blockedLog = join(fx.dir, 'sf-blocked.jsonl');
    const home = join(fx.dir, 'sf-home');
    SfCli.inDir(fx.dir, blockedLog); // checks the pinned CLI is installed and makes the HOME
    const sf = new SfCli({ ...sfEnv(home, blockedLog), NODE_EXTRA_CA_CERTS: certificatePath });
    const login = await sf.run([
      'org',
      'login',
      'jwt',
      '--client-id',
      fx.em.consumerKey,
      '--jwt-key-file',
      fx.em.privateKeyPath,
      '--username',
      fx.em.username,
      '--instance-url',
      fx.em.loginUrl,
      '--alias',
      'tls',
    ]);
    assert.equal(login.code, 0, `${JSON.stringify(login.json)}\n${login.stderr}`);
    const result = login.json.result as Record<string, unknown>;
    assert.deepEqual([result['instanceUrl'], result['orgId']], [fx.em.loginUrl, fx.em.orgId]);
    const query = await sf.run(['data', 'query', '--query', 'SELECT Id FROM Case', '--target-org', 'tls']);
    assert.equal(query.code, 0, `${JSON.stringify(query.json)}\n${query.stderr}`);
    assert.equal((query.json.result as { totalSize: number }).totalSize, 3);
    assert.deepEqual(
      readBlocked(blockedLog),
      [],
      'sf never left the machine: its first login attempt succeeded',
    );
  });
});

// The `casebridge` CLI as an admin runs it (child processes, --json, exit codes) against the emulator, including
// the single-process store rule: commands go through a running service's admin API, or fail with STORE_LOCKED.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import type { Tenant } from '../../src/domain/tenant.js';
import type { DoctorReport } from '../../src/services/doctor.js';
import {
  cliEnv,
  parseJson,
  runCasebridge,
  startServe,
  startStoreHolder,
  type LongRunning,
  tenantAddArgs,
} from '../helpers/cli-process.js';
import { assertNoSecrets } from '../helpers/secret-scan.js';

interface ErrorJson {
  error: { code: string; message: string; fix: string; details?: Record<string, unknown> };
}

let tmp: string;
let em: StartedEmulator;
let privateKeyPem: string;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-cli-int-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
  privateKeyPem = readFileSync(em.privateKeyPath, 'utf8');
});

after(async () => {
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

void test('keygen writes a 0600 key and its certificate, and never overwrites a key without --force', async () => {
  const out = join(tmp, 'keys');
  const env = cliEnv(join(tmp, 'keygen-data'));
  const first = await runCasebridge(['--json', 'keygen', '--out', out], env);
  assert.equal(first.code, 0, first.stderr);
  const made = parseJson<{ keyPath: string; certificatePath: string; fingerprint: string }>(first.stdout);
  assert.equal(statSync(made.keyPath).mode & 0o777, 0o600);
  assert.match(readFileSync(made.certificatePath, 'utf8'), /BEGIN CERTIFICATE/);
  assert.match(made.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const key = readFileSync(made.keyPath, 'utf8');
  assertNoSecrets(first.stdout + first.stderr, [key]);

  const again = await runCasebridge(['--json', 'keygen', '--out', out], env);
  assert.equal(again.code, 2);
  assert.equal(parseJson<ErrorJson>(again.stdout).error.code, 'KEYS_FILE_EXISTS');
  assert.match(parseJson<ErrorJson>(again.stdout).error.fix, /--force/);
  assert.equal(readFileSync(made.keyPath, 'utf8'), key, 'the existing key is untouched');

  const forced = await runCasebridge(['--json', 'keygen', '--out', out, '--force'], env);
  assert.equal(forced.code, 0, forced.stderr);
  assert.notEqual(parseJson<{ fingerprint: string }>(forced.stdout).fingerprint, made.fingerprint);
  assert.notEqual(readFileSync(made.keyPath, 'utf8'), key);
  assert.equal(statSync(made.keyPath).mode & 0o777, 0o600);
});

describe('tenants, doctor and setup: locally, then through a running service', () => {
  let data: string;
  let env: NodeJS.ProcessEnv;
  let service: (LongRunning & { adminUrl: string }) | undefined;
  const run = (...args: string[]) => runCasebridge(['--json', ...args], env);
  const addArgs = (id: string, consumerKey: string) =>
    tenantAddArgs(em, id, { consumerKey, certOut: join(data, '..', 'certs') });

  before(() => {
    data = join(tmp, 'data');
    env = cliEnv(data);
  });
  after(async () => {
    await service?.stop();
  });

  void test('tenants add opens the store itself when nobody holds it', async () => {
    const added = await run(...addArgs('demo', em.consumerKey));
    assert.equal(added.code, 0, added.stderr);
    const result = parseJson<{ tenant: Tenant; certificatePath: string; generatedKey: boolean }>(
      added.stdout,
    );
    assert.equal(result.tenant.id, 'demo');
    assert.equal(result.generatedKey, false);
    assert.ok(result.tenant.activeKey?.fingerprint);
    assert.ok(existsSync(result.certificatePath));
    assertNoSecrets(added.stdout + added.stderr, [privateKeyPem]);
    // the store was released: no lock left behind
    assert.equal(existsSync(join(data, 'store.lock')), false);
  });

  void test('while `casebridge serve` holds the store, every command goes through its admin API', async () => {
    service = await startServe(env);
    assert.match(service.adminUrl, /^http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(existsSync(join(data, 'store.lock')), true);

    const [list, show, missing] = await Promise.all([
      run('tenants', 'list'),
      run('tenants', 'show', 'demo'),
      run('tenants', 'show', 'nope'),
    ]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      parseJson<{ tenants: Tenant[] }>(list.stdout).tenants.map((t) => t.id),
      ['demo'],
    );
    assert.equal(show.code, 0, show.stderr);
    assert.equal(parseJson<Tenant>(show.stdout).username, em.username);
    assert.equal(missing.code, 6);
    assert.equal(parseJson<ErrorJson>(missing.stdout).error.code, 'TENANT_NOT_FOUND');
    const human = await runCasebridge(['tenants', 'show', 'demo'], env);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /consumer key/);
    for (const r of [list, show, missing, human]) assertNoSecrets(r.stdout + r.stderr, [privateKeyPem]);

    const updated = await run('tenants', 'update', 'demo', '--set', 'apiVersion=64.0');
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal(parseJson<Tenant>(updated.stdout).settings.apiVersion, '64.0');
    const bad = await run('tenants', 'update', 'demo', '--set', 'apiVersion=latest');
    assert.equal(bad.code, 2, bad.stderr);
  });

  void test('doctor exits 0 on the demo org, 3 when Salesforce refuses the login, 4 when access is missing', async () => {
    const added = await run(...addArgs('broken', '3MVG9notAConsumerKeyOfThisOrg'));
    assert.equal(added.code, 0, added.stderr);
    const [ok, broken] = await Promise.all([run('doctor', 'demo'), run('doctor', 'broken')]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const report = parseJson<DoctorReport>(ok.stdout);
    assert.equal(report.ok, true);
    assert.ok(
      report.checks.some((c) => c.id === 'api-version' && c.status === 'pass' && c.detail.includes('v64.0')),
    );
    assert.equal(broken.code, 3);
    const token = parseJson<DoctorReport>(broken.stdout).checks.find((c) => c.id === 'token');
    assert.equal(token?.code, 'SF_AUTH_CLIENT_ID_INVALID');

    await fetch(`${em.controlUrl}/orgs/demo/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${em.controlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ knowledgeEnabled: false }),
    });
    try {
      const noKnowledge = await runCasebridge(['doctor', 'demo'], env);
      assert.equal(noKnowledge.code, 4);
      assert.match(noKnowledge.stdout, /\[FAIL\] Knowledge enabled/);
    } finally {
      await fetch(`${em.controlUrl}/orgs/demo/reset`, {
        method: 'POST',
        headers: { authorization: `Bearer ${em.controlToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
    }
  });

  void test('setup writes the metadata package; tenants remove needs --yes', async () => {
    const out = join(tmp, 'package');
    const setup = await runCasebridge(['setup', 'demo', '--out', out], env);
    assert.equal(setup.code, 0, setup.stderr);
    const written = files(out);
    assert.ok(written.includes('sfdx-project.json'), written.join('\n'));
    assert.ok(
      written.some((f) => f.endsWith('.connectedApp-meta.xml')),
      written.join('\n'),
    );
    assert.ok(
      written.some((f) => f.endsWith('.permissionset-meta.xml')),
      written.join('\n'),
    );

    const unconfirmed = await run('tenants', 'remove', 'broken');
    assert.equal(unconfirmed.code, 2);
    const removed = await run('tenants', 'remove', 'broken', '--yes');
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(
      parseJson<{ tenants: Tenant[] }>((await run('tenants', 'list')).stdout).tenants.map((t) => t.id),
      ['demo'],
    );
  });
});

void test('a store held by a process without an admin API: the command fails with STORE_LOCKED, the pid and a fix', async () => {
  const data = join(tmp, 'held');
  const env = cliEnv(data);
  const holder = await startStoreHolder(env);
  try {
    const blocked = await runCasebridge(['--json', 'tenants', 'list'], env);
    assert.equal(blocked.code, 5);
    const { error } = parseJson<ErrorJson>(blocked.stdout);
    assert.equal(error.code, 'STORE_LOCKED');
    assert.match(error.message, new RegExp(`pid ${holder.pid}\\b`));
    assert.match(error.fix, new RegExp(`process ${holder.pid}\\b`));
    assert.match(error.fix, /casebridge serve/);
    assert.doesNotMatch(
      blocked.stderr,
      /STORE_LOCKED/,
      'the error is the one document on stdout, not on stderr',
    );
    const human = await runCasebridge(['tenants', 'list'], env);
    assert.equal(human.code, 5);
    assert.match(human.stderr, /^error STORE_LOCKED: .*pid \d+/m);
    assert.match(human.stderr, /fix: Wait for process/);
  } finally {
    await holder.stop();
  }
  // once the holder is gone the store is free again
  const free = await runCasebridge(['--json', 'tenants', 'list'], env);
  assert.equal(free.code, 0, free.stderr);
});

// `casebridge bot identity` and `casebridge bot keys` as an operator runs them (child processes on a real data
// directory): settings saved after their checks and shown back; a key printed once, listed without its secret,
// rotated with both accepted, then finished and revoked; the printed key verifies against the store.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';
import { cliEnv, parseJson, runCasebridge } from '../helpers/cli-process.js';
import { makeTenantRecord } from '../helpers/store-test-kit.js';

let tmp: string;
let env: NodeJS.ProcessEnv;

async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(loadConfig(env), { log: silentLogger() });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-bot-cli-'));
  env = cliEnv(join(tmp, 'data'));
  await withRuntime((runtime) => runtime.store.tenants.insert(makeTenantRecord('acme')));
});

after(() => rmSync(tmp, { recursive: true, force: true }));

void test('bot identity set refuses a bad key and saves a good one; show prints it back', async () => {
  const bad = join(tmp, 'bad.pem');
  writeFileSync(bad, 'not a key');
  const args = [
    'bot',
    'identity',
    'set',
    'acme',
    '--issuer',
    'https://bot.example.com',
    '--audience',
    'cb:acme',
  ];
  const refused = await runCasebridge([...args, '--public-key', bad], env, 60_000);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /BOT_IDENTITY_SETTINGS_INVALID/);
  const both = await runCasebridge(
    [...args, '--public-key', bad, '--jwks-url', 'https://x.example.com/j'],
    env,
    60_000,
  );
  assert.match(both.stderr, /exactly one of --public-key and --jwks-url/);
  const good = join(tmp, 'good.pem');
  writeFileSync(
    good,
    generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString(),
  );
  const saved = await runCasebridge([...args, '--public-key', good], env, 60_000);
  assert.equal(saved.code, 0, saved.stderr);
  const shown = await runCasebridge(['bot', 'identity', 'show', 'acme'], env, 60_000);
  assert.match(shown.stdout, /issuer\s+https:\/\/bot\.example\.com/);
  assert.match(shown.stdout, /a public key \(PEM\)/);
});

void test('bot keys: printed once, listed without secrets, rotated with both valid, finished, revoked', async () => {
  const made = await runCasebridge(['bot', 'keys', 'create', 'acme', 'teams-bot', '--json'], env, 60_000);
  assert.equal(made.code, 0, made.stderr);
  const first = parseJson<{ secret: string }>(made.stdout).secret;
  assert.match(first, /^cbk_[a-z0-9]{12}_/);
  const listed = await runCasebridge(['bot', 'keys', 'list', 'acme'], env, 60_000);
  assert.match(listed.stdout, /teams-bot\s+cbk_[a-z0-9]{12}…\s+active/);
  assert.ok(!listed.stdout.includes(first.slice(17)), 'list never prints a secret');

  const rotated = await runCasebridge(['bot', 'keys', 'rotate', 'acme', 'teams-bot'], env, 60_000);
  assert.equal(rotated.code, 0, rotated.stderr);
  const second = /Key \(shown only now; give it to the platform as X-Api-Key\): (cbk_\S+)/.exec(
    rotated.stdout,
  )?.[1];
  assert.ok(second !== undefined, rotated.stdout);
  await withRuntime(async (runtime) => {
    for (const key of [first, second]) assert.equal((await runtime.botKeys.verify(key)).tenantId, 'acme');
  });
  const finished = await runCasebridge(['bot', 'keys', 'finish-rotation', 'acme', 'teams-bot'], env, 60_000);
  assert.equal(finished.code, 0, finished.stderr);
  await withRuntime(async (runtime) => {
    await assert.rejects(runtime.botKeys.verify(first), { code: 'BOT_API_KEY_INVALID' });
    assert.equal((await runtime.botKeys.verify(second)).name, 'teams-bot');
  });
  const revoked = await runCasebridge(['bot', 'keys', 'revoke', 'acme', 'teams-bot'], env, 60_000);
  assert.equal(revoked.code, 0, revoked.stderr);
  const empty = await runCasebridge(['bot', 'keys', 'list', 'acme'], env, 60_000);
  assert.match(empty.stdout, /no API keys/);
});

// `casebridge tenants show` as an operator reads it: a tenant paused by REQUEST_LIMIT_EXCEEDED says so (the error's
// fix promises it), and a name holding terminal escapes is shown, not obeyed.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime } from '../../src/main.js';
import { cliEnv, parseJson, runCasebridge } from '../helpers/cli-process.js';

const MASTER_KEY = Buffer.alloc(32, 5).toString('base64');
let data: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  data = mkdtempSync(join(tmpdir(), 'cb-show-'));
  env = cliEnv(data, { CASEBRIDGE_MASTER_KEY: MASTER_KEY });
  const runtime = await openRuntime(loadConfig(env), { log: silentLogger() });
  try {
    for (const id of ['acme', 'calm'])
      await runtime.admin.addTenant({
        id,
        loginUrl: 'https://login.salesforce.com',
        consumerKey: '3MVG9consumerkey000',
        username: `svc@${id}.example.com`,
      });
    await runtime.store.pauses.pause('acme', new Date('2099-01-02T03:04:05Z'), 'REQUEST_LIMIT_EXCEEDED');
    // a name written before names were checked for control characters
    await runtime.store.db.query("UPDATE tenants SET name = $1 WHERE id = 'calm'", [
      'Calm\u001b]0;owned\u0007\u001b[2J',
    ]);
  } finally {
    await runtime.close();
  }
});

after(() => rmSync(data, { recursive: true, force: true }));

void test('tenants show names the pause and its end, in text and in --json', async () => {
  const human = await runCasebridge(['tenants', 'show', 'acme'], env);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /paused +until 2099-01-02T03:04:05.000Z \(REQUEST_LIMIT_EXCEEDED\)/);
  const json = await runCasebridge(['--json', 'tenants', 'show', 'acme'], env);
  assert.deepEqual(parseJson<{ paused: unknown }>(json.stdout).paused, {
    until: '2099-01-02T03:04:05.000Z',
    reason: 'REQUEST_LIMIT_EXCEEDED',
  });
  const calm = await runCasebridge(['tenants', 'show', 'calm'], env);
  assert.match(calm.stdout, /paused +no/);
});

void test("a tenant name's terminal escape codes are printed as visible escapes", async () => {
  const shown = await runCasebridge(['tenants', 'show', 'calm'], env);
  assert.equal(shown.code, 0, shown.stderr);
  assert.ok(!shown.stdout.includes('\u001b') && !shown.stdout.includes('\u0007'), 'no raw control character');
  assert.match(shown.stdout, /Calm\\u001b\]0;owned\\u0007\\u001b\[2J/);
  const list = await runCasebridge(['tenants', 'list'], env);
  assert.ok(!list.stdout.includes('\u001b'));
});

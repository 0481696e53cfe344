// `--json` for scripts: every outcome (results, errors, usage errors) is one JSON document on stdout and the exit
// code tells success; every subcommand's help lists --json; human output never shows raw pino lines.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime } from '../../src/main.js';
import { cliEnv, runCasebridge } from '../helpers/cli-process.js';

let data: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  data = mkdtempSync(join(tmpdir(), 'cb-json-'));
  env = cliEnv(data, { CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 3).toString('base64') });
  const runtime = await openRuntime(loadConfig(env), { log: silentLogger() });
  try {
    // a login URL where nothing listens: doctor fails and the session manager logs a warning
    await runtime.admin.addTenant({
      id: 'dead',
      loginUrl: 'http://127.0.0.1:9',
      consumerKey: '3MVG9consumerkey000',
      username: 'svc@dead.example.com',
    });
  } finally {
    await runtime.close();
  }
});

after(() => rmSync(data, { recursive: true, force: true }));

function oneDocument(stdout: string): Record<string, unknown> {
  const parsed = JSON.parse(stdout) as unknown;
  assert.ok(parsed !== null && typeof parsed === 'object', stdout);
  return parsed as Record<string, unknown>;
}

void test('every outcome with --json is one JSON document on stdout, and the exit code tells success', async () => {
  const cases: { args: string[]; code: number; error?: string }[] = [
    { args: ['--json', 'tenants', 'list'], code: 0 },
    { args: ['--json', 'tenants', 'show', 'nope'], code: 6, error: 'TENANT_NOT_FOUND' },
    { args: ['--json', 'tenants', 'show'], code: 2, error: 'CLI_USAGE' },
    { args: ['--json', 'tenants', 'list', '--bogus'], code: 2, error: 'CLI_USAGE' },
    { args: ['--json', 'no-such-command'], code: 2, error: 'CLI_USAGE' },
    { args: ['tenants', 'show', 'nope', '--json'], code: 6, error: 'TENANT_NOT_FOUND' },
    { args: ['--json', 'tenants', 'add', 'x'], code: 2, error: 'CLI_USAGE' },
  ];
  for (const c of cases) {
    const result = await runCasebridge(c.args, env, 120_000);
    assert.equal(result.code, c.code, `${c.args.join(' ')}: ${result.stdout} ${result.stderr}`);
    const doc = oneDocument(result.stdout);
    if (c.error) {
      const error = doc['error'] as { code: string; fix: string };
      assert.equal(error.code, c.error, c.args.join(' '));
      assert.ok(error.fix.length > 0);
    }
    assert.doesNotMatch(result.stderr, /"error"/, 'the error is not also on stderr');
  }
  const missing = await runCasebridge(['--json', 'tenants', 'add', 'x'], env, 120_000);
  assert.match(missing.stdout, /--login-url, --consumer-key, --username/, 'every missing option at once');
});

void test('every subcommand lists --json in its help', async () => {
  const commands = [
    ['tenants', 'add'],
    ['tenants', 'list'],
    ['tenants', 'show'],
    ['tenants', 'update'],
    ['tenants', 'remove'],
    ['tenants', 'rotate-key'],
    ['doctor'],
    ['status'],
    ['secrets', 'rotate'],
    ['keygen'],
    ['setup'],
    ['emulator'],
    ['serve'],
    ['demo'],
    ['cases', 'reply'],
  ];
  for (const command of commands) {
    const help = await runCasebridge([...command, '--help'], env, 120_000);
    assert.equal(help.code, 0, command.join(' '));
    assert.match(help.stdout, /--json/, `${command.join(' ')} --help`);
  }
});

void test('a failed doctor in human mode prints its checklist and human warning lines, never raw pino JSON', async () => {
  const result = await runCasebridge(['doctor', 'dead'], env, 180_000);
  assert.notEqual(result.code, 0);
  assert.match(result.stdout, /\[FAIL\]/);
  assert.doesNotMatch(result.stdout + result.stderr, /\{"level":/);
});

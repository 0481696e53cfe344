// Usage mistakes as a user makes them, each answered at once with CLI_USAGE (exit 2) and a fix, in human and
// --json mode: an unknown `setup --format`, every missing option of `tenants add` (and `setup`) in one message,
// and `keygen --help` naming each default once.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { cliEnv, parseJson, runCasebridge } from '../helpers/cli-process.js';

interface ErrorJson {
  error: { code: string; message: string; fix: string; details?: Record<string, unknown> };
}

let tmp: string;
let env: NodeJS.ProcessEnv;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-cli-usage-'));
  env = cliEnv(join(tmp, 'data'));
});
after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

void test('setup --format html is refused with CLI_USAGE naming the choices', async () => {
  const json = await runCasebridge(['--json', 'setup', '--format', 'html'], env);
  assert.equal(json.code, 2, json.stdout + json.stderr);
  const { error } = parseJson<ErrorJson>(json.stdout);
  assert.equal(error.code, 'CLI_USAGE');
  assert.match(error.message, /'html' is invalid.*text, markdown/);
  const human = await runCasebridge(['setup', '--format', 'html'], env);
  assert.equal(human.code, 2);
  assert.match(human.stderr, /^error CLI_USAGE: .*html/m);
  assert.match(human.stderr, /^ {2}fix: /m);
  assert.equal(human.stdout, '', 'no checklist printed in a format nobody asked for');
});

void test('every missing option is named in one coded error, before any store is opened', async () => {
  const json = await runCasebridge(['--json', 'tenants', 'add', 'acme'], env);
  assert.equal(json.code, 2, json.stdout + json.stderr);
  const { error } = parseJson<ErrorJson>(json.stdout);
  assert.equal(error.code, 'CLI_USAGE');
  assert.deepEqual(error.details?.['missing'], ['--login-url', '--consumer-key', '--username']);
  const human = await runCasebridge(['tenants', 'add', 'acme', '--username', 'u@acme.example'], env);
  assert.equal(human.code, 2);
  assert.match(human.stderr, /^error CLI_USAGE: .*missing required options: --login-url, --consumer-key$/m);
  assert.ok(!existsSync(join(tmp, 'data', 'store')), 'no store was created for a command that could not run');

  const setup = await runCasebridge(['--json', 'setup'], env);
  assert.equal(setup.code, 2);
  assert.match(parseJson<ErrorJson>(setup.stdout).error.message, /--cert.*--login-url.*--username/);
});

void test('keygen --help names each default once', async () => {
  const help = await runCasebridge(['keygen', '--help'], env);
  assert.equal(help.code, 0, help.stderr);
  for (const value of ['36500', '"casebridge"', '"."'])
    assert.equal(help.stdout.split(value).length - 1, 1, `${value} in:\n${help.stdout}`);
  assert.equal(help.stdout.match(/default/g)?.length, 3, help.stdout);
});

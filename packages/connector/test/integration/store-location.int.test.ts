// The store a command uses, as a user meets it: run from a subdirectory of a project, the CLI finds the project's
// .casebridge/ and says so (`store: PATH` on stderr, a `store` field with --json); it never creates an empty store
// in the subdirectory. Outside any project the store is the per-user default; CASEBRIDGE_DATA_DIR wins over both.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';

import type { Tenant } from '../../src/domain/tenant.js';
import { cliEnv, parseJson, runCasebridge } from '../helpers/cli-process.js';

let tmp: string;
let project: string;
let deep: string;
/** the child's environment without CASEBRIDGE_DATA_DIR, its home and XDG data folder in the test's own folder */
let env: NodeJS.ProcessEnv;

interface Listed {
  store: string;
  tenants: Tenant[];
}

function hasAncestorStore(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.casebridge'))) return true;
    if (dirname(at) === at) return false;
  }
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-store-location-'));
  // a stray .casebridge/ above the temp folder would be found, rightly: this test's premise would not hold
  assert.ok(!hasAncestorStore(tmp), `a .casebridge/ folder above ${tmp} would be the store`);
  project = join(tmp, 'project');
  deep = join(project, 'src', 'deeper');
  mkdirSync(deep, { recursive: true });
  mkdirSync(join(tmp, 'home'));
  env = { ...cliEnv(''), HOME: join(tmp, 'home'), XDG_DATA_HOME: join(tmp, 'xdg') };
  delete env['CASEBRIDGE_DATA_DIR'];
  // the project's store, made as a user would: a tenant added with CASEBRIDGE_DATA_DIR pointing at it
  const added = await runCasebridge(
    [
      '--json',
      'tenants',
      'add',
      'acme',
      '--login-url',
      'https://login.salesforce.com',
      '--consumer-key',
      '3MVG9exampleConsumerKey',
      '--username',
      'casebridge@acme.example.com',
      '--cert-out',
      join(tmp, 'certs'),
    ],
    { ...env, CASEBRIDGE_DATA_DIR: join(project, '.casebridge') },
    180_000,
    project,
  );
  assert.equal(added.code, 0, added.stdout + added.stderr);
});

after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

void test('from a subdirectory the project store is found and named; none is created there', async () => {
  const json = await runCasebridge(['--json', 'tenants', 'list'], env, 180_000, deep);
  assert.equal(json.code, 0, json.stdout + json.stderr);
  const listed = parseJson<Listed>(json.stdout);
  assert.equal(listed.store, join(project, '.casebridge'));
  assert.deepEqual(
    listed.tenants.map((t) => t.id),
    ['acme'],
  );

  const human = await runCasebridge(['tenants', 'show', 'acme'], env, 180_000, deep);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /casebridge@acme\.example\.com/);
  assert.ok(
    human.stderr.includes(`store: ${join(project, '.casebridge')} (the nearest .casebridge/ folder)`),
    human.stderr,
  );

  // an error names the store too, so a script sees which one had no such tenant
  const missing = await runCasebridge(['--json', 'tenants', 'show', 'nope'], env, 180_000, deep);
  assert.equal(missing.code, 6);
  assert.equal(parseJson<{ store: string }>(missing.stdout).store, join(project, '.casebridge'));

  for (const dir of [deep, join(project, 'src')])
    assert.ok(!existsSync(join(dir, '.casebridge')), `no store created in ${dir}`);
  assert.ok(!existsSync(join(tmp, 'xdg', 'casebridge')), 'the per-user store was not touched');
});

void test('outside any project the per-user default is used and named; CASEBRIDGE_DATA_DIR wins over both', async () => {
  const outside = join(tmp, 'elsewhere');
  mkdirSync(outside);
  const json = await runCasebridge(['--json', 'tenants', 'list'], env, 180_000, outside);
  assert.equal(json.code, 0, json.stdout + json.stderr);
  assert.deepEqual(parseJson<Listed>(json.stdout), { store: join(tmp, 'xdg', 'casebridge'), tenants: [] });
  assert.ok(!existsSync(join(outside, '.casebridge')));

  const noXdg = { ...env };
  delete noXdg['XDG_DATA_HOME'];
  const human = await runCasebridge(['tenants', 'list'], noXdg, 180_000, outside);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stderr, /store: .*\/home\/\.local\/share\/casebridge \(per-user default/);

  const explicit = join(tmp, 'explicit');
  const chosen = await runCasebridge(
    ['--json', 'tenants', 'list'],
    { ...env, CASEBRIDGE_DATA_DIR: explicit },
    180_000,
    deep,
  );
  assert.equal(chosen.code, 0, chosen.stderr);
  assert.deepEqual(parseJson<Listed>(chosen.stdout), { store: explicit, tenants: [] });
});

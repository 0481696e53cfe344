// The README's "admin's path" against the emulator, run as written: its shell block, with the emulator the test
// starts (same control token, an ephemeral port instead of 4711) and `npx casebridge` as this checkout's bin.
// Key, tenant, certificate upload on the control plane, setup package, doctor: every check passes, and
// `tenants add` with an imported key writes no extra ./acme.crt.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { REAL_CASEBRIDGE_BIN, cliEnv, type CliResult } from '../helpers/cli-process.js';

const README = new URL('../../../../README.md', import.meta.url);
let tmp: string;
let em: StartedEmulator;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-readme-admin-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator'), controlToken: 'emulator-token' });
});
after(async () => {
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The shell block after "The same path against the emulator", without its first line (the emulator start). */
function readmeBlock(): { start: string; script: string } {
  const text = readFileSync(README, 'utf8');
  const section = text.split('The same path against the emulator')[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const [start = '', ...rest] = block.split('\n');
  return { start, script: rest.join('\n') };
}

function sh(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-e', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

void test("the README's admin path against the emulator runs as written and doctor passes", async () => {
  const { start, script } = readmeBlock();
  assert.match(start, /^npm run emulator -- --port 4711 --control-token emulator-token\b/);
  assert.match(script, /connected-apps\/Casebridge_Server/, 'the certificate upload step is there');
  const port = new URL(em.loginUrl).port;
  const runnable = script
    .replaceAll('127.0.0.1:4711', `127.0.0.1:${port}`)
    .replaceAll('npx casebridge', `"${process.execPath}" "${REAL_CASEBRIDGE_BIN}"`);
  const cwd = join(tmp, 'admin');
  mkdirSync(cwd);
  const env = cliEnv('');
  delete env['CASEBRIDGE_DATA_DIR'];
  const ran = await sh(runnable, cwd, env);
  assert.equal(ran.code, 0, ran.stdout + ran.stderr);
  const work = join(cwd, 'tmp-admin');
  assert.match(ran.stdout, /All \d+ checks passed/, ran.stdout);
  assert.ok(existsSync(join(work, 'keys', 'salesforce.key')));
  assert.ok(existsSync(join(work, 'acme-setup', 'sfdx-project.json')));
  assert.ok(existsSync(join(work, '.casebridge', 'store')), 'the store is the one the block exported');
  // the imported certificate stays where the admin keeps it: no copy the user did not ask for
  assert.deepEqual(
    readdirSync(work).filter((name) => name.endsWith('.crt')),
    [],
  );
});

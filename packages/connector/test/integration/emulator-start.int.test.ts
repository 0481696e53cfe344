// The emulator started the two ways the README gives: `npm run -s emulator -- --json` and
// `npx casebridge --json emulator` print the same one JSON line (same fields, same demo org and key), and both,
// in --json and in human lines, name the agent console on the org's listener, which answers.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { CASEBRIDGE_BIN, cliEnv } from '../helpers/cli-process.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
let tmp: string;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-emulator-start-'));
});
after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * Runs `command` in its own process group until its stdout matches `ready`, then stops the whole group (npm runs
 * the emulator as its grandchild) and returns what it printed.
 */
function printedBy(command: string, args: string[], ready: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: cliEnv(join(tmp, 'casebridge-data')),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let err = '';
    const stop = (): void => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${command} ${args.join(' ')} printed nothing in time: ${out}${err}`));
    }, 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (ready.test(out)) {
        clearTimeout(timer);
        stop();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      if (ready.test(out)) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} ended before it was ready: ${out}${err}`));
    });
  });
}

type Info = Record<string, unknown> & { loginUrl: string; consoleUrl: string };

void test('npm run emulator and casebridge emulator print the same --json line, naming the agent console', async () => {
  const dataDir = join(tmp, 'emulator');
  const npmOut = await printedBy(
    'npm',
    ['run', '--silent', 'emulator', '--', '--port', '0', '--json', '--data-dir', dataDir],
    /\}\n/,
  );
  const cliOut = await printedBy(
    process.execPath,
    [CASEBRIDGE_BIN, '--json', 'emulator', '--port', '0', '--data-dir', dataDir],
    /\}\n/,
  );
  // one line each, nothing before it: a script parses stdout as is
  const fromNpm = JSON.parse(npmOut) as Info;
  const fromCli = JSON.parse(cliOut) as Info;
  assert.deepEqual(Object.keys(fromCli), Object.keys(fromNpm));
  for (const key of ['orgId', 'username', 'consumerKey', 'privateKeyPath', 'certificatePath', 'apiVersion'])
    assert.equal(fromCli[key], fromNpm[key], key);
  assert.equal(fromNpm.consoleUrl, `${fromNpm.loginUrl}/console`);
  assert.deepEqual(fromNpm['consoleSignIn'], {
    username: 'alex.morgan@demo.example.com',
    password: 'demo-password-1',
  });
});

void test('the human start lines of both name the agent console and who signs in to it', async () => {
  const dataDir = join(tmp, 'emulator');
  const outputs = [
    await printedBy('npm', ['run', 'emulator', '--', '--port', '0', '--data-dir', dataDir], /Ctrl-C/),
    await printedBy(
      process.execPath,
      [CASEBRIDGE_BIN, 'emulator', '--port', '0', '--data-dir', dataDir],
      /Ctrl-C/,
    ),
  ];
  for (const out of outputs) {
    assert.match(
      out,
      /agent console +http:\/\/127\.0\.0\.1:\d+\/console +\(sign in as alex\.morgan@demo\.example\.com, password demo-password-1\)/,
      out,
    );
    assert.match(out, /control plane +http:\/\/127\.0\.0\.1:\d+\/__emulator/);
  }
});

void test('the console URL answers with its sign-in page while the emulator runs', async () => {
  const { startEmulator, startInfo } = await import('@casebridge/salesforce-emulator');
  const started = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
  try {
    const page = await fetch(`${startInfo(started).consoleUrl}/login`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form/i);
  } finally {
    await started.close();
  }
});

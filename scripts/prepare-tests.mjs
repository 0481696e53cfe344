#!/usr/bin/env node
// Installs what the test suites need beyond the workspace packages: the pinned official Salesforce CLI (kept out
// of the demo's install, in tools/sf-cli) and Debian's chromium for the browser tests. Idempotent and offline-safe:
// it never runs the CLI's install scripts, which would call the npm registry and the user's real HOME (see
// docs/testing.md).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const sfDir = join(root, 'tools/sf-cli');
const sfBin = join(sfDir, 'node_modules/.bin/sf');

if (!existsSync(sfBin)) {
  console.log('installing the pinned Salesforce CLI for the real-client tests (tools/sf-cli)...');
  const home = mkdtempSync(join(tmpdir(), 'casebridge-sf-install-'));
  const result = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: sfDir,
    stdio: 'inherit',
    env: {
      ...process.env,
      HOME: home,
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      SF_DISABLE_TELEMETRY: 'true',
      SF_DISABLE_AUTOUPDATE: 'true',
    },
  });
  if (result.status !== 0) {
    console.error('could not install the Salesforce CLI; the sf integration tests need it');
    process.exit(result.status ?? 1);
  }
}

// The browser tests drive Debian's chromium (never a browser playwright downloads). Installed here when missing
// and we are root; otherwise the browser tests report the missing browser (a failure under CI=true, a skip elsewhere).
const chromium = process.env.CASEBRIDGE_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    console.log('installing Debian chromium for the browser tests (apt-get install -y chromium)...');
    const apt = (args) =>
      spawnSync('apt-get', args, {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      }).status;
    // A fresh machine may have no package lists yet: update once and retry.
    if (apt(['install', '-y', 'chromium']) !== 0) {
      apt(['update']);
      apt(['install', '-y', 'chromium']);
    }
  }
  if (!existsSync(chromium)) {
    console.error(`chromium is missing at ${chromium}: install it with 'apt-get install -y chromium'`);
  }
}

#!/usr/bin/env node
// Installs what the test suites need beyond the workspace packages: the pinned official Salesforce CLI (kept out
// of the demo's install, in tools/sf-cli). Idempotent and offline-safe: it never runs the CLI's install scripts,
// which would call the npm registry and the user's real HOME (see docs/testing.md).
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

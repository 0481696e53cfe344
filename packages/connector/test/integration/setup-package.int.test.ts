// The official sf CLI converts the generated setup package (both variants) to a deployable metadata package
// without error, offline: `sf project convert source` checks every path, suffix and type against its registry.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';

import { writeSetupPackage } from '../../src/cli/setup-files.js';
import { X509KeyFactory } from '../../src/crypto/key-factory.js';
import { buildSetupPackage, type SetupPackageVariant } from '../../src/setup/metadata-package.js';
import { parseXml, textOf } from '../helpers/xml-tree.js';

const run = promisify(execFile);
const SF = new URL('../../../../tools/sf-cli/node_modules/.bin/sf', import.meta.url).pathname;
const skip = existsSync(SF)
  ? false
  : `sf CLI not installed at ${SF} (install it into tools/sf-cli to run this test)`;

async function convert(variant: SetupPackageVariant, work: string): Promise<string> {
  const pair = await new X509KeyFactory({ now: () => new Date() }).generate({
    commonName: 'casebridge test',
    days: 1,
  });
  const project = join(work, variant);
  writeSetupPackage(
    project,
    buildSetupPackage(
      {
        contactEmail: 'admin@acme.example',
        certificatePem: pair.certificatePem,
        loginUrl: 'https://login.salesforce.com',
        username: 'cb@acme.example',
      },
      variant,
    ),
  );
  const out = join(work, `${variant}-mdapi`);
  const { stdout } = await run(
    SF,
    ['project', 'convert', 'source', '--root-dir', 'force-app', '--output-dir', out, '--json'],
    {
      cwd: project,
      // no network: a private HOME, and every sf background call (update check, telemetry, autoupdate) off
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: join(work, 'home'),
        SF_SKIP_NEW_VERSION_CHECK: 'true',
        SF_DISABLE_TELEMETRY: 'true',
        SF_DISABLE_AUTOUPDATE: 'true',
        SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
        SF_DISABLE_DNS_CHECK: 'true',
      },
      timeout: 120_000,
    },
  );
  const result = JSON.parse(stdout) as { status: number; warnings?: unknown[] };
  assert.equal(result.status, 0, stdout);
  assert.deepEqual(result.warnings ?? [], []);
  return readFileSync(join(out, 'package.xml'), 'utf8');
}

function members(packageXml: string): Record<string, string[]> {
  const root = parseXml(packageXml);
  return Object.fromEntries(
    root.children
      .filter((child) => child.name === 'types')
      .map((types) => [
        textOf(types, 'name'),
        types.children.filter((c) => c.name === 'members').map((c) => c.text),
      ]),
  );
}

void test(
  'sf converts the Connected App package: ConnectedApp + PermissionSet',
  { skip, timeout: 180_000 },
  async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'cb-sf-'));
    t.after(() => rmSync(work, { recursive: true, force: true }));
    const manifest = members(await convert('connected-app', work));
    assert.deepEqual(manifest, {
      ConnectedApp: ['Casebridge_Server'],
      PermissionSet: ['casebridge_connected_app'],
    });
  },
);

void test(
  'sf converts the External Client App package: the app, its OAuth settings and policies, the permission set',
  { skip, timeout: 180_000 },
  async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'cb-sf-'));
    t.after(() => rmSync(work, { recursive: true, force: true }));
    const manifest = members(await convert('external-client-app', work));
    assert.deepEqual(manifest, {
      ExternalClientApplication: ['Casebridge_Server'],
      ExtlClntAppConfigurablePolicies: ['Casebridge_Server_plcy'],
      ExtlClntAppGlobalOauthSettings: ['Casebridge_Server_glbloauth'],
      ExtlClntAppOauthConfigurablePolicies: ['Casebridge_Server_oauthPlcy'],
      ExtlClntAppOauthSettings: ['Casebridge_Server_oauth'],
      PermissionSet: ['casebridge_connected_app'],
    });
  },
);

// `casebridge knowledge sync` as an operator runs it: a child process on a real data directory against the
// emulator, --json one document, then search finds what it loaded; --full reads everything again; the status
// shows the run; an unknown tenant is a coded error.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import type { KnowledgeSearchResult } from '../../src/domain/knowledge/search-result.js';
import type { StatusReport } from '../../src/services/status-service.js';
import type { KnowledgeSyncReport } from '../../src/services/knowledge/knowledge-sync.js';
import { cliEnv, parseJson, runCasebridge, tenantAddArgs } from '../helpers/cli-process.js';

let tmp: string;
let em: StartedEmulator;
let env: NodeJS.ProcessEnv;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-ksync-cli-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
  env = cliEnv(join(tmp, 'data'));
  const added = await runCasebridge(
    ['--json', ...tenantAddArgs(em, 'demo', { consumerKey: em.consumerKey, certOut: join(tmp, 'certs') })],
    env,
    60_000,
  );
  assert.equal(added.code, 0, added.stderr);
});

after(async () => {
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

void test('knowledge sync loads the org in process; search and status follow; --full reads all again', async () => {
  const first = await runCasebridge(['--json', 'knowledge', 'sync', 'demo'], env, 120_000);
  assert.equal(first.code, 0, first.stderr);
  const report = parseJson<KnowledgeSyncReport>(first.stdout);
  assert.equal(report.full, true);
  assert.ok(report.online > 0 && report.read === report.online, `${report.read} of ${report.online}`);
  assert.deepEqual(report.plan.channels, ['Csp', 'Pkb']);
  assert.equal(report.plan.objects[0]?.pageSize, 2000);

  const search = await runCasebridge(['--json', 'knowledge', 'search', 'demo', 'vpn'], env, 60_000);
  assert.equal(search.code, 0, search.stderr);
  const hit = parseJson<KnowledgeSearchResult>(search.stdout).hits[0];
  assert.match(hit?.link ?? '', /\/lightning\/articles\/Knowledge\/[a-z0-9-]+$/);

  const human = await runCasebridge(['knowledge', 'sync', 'demo', '--full'], env, 120_000);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /Knowledge__kav: body Answer__c, 2000 rows a page/);
  assert.match(
    human.stdout,
    new RegExp(`Full load: ${report.online} online, ${report.online} read, 0 new or changed, 0 removed`),
  );

  const status = await runCasebridge(['--json', 'status'], env, 60_000);
  const state = parseJson<StatusReport>(status.stdout).tenants[0]?.knowledgeSync;
  assert.equal(state?.state, 'ok');
  assert.equal(state?.done, report.online);

  const missing = await runCasebridge(['--json', 'knowledge', 'sync', 'nobody'], env, 60_000);
  assert.notEqual(missing.code, 0);
  assert.equal(parseJson<{ error: { code: string } }>(missing.stdout).error.code, 'TENANT_NOT_FOUND');
});

// The composition root builds every tenant's knowledge index when background work starts, so the first employee
// to search after a restart gets articles, not the `index-warming` answer a search gets while its index is built.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';

import { loadConfig } from './config/load-config.js';
import { createLogger } from './logging/logger.js';
import { openRuntime, startBackgroundWork } from './main.js';
import { makeTenantRecord } from '../test/helpers/store-test-kit.js';

test('after start-up every tenant answers its first search from a ready index', async () => {
  const config = loadConfig({
    CASEBRIDGE_DATA_DIR: mkdtempSync(join(tmpdir(), 'casebridge-main-warm-')),
    CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 6).toString('base64'),
  });
  const lines: string[] = [];
  const log = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  // a search does not wait for an index being built: without the warm-up the first one answers `index-warming`
  const runtime = await openRuntime(config, { log, inMemoryStore: true, knowledgeWarmWaitMs: 0 });
  try {
    for (const tenantId of ['acme', 'globex']) {
      await runtime.store.tenants.insert(makeTenantRecord(tenantId));
      // stored as a previous process left them: this process has built no index yet
      await runtime.store.knowledge.put({
        tenantId,
        articleId: `kA${tenantId}`,
        language: 'en_US',
        versionId: null,
        articleNumber: '000001',
        versionNumber: 1,
        title: 'Connecting to the VPN',
        urlName: 'vpn',
        bodyHtml: '<p>Install the VPN client first.</p>',
        lastPublishedAt: null,
      });
    }
    const work = await startBackgroundWork(runtime);
    try {
      const built = (): number =>
        lines.filter((l) => l.includes('knowledge index built from the store')).length;
      // bounded wait for the warm-up, which runs beside the rest of start-up
      for (let i = 0; i < 100 && built() < 2; i++) await sleep(100);
      for (const tenantId of ['acme', 'globex']) {
        const result = await runtime.knowledge.search(tenantId, 'vpn client');
        assert.equal(result.reason, null, `${tenantId}: ${result.reason?.message ?? ''}`);
        assert.equal(result.hits[0]?.title, 'Connecting to the VPN');
      }
    } finally {
      await work.stop();
    }
  } finally {
    await runtime.close();
  }
});

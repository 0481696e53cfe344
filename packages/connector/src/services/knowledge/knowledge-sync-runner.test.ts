import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FixedClock } from '../../../test/fakes/fixed-clock.js';
import { MemorySyncCursorRepository } from '../../../test/fakes/memory-sync-cursors.js';
import { makeTenantRecord } from '../../../test/helpers/store-test-kit.js';
import type { StoredKnowledgeArticle } from '../../domain/knowledge/article.js';
import type {
  ArticleObjectInfo,
  ArticleScope,
  ArticleVersionPage,
  KnowledgeSource,
  KnowledgeSyncState,
} from '../../domain/knowledge/sync-ports.js';
import type { ArticleVersionInput } from '../../domain/knowledge/sync-rules.js';
import type { SyncCursor } from '../../domain/sync-cursor.js';
import type { TenantRecord } from '../../domain/ports.js';
import { silentLogger } from '../../logging/logger.js';
import { DISCOVERY_TTL_MS, KnowledgeSyncRunner } from './knowledge-sync-runner.js';
import type { SyncProgress } from './knowledge-sync.js';

const OBJECT: ArticleObjectInfo = {
  name: 'Knowledge__kav',
  fields: [{ name: 'Answer__c', longText: true }],
  languages: ['en_US'],
};

function version(i: number): ArticleVersionInput {
  return {
    versionId: `ka0${i}`,
    articleId: `kA0${i}`,
    language: 'en_US',
    articleNumber: String(i).padStart(9, '0'),
    versionNumber: 1,
    title: `Article ${i}`,
    urlName: `article-${i}`,
    lastPublishedAt: null,
    bodies: [`<p>Body ${i}</p>`],
  };
}

/** an org of `versions`; `failCountOnce` makes the next COUNT() fail (a field gone under a reused discovery) */
class ScriptedOrg implements KnowledgeSource {
  discovers = 0;
  failCountOnce = false;
  object: ArticleObjectInfo | null = OBJECT;
  /** the expectedRows of each read */
  expected: (number | undefined)[] = [];
  constructor(public versions: ArticleVersionInput[]) {}
  discover(): Promise<ArticleObjectInfo[]> {
    this.discovers += 1;
    return Promise.resolve(this.object === null ? [] : [this.object]);
  }
  count(): Promise<number> {
    if (this.failCountOnce) {
      this.failCountOnce = false;
      return Promise.reject(new Error('INVALID_FIELD'));
    }
    return Promise.resolve(this.versions.length);
  }
  async *versionsAfter(
    _scope: ArticleScope,
    _fields: readonly string[],
    after: SyncCursor,
    pageSize: number,
    expectedRows?: number,
  ): AsyncGenerator<ArticleVersionPage> {
    this.expected.push(expectedRows);
    if (after.modstamp !== new Date(0).toISOString()) return;
    for (let i = 0; i < this.versions.length; i += pageSize) {
      const versions = this.versions.slice(i, i + pageSize);
      await Promise.resolve();
      yield { versions, cursor: { modstamp: '2026-11-24T00:00:00.000Z', id: `ka0${i}` }, setAside: [] };
    }
  }
  async *articleIds(): AsyncGenerator<string[]> {
    await Promise.resolve();
    yield this.versions.map((v) => v.articleId);
  }
}

function harness(org: ScriptedOrg, tenant: TenantRecord = makeTenantRecord('acme')) {
  const rows = new Map<string, StoredKnowledgeArticle>();
  const states: KnowledgeSyncState[] = [];
  const clock = new FixedClock();
  const sut = new KnowledgeSyncRunner({
    tenants: { get: (id) => Promise.resolve(id === tenant.id ? tenant : null) },
    sourceFor: () => org,
    articles: {
      listTenant: (tenantId) =>
        (async function* () {
          await Promise.resolve();
          yield [...rows.values()].filter((a) => a.tenantId === tenantId);
        })(),
      countByLanguage: () => Promise.resolve({ en_US: rows.size }),
    },
    writer: {
      putMany: (articles) => {
        for (const a of articles) rows.set(a.articleId, { ...a, changeSeq: 1 });
        return Promise.resolve({ changed: articles.length });
      },
      remove: (key) => Promise.resolve(rows.delete(key.articleId) ? { changeSeq: 2 } : null),
    },
    cursors: new MemorySyncCursorRepository({ tenants: new Set([tenant.id]), clock }),
    states: {
      save: (s) => Promise.resolve(void states.push({ ...s })),
      get: () => Promise.resolve(states.at(-1) ?? null),
    },
    clock,
    log: silentLogger(),
  });
  return { sut, rows, states, clock };
}

void test('a run reports progress as done/total articles and leaves its counts in the sync state', async () => {
  const org = new ScriptedOrg(Array.from({ length: 5 }, (_, i) => version(i)));
  const { sut, states } = harness(org);
  const seen: SyncProgress[] = [];
  const report = await sut.run('acme', (p) => seen.push(p));
  assert.equal(report.written, 5);
  assert.deepEqual(seen.at(-1), { done: 5, total: 5, unit: 'articles', message: 'Knowledge__kav en_US' });
  assert.equal(states[0]?.state, 'running');
  const last = await sut.status('acme');
  assert.deepEqual(
    { state: last?.state, full: last?.full, done: last?.done, total: last?.total, written: last?.written },
    { state: 'ok', full: true, done: 5, total: 5, written: 5 },
  );
});

void test("a full load hands the source its COUNT() (a large one may go by Bulk); an incremental read doesn't", async () => {
  const org = new ScriptedOrg(Array.from({ length: 3 }, (_, i) => version(i)));
  const { sut } = harness(org);
  await sut.run('acme');
  await sut.run('acme');
  assert.deepEqual(org.expected, [3, undefined]);
});

void test('discovery is reused for six hours, and again after a failure on it', async () => {
  const org = new ScriptedOrg([version(1)]);
  const { sut, clock } = harness(org);
  await sut.run('acme');
  await sut.run('acme');
  assert.equal(org.discovers, 1, 'the second run spent no describe call');
  org.failCountOnce = true;
  const recovered = await sut.run('acme');
  assert.equal(org.discovers, 2, 'a failure on the reused discovery discovers again');
  assert.deepEqual(recovered.warnings, []);
  clock.advance(DISCOVERY_TTL_MS);
  await sut.run('acme');
  assert.equal(org.discovers, 3);
  await sut.run('acme', () => undefined, { full: true });
  assert.equal(org.discovers, 4, '--full always discovers');
});

void test('Knowledge gone from the org: a coded warning, and what is indexed stays', async () => {
  const org = new ScriptedOrg([version(1), version(2)]);
  const { sut, rows } = harness(org);
  await sut.run('acme');
  org.object = null;
  const report = await sut.run('acme', () => undefined, { full: true });
  assert.deepEqual(
    report.warnings.map((w) => w.code),
    ['KNOWLEDGE_SYNC_NOT_ENABLED'],
  );
  assert.equal(rows.size, 2);
});

void test('a tenant with knowledge off: a coded warning and no call to the org', async () => {
  const tenant = makeTenantRecord('acme');
  tenant.settings.knowledge.enabled = false;
  const org = new ScriptedOrg([version(1)]);
  const { sut } = harness(org, tenant);
  const report = await sut.run('acme');
  assert.deepEqual(
    report.warnings.map((w) => w.code),
    ['KNOWLEDGE_SYNC_DISABLED'],
  );
  assert.equal(org.discovers, 0);
  await assert.rejects(sut.run('nobody'), { code: 'TENANT_NOT_FOUND' });
});

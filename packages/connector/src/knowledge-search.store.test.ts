// Knowledge search end to end on the real store (PGlite, and PostgreSQL when configured) and the real index:
// results as a person sees them, clear answers to bad input, and two workers answering from the same articles.

import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';

import type { KnowledgeArticleRecord } from './domain/knowledge/article.js';
import { isAppError } from './errors/app-error.js';
import { silentLogger } from './logging/logger.js';
import { inMemoryIndexes, sectionsTextOf } from './search/tenant-index.js';
import { KnowledgeSearchService } from './services/knowledge/knowledge-search.js';
import type { Store } from './store/open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../test/helpers/store-test-kit.js';
import { markSnippet } from './search/snippet.js';

const article = (patch: Partial<KnowledgeArticleRecord> = {}): KnowledgeArticleRecord => ({
  tenantId: 'acme',
  articleId: 'kA0001',
  language: 'en_US',
  versionId: 'ka0v2',
  articleNumber: '000001001',
  versionNumber: 2,
  title: 'Connecting to the VPN',
  urlName: 'connecting-to-the-vpn',
  bodyHtml:
    '<p>Everyone gets VPN access on day one.</p><h2>Forgotten password</h2><p>Reset your VPN password at the <b>self-service</b> portal.</p><script>track()</script>',
  lastPublishedAt: '2026-11-20T09:00:00.000Z',
  ...patch,
});

function service(store: Store): KnowledgeSearchService {
  return new KnowledgeSearchService({
    articles: store.knowledge,
    indexes: inMemoryIndexes,
    tenants: store.tenants,
    log: silentLogger(),
    timer: performance,
    pollMs: 50,
  });
}

for (const backend of storeBackends()) {
  describe(`knowledge search on ${backend.name}`, () => {
    let store: Store;
    let other: Store;
    before(async () => {
      store = await backend.open({ clock: new TestClock() });
      // a second worker: on PostgreSQL its own pool (as another process would have), on PGlite the one store
      other = backend.postgres === null ? store : await backend.open({ clock: new TestClock() });
      const tenant = makeTenantRecord('acme', { instanceUrl: 'https://acme.my.salesforce.com' });
      await store.tenants.insert(tenant);
    });
    after(async () => {
      if (other !== store) await other.close();
      await store.close();
      await backend.dispose();
    });

    test('a result has the title, number and version, the section, a marked snippet and the link', async () => {
      const search = service(store);
      await search.put(article());
      const result = await search.search('acme', 'how do I reset my vpn password?');
      assert.equal(result.reason, null);
      const [hit] = result.hits;
      assert.equal(hit?.title, 'Connecting to the VPN');
      assert.equal(hit?.articleNumber, '000001001');
      assert.equal(hit?.versionNumber, 2);
      assert.equal(hit?.section, 'Forgotten password');
      assert.equal(
        markSnippet(hit?.snippet ?? { text: '', marks: [] }),
        '**Reset** your **VPN** **password** at the self-service portal.',
      );
      assert.equal(
        hit?.link,
        'https://acme.my.salesforce.com/lightning/articles/Knowledge/connecting-to-the-vpn',
      );
    });

    test('bad input gets a clear answer: too long, punctuation, stop words, a missing language, a bad limit', async () => {
      const search = service(store);
      await assert.rejects(search.search('acme', 'vpn '.repeat(2500)), (err) =>
        isAppError(err, 'KNOWLEDGE_QUERY_TOO_LONG'),
      );
      assert.equal((await search.search('acme', '?!... ---')).reason?.code, 'no-words');
      assert.equal((await search.search('acme', 'how is the')).reason?.code, 'only-stop-words');
      assert.equal((await search.search('acme', 'zebra')).reason?.code, 'no-match');
      const german = await search.search('acme', 'passwort', { language: 'de' });
      assert.deepEqual(german.reason, {
        code: 'language-not-indexed',
        message: 'Tenant "acme" has no articles in de; it has en_US.',
        languages: ['en_US'],
      });
      await assert.rejects(search.search('acme', 'vpn', { limit: 0 }), (err) =>
        isAppError(err, 'KNOWLEDGE_LIMIT_INVALID'),
      );
      await assert.rejects(search.search('nobody', 'vpn'), (err) => isAppError(err, 'TENANT_NOT_FOUND'));
    });

    test('another worker builds its index from the store and follows every change', async () => {
      const writer = service(store);
      const reader = service(other);
      await writer.put(article());
      assert.equal((await reader.search('acme', 'vpn')).hits[0]?.title, 'Connecting to the VPN');
      reader.follow();
      try {
        await writer.put(
          article({
            articleId: 'kA0002',
            title: 'Printer toner',
            urlName: 'toner',
            bodyHtml: '<p>Toner is in room 4.</p>',
          }),
        );
        await eventually(async () => (await reader.search('acme', 'toner')).hits.length === 1);
        await writer.put(article({ versionNumber: 3, bodyHtml: '<p>Use the new gateway.</p>' }));
        await eventually(async () => (await reader.search('acme', 'gateway')).hits[0]?.versionNumber === 3);
        assert.equal((await reader.search('acme', 'self-service')).reason?.code, 'no-match');
        await writer.remove({ tenantId: 'acme', articleId: 'kA0002', language: 'en_US' });
        await eventually(async () => (await reader.search('acme', 'toner')).hits.length === 0);
      } finally {
        reader.stop();
      }
    });

    test('an article written through search keeps its clean sections beside the HTML, and a rebuild answers from them', async () => {
      await store.tenants.insert(makeTenantRecord('globex'));
      const body = '<p>Badges open every door.</p><h2>Lost badge</h2><p>Report it at the front desk.</p>';
      await service(store).put(article({ tenantId: 'globex', articleId: 'kG1', bodyHtml: body }));
      const stored = await store.knowledge.get({ tenantId: 'globex', articleId: 'kG1', language: 'en_US' });
      assert.equal(stored?.sectionsText, sectionsTextOf(body));
      const restarted = await service(other).search('globex', 'lost badge');
      assert.equal(restarted.hits[0]?.section, 'Lost badge');
      assert.equal(
        markSnippet(restarted.hits[0]?.snippet ?? { text: '', marks: [] }),
        'Report it at the front desk.',
      );
    });

    test('a change to the link rule shows in results within a second', async () => {
      let now = 0;
      const search = new KnowledgeSearchService({
        articles: store.knowledge,
        indexes: inMemoryIndexes,
        tenants: store.tenants,
        log: silentLogger(),
        timer: { now: () => now },
      });
      await search.put(article());
      const linkOf = async (): Promise<string | null | undefined> =>
        (await search.search('acme', 'vpn password')).hits[0]?.link;
      const before = await store.tenants.get('acme');
      assert.ok(before !== null);
      assert.equal(
        await linkOf(),
        'https://acme.my.salesforce.com/lightning/articles/Knowledge/connecting-to-the-vpn',
      );
      await store.tenants.update('acme', {
        settings: {
          ...before.settings,
          knowledge: { ...before.settings.knowledge, linkTemplate: 'https://help.acme.test/{articleNumber}' },
        },
      });
      now += 1000;
      try {
        assert.equal(await linkOf(), 'https://help.acme.test/000001001');
      } finally {
        await store.tenants.update('acme', { settings: before.settings });
      }
    });

    test(
      'a search during a rebuild is answered at once (index warming), and with hits once it is built',
      { timeout: 20_000 },
      async () => {
        // the index is built from the store after a restart; here the store's second page is held back
        await store.tenants.insert(makeTenantRecord('warm', {}));
        await store.knowledge.putMany(
          [1, 2, 3].map((n) =>
            article({ tenantId: 'warm', articleId: `kA000${n}`, articleNumber: `00000100${n}` }),
          ),
        );
        let release: () => void = () => undefined;
        const held = new Promise<void>((resolve) => (release = resolve));
        const search = new KnowledgeSearchService({
          articles: {
            ...store.knowledge,
            latestSeq: () => store.knowledge.latestSeq(),
            changesSince: (after, limit) => store.knowledge.changesSince(after, limit),
            countByLanguage: (tenantId) => store.knowledge.countByLanguage(tenantId),
            async *listTenant(tenantId) {
              let first = true;
              for await (const page of store.knowledge.listTenant(tenantId, 2)) {
                if (!first) await held;
                first = false;
                yield page;
              }
            },
          },
          indexes: inMemoryIndexes,
          tenants: store.tenants,
          log: silentLogger(),
          timer: performance,
          warmWaitMs: 0,
        });
        const building = search.load('warm');
        const during = await search.search('warm', 'vpn password');
        assert.deepEqual(during.hits, []);
        assert.equal(during.reason?.code, 'index-warming');
        assert.match(during.reason?.message ?? '', /being built from the store/);
        release();
        assert.deepEqual(await building, { articles: 3 });
        const afterwards = await search.search('warm', 'vpn password');
        assert.equal(afterwards.reason, null);
        assert.equal(afterwards.hits.length, 3);
      },
    );
  });
}

/** waits for a condition the follower makes true (bounded: the test fails rather than hangs) */
async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail('the change did not reach the other worker');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

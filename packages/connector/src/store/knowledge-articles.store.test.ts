// Knowledge articles in the store, on PGlite and (when configured) PostgreSQL: keyed by article and language,
// removals visible as changes, change order equal to commit order.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { KnowledgeArticleRecord } from '../domain/knowledge/article.js';
import type { Store } from './open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';

function record(tenantId: string, articleId: string, patch: Partial<KnowledgeArticleRecord> = {}) {
  return {
    tenantId,
    articleId,
    language: 'en_US',
    versionId: `${articleId}-v1`,
    articleNumber: `0000${articleId.slice(-1)}`,
    versionNumber: 1,
    title: `Article ${articleId}`,
    urlName: `article-${articleId}`,
    bodyHtml: '<p>Body</p>',
    lastPublishedAt: '2026-11-01T10:00:00.000Z',
    ...patch,
  };
}

for (const backend of storeBackends()) {
  describe(`knowledge articles on ${backend.name}`, () => {
    let store: Store;
    before(async () => {
      store = await backend.open({ clock: new TestClock() });
      await store.tenants.insert(makeTenantRecord('kb1'));
      await store.tenants.insert(makeTenantRecord('kb2'));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('a new version replaces the article (same article id and language), a translation is its own row', async () => {
      const start = await store.knowledge.latestSeq();
      const first = await store.knowledge.put(record('kb1', 'kA1'));
      assert.equal(first.changed, true);
      const again = await store.knowledge.put(record('kb1', 'kA1'));
      assert.deepEqual(again, { changeSeq: first.changeSeq, changed: false });
      const v2 = await store.knowledge.put(
        record('kb1', 'kA1', { versionId: 'kA1-v2', versionNumber: 2, bodyHtml: '<p>New</p>' }),
      );
      assert.ok(v2.changeSeq > first.changeSeq);
      await store.knowledge.put(record('kb1', 'kA1', { language: 'de', title: 'Artikel' }));
      const stored = await store.knowledge.get({ tenantId: 'kb1', articleId: 'kA1', language: 'en_US' });
      assert.equal(stored?.versionNumber, 2);
      assert.equal(stored?.bodyHtml, '<p>New</p>');
      assert.deepEqual(await store.knowledge.countByLanguage('kb1'), { de: 1, en_US: 1 });
      assert.ok((await store.knowledge.latestSeq()) >= start + 3);
    });

    test('changes come in sequence order, removals included, and a tenant lists only its live articles', async () => {
      const from = await store.knowledge.latestSeq();
      await store.knowledge.put(record('kb2', 'kB1'));
      await store.knowledge.put(record('kb2', 'kB2'));
      const removed = await store.knowledge.remove({ tenantId: 'kb2', articleId: 'kB1', language: 'en_US' });
      assert.ok(removed !== null);
      assert.equal(
        await store.knowledge.remove({ tenantId: 'kb2', articleId: 'kB1', language: 'en_US' }),
        null,
      );
      const changes = await store.knowledge.changesSince(from, 100);
      assert.deepEqual(
        changes.map((c) => [c.kind, c.kind === 'put' ? c.article.articleId : c.key.articleId]),
        [
          ['put', 'kB2'],
          ['remove', 'kB1'],
        ],
      );
      const seqs = changes.map((c) => c.changeSeq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
      );
      const pages: string[][] = [];
      for await (const page of store.knowledge.listTenant('kb2', 1)) pages.push(page.map((a) => a.articleId));
      assert.deepEqual(pages, [['kB2']]);
      // put back after removal: live again
      await store.knowledge.put(record('kb2', 'kB1'));
      assert.deepEqual(await store.knowledge.countByLanguage('kb2'), { en_US: 2 });
    });

    test('a page written at once: unchanged articles skipped, one sequence number per changed article', async () => {
      const page = Array.from({ length: 3 }, (_, i) => record('kb1', `kP${i}`));
      const from = await store.knowledge.latestSeq();
      assert.deepEqual(await store.knowledge.putMany(page), { changed: 3, latestSeq: from + 3 });
      const next = [page[0]!, { ...page[1]!, versionNumber: 2 }, page[2]!];
      assert.deepEqual(await store.knowledge.putMany(next), { changed: 1, latestSeq: from + 4 });
      const changes = await store.knowledge.changesSince(from, 10);
      assert.deepEqual(
        changes.map((c) => [c.changeSeq - from, c.kind === 'put' ? c.article.articleId : '']),
        [
          [1, 'kP0'],
          [3, 'kP2'],
          [4, 'kP1'],
        ],
      );
    });

    test('the packed sections are kept beside the HTML; a rebuild reading them gets no HTML, an older text gets the HTML', async () => {
      await store.knowledge.put(
        record('kb2', 'kS1', { bodyHtml: '<p>New text</p>', sectionsText: 's1:New text' }),
      );
      await store.knowledge.putMany([
        record('kb2', 'kS2', { bodyHtml: '<p>Old text</p>', sectionsText: 's0:Old text' }),
        record('kb2', 'kS3', { bodyHtml: '<p>No text</p>' }),
      ]);
      const stored = await store.knowledge.get({ tenantId: 'kb2', articleId: 'kS1', language: 'en_US' });
      assert.equal(stored?.sectionsText, 's1:New text');
      const rows = new Map<string, [string, string | null | undefined]>();
      for await (const page of store.knowledge.listTenant('kb2', 2, 's1:'))
        for (const a of page) rows.set(a.articleId, [a.bodyHtml, a.sectionsText]);
      assert.deepEqual(rows.get('kS1'), ['', 's1:New text']);
      assert.deepEqual(rows.get('kS2'), ['<p>Old text</p>', null]);
      assert.deepEqual(rows.get('kS3'), ['<p>No text</p>', null]);
      await store.knowledge.remove({ tenantId: 'kb2', articleId: 'kS1', language: 'en_US' });
      await store.knowledge.put(record('kb2', 'kS1', { bodyHtml: '<p>Back</p>' }));
      const back = await store.knowledge.get({ tenantId: 'kb2', articleId: 'kS1', language: 'en_US' });
      assert.equal(back?.sectionsText, null);
    });

    test('concurrent writers get distinct sequence numbers', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.knowledge.put(record('kb1', `kC${i}`))),
      );
      assert.equal(new Set(results.map((r) => r.changeSeq)).size, 8);
    });
  });
}

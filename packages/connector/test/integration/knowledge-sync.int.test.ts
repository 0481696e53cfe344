// Knowledge sync against the emulator over HTTP: a full load of the demo org's published articles, then publish,
// republish (same UrlName, one row per article and language), archive and delete there and watch the store follow
// in the next run; a crash mid-load resumes from the saved cursor; a language the org lacks is a coded warning.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import type {
  ArticleKey,
  KnowledgeArticleRecord,
  StoredKnowledgeArticle,
} from '../../src/domain/knowledge/article.js';
import { linkWithFallback } from '../../src/domain/knowledge/link-template.js';
import type { SyncCursor } from '../../src/domain/sync-cursor.js';
import { SalesforceKnowledgeSource } from '../../src/salesforce/knowledge/knowledge-source.js';
import { KnowledgeSync, type KnowledgeWriter } from '../../src/services/knowledge/knowledge-sync.js';
import { realClock, salesforceStack, type SalesforceStack } from '../helpers/salesforce-stack.js';

class MemoryArticles implements KnowledgeWriter {
  readonly rows = new Map<string, StoredKnowledgeArticle>();
  private seq = 0;
  /** throws after this many pages (a crash mid-load) */
  failAfterPages = Infinity;
  putMany(articles: readonly KnowledgeArticleRecord[]): Promise<{ changed: number; latestSeq: number }> {
    if (this.failAfterPages-- <= 0) return Promise.reject(new Error('crash'));
    for (const a of articles)
      this.rows.set(`${a.tenantId}/${a.articleId}/${a.language}`, { ...a, changeSeq: ++this.seq });
    return Promise.resolve({ changed: articles.length, latestSeq: this.seq });
  }
  remove(key: ArticleKey): Promise<{ changeSeq: number } | null> {
    const had = this.rows.delete(`${key.tenantId}/${key.articleId}/${key.language}`);
    return Promise.resolve(had ? { changeSeq: ++this.seq } : null);
  }
  listTenant(tenantId: string): AsyncIterable<StoredKnowledgeArticle[]> {
    const page = [...this.rows.values()].filter((a) => a.tenantId === tenantId);
    return (function* () {
      yield page;
    })() as unknown as AsyncIterable<StoredKnowledgeArticle[]>;
  }
  byArticle(articleId: string): StoredKnowledgeArticle | undefined {
    return [...this.rows.values()].find((a) => a.articleId === articleId);
  }
}

class MemoryCursors {
  readonly map = new Map<string, SyncCursor>();
  get(t: string, s: string): Promise<SyncCursor | null> {
    return Promise.resolve(this.map.get(`${t}/${s}`) ?? null);
  }
  save(t: string, s: string, c: SyncCursor): Promise<void> {
    this.map.set(`${t}/${s}`, c);
    return Promise.resolve();
  }
  list(): Promise<never[]> {
    return Promise.resolve([]);
  }
}

let em: StartedEmulator;
let stack: SalesforceStack;

async function action(name: string, body: Record<string, unknown>): Promise<Record<string, string>> {
  const res = await fetch(`${em.controlUrl}/orgs/demo/actions/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${em.controlToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${name}: ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as Record<string, string>;
}

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-ksync-')) });
  stack = salesforceStack(em);
  // the demo seed's articles carry no channel flags; generated ones do (Pkb every 2nd, Csp every 3rd)
  const res = await fetch(`${em.controlUrl}/orgs/demo/knowledge/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${em.controlToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ count: 90, seed: 1 }),
  });
  assert.ok(res.ok);
});
after(async () => {
  await em.close();
});

function syncWith(articles: MemoryArticles, cursors: MemoryCursors): KnowledgeSync {
  return new KnowledgeSync({
    source: new SalesforceKnowledgeSource(stack.client, stack.tenant),
    articles,
    writer: articles,
    cursors,
    clock: realClock,
    overlapMs: 60_000,
  });
}

test('full load, publish, republish, archive and delete are followed in the next run', async () => {
  const articles = new MemoryArticles();
  const cursors = new MemoryCursors();
  const sync = syncWith(articles, cursors);
  const first = await sync.run(stack.tenant);
  assert.ok(first.read > 0, 'the demo articles are loaded');
  assert.equal(articles.rows.size, first.read);
  const plan = first.plan;
  assert.ok(plan.objects.some((o) => o.name.endsWith('__kav')));
  assert.deepEqual(plan.languages, ['en_US']);

  const published = await action('create-article', {
    title: 'Printer on floor three jams',
    urlName: 'printer-floor-three',
    fields: { IsVisibleInPkb: true },
    publish: true,
  });
  await sync.run(stack.tenant);
  const fresh = articles.byArticle(published['knowledgeArticleId'] ?? '');
  assert.equal(fresh?.title, 'Printer on floor three jams');
  const link = linkWithFallback('https://help.example.com/{language}/{urlName}');
  const values = (a: StoredKnowledgeArticle) => ({ ...a, id: a.versionId, instanceUrl: null });
  const oldLink = link(values(fresh));

  const draft = await action('create-draft', {
    knowledgeArticleId: published['knowledgeArticleId'],
    fields: { Title: 'Printer on floor three jams (updated)' },
  });
  await action('publish-article', { versionId: draft['versionId'] ?? '' });
  const before = articles.rows.size;
  await sync.run(stack.tenant);
  const republished = articles.byArticle(published['knowledgeArticleId'] ?? '');
  assert.equal(republished?.title, 'Printer on floor three jams (updated)');
  assert.equal(republished?.versionId, draft['versionId']);
  assert.equal(articles.rows.size, before, 'one row per article and language, not per version');
  assert.equal(link(values(republished)), oldLink, 'the UrlName link survives');

  const victim = [...articles.rows.values()].find((a) => a.articleId !== published['knowledgeArticleId']);
  await action('archive-article', { knowledgeArticleId: published['knowledgeArticleId'] });
  const report = await sync.run(stack.tenant);
  assert.equal(articles.byArticle(published['knowledgeArticleId'] ?? ''), undefined, 'archived is gone');
  assert.equal(report.removed, 1);
  assert.ok(victim !== undefined);
  await action('delete-article', { versionId: victim.versionId ?? '' });
  await sync.run(stack.tenant);
  assert.equal(articles.byArticle(victim.articleId), undefined, 'deleted is gone');
});

test('a crash mid-load resumes from the last page written', async () => {
  const articles = new MemoryArticles();
  const cursors = new MemoryCursors();
  const source = new SalesforceKnowledgeSource(stack.client, stack.tenant);
  const sync = new KnowledgeSync({ source, articles, writer: articles, cursors, clock: realClock });
  const full = await syncWith(new MemoryArticles(), new MemoryCursors()).run(stack.tenant);
  // small pages so the load has several; the plan's page size is overridden through the object list
  const small = new KnowledgeSync({
    source: {
      discover: () => source.discover(),
      count: (s) => source.count(s),
      articleIds: (s) => source.articleIds(s),
      versionsAfter: (s, f, a) => source.versionsAfter(s, f, a, 10),
    },
    articles,
    writer: articles,
    cursors,
    clock: realClock,
  });
  articles.failAfterPages = 2;
  await assert.rejects(small.run(stack.tenant), /crash/);
  assert.equal(articles.rows.size, 20);
  articles.failAfterPages = Infinity;
  const resumed = await sync.run(stack.tenant);
  assert.equal(articles.rows.size, full.read);
  assert.ok(resumed.read <= full.read - 20 + 1, `resumed read ${resumed.read} of ${full.read}`);
});

test('a language the org lacks is a coded warning and the rest loads', async () => {
  const articles = new MemoryArticles();
  const tenant = structuredClone(stack.tenant);
  tenant.settings.knowledge.languages = ['en_US', 'xx_XX'];
  const report = await syncWith(articles, new MemoryCursors()).run(tenant);
  assert.ok(
    report.warnings.some((w) => w.code === 'KNOWLEDGE_SYNC_LANGUAGE_UNKNOWN' && w.message.includes('xx_XX')),
  );
  assert.ok(articles.rows.size > 0);
});

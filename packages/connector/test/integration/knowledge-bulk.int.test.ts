// Knowledge full loads by Bulk API 2.0 against the emulator over HTTP: a large scope goes by one query job (one
// create, at most two polls, one call per result page) and stores exactly what the REST read stores; a small one
// and every incremental read stay on REST; an API version without query jobs, a refused job and a job whose
// results fail mid-way fall back to REST without losing or re-reading a row.

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
import type { SyncCursor } from '../../src/domain/sync-cursor.js';
import { bulkQueryCheck } from '../../src/salesforce/bulk-check.js';
import { BulkKnowledgeSource } from '../../src/salesforce/knowledge/bulk-knowledge-source.js';
import { SalesforceKnowledgeSource } from '../../src/salesforce/knowledge/knowledge-source.js';
import { KnowledgeSync, type KnowledgeWriter } from '../../src/services/knowledge/knowledge-sync.js';
import { realClock, salesforceStack, type SalesforceStack } from '../helpers/salesforce-stack.js';

const MAX_RECORDS = 1_000;
const POLL_DELAYS_MS = [30, 60, 120, 240, 480];

class MemoryArticles implements KnowledgeWriter {
  readonly rows = new Map<string, StoredKnowledgeArticle>();
  private seq = 0;
  /** called before each page is written, with the number of pages written so far */
  beforePut: (pagesWritten: number) => Promise<void> = () => Promise.resolve();
  private pages = 0;
  async putMany(articles: readonly KnowledgeArticleRecord[]): Promise<{ changed: number }> {
    await this.beforePut(this.pages);
    this.pages += 1;
    for (const a of articles)
      this.rows.set(`${a.tenantId}/${a.articleId}/${a.language}`, { ...a, changeSeq: ++this.seq });
    return { changed: articles.length };
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
  /** the stored articles without the store's own sequence, by article id */
  content(): Map<string, Omit<StoredKnowledgeArticle, 'changeSeq' | 'tenantId'>> {
    return new Map(
      [...this.rows.values()].map(({ changeSeq: _seq, tenantId: _tenant, ...a }) => [
        `${a.articleId}/${a.language}`,
        a,
      ]),
    );
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

async function control(method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${em.controlUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${em.controlToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
}

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-kbulk-')) });
  // generated articles: Pkb every 2nd, Csp every 3rd, Prm every 5th
  await control('POST', '/orgs/demo/knowledge/generate', { count: 4_500, seed: 7 });
});
after(async () => {
  await em.close();
});

/** A tenant reading two long-text bodies (200 rows a REST page), on the channels and API version given. */
function tenantStack(
  id: string,
  options: { channels?: ('App' | 'Pkb' | 'Csp' | 'Prm')[]; apiVersion?: string } = {},
): SalesforceStack {
  const stack = salesforceStack(em, {
    tenantId: id,
    ...(options.apiVersion === undefined ? {} : { apiVersion: options.apiVersion }),
  });
  stack.tenant.settings.knowledge.bodyFields = ['Answer__c', 'Summary'];
  if (options.channels !== undefined) stack.tenant.settings.knowledge.channels = options.channels;
  return stack;
}

function syncOf(stack: SalesforceStack, articles: MemoryArticles, cursors: MemoryCursors, bulk: boolean) {
  const rest = new SalesforceKnowledgeSource(stack.client, stack.tenant);
  return new KnowledgeSync({
    source: bulk
      ? new BulkKnowledgeSource(rest, stack.client, stack.tenant, {
          maxRecords: MAX_RECORDS,
          pollDelaysMs: POLL_DELAYS_MS,
        })
      : rest,
    articles,
    writer: articles,
    cursors,
    clock: realClock,
    overlapMs: 60_000,
  });
}

const bulkCalls = (stack: SalesforceStack) =>
  stack.audit.entries.filter((e) => e.path.includes('/jobs/query'));
const restPages = (stack: SalesforceStack) =>
  stack.audit.entries.filter((e) => e.path.includes('/query') && !e.path.includes('/jobs/'));

test('a large full load goes by one query job: create, at most two polls, one call per page; same articles as REST', async () => {
  const byBulk = tenantStack('bulk-large');
  const bulkStore = new MemoryArticles();
  const cursors = new MemoryCursors();
  const report = await syncOf(byBulk, bulkStore, cursors, true).run(byBulk.tenant);
  assert.ok(report.online >= 1_800, `enough rows for Bulk (${report.online})`);
  assert.equal(report.read, report.online, 'every published version read once');
  assert.equal(bulkStore.rows.size, report.online);

  const jobCalls = bulkCalls(byBulk);
  const creates = jobCalls.filter((e) => e.method === 'POST');
  const results = jobCalls.filter((e) => e.path.includes('/results'));
  const polls = jobCalls.filter((e) => e.method === 'GET' && !e.path.includes('/results'));
  assert.equal(creates.length, 1, 'one job');
  assert.equal(results.length, Math.ceil(report.online / MAX_RECORDS), 'one call per result page');
  assert.ok(polls.length >= 1 && polls.length <= 2, `at most two status polls (${polls.length})`);
  assert.ok(
    jobCalls.every((e) => e.purpose === 'knowledge-sync' && e.status === 200),
    'counted and audited under the sync',
  );
  // the only REST queries left are the COUNT() and nothing else reads versions
  assert.equal(
    restPages(byBulk).filter((e) => !/COUNT/i.test(decodeURIComponent(e.path))).length,
    0,
    'no version page by REST',
  );

  const byRest = tenantStack('rest-large');
  const restStore = new MemoryArticles();
  const restReport = await syncOf(byRest, restStore, new MemoryCursors(), false).run(byRest.tenant);
  assert.equal(restReport.read, report.read);
  assert.deepEqual(bulkStore.content(), restStore.content(), 'the CSV rows become the same articles');
  assert.ok(
    restPages(byRest).length >= 10 + jobCalls.length,
    `REST took ${restPages(byRest).length} calls, Bulk ${jobCalls.length}`,
  );

  // the next run is incremental: REST, no job
  const before = bulkCalls(byBulk).length;
  const next = await syncOf(byBulk, bulkStore, cursors, true).run(byBulk.tenant);
  assert.equal(next.full, false);
  assert.equal(bulkCalls(byBulk).length, before, 'an incremental read creates no job');
});

test('a small full load stays on REST', async () => {
  const stack = tenantStack('bulk-small', { channels: ['Prm'] });
  const store = new MemoryArticles();
  const report = await syncOf(stack, store, new MemoryCursors(), true).run(stack.tenant);
  assert.ok(report.online > 0 && report.online < 1_800, `below the threshold (${report.online})`);
  assert.equal(store.rows.size, report.online);
  assert.equal(bulkCalls(stack).length, 0);
});

test('an API version without query jobs reads by REST without asking for a job', async () => {
  const stack = tenantStack('bulk-v46', { apiVersion: '46.0' });
  const store = new MemoryArticles();
  const report = await syncOf(stack, store, new MemoryCursors(), true).run(stack.tenant);
  assert.equal(store.rows.size, report.online);
  assert.equal(bulkCalls(stack).length, 0);
});

test('the org refusing the job: the load is read by REST from the beginning', async () => {
  const stack = tenantStack('bulk-refused');
  // every attempt of the create answers 503 until the client gives up
  await control('POST', '/faults', {
    kind: 'server-unavailable',
    method: 'POST',
    path: '*/jobs/query',
    count: 5,
  });
  const store = new MemoryArticles();
  const report = await syncOf(stack, store, new MemoryCursors(), true).run(stack.tenant);
  assert.equal(report.read, report.online);
  assert.equal(store.rows.size, report.online);
  const jobCalls = bulkCalls(stack);
  assert.ok(jobCalls.length > 0 && jobCalls.every((e) => e.method === 'POST' && e.status === 503));
  assert.ok(restPages(stack).length >= 10, 'read by REST pages');
});

test('results failing after the first page: REST goes on from its cursor, nothing lost or read twice', async () => {
  const stack = tenantStack('bulk-midway');
  const store = new MemoryArticles();
  store.beforePut = async (pagesWritten) => {
    // once the first result page has come, every attempt of the next one fails
    if (pagesWritten === 0)
      await control('POST', '/faults', {
        kind: 'server-unavailable',
        method: 'GET',
        path: '*/jobs/query/*/results',
        count: 5,
      });
  };
  const cursors = new MemoryCursors();
  const report = await syncOf(stack, store, cursors, true).run(stack.tenant);
  assert.equal(report.read, report.online, 'no row read twice');
  assert.equal(store.rows.size, report.online, 'no row lost');
  const results = bulkCalls(stack).filter((e) => e.path.includes('/results'));
  assert.equal(results.filter((e) => e.status === 200).length, 1, 'one page came by Bulk');
  const restRows = report.online - MAX_RECORDS;
  assert.equal(
    restPages(stack).filter((e) => !/COUNT/i.test(decodeURIComponent(e.path))).length,
    Math.ceil(restRows / 200) + (restRows % 200 === 0 ? 1 : 0),
    'the rest by REST pages after the cursor',
  );
});

test("doctor's Bulk line: passes on an API version with query jobs; one before 47.0 warns with the fix", async () => {
  const current = tenantStack('doctor-ok');
  const ok = await bulkQueryCheck(current.client, current.tenant);
  assert.equal(ok.status, 'pass', ok.detail);
  // the demo's service user may not read /limits: the version decides
  assert.match(ok.detail, /API 62\.0 has query jobs/);
  const old = tenantStack('doctor-v46', { apiVersion: '46.0' });
  const warned = await bulkQueryCheck(old.client, old.tenant);
  assert.equal(warned.status, 'warn');
  assert.match(warned.detail, /read by REST instead/);
  assert.match(warned.fix ?? '', /--set apiVersion=66\.0/);
  assert.equal(old.audit.entries.length, 0, 'the version alone decides: no call');
});

// knowledge-bulk: the connector's full knowledge load of N generated published articles (--articles N, default
// 100,000) with two long-text bodies (200 rows a REST page), once by REST pages and once by a Bulk API 2.0 query
// job (bulk-knowledge-source.ts, as main.ts wires it: 10,000 rows a result page, polls after 1 s and 2 s), against
// one emulator in its own process, in the same run: Salesforce calls counted by the client and wall time. The
// goal for Bulk: one job create + ceil(rows / maxRecords) result pages + at most two status polls.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import type {
  ArticleKey,
  KnowledgeArticleRecord,
} from '../../packages/connector/src/domain/knowledge/article.js';
import type { KnowledgeSource } from '../../packages/connector/src/domain/knowledge/sync-ports.js';
import type { SyncCursor } from '../../packages/connector/src/domain/sync-cursor.js';
import { defaultTenantSettings, type Tenant } from '../../packages/connector/src/domain/tenant.js';
import { silentLogger } from '../../packages/connector/src/logging/logger.js';
import { rsaKeySigner } from '../../packages/connector/src/salesforce/auth/jwt-assertion.js';
import { SessionManager } from '../../packages/connector/src/salesforce/auth/session-manager.js';
import { fetchFormPost, TokenClient } from '../../packages/connector/src/salesforce/auth/token-client.js';
import { DEFAULT_MAX_RECORDS } from '../../packages/connector/src/salesforce/bulk-query.js';
import { BulkKnowledgeSource } from '../../packages/connector/src/salesforce/knowledge/bulk-knowledge-source.js';
import { SalesforceKnowledgeSource } from '../../packages/connector/src/salesforce/knowledge/knowledge-source.js';
import { SalesforceClient } from '../../packages/connector/src/salesforce/salesforce-client.js';
import {
  KnowledgeSync,
  type KnowledgeWriter,
} from '../../packages/connector/src/services/knowledge/knowledge-sync.js';
import { FakeSecretBox } from '../../packages/connector/test/fakes/fake-crypto.js';
import { MemoryApiAuditRepository } from '../../packages/connector/test/fakes/memory-api-audit.js';
import { MemoryTenantPauseRepository } from '../../packages/connector/test/fakes/memory-tenant-pause.js';
import { MemorySessionRepository } from '../../packages/connector/test/fakes/memory-tenant-store.js';
import { ChildServer } from '../lib/child-server.js';
import type { BenchmarkModule, BenchOptions, BenchReport } from '../lib/harness.js';

interface Login {
  loginUrl: string;
  consumerKey: string;
  username: string;
  privateKeyPath: string;
}

/** Counts what is written and keeps nothing: the bench measures the read, not a store. */
class CountingWriter implements KnowledgeWriter {
  written = 0;
  putMany(articles: readonly KnowledgeArticleRecord[]): Promise<{ changed: number }> {
    this.written += articles.length;
    return Promise.resolve({ changed: articles.length });
  }
  remove(_key: ArticleKey): Promise<{ changeSeq: number } | null> {
    return Promise.resolve(null);
  }
  listTenant(): AsyncIterable<never[]> {
    return (async function* () {})();
  }
}

class MemoryCursors {
  private readonly map = new Map<string, SyncCursor>();
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

interface Load {
  online: number;
  read: number;
  calls: number;
  ms: number;
  creates: number;
  polls: number;
  results: number;
  pages: number;
}

async function load(login: Login, tenantId: string, bulk: boolean): Promise<Load> {
  const settings = defaultTenantSettings();
  settings.apiVersion = '64.0';
  settings.knowledge.bodyFields = ['Answer__c', 'Summary'];
  // every generated article is visible in the internal app: the load covers all of them
  settings.knowledge.channels = ['App'];
  const tenant: Tenant = {
    id: tenantId,
    name: tenantId,
    loginUrl: login.loginUrl,
    instanceUrl: null,
    consumerKey: login.consumerKey,
    username: login.username,
    settings,
    activeKey: null,
    pendingKey: null,
    hasConsumerSecret: false,
    hasPassword: false,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  const pem = readFileSync(login.privateKeyPath, 'utf8');
  const clock = { now: () => new Date() };
  const audit = new MemoryApiAuditRepository();
  const sessions = new SessionManager({
    sessions: new MemorySessionRepository(),
    box: new FakeSecretBox(),
    tokens: new TokenClient(fetchFormPost(30_000)),
    clock,
    signerFor: () => Promise.resolve(rsaKeySigner(pem, tenantId)),
    log: silentLogger(),
  });
  const client = new SalesforceClient({
    sessions,
    audit,
    pauses: new MemoryTenantPauseRepository(),
    clock,
    log: silentLogger(),
  });
  // the login first, so the load's calls are the sync's own
  await sessions.getSession(tenant);
  const rest = new SalesforceKnowledgeSource(client, tenant);
  const source: KnowledgeSource = bulk ? new BulkKnowledgeSource(rest, client, tenant) : rest;
  const writer = new CountingWriter();
  const sync = new KnowledgeSync({ source, articles: writer, writer, cursors: new MemoryCursors(), clock });
  const started = performance.now();
  const report = await sync.run(tenant);
  const ms = performance.now() - started;
  const jobs = audit.entries.filter((e) => e.path.includes('/jobs/query'));
  return {
    online: report.online,
    read: report.read,
    calls: client.usage(tenantId).calls,
    ms,
    creates: jobs.filter((e) => e.method === 'POST').length,
    polls: jobs.filter((e) => e.method === 'GET' && !e.path.includes('/results')).length,
    results: jobs.filter((e) => e.path.includes('/results')).length,
    pages: audit.entries.filter((e) => e.path.includes('/query') && !e.path.includes('/jobs/')).length,
  };
}

export const knowledgeBulk: BenchmarkModule = {
  name: 'knowledge-bulk',
  description:
    "the connector's full knowledge load of 100,000 articles by REST pages and by a Bulk API 2.0 query job in the same run: calls and time",
  async run(options: BenchOptions): Promise<BenchReport> {
    const articles = options.articles ?? 100_000;
    const emulator = await ChildServer.start<Login & Record<string, unknown>>('knowledge-emulator.ts', [
      String(articles),
    ]);
    try {
      const byRest = await load(emulator.info, 'bench-rest', false);
      const byBulk = await load(emulator.info, 'bench-bulk', true);
      // discovery (global describe + the object's describe) and one COUNT(), the same for both
      const common = 3;
      const goal = 1 + Math.ceil(byBulk.online / DEFAULT_MAX_RECORDS) + 2;
      const bulkCalls = byBulk.creates + byBulk.polls + byBulk.results;
      return {
        title: `knowledge full load, ${byBulk.online.toLocaleString('en-US')} published articles with two long-text bodies, REST vs Bulk API 2.0`,
        rows: [],
        figures: [
          {
            label: 'REST: query pages of 200 rows',
            value: `${byRest.calls} calls (${byRest.pages - 1} pages + ${common} discovery/COUNT()), ${(byRest.ms / 1000).toFixed(1)} s; ${byRest.read.toLocaleString('en-US')} read`,
          },
          {
            label: `Bulk: one query job, result pages of ${DEFAULT_MAX_RECORDS.toLocaleString('en-US')} rows`,
            value: `${byBulk.calls} calls (${byBulk.creates} create + ${byBulk.polls} polls + ${byBulk.results} result pages + ${common} discovery/COUNT()), ${(byBulk.ms / 1000).toFixed(1)} s; ${byBulk.read.toLocaleString('en-US')} read`,
          },
          {
            label: 'Bulk goal: 1 create + ceil(rows / maxRecords) pages + at most 2 polls',
            value: `${bulkCalls} job calls, goal at most ${goal}: ${bulkCalls <= goal && byBulk.polls <= 2 ? 'met' : 'NOT met'}`,
          },
        ],
        notes: [
          'the emulator runs in its own process; calls are counted by the connector client (every logical call, audited)',
          'Bulk time includes the first status poll after 1 s (the default schedule); the emulator finishes a job within milliseconds, Salesforce within seconds to minutes',
          'the writer counts rows and keeps nothing: the figures are the read alone',
        ],
      };
    } finally {
      await emulator.stop();
    }
  },
};

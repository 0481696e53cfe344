// One role of the search speed benchmark, in its own process so each peak memory figure is its own:
//   load DIR N        generate N articles and write them into a fresh embedded store (PGlite) in DIR
//   serve DIR         reopen that store as after a restart, rebuild the index from it, measure searches
//   pglite-fts N      the baseline: PGlite tsvector + GIN + ts_rank_cd over the same articles and queries
// Each prints one JSON line with its figures.

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

import { PGlite } from '@electric-sql/pglite';

import type { KnowledgeArticleRecord } from '../../packages/connector/src/domain/knowledge/article.js';
import {
  DEFAULT_RANKING,
  type RankingParams,
} from '../../packages/connector/src/domain/knowledge/ranking.js';
import { defaultTenantSettings } from '../../packages/connector/src/domain/tenant.js';
import { silentLogger } from '../../packages/connector/src/logging/logger.js';
import { htmlToSections } from '../../packages/connector/src/search/html-sections.js';
import { SECTIONS_PREFIX } from '../../packages/connector/src/search/html-sections.js';
import { InMemoryTenantIndex, sectionsTextOf } from '../../packages/connector/src/search/tenant-index.js';
import { KnowledgeSearchService } from '../../packages/connector/src/services/knowledge/knowledge-search.js';
import { openStore, type Store } from '../../packages/connector/src/store/open-store.js';
import { articleRecord, generateArticles, generateQueries } from './generator.js';

const TENANT = 'bench';
const clock = { now: () => new Date() };
const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function open(dir: string): Promise<Store> {
  return openStore({ dataDir: dir, store: { kind: 'pglite' } }, { log: silentLogger(), clock });
}

async function load(dir: string, count: number): Promise<Record<string, number>> {
  const store = await open(dir);
  const now = new Date().toISOString();
  await store.tenants.insert({
    id: TENANT,
    name: TENANT,
    loginUrl: 'https://login.salesforce.com',
    instanceUrl: 'https://bench.my.salesforce.com',
    consumerKey: 'bench',
    username: 'bench@example.com',
    settings: defaultTenantSettings(),
    activeKey: null,
    pendingKey: null,
    createdAt: now,
    updatedAt: now,
  });
  // written as the knowledge sync writes them: through the search service, which stores each article's clean
  // sections beside its HTML
  const writer = new KnowledgeSearchService({
    articles: store.knowledge,
    indexes: {
      create: () => new InMemoryTenantIndex(),
      sectionsText: sectionsTextOf,
      sectionsPrefix: SECTIONS_PREFIX,
    },
    tenants: store.tenants,
    log: silentLogger(),
    timer: performance,
  });
  const started = performance.now();
  let page: KnowledgeArticleRecord[] = [];
  let htmlBytes = 0;
  for (const a of generateArticles(count)) {
    htmlBytes += a.html.length;
    page.push(articleRecord(a, TENANT, now));
    if (page.length === 1000) {
      await writer.putMany(page);
      page = [];
    }
  }
  if (page.length > 0) await writer.putMany(page);
  const storeWriteMs = performance.now() - started;
  await store.close();
  return { storeWriteMs, htmlBytes, articles: count, loadPeakRssMb: maxRssMb() };
}

async function timeAll(
  queries: string[],
  concurrency: number,
  rounds: number,
  run: (q: string) => Promise<unknown>,
): Promise<{ p50: number; p99: number; ops: number; opsPerSec: number; cpuMsPerOp: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  // CPU time of this process per search: what the search costs, whatever else the shared machine runs
  const cpuBefore = process.cpuUsage();
  let next = 0;
  const total = queries.length * rounds;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const q = queries[next++ % queries.length] ?? '';
      const t = performance.now();
      await run(q);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  return {
    cpuMsPerOp: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ops: latencies.length,
    opsPerSec: (latencies.length / (performance.now() - started)) * 1000,
  };
}

async function serve(dir: string): Promise<Record<string, unknown>> {
  const openStarted = performance.now();
  const store = await open(dir);
  const storeOpenMs = performance.now() - openStarted;
  let index: InMemoryTenantIndex | undefined;
  const search = new KnowledgeSearchService({
    articles: store.knowledge,
    // no answer cache for the cold figures; it is turned on below for the repeated-question ones
    indexes: {
      create: () => (index = new InMemoryTenantIndex({ cachedAnswers: 0 })),
      sectionsText: sectionsTextOf,
      sectionsPrefix: SECTIONS_PREFIX,
    },
    tenants: store.tenants,
    log: silentLogger(),
    timer: performance,
  });
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const { articles } = await search.load(TENANT);
  const rebuildMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const rebuildCpuMs = (cpu.user + cpu.system) / 1000;
  // other processes' load stretches wall time on a shared machine; CPU time is what the rebuild itself costs
  const rebuildLoadAvg = loadavg()[0] ?? 0;
  // the peak so far is the rebuild's own (the searches below may raise the process's)
  const rebuildPeakRssMb = maxRssMb();
  global.gc?.();
  const memoryAfterRebuildMb = Object.fromEntries(
    Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 2 ** 20)]),
  );
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const queries = generateQueries(200);

  // the pruned top 10 must equal the exhaustive top 10 on every query (scores and order)
  let equal = 0;
  let matchedSum = 0;
  for (const q of queries) {
    const a = await search.search(TENANT, q, { limit: 10 });
    const b = await search.search(TENANT, q, { limit: 10, exhaustive: true });
    const key = (r: typeof a): string => JSON.stringify(r.hits.map((h) => [h.articleId, h.score]));
    if (key(a) === key(b)) equal++;
    matchedSum += a.hits.length;
  }
  const pruned = (q: string): Promise<unknown> => search.search(TENANT, q, { limit: 10 });
  const exhaustive = (q: string): Promise<unknown> =>
    search.search(TENANT, q, { limit: 10, exhaustive: true });
  await timeAll(queries, 1, 1, pruned);
  const one = await timeAll(queries, 1, 3, pruned);
  const eight = await timeAll(queries, 8, 3, pruned);
  const oneExhaustive = await timeAll(queries, 1, 2, exhaustive);
  const eightExhaustive = await timeAll(queries, 8, 2, exhaustive);
  // CPU per search straight on the index, synonyms off (the previous ranking) and on, in the same run
  const cpuPerQuery = (params: RankingParams): number => {
    const before = process.cpuUsage();
    for (let round = 0; round < 3; round++)
      for (const q of queries) index?.search('en_US', q, { limit: 10, params });
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / (3 * queries.length);
  };
  cpuPerQuery(DEFAULT_RANKING);
  const cpuNoSynonymsMs = cpuPerQuery({ ...DEFAULT_RANKING, synonyms: 0 });
  const cpuMs = cpuPerQuery(DEFAULT_RANKING);
  // support questions repeat: the same 200 questions again with the answer cache on (cleared on every change)
  index?.answers.resize(256);
  await timeAll(queries, 1, 1, pruned);
  const oneCached = await timeAll(queries, 1, 3, pruned);
  const eightCached = await timeAll(queries, 8, 3, pruned);
  index?.answers.resize(0);
  // bad input answers quickly too
  const bad = await timeAll(['x'.repeat(999), '?!.,;:', 'the of and to', 'a '.repeat(400)], 1, 5, pruned);
  await store.close();
  return {
    articles,
    storeOpenMs,
    rebuildMs,
    rebuildCpuMs,
    rebuildLoadAvg,
    rebuildPeakRssMb,
    heapMb,
    memoryAfterRebuildMb,
    indexStructuresMb: (index?.approximateBytes() ?? 0) / 2 ** 20,
    equal,
    queries: queries.length,
    avgHits: matchedSum / queries.length,
    one,
    eight,
    oneExhaustive,
    eightExhaustive,
    oneCached,
    eightCached,
    cpuMs,
    cpuNoSynonymsMs,
    bad,
    servePeakRssMb: maxRssMb(),
  };
}

async function pgliteFts(count: number, budgetMs: number): Promise<Record<string, unknown>> {
  const db = await PGlite.create();
  await db.exec('CREATE TABLE articles (id integer PRIMARY KEY, title text NOT NULL, tsv tsvector NOT NULL)');
  const started = performance.now();
  let batch: { id: number; title: string; body: string }[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const params: unknown[] = [];
    const values = batch.map((a, i) => {
      params.push(a.id, a.title, a.body);
      return `($${3 * i + 1}::integer, $${3 * i + 2}::text, setweight(to_tsvector('english', $${3 * i + 2}::text), 'A') || setweight(to_tsvector('english', $${3 * i + 3}::text), 'D'))`;
    });
    await db.query(`INSERT INTO articles (id, title, tsv) VALUES ${values.join(', ')}`, params);
    batch = [];
  };
  let i = 0;
  for (const a of generateArticles(count)) {
    const body = htmlToSections(a.html)
      .map((s) => `${s.heading ?? ''}\n${s.text}`)
      .join('\n');
    batch.push({ id: i++, title: a.title, body });
    if (batch.length === 500) await flush();
  }
  await flush();
  await db.exec('CREATE INDEX articles_tsv ON articles USING gin (tsv)');
  const loadMs = performance.now() - started;
  const queries = generateQueries(200);
  const latencies: number[] = [];
  const queryStarted = performance.now();
  let queryMs = 0;
  for (const q of queries) {
    if (performance.now() - queryStarted > budgetMs) break;
    // OR of the words, as the index answers (to_tsquery drops stop words itself)
    const tsquery = q
      .split(/\s+/)
      .filter((w) => /^[a-z]+$/.test(w))
      .join(' | ');
    const t = performance.now();
    await db.query(
      `SELECT id, ts_rank_cd(tsv, q) AS rank FROM articles, to_tsquery('english', $1) q
       WHERE tsv @@ q ORDER BY rank DESC LIMIT 10`,
      [tsquery],
    );
    latencies.push(performance.now() - t);
    queryMs += performance.now() - t;
  }
  await db.close();
  return {
    loadMs,
    measured: latencies.length,
    opsPerSec: (latencies.length / Math.max(queryMs, 1)) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    peakRssMb: maxRssMb(),
  };
}

const [role, a, b] = process.argv.slice(2);
let out: unknown;
if (role === 'load') out = await load(a ?? '', Number(b));
else if (role === 'serve') out = await serve(a ?? '');
else if (role === 'pglite-fts') out = await pgliteFts(Number(a), Number(b));
else throw new Error(`unknown role ${role ?? ''}`);
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);

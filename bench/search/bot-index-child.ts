// The bot-api bench's figure beside search: the index alone (no HTTP, no store) over N generated articles, one
// search at a time with its answer cache off (every question new), 200 generated questions three times. Its own
// process, so the index's memory leaves the bench's. Prints one JSON line: articles, p50, p99, cpuMsPerSearch, buildMs.

import { performance } from 'node:perf_hooks';

import { DEFAULT_RANKING } from '../../packages/connector/src/domain/knowledge/ranking.js';
import { InMemoryTenantIndex } from '../../packages/connector/src/search/tenant-index.js';
import { articleRecord, generateArticles, generateQueries } from './generator.js';

const count = Number(process.argv[2] ?? '100000');
const index = new InMemoryTenantIndex({ cachedAnswers: 0 });
const now = new Date().toISOString();
const built = performance.now();
for (const a of generateArticles(count)) index.put({ ...articleRecord(a, 'bench', now), changeSeq: 1 });
index.settle();
const buildMs = performance.now() - built;

const queries = generateQueries(200);
const search = (q: string): unknown => index.search('en_US', q, { limit: 5, params: DEFAULT_RANKING });
for (const q of queries) search(q);
const latencies: number[] = [];
const cpuBefore = process.cpuUsage();
for (let round = 0; round < 3; round++)
  for (const q of queries) {
    const t = performance.now();
    search(q);
    latencies.push(performance.now() - t);
  }
const cpu = process.cpuUsage(cpuBefore);
latencies.sort((a, b) => a - b);
const at = (p: number): number =>
  latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
console.log(
  JSON.stringify({
    articles: count,
    p50: at(50),
    p99: at(99),
    cpuMsPerSearch: (cpu.user + cpu.system) / 1000 / latencies.length,
    buildMs,
  }),
);

// search-speed: 100,000 generated articles (--articles N) written to a real embedded store, the process restarted
// and the index rebuilt from the store, then 200 short queries with one client and with 8 in flight; beside them,
// exhaustive BM25 over the same index and PGlite's ts_rank_cd, measured in the same run. Each part runs in its own
// process, so each peak memory figure (process.resourceUsage().maxRSS) is that process's own, store included.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BenchmarkModule, BenchOptions, BenchReport, BenchRow } from '../lib/harness.js';

const CHILD = new URL('./speed-child.ts', import.meta.url).pathname;
/** the ts_rank_cd baseline stops measuring after this long (its slow queries take seconds each) */
const BASELINE_BUDGET_MS = 120_000;

interface Timing {
  p50: number;
  p99: number;
  ops: number;
  opsPerSec: number;
  cpuMsPerOp?: number;
}

function child<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || line === '') {
        reject(new Error(`search-speed ${args[0] ?? ''} exited ${code ?? 'by signal'}: ${err.slice(-1500)}`));
        return;
      }
      resolve(JSON.parse(line) as T);
    });
  });
}

function row(name: string, t: Timing, rssMb: number, baseline?: string, note?: string): BenchRow {
  return {
    name,
    ops: t.ops,
    errors: 0,
    opsPerSec: t.opsPerSec,
    p50Ms: t.p50,
    p99Ms: t.p99,
    clientCpuMsPerOp: t.cpuMsPerOp ?? Number.NaN,
    serverCpuMsPerOp: undefined,
    clientRssMb: rssMb,
    serverRssMb: undefined,
    ...(baseline === undefined ? {} : { baseline }),
    ...(note === undefined ? {} : { note }),
  };
}

export const searchSpeed: BenchmarkModule = {
  name: 'search-speed',
  description:
    'knowledge search at 100,000 generated articles: rebuild from the store, p50/p99 (1 and 8 clients) vs exhaustive BM25 and PGlite ts_rank_cd',
  async run(options: BenchOptions): Promise<BenchReport> {
    const articles = options.articles ?? 100_000;
    const dir = mkdtempSync(join(tmpdir(), 'casebridge-search-bench-'));
    try {
      const load = await child<{ storeWriteMs: number; htmlBytes: number; loadPeakRssMb: number }>([
        'load',
        dir,
        String(articles),
      ]);
      const serve = await child<{
        rebuildMs: number;
        rebuildCpuMs: number;
        rebuildLoadAvg: number;
        rebuildPeakRssMb: number;
        memoryAfterRebuildMb: Record<string, number>;
        storeOpenMs: number;
        heapMb: number;
        indexStructuresMb: number;
        equal: number;
        queries: number;
        avgHits: number;
        one: Timing;
        eight: Timing;
        oneExhaustive: Timing;
        eightExhaustive: Timing;
        oneCached: Timing;
        eightCached: Timing;
        cpuMs: number;
        cpuNoSynonymsMs: number;
        bad: Timing;
        servePeakRssMb: number;
      }>(['serve', dir]);
      const fts = await child<{
        loadMs: number;
        measured: number;
        opsPerSec: number;
        p50: number;
        p99: number;
        peakRssMb: number;
      }>(['pglite-fts', String(articles), String(BASELINE_BUDGET_MS)]);
      const rss = serve.servePeakRssMb;
      return {
        title: `knowledge search speed, ${articles.toLocaleString('en-US')} generated articles (avg ${(load.htmlBytes / articles / 1024).toFixed(1)} KB HTML), 200 queries of 1-3 words, top 10`,
        rows: [
          row(
            'PGlite ts_rank_cd, 1 client',
            { p50: fts.p50, p99: fts.p99, ops: fts.measured, opsPerSec: fts.opsPerSec },
            fts.peakRssMb,
          ),
          row('exhaustive BM25F, 1 client', serve.oneExhaustive, rss),
          row('casebridge (MaxScore), 1 client', serve.one, rss, 'exhaustive BM25F, 1 client'),
          row('exhaustive BM25F, 8 concurrent', serve.eightExhaustive, rss),
          row('casebridge (MaxScore), 8 concurrent', serve.eight, rss, 'exhaustive BM25F, 8 concurrent'),
          row(
            'casebridge, repeated questions (answer cache), 1 client',
            serve.oneCached,
            rss,
            'casebridge (MaxScore), 1 client',
          ),
          row(
            'casebridge, repeated questions (answer cache), 8 concurrent',
            serve.eightCached,
            rss,
            'casebridge (MaxScore), 8 concurrent',
          ),
          row('bad input (999 chars, punctuation, stop words)', serve.bad, rss),
        ],
        figures: [
          {
            label: 'index rebuilt from the store after a restart (goal < 30 s; build goal < 60 s)',
            value: `${(serve.rebuildMs / 1000).toFixed(1)} s wall, ${(serve.rebuildCpuMs / 1000).toFixed(1)} s CPU at load average ${serve.rebuildLoadAvg.toFixed(1)} on ${availableParallelism()} cores (store open ${(serve.storeOpenMs / 1000).toFixed(1)} s before it)`,
          },
          {
            label: 'index size',
            value: `${serve.indexStructuresMb.toFixed(0)} MB postings and term sequences; ${serve.heapMb.toFixed(0)} MB heap with the text kept for snippets`,
          },
          {
            label: 'peak memory of the serving process, store included (goal < 1 GB)',
            value: `${rss.toFixed(0)} MB (${serve.rebuildPeakRssMb.toFixed(0)} MB by the end of the rebuild; after it: ${Object.entries(
              serve.memoryAfterRebuildMb,
            )
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')} MB)`,
          },
          {
            label: 'pruned top 10 equal to exhaustive top 10',
            value: `${serve.equal}/${serve.queries} queries`,
          },
          { label: 'average hits per query', value: serve.avgHits.toFixed(1) },
          {
            label: 'CPU per search on the index (no cache): WordNet synonyms on / off',
            value: `${serve.cpuMs.toFixed(2)} / ${serve.cpuNoSynonymsMs.toFixed(2)} ms (${(serve.cpuMs / serve.cpuNoSynonymsMs).toFixed(2)}x)`,
          },
          {
            label: 'writing the articles into the embedded store (the sync would do this)',
            value: `${(load.storeWriteMs / 1000).toFixed(1)} s, peak ${load.loadPeakRssMb.toFixed(0)} MB in that process`,
          },
          {
            label: 'PGlite tsvector + GIN baseline',
            value: `load ${(fts.loadMs / 1000).toFixed(1)} s, ${fts.measured} of 200 queries measured within ${BASELINE_BUDGET_MS / 1000} s, peak ${fts.peakRssMb.toFixed(0)} MB`,
          },
        ],
        notes: [
          "client CPU/op is the serving process's CPU time per search (process.cpuUsage): on a shared machine compare it, not wall latency; 8 clients on one thread queue, so their p99 is about 8 times the CPU per search plus what else runs",
          'latency is measured through KnowledgeSearchService.search (tenant look-up in the store, index, section and snippet for every hit); 8 concurrent share one process, as one worker serves them',
          'the load, serve and ts_rank_cd parts run in separate processes one after another; the machine may be shared, so compare rows of the same run',
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

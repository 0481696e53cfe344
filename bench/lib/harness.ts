// The benchmark contract: a module runs cases, each measured by the load loop here, and returns rows for the table.

import { performance } from 'node:perf_hooks';

export interface BenchOptions {
  /** measured time per case */
  durationMs: number;
  /** warm-up time per case (not measured) */
  warmupMs: number;
  /** concurrent requests in flight */
  concurrency: number;
  /** write CPU profiles of the server processes into this directory */
  profileDir: string | undefined;
  /** a knowledge-base folder (articles.jsonl + queries.jsonl, or folders of them) for the search benchmarks */
  kbDir?: string | undefined;
  /** how many generated articles the search speed benchmark indexes (default 100,000) */
  articles?: number | undefined;
  /** false: search-quality scores the defaults only and chooses nothing on the set (--defaults-only) */
  tuning?: boolean | undefined;
}

/** One line of a result table. */
export interface BenchRow {
  name: string;
  ops: number;
  errors: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU of the benchmark (client) process per operation, from process.cpuUsage() */
  clientCpuMsPerOp: number;
  /** CPU of the server process per operation, when the server runs in a child that reports it */
  serverCpuMsPerOp: number | undefined;
  clientRssMb: number;
  serverRssMb: number | undefined;
  /** name of the row this one is compared with (measured in the same run) */
  baseline?: string;
  /** free-form remark printed under the table */
  note?: string;
}

/** Extra figures a benchmark reports beside its table (e.g. token requests per hour). */
export interface BenchFigure {
  label: string;
  value: string;
}

/** A table of other figures than load rows (e.g. ranking quality), printed as it is. */
export interface BenchTable {
  title?: string;
  columns: string[];
  rows: string[][];
}

export interface BenchReport {
  title: string;
  rows: BenchRow[];
  tables?: BenchTable[];
  figures?: BenchFigure[];
  notes?: string[];
}

export interface BenchmarkModule {
  /** short kebab-case name used by `npm run bench -- --only <name>` */
  name: string;
  description: string;
  run(options: BenchOptions): Promise<BenchReport>;
}

/** What a server under test reports about itself (see child-server.ts). */
export interface ServerProbe {
  cpuMs(): Promise<number>;
  rssMb(): Promise<number>;
}

export interface LoadSpec {
  name: string;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  /** one operation; it throws (or returns false) when the answer is wrong, which counts as an error */
  op: (i: number) => Promise<boolean | void>;
  server?: ServerProbe;
  baseline?: string;
  note?: string;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

async function loop(
  spec: LoadSpec,
  until: number,
  record: boolean,
  latencies: number[],
  counter: { i: number; errors: number },
) {
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const i = counter.i++;
      const started = performance.now();
      let ok = true;
      try {
        ok = (await spec.op(i)) !== false;
      } catch {
        ok = false;
      }
      if (!record) continue;
      if (ok) latencies.push(performance.now() - started);
      else counter.errors += 1;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, () => worker()));
}

/**
 * Runs every op untimed before any of them is measured, so the first measured case does not pay for JIT and
 * cache warm-up that later cases get for free (rows are compared with each other).
 */
export async function warmUpAll(
  ops: ((i: number) => Promise<boolean | void>)[],
  concurrency: number,
  msEach: number,
): Promise<void> {
  for (const op of ops) {
    await loop(
      { name: 'warm-up', concurrency, durationMs: 0, warmupMs: 0, op },
      performance.now() + msEach,
      false,
      [],
      {
        i: 0,
        errors: 0,
      },
    );
  }
}

/** Runs `spec.op` with `concurrency` in flight: warm-up, then a measured window. */
export async function runLoad(spec: LoadSpec): Promise<BenchRow> {
  const counter = { i: 0, errors: 0 };
  await loop(spec, performance.now() + spec.warmupMs, false, [], counter);
  counter.errors = 0;

  const latencies: number[] = [];
  const serverCpuBefore = spec.server ? await spec.server.cpuMs() : 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await loop(spec, started + spec.durationMs, true, latencies, counter);
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpu = spec.server ? (await spec.server.cpuMs()) - serverCpuBefore : undefined;

  const sorted = Float64Array.from(latencies).sort();
  const ops = latencies.length;
  const perOp = (ms: number): number => (ops === 0 ? Number.NaN : ms / ops);
  return {
    name: spec.name,
    ops,
    errors: counter.errors,
    opsPerSec: (ops / elapsed) * 1000,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    clientCpuMsPerOp: perOp((cpu.user + cpu.system) / 1000),
    serverCpuMsPerOp: serverCpu === undefined ? undefined : perOp(serverCpu),
    clientRssMb: process.memoryUsage().rss / 2 ** 20,
    serverRssMb: spec.server ? await spec.server.rssMb() : undefined,
    ...(spec.baseline !== undefined ? { baseline: spec.baseline } : {}),
    ...(spec.note !== undefined ? { note: spec.note } : {}),
  };
}

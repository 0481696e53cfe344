// Entry point of `npm run bench`: runs every registered benchmark (or those named by --only) and prints their tables.

import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCHMARKS } from './registry.js';
import type { BenchOptions } from './lib/harness.js';
import { summariseProfiles } from './lib/profile-summary.js';
import { renderReport } from './lib/table.js';

const USAGE = `usage: npm run bench -- [--only name[,name]] [--list] [--json] [--duration ms] [--warmup ms] [--concurrency n] [--profile dir] [--kb dir] [--articles n]
  --only         run only these benchmarks (see --list)
  --duration     measured time per case (default 3000 ms)
  --warmup       warm-up per case (default 700 ms)
  --concurrency  requests in flight (default 12)
  --profile      write --cpu-prof profiles of the server processes into dir and print their hottest functions
  --json         print one JSON document with every report instead of tables
  --kb           knowledge-base folder for search-quality (articles.jsonl + queries.jsonl, or folders of them)
  --articles     generated articles for search-speed (default 100000)
  --defaults-only  search-quality: score the shipped defaults only, choose nothing on the set (a set kept for testing)`;

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    list: { type: 'boolean', default: false },
    duration: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '700' },
    concurrency: { type: 'string', default: '12' },
    profile: { type: 'string' },
    json: { type: 'boolean', default: false },
    kb: { type: 'string' },
    articles: { type: 'string' },
    'defaults-only': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.list) {
  for (const b of BENCHMARKS) console.log(`${b.name.padEnd(24)} ${b.description}`);
  process.exit(0);
}

const positive = (text: string, flag: string): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${flag} must be a positive number\n${USAGE}`);
    process.exit(2);
  }
  return n;
};

const profileDir = values.profile === undefined ? undefined : resolve(values.profile);
if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
const options: BenchOptions = {
  durationMs: Math.min(positive(values.duration, 'duration'), 20_000),
  warmupMs: positive(values.warmup, 'warmup'),
  concurrency: Math.round(positive(values.concurrency, 'concurrency')),
  profileDir,
  kbDir: values.kb === undefined ? undefined : resolve(values.kb),
  articles: values.articles === undefined ? undefined : Math.round(positive(values.articles, 'articles')),
  tuning: !values['defaults-only'],
};
const json = values.json;
const reports: { name: string; seconds: number; report?: unknown; error?: string }[] = [];

const wanted = values.only
  ?.split(',')
  .map((s) => s.trim())
  .filter((s) => s !== '');
const unknown = wanted?.filter((name) => !BENCHMARKS.some((b) => b.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(
    `unknown benchmark: ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}
const selected = wanted === undefined ? BENCHMARKS : BENCHMARKS.filter((b) => wanted.includes(b.name));

const cpus = (await import('node:os')).cpus().length;
if (!json) console.log(`node ${process.version}, ${cpus} CPUs; ${selected.length} benchmark(s)`);
let failed = false;
for (const bench of selected) {
  const started = Date.now();
  try {
    const report = await bench.run(options);
    const seconds = (Date.now() - started) / 1000;
    reports.push({ name: bench.name, seconds, report });
    if (!json) {
      console.log(renderReport(report));
      console.log(`(${bench.name}: ${seconds.toFixed(1)} s)`);
    }
  } catch (err) {
    failed = true;
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    reports.push({ name: bench.name, seconds: (Date.now() - started) / 1000, error: message });
    console.error(`\n${bench.name} failed: ${message}`);
  }
}
if (json) console.log(JSON.stringify({ node: process.version, cpus, reports }, null, 2));
if (profileDir !== undefined) console.log(summariseProfiles(profileDir, 25));
process.exit(failed ? 1 : 0);

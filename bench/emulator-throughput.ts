// Benchmark: the emulator's throughput for simple queries and creates over keep-alive HTTP, against bare node:http and Fastify servers measured in the same run.

import type { BenchOptions, BenchReport, BenchRow, BenchmarkModule } from './lib/harness.js';
import { runLoad, warmUpAll } from './lib/harness.js';
import { ChildServer } from './lib/child-server.js';
import { jwtBearerToken, type EmulatorLogin } from './lib/jwt.js';
import { KeepAliveClient } from './lib/keep-alive-client.js';

const QUERY = "SELECT Id, Subject FROM Case WHERE Status = 'New' LIMIT 10";
const VERSION = 'v64.0';
const TARGET_QPS = 2_000;

interface UrlInfo extends Record<string, unknown> {
  url: string;
}

type EmulatorInfo = EmulatorLogin & Record<string, unknown>;

async function helloRows(script: string, label: string, options: BenchOptions): Promise<BenchRow[]> {
  const server = await ChildServer.start<UrlInfo>(script, [], options.profileDir);
  const client = new KeepAliveClient(server.info.url, options.concurrency);
  try {
    const common = {
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      warmupMs: options.warmupMs,
      server,
    };
    const get = await runLoad({
      ...common,
      name: `${label} GET hello`,
      op: async () => (await client.send('GET', '/hello')).status === 200,
    });
    const post = await runLoad({
      ...common,
      name: `${label} POST json`,
      op: async (i) =>
        (
          await client.send(
            'POST',
            '/hello',
            { 'content-type': 'application/json' },
            JSON.stringify({ Subject: `bench ${i}`, Status: 'New' }),
          )
        ).status === 201,
    });
    return [get, post];
  } finally {
    client.close();
    await server.stop();
  }
}

async function emulatorRows(options: BenchOptions): Promise<BenchRow[]> {
  const server = await ChildServer.start<EmulatorInfo>('emulator.ts', [], options.profileDir);
  const client = new KeepAliveClient(server.info.loginUrl, options.concurrency);
  try {
    const { accessToken } = await jwtBearerToken(server.info);
    const auth = { authorization: `Bearer ${accessToken}` };
    const path = `/services/data/${VERSION}/query?q=${encodeURIComponent(QUERY)}`;
    // Prove the answer is the real one before timing it: 10 New cases from the seeded org.
    const probe = await client.send('GET', path, auth);
    const sample = JSON.parse(probe.body) as { records?: unknown[] };
    if (probe.status !== 200 || sample.records?.length !== 10) {
      throw new Error(
        `the benchmark query does not return 10 rows: ${probe.status} ${probe.body.slice(0, 300)}`,
      );
    }
    const common = {
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      warmupMs: options.warmupMs,
      server,
    };
    // the emulator has just started: let its query path reach steady state before it is compared with Fastify
    await warmUpAll(
      [async () => (await client.send('GET', path, auth)).status === 200],
      options.concurrency,
      options.warmupMs,
    );
    const query = await runLoad({
      ...common,
      name: 'emulator query',
      baseline: 'fastify GET hello',
      note: `GET /services/data/${VERSION}/query?q=${QUERY}`,
      op: async () => (await client.send('GET', path, auth)).status === 200,
    });
    const createHeaders = { ...auth, 'content-type': 'application/json' };
    const create = await runLoad({
      ...common,
      name: 'emulator create',
      baseline: 'fastify POST json',
      note: `POST /services/data/${VERSION}/sobjects/Case {Subject, Status}`,
      op: async (i) =>
        (
          await client.send(
            'POST',
            `/services/data/${VERSION}/sobjects/Case`,
            createHeaders,
            JSON.stringify({ Subject: `bench ${i}`, Status: 'New' }),
          )
        ).status === 201,
    });
    return [query, create];
  } finally {
    client.close();
    await server.stop();
  }
}

export const emulatorThroughput: BenchmarkModule = {
  name: 'emulator-throughput',
  description:
    'simple SOQL queries and Case creates per second against the emulator, vs bare node:http and Fastify',
  async run(options: BenchOptions): Promise<BenchReport> {
    const rows = [
      ...(await helloRows('hello-http.ts', 'node:http', options)),
      ...(await helloRows('hello-fastify.ts', 'fastify', options)),
      ...(await emulatorRows(options)),
    ];
    for (const row of rows)
      if (row.name.startsWith('fastify'))
        row.baseline = row.name.endsWith('GET hello') ? 'node:http GET hello' : 'node:http POST json';
    const query = rows.find((r) => r.name === 'emulator query');
    const verdict =
      query === undefined
        ? 'not measured'
        : `${query.opsPerSec.toFixed(0)} queries/s (target ${TARGET_QPS}): ${query.opsPerSec >= TARGET_QPS ? 'met' : 'NOT met'}`;
    return {
      title: `emulator throughput (keep-alive, concurrency ${options.concurrency}, ${options.durationMs} ms per case, servers in their own processes)`,
      rows,
      figures: [{ label: 'simple-query target', value: verdict }],
      notes: [
        'client and each server run in separate processes on the same 2 cores: client CPU is the benchmark process only (process.cpuUsage), server CPU is reported by the server child',
        'ratios compare ops/s and p50 latency with the row named in "baseline", measured in this same run',
      ],
    };
  },
};

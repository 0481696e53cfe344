// bulk-load: a full read of N generated published Knowledge articles (--articles N, default 100,000) with their
// rich-text body, by the REST query (query + nextRecordsUrl pages) and by a Bulk API 2.0 query job (create, status
// polls, result pages of maxRecords rows) against the same emulator in the same run: calls and wall time.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SignJWT, importPKCS8 } from 'jose';

import { startEmulator } from '../packages/emulator/src/index.js';
import type { BenchmarkModule, BenchOptions, BenchReport } from './lib/harness.js';

const VERSION = '64.0';
const MAX_RECORDS = 50_000;
const SOQL = "SELECT Id, Title, Answer__c FROM Knowledge__kav WHERE PublishStatus = 'Online'";

interface Measured {
  rows: number;
  calls: number;
  ms: number;
}

async function token(
  loginUrl: string,
  consumerKey: string,
  username: string,
  keyPath: string,
): Promise<string> {
  const key = await importPKCS8(readFileSync(keyPath, 'utf8'), 'RS256');
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(consumerKey)
    .setSubject(username)
    .setAudience(loginUrl)
    .setExpirationTime('3m')
    .sign(key);
  const res = await fetch(`${loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (body.access_token === undefined) throw new Error(`login failed: ${res.status}`);
  return body.access_token;
}

async function viaRest(base: string, auth: Record<string, string>): Promise<Measured> {
  const started = performance.now();
  let calls = 1;
  let page = (await (
    await fetch(`${base}/services/data/v${VERSION}/query?q=${encodeURIComponent(SOQL)}`, { headers: auth })
  ).json()) as {
    records: unknown[];
    done: boolean;
    nextRecordsUrl?: string;
  };
  let rows = page.records.length;
  while (!page.done && page.nextRecordsUrl !== undefined) {
    calls += 1;
    page = (await (await fetch(`${base}${page.nextRecordsUrl}`, { headers: auth })).json()) as typeof page;
    rows += page.records.length;
  }
  return { rows, calls, ms: performance.now() - started };
}

async function viaBulk(base: string, auth: Record<string, string>): Promise<Measured> {
  const started = performance.now();
  const jobs = `${base}/services/data/v${VERSION}/jobs/query`;
  const created = (await (
    await fetch(jobs, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'query', query: SOQL }),
    })
  ).json()) as { id: string };
  let calls = 1;
  for (;;) {
    calls += 1;
    const job = (await (await fetch(`${jobs}/${created.id}`, { headers: auth })).json()) as { state: string };
    if (job.state === 'JobComplete') break;
    if (job.state === 'Failed' || job.state === 'Aborted') throw new Error(`job ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  let rows = 0;
  let locator = '';
  do {
    calls += 1;
    const q = `maxRecords=${MAX_RECORDS}${locator === '' ? '' : `&locator=${locator}`}`;
    const res = await fetch(`${jobs}/${created.id}/results?${q}`, { headers: auth });
    await res.text();
    rows += Number(res.headers.get('sforce-numberofrecords'));
    locator = res.headers.get('sforce-locator') ?? 'null';
  } while (locator !== 'null');
  return { rows, calls, ms: performance.now() - started };
}

export const bulkLoad: BenchmarkModule = {
  name: 'bulk-load',
  description: 'full Knowledge read by REST pages vs a Bulk API 2.0 query job: calls and wall time',
  async run(options: BenchOptions): Promise<BenchReport> {
    const articles = options.articles ?? 100_000;
    const dir = mkdtempSync(join(tmpdir(), 'casebridge-bench-bulk-'));
    const em = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
    try {
      const userId = em.demo?.integrationUserId ?? '';
      em.org.data.generateArticles({ count: articles }, userId);
      const auth = {
        authorization: `Bearer ${await token(em.loginUrl, em.consumerKey, em.username, em.privateKeyPath)}`,
      };
      const rest = await viaRest(em.loginUrl, auth);
      const bulk = await viaBulk(em.loginUrl, auth);
      const goal = 1 + Math.ceil(bulk.rows / MAX_RECORDS) + 2;
      return {
        title: `Full Knowledge read, ${articles.toLocaleString('en')} generated articles + the demo's (Id, Title, Answer__c)`,
        rows: [],
        tables: [
          {
            columns: ['path', 'rows', 'calls', 'wall ms'],
            rows: [
              ['REST query + nextRecordsUrl', String(rest.rows), String(rest.calls), rest.ms.toFixed(0)],
              [
                `Bulk 2.0 job, maxRecords ${MAX_RECORDS}`,
                String(bulk.rows),
                String(bulk.calls),
                bulk.ms.toFixed(0),
              ],
            ],
          },
        ],
        figures: [
          {
            label: 'Bulk goal (1 create + pages + ≤2 polls)',
            value: `${bulk.calls} ≤ ${goal}: ${bulk.calls <= goal ? 'met' : 'missed'}`,
          },
        ],
        notes: [
          'Both paths read through the same emulator in one process; times include CSV/JSON serialisation.',
        ],
      };
    } finally {
      await em.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

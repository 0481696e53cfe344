// knowledge-sync: a full load of 100,000 generated published articles (--articles N) from an emulator in its own
// process into a fresh embedded store, then an incremental sync: load time, Salesforce calls against the least the
// configured fields allow, and the connector process's peak memory (goal < 1 GB).

import { spawn } from 'node:child_process';

import { minimumCalls, readsByBulk } from '../../packages/connector/src/domain/knowledge/sync-rules.js';
import { DEFAULT_MAX_RECORDS } from '../../packages/connector/src/salesforce/bulk-query.js';
import { ChildServer } from '../lib/child-server.js';
import type { BenchmarkModule, BenchOptions, BenchReport } from '../lib/harness.js';

const CHILD = new URL('./sync-child.ts', import.meta.url).pathname;

interface ChildResult {
  fullMs: number;
  fullCpuMs: number;
  fullPeakRssMb: number;
  openedPeakRssMb: number;
  openedRssMb: number;
  heapPeakMb: number;
  fullCalls: number;
  online: number;
  read: number;
  written: number;
  objects: { name: string; bodyFields: string[]; pageSize: number }[];
  warnings: number;
  incrementalMs: number;
  incrementalCalls: number;
  incrementalRead: number;
  stored: number;
  peakRssMb: number;
}

function runChild(login: Record<string, unknown>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(login)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
      process.stderr.write(d);
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || line === '') reject(new Error(`knowledge-sync child exited ${code}: ${err}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
}

export const knowledgeSync: BenchmarkModule = {
  name: 'knowledge-sync',
  description:
    'knowledge sync of 100,000 generated articles from an emulator in its own process: full load time, Salesforce calls vs the minimum, peak memory',
  async run(options: BenchOptions): Promise<BenchReport> {
    const articles = options.articles ?? 100_000;
    const emulator = await ChildServer.start<Record<string, unknown>>('knowledge-emulator.ts', [
      String(articles),
    ]);
    try {
      const r = await runChild(emulator.info);
      const emulatorRssMb = await emulator.rssMb();
      const pageSize = r.objects[0]?.pageSize ?? 2000;
      // discovery (global describe + one describe per article object), one COUNT() per object and language, pages;
      // a load large enough goes by one Bulk API query job (main.ts): create, one poll, result pages
      const viaBulk = readsByBulk(r.online, pageSize);
      const reads = viaBulk
        ? 2 + Math.ceil(r.online / DEFAULT_MAX_RECORDS)
        : minimumCalls(r.online, pageSize);
      const minimum = 1 + r.objects.length + r.objects.length + reads;
      // discovery is reused for 6 hours: a run then costs one COUNT() and one page per object and language
      const perRun = 2 * r.objects.length;
      return {
        title: `knowledge sync, ${r.online.toLocaleString('en-US')} published articles (${articles.toLocaleString('en-US')} generated + the demo's), body ${r.objects.map((o) => o.bodyFields.join('+')).join('; ')}, ${pageSize} rows a page`,
        rows: [],
        figures: [
          {
            label: 'full load (count, read, write to the embedded store, removal check)',
            value: `${(r.fullMs / 1000).toFixed(1)} s wall, ${(r.fullCpuMs / 1000).toFixed(1)} s CPU; ${r.read.toLocaleString('en-US')} read, ${r.written.toLocaleString('en-US')} written, ${r.stored.toLocaleString('en-US')} stored`,
          },
          {
            label: 'Salesforce calls of the full load vs the minimum for the configured fields',
            value: `${r.fullCalls} calls, minimum ${minimum} (describe ${1 + r.objects.length}, COUNT() ${r.objects.length}, ${viaBulk ? `Bulk query job: create, poll, ${reads - 2} result pages of ${DEFAULT_MAX_RECORDS}` : `${reads} pages of ${pageSize}`})`,
          },
          {
            label: 'peak memory of the connector process, store included (goal < 1 GB)',
            value: `${r.fullPeakRssMb.toFixed(0)} MB peak RSS through the load; ${r.openedPeakRssMb.toFixed(0)} MB of it (${r.openedRssMb.toFixed(0)} MB resident) already after opening a new PGlite store; JS heap peak ${r.heapPeakMb.toFixed(0)} MB (emulator process ${emulatorRssMb.toFixed(0)} MB, not counted)`,
          },
          {
            label: 'incremental sync right after (nothing changed)',
            value: `${(r.incrementalMs / 1000).toFixed(2)} s, ${r.incrementalCalls} calls (expected ${perRun}: COUNT() and one page; discovery reused), ${r.incrementalRead} re-read in the overlap window`,
          },
          { label: 'warnings', value: String(r.warnings) },
        ],
        notes: [
          'the emulator and the connector run in separate processes; calls are counted at the emulator (its call log), the login done before the load',
          'an incremental run re-reads the overlap window (5 minutes before the cursor): right after a load stamped within seconds, that is everything generated in the last 5 minutes',
        ],
      };
    } finally {
      await emulator.stop();
    }
  },
};

// Following a job as an operator sees it: the bar moves with the stored progress until the job ends, then the
// summary is printed; a failed job gives its error code's exit code, and --json prints the job as one document.

import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';

import type { Config } from '../config/load-config.js';
import type { JobRecord } from '../domain/job-state.js';
import type { CliContext } from './context.js';
import { followJob, reportJob } from './follow-job.js';
import { createOutput } from './output.js';

const base: JobRecord = {
  id: 'job_1',
  kind: 'knowledge-sync',
  tenantId: 'acme',
  state: 'queued',
  progress: null,
  summary: null,
  error: null,
  requestedAt: '2026-11-24T12:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  leaseUntil: null,
};

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

function contextFor(json: boolean, out: PassThrough): CliContext {
  return {
    config: {} as Config,
    store: { path: '/tmp/casebridge-follow-job-test', source: 'CASEBRIDGE_DATA_DIR' },
    output: createOutput(json, out, out),
    admin: () => Promise.reject(new Error('not used')),
  };
}

const running = (done: number): JobRecord => ({
  ...base,
  state: 'running',
  progress: { done, total: 3, unit: 'articles', message: `article ${done}` },
});

void test('the bar follows the stored progress to the end; the summary is printed after it', async () => {
  const bar = capture();
  const out = capture();
  const ctx = contextFor(false, out.stream);
  const reads = [
    running(1),
    running(2),
    { ...running(3), state: 'succeeded' as const, summary: { articles: 3 } },
  ];
  const job = await followJob(ctx, { getJob: () => Promise.resolve(reads.shift() ?? base) }, base, {
    pollMs: 60,
    redrawMs: 5,
    bar: true,
    stream: bar.stream,
  });
  assert.equal(job.state, 'succeeded');
  assert.match(bar.text(), /0\/\? {2}queued/, 'queued: nothing counted yet');
  assert.match(bar.text(), /1\/3 articles article 1/);
  assert.match(bar.text(), /3\/3 articles/);
  assert.equal(reportJob(ctx, job), 0);
  assert.match(out.text(), /^Job job_1: knowledge-sync for tenant acme\.$/m);
  assert.match(out.text(), /articles: 3/);
});

void test("a failed job exits with its code's exit code; --json prints the job once, error inside", () => {
  const failed: JobRecord = {
    ...base,
    state: 'failed',
    error: { code: 'SF_AUTH_USER_NOT_APPROVED', message: 'not approved', fix: 'pre-authorise' },
  };
  const out = capture();
  assert.equal(reportJob(contextFor(true, out.stream), failed), 3);
  assert.deepEqual(JSON.parse(out.text()), failed);
});

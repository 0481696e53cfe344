// Follows an on-demand job by its id until it ends: a progress bar on a terminal (stderr), then the summary or the
// coded error; with --json one JSON document (the job as the store has it) on stdout. The same for a job run in
// this process (no service running) and one run by the service (through its admin API).

import { Presets, SingleBar } from 'cli-progress';

import { isFinished, type JobProgress, type JobRecord } from '../domain/job-state.js';
import { restoreAppError } from '../errors/app-error.js';
import { EXIT } from '../errors/exit-codes.js';
import { ERROR_REGISTRY } from '../errors/registry.js';
import type { AdminOperations } from '../services/admin-operations.js';
import type { CliContext } from './context.js';
import { reportError } from './output.js';

export interface FollowOptions {
  /** how often the job is read again (default 250 ms) */
  pollMs?: number;
  /** show a bar even when stderr is not a terminal (tests) */
  bar?: boolean;
  stream?: NodeJS.WritableStream;
  /** off a terminal, how often the bar is written as a line (default 1,000 ms) */
  redrawMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the job until it has ended, showing its progress; returns the final record. */
export async function followJob(
  ctx: CliContext,
  ops: Pick<AdminOperations, 'getJob'>,
  first: JobRecord,
  options: FollowOptions = {},
): Promise<JobRecord> {
  const stream = options.stream ?? process.stderr;
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  const show = !ctx.output.json && (options.bar ?? tty);
  const bar = show
    ? new SingleBar(
        {
          stream,
          format: '{bar} {value}/{totalText} {unit} {message}',
          hideCursor: null,
          // off a terminal (a log file) one line per redraw instead of carriage returns
          noTTYOutput: !tty,
          notTTYSchedule: options.redrawMs ?? 1_000,
        },
        Presets.shades_classic,
      )
    : null;
  let started = false;
  const draw = (progress: JobProgress | null, state: string): void => {
    if (bar === null) return;
    // an unknown total (not counted yet) shows as '?' over an empty bar
    const total = progress?.total ?? Math.max(1, progress?.done ?? 0);
    const payload = {
      unit: progress?.unit ?? '',
      message: progress?.message ?? state,
      totalText: progress?.total == null ? '?' : String(progress.total),
    };
    if (!started) {
      bar.start(total, progress?.done ?? 0, payload);
      started = true;
    } else {
      bar.setTotal(total);
      bar.update(progress?.done ?? 0, payload);
    }
  };
  let job = first;
  ctx.output.line(`Job ${job.id}: ${job.kind} for tenant ${job.tenantId}.`);
  while (!isFinished(job.state)) {
    draw(job.progress, job.state);
    await sleep(options.pollMs ?? 250);
    job = await ops.getJob(job.id);
  }
  draw(job.progress, job.state);
  bar?.stop();
  return job;
}

/** Prints a finished job (summary, or the coded error with its fix) and returns the exit code it deserves. */
export function reportJob(ctx: CliContext, job: JobRecord): number {
  if (job.state === 'failed' && job.error !== null) {
    const definition = ERROR_REGISTRY.get(job.error.code);
    const error = restoreAppError(job.error, definition?.httpStatus ?? 500, definition);
    if (ctx.output.json) {
      ctx.output.result(job, () => undefined);
      return error.exitCode;
    }
    return reportError(error, false);
  }
  ctx.output.result(job, () => {
    ctx.output.line(`Job ${job.id} ${job.state}${job.finishedAt ? ` at ${job.finishedAt}` : ''}.`);
    for (const [name, value] of Object.entries(job.summary ?? {}))
      ctx.output.line(`  ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  });
  return job.state === 'succeeded' || !isFinished(job.state) ? EXIT.ok : EXIT.failure;
}

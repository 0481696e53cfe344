// `casebridge jobs run <kind> <tenant>`: run a job for a tenant now and follow it with a progress bar until it
// ends (in this process when no service runs, else on the service); `jobs show <id>` (--follow) and `jobs list`.

import type { Command } from 'commander';

import { withAdmin, type CliContext } from '../context.js';
import { followJob, reportJob } from '../follow-job.js';
import { table } from '../output.js';

export function registerJobCommands(
  program: Command,
  context: () => CliContext,
  setExitCode: (code: number) => void,
): void {
  const jobs = program.command('jobs').description('Run a job for a tenant now and follow it; recent jobs');
  jobs
    .command('run <kind> <tenant>')
    .description('Start job <kind> for <tenant> and follow it until it ends (see `jobs list` for the kinds)')
    .option('--no-follow', 'print the job id and return at once')
    .action(async (kind: string, tenantId: string, options: { follow: boolean }) => {
      const ctx = context();
      const job = await withAdmin(ctx, async (ops) => {
        const started = await ops.startJob(tenantId, kind);
        return options.follow ? followJob(ctx, ops, started) : started;
      });
      setExitCode(reportJob(ctx, job));
    });
  jobs
    .command('show <jobId>')
    .description("A job's state, progress, summary or error")
    .option('--follow', 'follow it with a progress bar until it ends')
    .action(async (jobId: string, options: { follow?: boolean }) => {
      const ctx = context();
      const job = await withAdmin(ctx, async (ops) => {
        const current = await ops.getJob(jobId);
        return options.follow === true ? followJob(ctx, ops, current) : current;
      });
      setExitCode(reportJob(ctx, job));
    });
  jobs
    .command('list')
    .description('Recent jobs, newest first, and the kinds that can be run')
    .option('--tenant <id>', "only this tenant's jobs")
    .action(async (options: { tenant?: string }) => {
      const ctx = context();
      const result = await withAdmin(ctx, (ops) =>
        ops.listJobs(options.tenant === undefined ? {} : { tenantId: options.tenant }),
      );
      ctx.output.result(result, () => {
        ctx.output.line(`Kinds: ${result.kinds.join(', ')}`);
        if (result.jobs.length === 0) {
          ctx.output.line('No jobs yet.');
          return;
        }
        ctx.output.line(
          table(
            result.jobs.map((job) => ({
              id: job.id,
              kind: job.kind,
              tenant: job.tenantId,
              state: job.state === 'failed' && job.error ? `failed ${job.error.code}` : job.state,
              progress: job.progress
                ? `${job.progress.done}/${job.progress.total ?? '?'} ${job.progress.unit}`
                : '',
              requested: job.requestedAt,
            })),
            ['id', 'kind', 'tenant', 'state', 'progress', 'requested'],
          ),
        );
      });
    });
}

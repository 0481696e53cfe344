// `casebridge doctor <tenant>`: the end-to-end checklist. Exit 0 when everything passes, 3 when Salesforce refused
// the login, 4 when a permission or setting is missing.

import type { Command } from 'commander';

import { EXIT } from '../../errors/exit-codes.js';
import { withAdmin, type CliContext } from '../context.js';
import { printDoctor } from './print-doctor.js';

export function registerDoctorCommand(
  program: Command,
  context: () => CliContext,
  setExitCode: (code: number) => void,
): void {
  program
    .command('doctor <tenant>')
    .description('Check every access requirement end to end and say what to fix. Changes nothing in the org.')
    .option('--pending-key', 'log in with the pending key of a rotation (proves it before --commit)')
    .action(async (tenantId: string, options: { pendingKey?: boolean }) => {
      const ctx = context();
      const report = await withAdmin(ctx, (ops) =>
        ops.doctor(tenantId, { pendingKey: options.pendingKey === true }),
      );
      ctx.output.result(report, () => printDoctor(ctx.output, report));
      if (!report.ok) {
        const tokenFailed = report.checks.some((check) => check.id === 'token' && check.status === 'fail');
        setExitCode(tokenFailed ? EXIT.salesforceAuth : EXIT.salesforceAccess);
      }
    });
}

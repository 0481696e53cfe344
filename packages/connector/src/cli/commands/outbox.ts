// `casebridge outbox dead [TENANT]` lists the dead letters (messages the outbox gave up on) without their
// payloads; `casebridge outbox retry ID|--all [--tenant T]` puts them back to be delivered.

import type { Command } from 'commander';

import { appError } from '../../errors/app-error.js';
import { CLI_USAGE } from '../../errors/codes/admin.js';
import { withAdmin, type CliContext } from '../context.js';
import { table } from '../output.js';

export function registerOutboxCommands(program: Command, context: () => CliContext): void {
  const outbox = program.command('outbox').description('Dead letters of the delivery outbox');

  outbox
    .command('dead [tenant]')
    .description('List dead letters (of one tenant, when given), oldest first')
    .action(async (tenant: string | undefined) => {
      const ctx = context();
      const dead = await withAdmin(ctx, (ops) => ops.listDeadLetters(tenant));
      ctx.output.result(dead, () => {
        if (dead.length === 0) {
          ctx.output.line('No dead letters.');
          return;
        }
        ctx.output.line(
          table(
            dead.map((d) => ({
              id: d.id,
              tenant: d.tenantId,
              kind: d.kind,
              event: d.eventId,
              attempts: String(d.attempts),
              error: d.lastError ?? '',
            })),
            ['id', 'tenant', 'kind', 'event', 'attempts', 'error'],
          ),
        );
      });
    });

  outbox
    .command('retry [id]')
    .description('Put a dead letter back to be delivered now (or every one with --all)')
    .option('--all', 'retry every dead letter')
    .option('--tenant <tenant>', 'with --all: only this tenant')
    .action(async (id: string | undefined, options: { all?: boolean; tenant?: string }) => {
      const ctx = context();
      if ((id === undefined) === (options.all !== true))
        throw appError(CLI_USAGE, { params: { summary: 'give one dead letter id, or --all' } });
      const target =
        id !== undefined
          ? { id }
          : options.tenant === undefined
            ? { all: true as const }
            : { all: true as const, tenantId: options.tenant };
      const result = await withAdmin(ctx, (ops) => ops.retryDeadLetters(target));
      ctx.output.result(result, () =>
        ctx.output.line(
          `${result.retried.length} dead letter${result.retried.length === 1 ? '' : 's'} put back to be delivered.`,
        ),
      );
    });
}

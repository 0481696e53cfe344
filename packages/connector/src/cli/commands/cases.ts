// `casebridge cases reply <tenant> <case> --as <email> --text <text> | --file <path>`: posts an employee's reply to
// their case as the bot would (public comments with a header naming them), for operators and tests. The same
// --key retries a reply without posting it twice.

import { randomUUID } from 'node:crypto';

import type { Command } from 'commander';

import { appError } from '../../errors/app-error.js';
import { CLI_USAGE } from '../../errors/codes/admin.js';
import type { ReplyResult } from '../../services/tickets/reply-to-case.js';
import { withAdmin, type CliContext } from '../context.js';
import { readTextFile } from '../files.js';

interface ReplyOptions {
  as?: string;
  text?: string;
  file?: string;
  key?: string;
}

function describe(result: ReplyResult & { idempotencyKey: string }): string[] {
  const lines = [
    result.replayed
      ? `Reply to case ${result.caseNumber} was already posted (${result.parts} part${result.parts === 1 ? '' : 's'}, reference ${result.reference}); nothing posted again.`
      : `Reply posted to case ${result.caseNumber} as ${result.parts} part${result.parts === 1 ? '' : 's'} (reference ${result.reference}${result.postedNow < result.parts ? `, ${result.parts - result.postedNow} found from an earlier attempt` : ''}).`,
  ];
  const status = result.status;
  if (status !== null)
    lines.push(
      status.moved
        ? `Status ${status.from} -> ${status.to} (${status.why}).`
        : `Status not moved to ${status.to}: ${status.error?.code ?? ''} ${status.error?.message ?? ''}`.trimEnd(),
    );
  lines.push(`Idempotency key: ${result.idempotencyKey} (give it as --key to retry this reply).`);
  return lines;
}

export function registerCaseCommands(program: Command, context: () => CliContext): void {
  const cases = program.command('cases').description("Act on a tenant's cases as an employee would");
  cases
    .command('reply <tenant> <case>')
    .description("Post an employee's reply to their case (case number or id), as the bot does")
    .option('--as <email>', '(required) the email of the Contact the reply is from')
    .option('--text <text>', 'the reply')
    .option('--file <path>', 'read the reply from this file (UTF-8) instead')
    .option(
      '--key <key>',
      'idempotency key: the same key retries a reply without posting it twice (default: new)',
    )
    .action(async (tenantId: string, caseRef: string, options: ReplyOptions) => {
      const ctx = context();
      if (options.as === undefined)
        throw appError(CLI_USAGE, { params: { summary: '--as <email> is required' } });
      if ((options.text === undefined) === (options.file === undefined))
        throw appError(CLI_USAGE, { params: { summary: 'give the reply as either --text or --file' } });
      const text = options.text ?? (await readTextFile(options.file ?? '', 'the reply'));
      const idempotencyKey = options.key ?? `cli:${randomUUID()}`;
      const email = options.as;
      const result = await withAdmin(ctx, (ops) =>
        ops.replyToCase({ tenantId, caseRef, email, text, idempotencyKey }),
      );
      const shown = { ...result, idempotencyKey };
      ctx.output.result(shown, () => {
        for (const line of describe(shown)) ctx.output.line(line);
      });
    });
}

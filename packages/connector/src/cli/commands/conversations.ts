// `casebridge conversations list TENANT`, `conversations export TENANT EMPLOYEE` (JSON of every turn, for a person's
// request to see what the bot kept) and `conversations delete TENANT EMPLOYEE` (to erase it). EMPLOYEE is the
// Contact id, or the email of an employee without a Contact.

import type { Command } from 'commander';

import { withAdmin, type CliContext } from '../context.js';
import { table } from '../output.js';

export function registerConversationCommands(program: Command, context: () => CliContext): void {
  const conversations = program
    .command('conversations')
    .description("The bot's conversations with employees: list, export, delete");

  conversations
    .command('list <tenant>')
    .description('Employees who have a conversation with the bot, and how many turns it holds')
    .action(async (tenant: string) => {
      const ctx = context();
      const list = await withAdmin(ctx, (ops) => ops.listConversations(tenant));
      ctx.output.result(list, () => {
        if (list.length === 0) {
          ctx.output.line('No conversations.');
          return;
        }
        ctx.output.line(
          table(
            list.map((c) => ({ employee: c.employee, turns: String(c.turns), updated: c.updatedAt })),
            ['employee', 'turns', 'updated'],
          ),
        );
      });
    });

  conversations
    .command('export <tenant> <employee>')
    .description("Print one employee's whole conversation as JSON (Contact id, or email without a Contact)")
    .action(async (tenant: string, employee: string) => {
      const ctx = context();
      const exported = await withAdmin(ctx, (ops) => ops.exportConversation(tenant, employee));
      // an export is data to keep: JSON whether or not --json was given
      ctx.output.result(exported, () => ctx.output.line(JSON.stringify(exported, null, 2)));
    });

  conversations
    .command('delete <tenant> <employee>')
    .description("Delete one employee's conversation (every turn and what the bot remembered)")
    .action(async (tenant: string, employee: string) => {
      const ctx = context();
      const result = await withAdmin(ctx, (ops) => ops.deleteConversation(tenant, employee));
      ctx.output.result(result, () =>
        ctx.output.line(
          result.removed === 0
            ? `No conversation of ${employee} in tenant ${tenant}.`
            : `Deleted the conversation of ${employee} in tenant ${tenant}.`,
        ),
      );
    });
}

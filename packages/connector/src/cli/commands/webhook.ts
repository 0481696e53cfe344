// `casebridge webhook set|show|remove|rotate-secret|finish-rotation|test TENANT`: a tenant's webhook for ticket
// notifications. A signing secret is printed once, when it is made (set, the first time, and rotate-secret).

import type { Command } from 'commander';

import { EXIT } from '../../errors/exit-codes.js';
import type { WebhookInfo, WebhookWithSecret } from '../../services/webhook-service.js';
import { withAdmin, type CliContext } from '../context.js';

function describe(ctx: CliContext, webhook: WebhookInfo): void {
  ctx.output.line(`Webhook of ${webhook.tenantId}: ${webhook.url}`);
  ctx.output.line(
    webhook.rotating
      ? 'Signing secrets: 2 active (rotation running; finish it once the receiver holds the new secret).'
      : `Signing secrets: ${webhook.activeSecrets} active.`,
  );
}

function printSecret(ctx: CliContext, result: WebhookWithSecret): void {
  describe(ctx, result.webhook);
  if (result.secret === null) return;
  ctx.output.line('');
  ctx.output.line(`New signing secret (shown only now; give it to the receiver): ${result.secret}`);
}

export function registerWebhookCommands(
  program: Command,
  context: () => CliContext,
  setExitCode: (code: number) => void,
): void {
  const webhook = program.command('webhook').description("A tenant's webhook for ticket notifications");

  webhook
    .command('set <tenant> <url>')
    .description(
      'Save the URL (checked now and before every delivery); makes a signing secret the first time',
    )
    .action(async (tenant: string, url: string) => {
      const ctx = context();
      const result = await withAdmin(ctx, (ops) => ops.setWebhook(tenant, url));
      ctx.output.result(result, () => printSecret(ctx, result));
    });

  webhook
    .command('show <tenant>')
    .description('The URL and how many signing secrets are active (never the secrets)')
    .action(async (tenant: string) => {
      const ctx = context();
      const result = await withAdmin(ctx, (ops) => ops.showWebhook(tenant));
      ctx.output.result(result, () => describe(ctx, result));
    });

  webhook
    .command('remove <tenant>')
    .description('Delete the webhook and its secrets (notifications then become dead letters)')
    .action(async (tenant: string) => {
      const ctx = context();
      await withAdmin(ctx, (ops) => ops.removeWebhook(tenant));
      ctx.output.result({ removed: tenant }, () => ctx.output.line(`Webhook of ${tenant} removed.`));
    });

  webhook
    .command('rotate-secret <tenant>')
    .description('Make a new signing secret; the old one stays active beside it until finish-rotation')
    .action(async (tenant: string) => {
      const ctx = context();
      const result = await withAdmin(ctx, (ops) => ops.rotateWebhookSecret(tenant));
      ctx.output.result(result, () => printSecret(ctx, result));
    });

  webhook
    .command('finish-rotation <tenant>')
    .description('Retire the old signing secret (after the receiver switched to the new one)')
    .action(async (tenant: string) => {
      const ctx = context();
      const result = await withAdmin(ctx, (ops) => ops.finishWebhookRotation(tenant));
      ctx.output.result(result, () => describe(ctx, result));
    });

  webhook
    .command('test <tenant>')
    .description('Send one signed casebridge.test event now and print what the receiver answered')
    .action(async (tenant: string) => {
      const ctx = context();
      const result = await withAdmin(ctx, (ops) => ops.testWebhook(tenant));
      ctx.output.result(result, () => {
        const { outcome } = result;
        const status = outcome.status === undefined ? '' : ` (HTTP ${outcome.status})`;
        ctx.output.line(
          outcome.kind === 'delivered'
            ? `Test event ${result.eventId} delivered${status}.`
            : `Test event ${result.eventId} not delivered${status}: ${outcome.reason ?? outcome.kind}` +
                (outcome.kind === 'retryable' ? ' (a real event would be retried)' : ''),
        );
      });
      if (result.outcome.kind !== 'delivered') setExitCode(EXIT.failure);
    });
}

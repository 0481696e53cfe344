// `casebridge bot identity set|show TENANT` and `casebridge bot keys create|list|rotate|finish-rotation|revoke
// TENANT [NAME]`: the bot API's identity-token settings and its calling platforms' API keys (docs/bot-api.md). A
// key's secret is printed once, when it is made (create, rotate).

import type { Command } from 'commander';

import type { BotIdentitySettings } from '../../domain/bot/bot-ports.js';
import { appError } from '../../errors/app-error.js';
import { CLI_USAGE } from '../../errors/codes/admin.js';
import type { BotApiKeyInfo, BotApiKeyWithSecret } from '../../services/bot/bot-api-keys.js';
import { withAdmin, type CliContext } from '../context.js';
import { readTextFile } from '../files.js';

function describeIdentity(ctx: CliContext, tenant: string, settings: BotIdentitySettings | null): void {
  if (settings === null) {
    ctx.output.line(`Tenant ${tenant} has no identity-token settings: the bot API refuses its employees.`);
    return;
  }
  ctx.output.line(`Identity tokens of ${tenant}:`);
  ctx.output.line(`  issuer    ${settings.issuer}`);
  ctx.output.line(`  audience  ${settings.audience}`);
  ctx.output.line(
    settings.jwksUrl === null ? '  key       a public key (PEM)' : `  key       JWKS at ${settings.jwksUrl}`,
  );
}

function describeKeys(ctx: CliContext, tenant: string, keys: BotApiKeyInfo[]): void {
  if (keys.length === 0) {
    ctx.output.line(`Tenant ${tenant} has no API keys: no platform can call the bot API for it.`);
    return;
  }
  for (const key of keys)
    ctx.output.line(
      `${key.name}  ${key.prefix}…  ${key.state}  made ${key.createdAt}  last used ${key.lastUsedAt ?? 'never'}`,
    );
}

function printSecret(ctx: CliContext, result: BotApiKeyWithSecret, rotated: boolean): void {
  ctx.output.line(`API key ${result.key.name} (${result.key.prefix}…) made.`);
  if (rotated)
    ctx.output.line('The key it replaces stays accepted until `casebridge bot keys finish-rotation`.');
  ctx.output.line('');
  ctx.output.line(`Key (shown only now; give it to the platform as X-Api-Key): ${result.secret}`);
}

export function registerBotCommands(program: Command, context: () => CliContext): void {
  const bot = program.command('bot').description('The bot API: identity tokens and the platforms’ API keys');
  const identity = bot.command('identity').description("How the tenant's identity tokens are checked");

  identity
    .command('set <tenant>')
    .description('Save the issuer, audience and key (a public key PEM file or a JWKS URL) of identity tokens')
    .requiredOption('--issuer <iss>', 'the `iss` every token must carry')
    .requiredOption('--audience <aud>', 'the `aud` every token must carry')
    .option('--public-key <file>', 'an RSA or EC P-256 public key (PEM)')
    .option('--jwks-url <url>', 'an https JWKS URL (fetched under the webhook URL policy, cached an hour)')
    .action(
      async (
        tenant: string,
        options: { issuer: string; audience: string; publicKey?: string; jwksUrl?: string },
      ) => {
        const ctx = context();
        if ((options.publicKey === undefined) === (options.jwksUrl === undefined))
          throw appError(CLI_USAGE, {
            params: { summary: 'give exactly one of --public-key and --jwks-url' },
          });
        const publicKeyPem =
          options.publicKey === undefined
            ? undefined
            : await readTextFile(options.publicKey, 'the public key');
        const saved = await withAdmin(ctx, (ops) =>
          ops.bot.setIdentity(tenant, {
            issuer: options.issuer,
            audience: options.audience,
            ...(publicKeyPem === undefined ? {} : { publicKeyPem }),
            ...(options.jwksUrl === undefined ? {} : { jwksUrl: options.jwksUrl }),
          }),
        );
        ctx.output.result(saved, () => describeIdentity(ctx, tenant, saved));
      },
    );

  identity
    .command('show <tenant>')
    .description('The identity-token settings')
    .action(async (tenant: string) => {
      const ctx = context();
      const settings = await withAdmin(ctx, (ops) => ops.bot.showIdentity(tenant));
      ctx.output.result({ settings }, () => describeIdentity(ctx, tenant, settings));
    });

  const keys = bot.command('keys').description('API keys of the platforms that call the bot API');

  keys
    .command('create <tenant> <name>')
    .description('Make a key for one platform (printed once; stored only as a hash)')
    .action(async (tenant: string, name: string) => {
      const ctx = context();
      const made = await withAdmin(ctx, (ops) => ops.bot.createKey(tenant, name));
      ctx.output.result(made, () => printSecret(ctx, made, false));
    });

  keys
    .command('list <tenant>')
    .description('The live keys: name, public prefix, active or retiring, last use (never a secret)')
    .action(async (tenant: string) => {
      const ctx = context();
      const list = await withAdmin(ctx, (ops) => ops.bot.listKeys(tenant));
      ctx.output.result({ keys: list }, () => describeKeys(ctx, tenant, list));
    });

  keys
    .command('rotate <tenant> <name>')
    .description('Make a new key for the name; the old one stays accepted beside it until finish-rotation')
    .action(async (tenant: string, name: string) => {
      const ctx = context();
      const made = await withAdmin(ctx, (ops) => ops.bot.rotateKey(tenant, name));
      ctx.output.result(made, () => printSecret(ctx, made, true));
    });

  keys
    .command('finish-rotation <tenant> <name>')
    .description('Revoke the key a rotation replaced (once the platform sends the new one)')
    .action(async (tenant: string, name: string) => {
      const ctx = context();
      const left = await withAdmin(ctx, (ops) => ops.bot.finishKeyRotation(tenant, name));
      ctx.output.result({ keys: left }, () => describeKeys(ctx, tenant, left));
    });

  keys
    .command('revoke <tenant> <name>')
    .description('Revoke every key of the name (refused on every worker within 10 seconds)')
    .action(async (tenant: string, name: string) => {
      const ctx = context();
      const result = await withAdmin(ctx, (ops) => ops.bot.revokeKey(tenant, name));
      ctx.output.result(result, () => ctx.output.line(`${result.revoked} key(s) named ${name} revoked.`));
    });
}

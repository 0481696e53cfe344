// `casebridge tenants add|list|show|update|remove|rotate-key`.

import { join, resolve } from 'node:path';

import type { Command } from 'commander';

import { appError } from '../../errors/app-error.js';
import { CLI_USAGE } from '../../errors/codes/admin.js';
import type { Tenant } from '../../domain/tenant.js';
import type { SettingsPatch } from '../../domain/tenant-rules.js';
import type { TenantChange } from '../../services/tenant-service.js';
import { withAdmin, type CliContext } from '../context.js';
import { readTextFile, writePublicFile } from '../files.js';
import { table } from '../output.js';
import { parseSettingAssignments } from './settings-args.js';

type TenantPause = { until: string; reason: string } | null;

function describeTenant(tenant: Tenant, paused?: TenantPause): string[] {
  const pauseLine =
    paused === undefined
      ? []
      : [
          `paused         ${paused ? `until ${paused.until} (${paused.reason}); a successful call lifts it sooner` : 'no'}`,
        ];
  return [
    `tenant         ${tenant.id} (${tenant.name})`,
    `login URL      ${tenant.loginUrl}`,
    `instance URL   ${tenant.instanceUrl ?? '(learned at first login)'}`,
    `consumer key   ${tenant.consumerKey}`,
    `username       ${tenant.username}`,
    `active key     ${tenant.activeKey ? `${tenant.activeKey.fingerprint}, certificate valid until ${tenant.activeKey.notAfter}${tenant.activeKey.provenAt ? `, proven ${tenant.activeKey.provenAt}` : ', not yet proven by doctor'}` : 'none'}`,
    `pending key    ${tenant.pendingKey ? `${tenant.pendingKey.fingerprint}${tenant.pendingKey.provenAt ? ' (proven: ready to commit)' : ' (upload its certificate, then run doctor --pending-key)'}` : 'none'}`,
    `secrets        consumer secret ${tenant.hasConsumerSecret ? 'stored (sealed)' : 'not stored'}, password ${tenant.hasPassword ? 'stored (sealed)' : 'not stored'}`,
    `settings       ${JSON.stringify(tenant.settings)}`,
    ...pauseLine,
  ];
}

async function readOptionalFile(path: string | undefined, what: string): Promise<string | undefined> {
  return path === undefined ? undefined : (await readTextFile(path, what)).trim();
}

async function writeCertificate(dir: string, tenantId: string, pem: string, suffix = ''): Promise<string> {
  const path = resolve(join(dir, `${tenantId}${suffix}.crt`));
  await writePublicFile(path, pem, 'the certificate');
  return path;
}

function settingsFrom(options: { set?: string[]; settingsJson?: string }): SettingsPatch | undefined {
  let patch: SettingsPatch | undefined;
  if (options.settingsJson !== undefined) {
    try {
      patch = JSON.parse(options.settingsJson) as SettingsPatch;
    } catch {
      throw appError(CLI_USAGE, { params: { summary: '--settings-json is not valid JSON' } });
    }
  }
  if (options.set?.length) patch = { ...(patch ?? {}), ...parseSettingAssignments(options.set) };
  return patch;
}

export function registerTenantCommands(program: Command, context: () => CliContext): void {
  const tenants = program
    .command('tenants')
    .description('Manage tenants: the Salesforce orgs casebridge serves');

  tenants
    .command('add <id>')
    .description(
      'Add a tenant. Generates a key pair unless --key/--cert import one; writes the certificate to upload.',
    )
    // checked in the action rather than by commander, which names one missing option per run
    .option(
      '--login-url <url>',
      '(required) https://login.salesforce.com, https://test.salesforce.com or My Domain URL',
    )
    .option('--consumer-key <key>', "(required) the Connected App's Consumer Key")
    .option('--username <username>', "(required) the service user's Salesforce username")
    .option('--name <name>', 'display name')
    .option('--key <file>', 'import this private key (PEM) instead of generating one')
    .option('--cert <file>', 'the certificate of the imported key (PEM)')
    .option(
      '--cert-out <dir>',
      'where to write the certificate to upload (default: . for a generated key; an imported one is not copied unless given)',
    )
    .option('--days <n>', 'validity of a generated certificate in days', (v) => Number.parseInt(v, 10))
    .option('--consumer-secret-file <file>', 'not needed for JWT; stored sealed if given')
    .option('--password-file <file>', 'not needed for JWT; stored sealed if given')
    .option(
      '--set <key=value...>',
      'settings, e.g. apiVersion=64.0 knowledge.bodyFields=Answer__c,Details__c',
    )
    .option('--settings-json <json>', 'settings as JSON')
    .action(async (id: string, options: Record<string, string | number | string[] | undefined>) => {
      const ctx = context();
      const missing = (
        [
          ['loginUrl', '--login-url'],
          ['consumerKey', '--consumer-key'],
          ['username', '--username'],
        ] as const
      ).filter(([key]) => options[key] === undefined);
      if (missing.length > 0)
        throw appError(CLI_USAGE, {
          params: { summary: `missing required options: ${missing.map(([, flag]) => flag).join(', ')}` },
          details: { missing: missing.map(([, flag]) => flag) },
        });
      const privateKeyPem = await readOptionalFile(options['key'] as string | undefined, 'the private key');
      const certificatePem = await readOptionalFile(options['cert'] as string | undefined, 'the certificate');
      const consumerSecret = await readOptionalFile(
        options['consumerSecretFile'] as string | undefined,
        'the consumer secret',
      );
      const password = await readOptionalFile(options['passwordFile'] as string | undefined, 'the password');
      const settings = settingsFrom(options);
      const result = await withAdmin(ctx, (ops) =>
        ops.addTenant({
          id,
          loginUrl: options['loginUrl'] as string,
          consumerKey: options['consumerKey'] as string,
          username: options['username'] as string,
          ...(options['name'] ? { name: options['name'] as string } : {}),
          ...(privateKeyPem !== undefined ? { privateKeyPem } : {}),
          ...(certificatePem !== undefined ? { certificatePem } : {}),
          ...(consumerSecret !== undefined ? { consumerSecret } : {}),
          ...(password !== undefined ? { password } : {}),
          ...(settings ? { settings } : {}),
          ...(typeof options['days'] === 'number' ? { certificateDays: options['days'] } : {}),
        }),
      );
      // An imported certificate already sits where the admin keeps it: copy it only when asked to.
      const certOut =
        (options['certOut'] as string | undefined) ?? (options['cert'] === undefined ? '.' : undefined);
      const certPath =
        certOut === undefined
          ? resolve(options['cert'] as string)
          : await writeCertificate(certOut, id, result.certificatePem);
      if (consumerSecret !== undefined || password !== undefined) {
        ctx.output.warn(
          'the JWT bearer flow needs neither the consumer secret nor the password; they were stored sealed, but you can remove them with `tenants update --clear-secrets`',
        );
      }
      ctx.output.result(
        { tenant: result.tenant, certificatePath: certPath, generatedKey: result.generatedKey },
        () => {
          ctx.output.line(`Added tenant ${id}.`);
          for (const line of describeTenant(result.tenant)) ctx.output.line(`  ${line}`);
          ctx.output.line(
            `Certificate to upload to the Connected App ("Use digital signatures"): ${certPath}`,
          );
          ctx.output.line(
            `Next: \`casebridge setup ${id}\` for the admin's steps, then \`casebridge doctor ${id}\`.`,
          );
        },
      );
    });

  tenants
    .command('list')
    .description('List tenants')
    .action(async () => {
      const ctx = context();
      const list = await withAdmin(ctx, (ops) => ops.listTenants());
      // an object, so that the document names its store like every other command's
      ctx.output.result({ tenants: list }, () => {
        if (list.length === 0) ctx.output.line('No tenants yet. Add one with `casebridge tenants add`.');
        else
          ctx.output.line(
            table(
              list.map((t) => ({
                id: t.id,
                login: t.loginUrl,
                username: t.username,
                key: t.activeKey ? t.activeKey.fingerprint.slice(0, 23) : 'none',
                pending: t.pendingKey ? 'yes' : '',
              })),
              ['id', 'login', 'username', 'key', 'pending'],
            ),
          );
      });
    });

  tenants
    .command('show <id>')
    .description('Show a tenant (never its secrets)')
    .action(async (id: string) => {
      const ctx = context();
      // The pause (REQUEST_LIMIT_EXCEEDED) lives with the status: background work of a paused tenant waits.
      const { tenant, paused } = await withAdmin(ctx, async (ops) => {
        const shown = await ops.showTenant(id);
        const status = await ops.status();
        return { tenant: shown, paused: status.tenants.find((t) => t.id === id)?.paused ?? null };
      });
      ctx.output.result({ ...tenant, paused }, () => {
        for (const line of describeTenant(tenant, paused)) ctx.output.line(line);
      });
    });

  tenants
    .command('update <id>')
    .description('Change a tenant: identity fields, secrets, settings')
    .option('--name <name>')
    .option('--login-url <url>')
    .option('--consumer-key <key>')
    .option('--username <username>')
    .option('--consumer-secret-file <file>')
    .option('--password-file <file>')
    .option('--clear-secrets', 'erase the stored consumer secret and password (JWT needs neither)')
    .option('--set <key=value...>', 'settings, e.g. apiVersion=64.0 caseStates.actions.resolve=Solved')
    .option('--settings-json <json>', 'settings as JSON (merged)')
    .action(async (id: string, options: Record<string, string | boolean | string[] | undefined>) => {
      const ctx = context();
      const change: TenantChange = {};
      if (typeof options['name'] === 'string') change.name = options['name'];
      if (typeof options['loginUrl'] === 'string') change.loginUrl = options['loginUrl'];
      if (typeof options['consumerKey'] === 'string') change.consumerKey = options['consumerKey'];
      if (typeof options['username'] === 'string') change.username = options['username'];
      const secret = await readOptionalFile(
        options['consumerSecretFile'] as string | undefined,
        'the consumer secret',
      );
      const password = await readOptionalFile(options['passwordFile'] as string | undefined, 'the password');
      if (secret !== undefined) change.consumerSecret = secret;
      if (password !== undefined) change.password = password;
      if (options['clearSecrets'] === true) {
        change.consumerSecret = null;
        change.password = null;
      }
      const settings = settingsFrom(options);
      if (settings) change.settings = settings;
      if (Object.keys(change).length === 0)
        throw appError(CLI_USAGE, { params: { summary: 'nothing to change' } });
      const tenant = await withAdmin(ctx, (ops) => ops.updateTenant(id, change));
      ctx.output.result(tenant, () => {
        ctx.output.line(`Updated tenant ${id}.`);
        for (const line of describeTenant(tenant)) ctx.output.line(`  ${line}`);
      });
    });

  tenants
    .command('remove <id>')
    .description('Remove a tenant: revokes its Salesforce token and erases its keys and data')
    .option('--yes', 'confirm')
    .action(async (id: string, options: { yes?: boolean }) => {
      const ctx = context();
      if (!options.yes)
        throw appError(CLI_USAGE, {
          params: { summary: `removing erases the key of ${id}; repeat with --yes` },
        });
      const result = await withAdmin(ctx, (ops) => ops.removeTenant(id));
      ctx.output.result({ removed: id, ...result }, () => {
        ctx.output.line(`Removed tenant ${id}; key and data erased.`);
        if (!result.revoked)
          ctx.output.warn(
            'the token could not be revoked in Salesforce (unreachable?); it expires with the session timeout',
          );
      });
    });

  tenants
    .command('rotate-key <id>')
    .description('Two-phase key rotation: --start makes a new pair, --commit switches once doctor proved it')
    .option('--start', 'generate a pending key pair and write its certificate')
    .option('--commit', 'make the proven pending key the active one')
    .option('--cancel', 'drop the pending key')
    .option('--cert-out <dir>', 'where to write the new certificate', '.')
    .option('--days <n>', 'certificate validity in days', (v) => Number.parseInt(v, 10))
    .action(
      async (
        id: string,
        options: { start?: boolean; commit?: boolean; cancel?: boolean; certOut: string; days?: number },
      ) => {
        const ctx = context();
        const chosen = [options.start, options.commit, options.cancel].filter(Boolean).length;
        if (chosen !== 1)
          throw appError(CLI_USAGE, {
            params: { summary: 'give exactly one of --start, --commit, --cancel' },
          });
        if (options.start) {
          const started = await withAdmin(ctx, (ops) =>
            ops.startKeyRotation(id, options.days === undefined ? {} : { certificateDays: options.days }),
          );
          const path = await writeCertificate(options.certOut, id, started.certificatePem, '-pending');
          ctx.output.result({ pendingKey: started.key, certificatePath: path }, () => {
            ctx.output.line(`New key pair made for ${id} (fingerprint ${started.key.fingerprint}).`);
            ctx.output.line(`1. Upload ${path} to the Connected App (Edit > Use digital signatures).`);
            ctx.output.line(`2. Run \`casebridge doctor ${id} --pending-key\` until it passes.`);
            ctx.output.line(`3. Run \`casebridge tenants rotate-key ${id} --commit\`.`);
          });
        } else if (options.commit) {
          const key = await withAdmin(ctx, (ops) => ops.commitKeyRotation(id));
          ctx.output.result({ activeKey: key }, () =>
            ctx.output.line(`Tenant ${id} now signs with ${key.fingerprint}.`),
          );
        } else {
          await withAdmin(ctx, (ops) => ops.cancelKeyRotation(id));
          ctx.output.result({ cancelled: true }, () => ctx.output.line(`Pending key of ${id} dropped.`));
        }
      },
    );
}

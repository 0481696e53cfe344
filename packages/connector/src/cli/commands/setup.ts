// `casebridge setup [tenant]`: the admin's checklist and a deployable Salesforce metadata package (Connected App,
// or External Client App for orgs that can no longer create Connected Apps, plus the permission set).

import { Option, type Command } from 'commander';

import { appError } from '../../errors/app-error.js';
import { CLI_USAGE } from '../../errors/codes/admin.js';
import { buildChecklist, renderChecklistMarkdown, renderChecklistText } from '../../setup/checklist.js';
import { buildSetupPackage, type SetupPackageVariant } from '../../setup/metadata-package.js';
import type { SetupInput } from '../../setup/setup-input.js';
import { withAdmin, type CliContext } from '../context.js';
import { readTextFile } from '../files.js';
import { writeSetupPackage } from '../setup-files.js';

interface SetupOptions {
  out?: string;
  externalClientApp?: boolean;
  contactEmail?: string;
  cert?: string;
  loginUrl?: string;
  username?: string;
  appName?: string;
  permissionSet?: string;
  format: 'text' | 'markdown';
  force?: boolean;
}

export function registerSetupCommand(program: Command, context: () => CliContext): void {
  program
    .command('setup [tenant]')
    .description("The Salesforce admin's checklist and a metadata package (source format) for this tenant")
    .option('--out <dir>', 'write the metadata package (sfdx project) here')
    .option(
      '--external-client-app',
      'an External Client App instead of a Connected App (orgs that cannot create Connected Apps)',
    )
    .option('--contact-email <email>', "the app's contact email")
    .option('--cert <file>', "certificate to upload (default: the tenant's active key)")
    .option('--login-url <url>', "default: the tenant's")
    .option('--username <username>', "the service user (default: the tenant's)")
    .option('--app-name <name>', 'Connected App API name', 'Casebridge_Server')
    .option('--permission-set <name>', 'permission set API name', 'casebridge_connected_app')
    .addOption(
      new Option('--format <format>', 'text or markdown').choices(['text', 'markdown']).default('text'),
    )
    .option('--force', 'write into a non-empty --out directory')
    .action(async (tenantId: string | undefined, options: SetupOptions) => {
      const ctx = context();
      const tenant = tenantId ? await withAdmin(ctx, (ops) => ops.showTenant(tenantId)) : undefined;
      const certificatePem = options.cert
        ? await readTextFile(options.cert, 'the certificate')
        : (tenant?.pendingKey ?? tenant?.activeKey)?.certificatePem;
      const loginUrl = options.loginUrl ?? tenant?.loginUrl;
      const username = options.username ?? tenant?.username;
      const missing = [
        certificatePem ? null : '--cert (or a tenant with a key)',
        loginUrl ? null : '--login-url',
        username ? null : '--username',
      ].filter((item): item is string => item !== null);
      if (!certificatePem || !loginUrl || !username) {
        throw appError(CLI_USAGE, { params: { summary: `missing ${missing.join(', ')}` } });
      }
      const input: SetupInput = {
        contactEmail: options.contactEmail ?? username,
        certificatePem,
        loginUrl,
        username,
        appName: options.appName ?? 'Casebridge_Server',
        permissionSetName: options.permissionSet ?? 'casebridge_connected_app',
        knowledge: tenant?.settings.knowledge.enabled ?? true,
        ...(tenant ? { tenantId: tenant.id, apiVersion: tenant.settings.apiVersion } : {}),
      };
      const variant: SetupPackageVariant = options.externalClientApp
        ? 'external-client-app'
        : 'connected-app';
      const checklist = buildChecklist(input, variant);
      const written = options.out
        ? writeSetupPackage(options.out, buildSetupPackage(input, variant), { force: options.force === true })
        : undefined;
      ctx.output.result({ checklist, package: written ?? null }, () => {
        ctx.output.line(
          options.format === 'markdown' ? renderChecklistMarkdown(checklist) : renderChecklistText(checklist),
        );
        if (written) {
          ctx.output.line(`Metadata package written to ${written.dir} (${written.files.length} files).`);
          ctx.output.line(
            `Deploy it with: cd ${written.dir} && sf project deploy start --target-org <alias>`,
          );
        } else ctx.output.line('Add --out <dir> to write the deployable metadata package.');
      });
    });
}

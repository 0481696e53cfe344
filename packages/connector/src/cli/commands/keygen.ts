// `casebridge keygen`: the RSA 2048 key and self-signed SHA-256 certificate the requirements' openssl command
// makes; optionally imports the key into a tenant's encrypted store and deletes the key file.

import { join } from 'node:path';

import type { Command } from 'commander';

import {
  CERTIFICATE_FILE_NAME,
  KEY_FILE_NAME,
  readKeyFile,
  removeKeyFile,
  writeKeyPair,
} from '../../crypto/key-files.js';
import { DEFAULT_CERTIFICATE_DAYS, X509KeyFactory } from '../../crypto/key-factory.js';
import { systemClock } from '../../system-clock.js';
import { withAdmin, type CliContext } from '../context.js';
import { ignoreKeyInGit, type KeyIgnoreOutcome } from '../git-ignore-key.js';

/** The folder's own .gitignore already names the key: nothing to say. */
function alreadyIgnored(git: KeyIgnoreOutcome): boolean {
  return git.wrote === null && !git.line.startsWith('/');
}

interface KeygenOptions {
  out: string;
  days: number;
  cn: string;
  force?: boolean;
  importTo?: string;
  existing?: boolean;
  deleteKeyFile?: boolean;
}

export function registerKeygenCommand(program: Command, context: () => CliContext): void {
  program
    .command('keygen')
    .description('Make an RSA 2048 key (0600) and a self-signed SHA-256 certificate for the Connected App')
    .option('--out <dir>', 'directory for salesforce.key and salesforce.crt', '.')
    .option(
      '--days <n>',
      'certificate validity in days (100 years)',
      (v) => Number.parseInt(v, 10),
      DEFAULT_CERTIFICATE_DAYS,
    )
    .option('--cn <name>', 'certificate subject common name', 'casebridge')
    .option('--force', 'replace an existing key in --out')
    .option('--import-to <tenant>', "import the key into this tenant's encrypted store")
    .option('--existing', 'with --import-to: import the pair already in --out instead of making a new one')
    .option(
      '--delete-key-file',
      'with --import-to: delete salesforce.key once it is stored (the certificate stays)',
    )
    .action(async (options: KeygenOptions) => {
      const ctx = context();
      const factory = new X509KeyFactory(systemClock);
      let keyPath = join(options.out, KEY_FILE_NAME);
      let certificatePath = join(options.out, CERTIFICATE_FILE_NAME);
      let privateKeyPem: string;
      let certificatePem: string;
      if (options.existing) {
        const key = readKeyFile(keyPath);
        if (key.readableByOthers)
          ctx.output.warn(`${keyPath} is readable by other users; run chmod 600 on it`);
        privateKeyPem = key.pem;
        certificatePem = readKeyFile(certificatePath).pem;
      } else {
        const pair = await factory.generate({ commonName: options.cn, days: options.days });
        const written = writeKeyPair(options.out, pair, { force: options.force === true });
        ({ keyPath, certificatePath } = written);
        ({ privateKeyPem, certificatePem } = pair);
      }
      const info = factory.inspect(privateKeyPem, certificatePem);
      const git = options.existing ? null : ignoreKeyInGit(keyPath);
      if (git?.wrote)
        ctx.output.warn(
          `${keyPath} is inside the git work tree ${git.workTree}; wrote ${git.wrote} so \`git add .\` skips the key`,
        );
      else if (git && !alreadyIgnored(git))
        ctx.output.warn(
          `${keyPath} is inside the git work tree ${git.workTree}: add the line "${git.line}" to its .gitignore, or keep keys outside it (--out)`,
        );
      let imported: string | undefined;
      if (options.importTo) {
        const tenantId = options.importTo;
        await withAdmin(ctx, (ops) => ops.importKey(tenantId, privateKeyPem, certificatePem));
        imported = tenantId;
        if (options.deleteKeyFile) removeKeyFile(keyPath);
      }
      const result = {
        keyPath: imported && options.deleteKeyFile ? null : keyPath,
        certificatePath,
        fingerprint: info.fingerprint,
        notAfter: info.notAfter,
        subject: info.subject,
        importedTo: imported ?? null,
        gitignore: git?.wrote ?? null,
      };
      ctx.output.result(result, () => {
        if (result.keyPath) ctx.output.line(`private key   ${result.keyPath} (0600; keep it secret)`);
        ctx.output.line(`certificate   ${certificatePath} (upload it to the Connected App)`);
        ctx.output.line(`SHA-256       ${info.fingerprint}`);
        ctx.output.line(`valid until   ${info.notAfter}`);
        if (imported) {
          ctx.output.line(
            `Imported into tenant ${imported}'s encrypted store${options.deleteKeyFile ? ' and deleted the key file' : '; you may now delete the key file'}.`,
          );
        }
      });
    });
}

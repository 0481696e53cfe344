// The environment casebridge reads, as one zod schema. Every variable shares the CASEBRIDGE_ prefix; DATABASE_URL
// is accepted beside CASEBRIDGE_DATABASE_URL because platforms set it. docs/configuration.md lists exactly these.

import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

export const ENV_SCHEMA = z.object({
  CASEBRIDGE_DATA_DIR: z.string().min(1).default('.casebridge'),
  CASEBRIDGE_DATABASE_URL: z.url().optional(),
  DATABASE_URL: z.url().optional(),
  CASEBRIDGE_MASTER_KEY: z.string().optional(),
  CASEBRIDGE_MASTER_KEY_FILE: z.string().optional(),
  CASEBRIDGE_HTTP_HOST: z.string().default('127.0.0.1'),
  CASEBRIDGE_HTTP_PORT: port.default(8787),
  CASEBRIDGE_ADMIN_HOST: z.literal(['127.0.0.1', 'localhost', '::1']).default('127.0.0.1'),
  CASEBRIDGE_ADMIN_PORT: port.default(8788),
  CASEBRIDGE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  CASEBRIDGE_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  CASEBRIDGE_WORKER_ID: z.string().optional(),
});

export type Env = z.infer<typeof ENV_SCHEMA>;

/** Descriptions for docs/configuration.md; a test checks the doc lists every schema key. */
export const ENV_DOCS: Record<keyof Env, string> = {
  CASEBRIDGE_DATA_DIR:
    'Directory for the embedded store, the master key file and the admin token (created 0700). Default `.casebridge`.',
  CASEBRIDGE_DATABASE_URL:
    'PostgreSQL connection URL. When set, the store is PostgreSQL and several workers may share it; otherwise the embedded PGlite store in the data directory is used.',
  DATABASE_URL: 'Accepted when CASEBRIDGE_DATABASE_URL is unset.',
  CASEBRIDGE_MASTER_KEY:
    'Master key (32 bytes, base64) that encrypts private keys, tokens and secrets at rest. Several keys may be given as `id:base64,id:base64`; the first seals, all open.',
  CASEBRIDGE_MASTER_KEY_FILE:
    'File holding the master key(s) in the same format (must be 0600). In embedded mode one is created on first run.',
  CASEBRIDGE_HTTP_HOST: 'Interface the service listens on. Default 127.0.0.1.',
  CASEBRIDGE_HTTP_PORT: 'Port of the service (status, bot API). Default 8787.',
  CASEBRIDGE_ADMIN_HOST: 'Loopback interface of the admin API the CLI uses while the service runs. Loopback only.',
  CASEBRIDGE_ADMIN_PORT: 'Port of the admin API. Default 8788; 0 picks a free one (written to the data directory).',
  CASEBRIDGE_LOG_LEVEL: 'debug, info, warn, error or silent. Default info.',
  CASEBRIDGE_AUDIT_RETENTION_DAYS: 'Days the Salesforce API audit log is kept. Default 30.',
  CASEBRIDGE_WORKER_ID: 'Name of this worker in logs and job ownership. Default: host name and pid.',
};

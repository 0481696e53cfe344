// Parses the environment once into a frozen, nested Config; reports every bad variable in one error.
// Only this folder reads process.env.

import { resolve } from 'node:path';
import { hostname } from 'node:os';

import { appError } from '../errors/app-error.js';
import { CONFIG_INVALID } from '../errors/codes/config.js';
import { ENV_SCHEMA } from './schema.js';

export interface Config {
  readonly dataDir: string;
  readonly store: { readonly kind: 'pglite' } | { readonly kind: 'postgres'; readonly url: string };
  readonly masterKey: { readonly inline: string | undefined; readonly file: string | undefined };
  /** `statusToken`: the read-only bearer token of GET /v1/status (else one kept in the data directory) */
  /** `portExplicit`: the operator set the port (the demo takes a free one only when the default is busy) */
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly portExplicit: boolean;
    readonly statusToken: string | undefined;
  };
  readonly admin: { readonly host: string; readonly port: number; readonly portExplicit: boolean };
  /** `explicit`: the operator chose the level (commands stay quiet otherwise) */
  readonly log: {
    readonly level: 'debug' | 'info' | 'warn' | 'error' | 'silent';
    readonly explicit: boolean;
  };
  readonly audit: { readonly retentionDays: number };
  readonly workerId: string;
  /** the webhook URL policy's exceptions: plain http, and non-public ranges (CIDRs) a receiver may be in */
  readonly webhook: { readonly allowHttp: boolean; readonly allowedCidrs: readonly string[] };
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value))
    if (inner && typeof inner === 'object') deepFreeze(inner as object);
  return Object.freeze(value);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ENV_SCHEMA.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      variable: issue.path.join('.'),
      message: issue.message,
    }));
    throw appError(CONFIG_INVALID, {
      params: { summary: issues.map((i) => `${i.variable}: ${i.message}`).join('; ') },
      details: { issues },
    });
  }
  const e = parsed.data;
  const url = e.CASEBRIDGE_DATABASE_URL ?? e.DATABASE_URL;
  return deepFreeze({
    dataDir: resolve(e.CASEBRIDGE_DATA_DIR),
    store: url ? { kind: 'postgres' as const, url } : { kind: 'pglite' as const },
    masterKey: { inline: e.CASEBRIDGE_MASTER_KEY, file: e.CASEBRIDGE_MASTER_KEY_FILE },
    http: {
      host: e.CASEBRIDGE_HTTP_HOST,
      port: e.CASEBRIDGE_HTTP_PORT,
      portExplicit: env['CASEBRIDGE_HTTP_PORT'] !== undefined,
      statusToken: e.CASEBRIDGE_STATUS_TOKEN,
    },
    admin: {
      host: e.CASEBRIDGE_ADMIN_HOST,
      port: e.CASEBRIDGE_ADMIN_PORT,
      portExplicit: env['CASEBRIDGE_ADMIN_PORT'] !== undefined,
    },
    log: { level: e.CASEBRIDGE_LOG_LEVEL, explicit: env['CASEBRIDGE_LOG_LEVEL'] !== undefined },
    audit: { retentionDays: e.CASEBRIDGE_AUDIT_RETENTION_DAYS },
    workerId: e.CASEBRIDGE_WORKER_ID ?? `${hostname()}:${process.pid}`,
    webhook: {
      allowHttp: e.CASEBRIDGE_WEBHOOK_ALLOW_HTTP,
      allowedCidrs: e.CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS.split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    },
  });
}

// Parses the environment once into a frozen, nested Config; reports every bad variable in one error.
// Only this folder reads process.env.

import { isAbsolute, join, resolve } from 'node:path';
import { homedir, hostname } from 'node:os';

import { appError } from '../errors/app-error.js';
import { CONFIG_INVALID } from '../errors/codes/config.js';
import { ENV_SCHEMA } from './schema.js';

export interface Config {
  /**
   * The folder of the embedded store, master key file and tokens: `CASEBRIDGE_DATA_DIR` when set
   * (`dataDirExplicit`), else the per-user default (`$XDG_DATA_HOME/casebridge`, else
   * `~/.local/share/casebridge`). The CLI replaces a default one by the nearest ancestor folder's `.casebridge/`
   * (cli/store-location.ts): config reads the environment, the CLI asks the file system.
   */
  readonly dataDir: string;
  readonly dataDirExplicit: boolean;
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
  /** the bot API's listener (loopback unless the operator puts it behind their proxy) */
  readonly bot: {
    readonly host: string;
    readonly port: number;
    readonly portExplicit: boolean;
    /** calls a minute allowed each employee (their session) and each platform API key */
    readonly employeeCallsPerMinute: number;
    readonly keyCallsPerMinute: number;
  };
  /** `explicit`: the operator chose the level (commands stay quiet otherwise) */
  readonly log: {
    readonly level: 'debug' | 'info' | 'warn' | 'error' | 'silent';
    readonly explicit: boolean;
  };
  readonly audit: { readonly retentionDays: number };
  /** the bot's conversations: turns older than this many days are deleted */
  readonly conversation: { readonly retentionDays: number; readonly autonomousResolution: boolean };
  readonly workerId: string;
  /** Case changes by Change Data Capture where an org allows it; false: every tenant is polled only */
  readonly caseStream: { readonly enabled: boolean };
  /** the webhook URL policy's exceptions: plain http, and non-public ranges (CIDRs) a receiver may be in */
  readonly webhook: { readonly allowHttp: boolean; readonly allowedCidrs: readonly string[] };
  /**
   * The MCP tool server (docs/mcp.md): for `casebridge mcp` (stdio) the employee `session` (a secret: never logged),
   * the `tenant` it must belong to and the bot API's `botUrl`; for the bot listener's /mcp, the web origins allowed.
   */
  readonly mcp: {
    readonly session: string | undefined;
    readonly tenant: string | undefined;
    readonly botUrl: string;
    readonly allowedOrigins: readonly string[];
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value))
    if (inner && typeof inner === 'object') deepFreeze(inner as object);
  return Object.freeze(value);
}

/** `$XDG_DATA_HOME/casebridge`, else `~/.local/share/casebridge` (https://specifications.freedesktop.org/basedir-spec/latest/). */
export function userDataDir(xdgDataHome: string | undefined, home: string): string {
  // the spec: "If an implementation encounters a relative path in any of these variables it should consider the
  // path invalid and ignore it."
  const base = xdgDataHome && isAbsolute(xdgDataHome) ? xdgDataHome : join(home, '.local', 'share');
  return join(base, 'casebridge');
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  home: string = homedir(),
): Config {
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
    dataDir: e.CASEBRIDGE_DATA_DIR ? resolve(e.CASEBRIDGE_DATA_DIR) : userDataDir(e.XDG_DATA_HOME, home),
    dataDirExplicit: e.CASEBRIDGE_DATA_DIR !== undefined,
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
    bot: {
      host: e.CASEBRIDGE_BOT_HOST,
      port: e.CASEBRIDGE_BOT_PORT,
      portExplicit: env['CASEBRIDGE_BOT_PORT'] !== undefined,
      employeeCallsPerMinute: e.CASEBRIDGE_BOT_EMPLOYEE_RATE_LIMIT,
      keyCallsPerMinute: e.CASEBRIDGE_BOT_KEY_RATE_LIMIT,
    },
    log: { level: e.CASEBRIDGE_LOG_LEVEL, explicit: env['CASEBRIDGE_LOG_LEVEL'] !== undefined },
    audit: { retentionDays: e.CASEBRIDGE_AUDIT_RETENTION_DAYS },
    conversation: {
      retentionDays: e.CASEBRIDGE_CONVERSATION_RETENTION_DAYS,
      autonomousResolution: e.CASEBRIDGE_AUTONOMOUS_RESOLUTION,
    },
    workerId: e.CASEBRIDGE_WORKER_ID ?? `${hostname()}:${process.pid}`,
    caseStream: { enabled: e.CASEBRIDGE_CASE_STREAM },
    webhook: {
      allowHttp: e.CASEBRIDGE_WEBHOOK_ALLOW_HTTP,
      allowedCidrs: e.CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS.split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    },
    mcp: {
      session: e.CASEBRIDGE_MCP_SESSION,
      tenant: e.CASEBRIDGE_MCP_TENANT,
      botUrl: e.CASEBRIDGE_MCP_BOT_URL,
      allowedOrigins: e.CASEBRIDGE_MCP_ALLOWED_ORIGINS.split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    },
  });
}

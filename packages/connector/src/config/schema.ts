// The environment casebridge reads, as one zod schema. Every variable shares the CASEBRIDGE_ prefix; DATABASE_URL
// is accepted beside CASEBRIDGE_DATABASE_URL because platforms set it, XDG_DATA_HOME for the per-user store. docs/configuration.md lists exactly these.

import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

export const ENV_SCHEMA = z.object({
  // unset: the CLI looks for the nearest ancestor's `.casebridge/`, else the per-user default (cli/store-location.ts)
  CASEBRIDGE_DATA_DIR: z.string().min(1).optional(),
  CASEBRIDGE_DATABASE_URL: z.url().optional(),
  DATABASE_URL: z.url().optional(),
  CASEBRIDGE_MASTER_KEY: z.string().optional(),
  CASEBRIDGE_MASTER_KEY_FILE: z.string().optional(),
  CASEBRIDGE_HTTP_HOST: z.string().default('127.0.0.1'),
  CASEBRIDGE_HTTP_PORT: port.default(8787),
  CASEBRIDGE_ADMIN_HOST: z.literal(['127.0.0.1', 'localhost', '::1']).default('127.0.0.1'),
  CASEBRIDGE_ADMIN_PORT: port.default(8788),
  CASEBRIDGE_BOT_HOST: z.string().default('127.0.0.1'),
  CASEBRIDGE_BOT_PORT: port.default(8789),
  // calls a minute the bot API allows each employee and each platform API key (docs/bot-api.md, "Limits")
  CASEBRIDGE_BOT_EMPLOYEE_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(120),
  CASEBRIDGE_BOT_KEY_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000_000).default(3_000),
  CASEBRIDGE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  CASEBRIDGE_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  CASEBRIDGE_WORKER_ID: z.string().optional(),
  CASEBRIDGE_CONVERSATION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  CASEBRIDGE_AUTONOMOUS_RESOLUTION: z.stringbool().default(true),
  CASEBRIDGE_CASE_STREAM: z.stringbool().default(true),
  CASEBRIDGE_STATUS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  CASEBRIDGE_WEBHOOK_ALLOW_HTTP: z.stringbool().default(false),
  CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS: z.string().default(''),
  // `casebridge mcp` (stdio): the employee session it acts with, the tenant that session must belong to, and the
  // bot API it calls (docs/mcp.md)
  CASEBRIDGE_MCP_SESSION: z.string().min(1).optional(),
  CASEBRIDGE_MCP_TENANT: z.string().min(1).max(100).optional(),
  CASEBRIDGE_MCP_BOT_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8789'),
  // the web origins the bot listener's /mcp endpoint accepts besides none (an MCP client sends no Origin)
  CASEBRIDGE_MCP_ALLOWED_ORIGINS: z.string().default(''),
  // the XDG base directory spec's per-user data folder; a relative value is ignored, as the spec says
  XDG_DATA_HOME: z.string().optional(),
});

export type Env = z.infer<typeof ENV_SCHEMA>;

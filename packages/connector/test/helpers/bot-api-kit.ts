// The bot API's test stack: an emulator org, a runtime on an in-memory store, tenants with identity-token settings
// (one RSA key each), a signer of identity tokens and a small HTTP caller. Shared by the bot API suites that need
// several tenants (API keys, the isolation sweep) and the bench.

import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';
import { SignJWT, type JWTPayload } from 'jose';
import pg from 'pg';

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';
import { addEmulatorTenant } from './emulator-tenant.js';

export const BOT_ISSUER = 'https://bot.example.com';
export const audienceOf = (tenant: string): string => `casebridge:${tenant}`;

export interface BotStack {
  em: StartedEmulator;
  /** the emulator org behind a tenant */
  orgOf(tenant: string): StartedEmulator;
  runtime: Runtime;
  /** an identity token for `sub` at `tenant`, signed with that tenant's key (or `key`) */
  sign(tenant: string, claims?: JWTPayload, key?: KeyObject): Promise<string>;
  /** inserts a record as the integration user (in the first tenant's org, or `tenant`'s); its id */
  insert(sobject: string, fields: Record<string, unknown>, tenant?: string): string;
  caseNumber(caseId: string): string;
  close(): Promise<void>;
}

/**
 * `tenants` share one emulator org unless `separateOrgs`: then each has its own demo org (`orgOf`), so one tenant's
 * case numbers exist in the other's org too, with other cases behind them.
 */
export async function startBotStack(
  tenants: readonly string[],
  options: {
    env?: Record<string, string>;
    separateOrgs?: boolean;
    dailyApiLimit?: number;
    /** run the store on this PostgreSQL database, in a schema of its own (dropped on close), not PGlite in memory */
    postgresUrl?: string;
  } = {},
): Promise<BotStack> {
  const tmp = mkdtempSync(join(tmpdir(), 'cb-bot-kit-'));
  const em = await startEmulator({
    port: 0,
    dataDir: join(tmp, 'emulator'),
    ...(options.dailyApiLimit === undefined ? {} : { dailyApiLimit: options.dailyApiLimit }),
  });
  const orgs = new Map<string, StartedEmulator>();
  for (const [i, tenant] of tenants.entries())
    orgs.set(
      tenant,
      i === 0 || options.separateOrgs !== true
        ? em
        : await startEmulator({ port: 0, dataDir: join(tmp, `emulator-${tenant}`) }),
    );
  const orgOf = (tenant: string): StartedEmulator => orgs.get(tenant) ?? em;
  const schema = `cbbot_${process.pid}_${randomUUID().slice(0, 8)}`;
  const runtime = await openRuntime(
    loadConfig({
      CASEBRIDGE_DATA_DIR: join(tmp, 'data'),
      CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
      ...(options.postgresUrl === undefined ? {} : { CASEBRIDGE_DATABASE_URL: options.postgresUrl }),
      ...options.env,
    }),
    options.postgresUrl === undefined
      ? { log: silentLogger(), inMemoryStore: true }
      : { log: silentLogger(), schema },
  );
  const keys = new Map<string, KeyObject>();
  for (const tenant of tenants) {
    await addEmulatorTenant(runtime.admin, orgOf(tenant), tenant);
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys.set(tenant, pair.privateKey);
    await runtime.store.bot.identity.put({
      tenantId: tenant,
      issuer: BOT_ISSUER,
      audience: audienceOf(tenant),
      publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      jwksUrl: null,
    });
  }
  return {
    em,
    orgOf,
    runtime,
    sign: (tenant, claims = {}, key) => {
      const signing = key ?? keys.get(tenant);
      if (signing === undefined) throw new Error(`no key for tenant ${tenant}`);
      return new SignJWT({ jti: randomUUID(), ...claims })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(BOT_ISSUER)
        .setAudience(audienceOf(tenant))
        .setExpirationTime('5m')
        .sign(signing);
    },
    insert: (sobject, fields, tenant) => {
      const org = tenant === undefined ? em : orgOf(tenant);
      return org.org.data.insert(sobject, fields, org.demo?.integrationUserId ?? '');
    },
    caseNumber: (caseId) => String(em.org.data.peek(caseId)?.record['CaseNumber']),
    close: async () => {
      await runtime.close();
      if (options.postgresUrl !== undefined) {
        const client = new pg.Client({ connectionString: options.postgresUrl });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      }
      for (const org of new Set([em, ...orgs.values()])) await org.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export interface BotAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T & { error?: { code: string; message: string; details?: unknown } };
}

/** One bot API call; the API key, session and Idempotency-Key go only in headers. */
export async function botCall<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { apiKey?: string; session?: string; body?: unknown; idempotencyKey?: string } = {},
): Promise<BotAnswer<T>> {
  const headers: Record<string, string> = {};
  if (options.apiKey !== undefined) headers['x-api-key'] = options.apiKey;
  if (options.session !== undefined) headers['authorization'] = `Bearer ${options.session}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? {} : JSON.parse(text)) as BotAnswer<T>['body'],
  };
}

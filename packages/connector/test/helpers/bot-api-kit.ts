// The bot API's test stack: an emulator org, a runtime on an in-memory store, tenants with identity-token settings
// (one RSA key each), a signer of identity tokens and a small HTTP caller. Shared by the bot API suites that need
// several tenants (API keys, the isolation sweep) and the bench.

import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';
import { SignJWT, type JWTPayload } from 'jose';

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';
import { addEmulatorTenant } from './emulator-tenant.js';

export const BOT_ISSUER = 'https://bot.example.com';
export const audienceOf = (tenant: string): string => `casebridge:${tenant}`;

export interface BotStack {
  em: StartedEmulator;
  runtime: Runtime;
  /** an identity token for `sub` at `tenant`, signed with that tenant's key (or `key`) */
  sign(tenant: string, claims?: JWTPayload, key?: KeyObject): Promise<string>;
  /** inserts a record as the integration user; its id */
  insert(sobject: string, fields: Record<string, unknown>): string;
  caseNumber(caseId: string): string;
  close(): Promise<void>;
}

export async function startBotStack(
  tenants: readonly string[],
  options: { emulator?: StartedEmulator; env?: Record<string, string> } = {},
): Promise<BotStack> {
  const tmp = mkdtempSync(join(tmpdir(), 'cb-bot-kit-'));
  const em = options.emulator ?? (await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') }));
  const runtime = await openRuntime(
    loadConfig({
      CASEBRIDGE_DATA_DIR: join(tmp, 'data'),
      CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
      ...options.env,
    }),
    { log: silentLogger(), inMemoryStore: true },
  );
  const keys = new Map<string, KeyObject>();
  for (const tenant of tenants) {
    await addEmulatorTenant(runtime.admin, em, tenant);
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
    insert: (sobject, fields) => em.org.data.insert(sobject, fields, em.demo?.integrationUserId ?? ''),
    caseNumber: (caseId) => String(em.org.data.peek(caseId)?.record['CaseNumber']),
    close: async () => {
      await runtime.close();
      if (options.emulator === undefined) await em.close();
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

// The bot API's integration tests share one set-up: an emulator org, a runtime on an in-memory store, tenant `acme`
// registered against the org, and identity-token settings trusting a test RSA key (issuer and audience below).

import { randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmulator, type AdjustableClock, type StartedEmulator } from '@casebridge/salesforce-emulator';
import { SignJWT } from 'jose';

import { loadConfig } from '../../src/config/load-config.js';
import type { Clock } from '../../src/domain/ports.js';
import { buildBotApp } from '../../src/http/bot-app.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';
import { BotSessionService } from '../../src/services/bot/bot-sessions.js';
import { IdentityVerifier } from '../../src/services/bot/identity-verifier.js';
import { addEmulatorTenant } from './emulator-tenant.js';

export const BOT_ISSUER = 'https://bot.example.com';
export const BOT_AUDIENCE = 'casebridge:acme';

export interface BotTenantStack {
  /** the scratch folder (emulator and store data); the caller removes it */
  tmp: string;
  em: StartedEmulator;
  runtime: Runtime;
}

/**
 * Starts the emulator and a runtime with tenant `acme` whose bot identity settings trust `publicKey`; the runtime
 * runs on `clock` when given (a test moves it past the bot's fresh reads), the emulator on `emulatorClock` (the same
 * clock, when a test moves both: cases stamped weeks apart).
 */
export async function openBotTenant(
  prefix: string,
  publicKey: KeyObject,
  clock?: Clock,
  emulatorClock?: AdjustableClock,
): Promise<BotTenantStack> {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const em = await startEmulator({
    port: 0,
    dataDir: join(tmp, 'emulator'),
    ...(emulatorClock === undefined ? {} : { clock: emulatorClock }),
  });
  const runtime = await openRuntime(
    loadConfig({
      CASEBRIDGE_DATA_DIR: join(tmp, 'data'),
      CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    }),
    { log: silentLogger(), inMemoryStore: true, ...(clock === undefined ? {} : { clock }) },
  );
  await addEmulatorTenant(runtime.admin, em, 'acme');
  await runtime.store.bot.identity.put({
    tenantId: 'acme',
    issuer: BOT_ISSUER,
    audience: BOT_AUDIENCE,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    jwksUrl: null,
  });
  return { tmp, em, runtime };
}

type JwksFetch = ConstructorParameters<typeof IdentityVerifier>[0]['fetch'];

/**
 * A bot app over the runtime's tickets and conversation whose employee sessions run on `clock` (a test moves it)
 * and fetch JWKS with `fetch` (by default none is reachable).
 */
export function botAppOn(
  runtime: Runtime,
  clock: Clock,
  fetch: JwksFetch = () => Promise.reject(new Error('no JWKS here')),
): { app: ReturnType<typeof buildBotApp>; sessions: BotSessionService } {
  const sessions = new BotSessionService({
    tenants: runtime.tenants,
    identity: runtime.store.bot.identity,
    tokenIds: runtime.store.bot.tokenIds,
    sessions: runtime.store.bot.sessions,
    verifier: new IdentityVerifier({ clock, fetch }),
    gateways: runtime.gateways,
    clock,
    log: silentLogger(),
  });
  const app = buildBotApp({
    sessions,
    tickets: runtime.bot.tickets,
    conversation: runtime.bot.conversation,
    clock,
    log: silentLogger(),
    version: 'test',
  });
  return { app, sessions };
}

/**
 * Signs an identity token for `email` with `privateKey` (issued at `clock`'s now, 5 minutes, a fresh jti) and
 * exchanges it at the bot listener `botUrl` for an employee session of tenant `acme`; returns the session.
 */
export async function openEmployeeSession(
  botUrl: string,
  privateKey: KeyObject,
  email: string,
  clock: Clock,
): Promise<string> {
  const seconds = Math.floor(clock.now().getTime() / 1000);
  const token = await new SignJWT({ sub: email, jti: randomUUID() })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(BOT_ISSUER)
    .setAudience(BOT_AUDIENCE)
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + 300)
    .sign(privateKey);
  const made = await fetch(`${botUrl}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'acme', identityToken: token }),
  });
  if (made.status !== 201 && made.status !== 200)
    throw new Error(`POST /v1/sessions answered ${made.status}: ${await made.text()}`);
  return ((await made.json()) as { session: string }).session;
}

// Test fixture for the real-client suites: the demo emulator in process on a free port, its control plane, and a JWT bearer token signed with jose.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';
import { controlClient, startEmulator, type StartOptions, type StartedEmulator } from '../../src/index.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface EmulatorFixture {
  em: StartedEmulator;
  /** a temp dir owned by the fixture (key pair, sf HOME, logs), removed by `close` */
  dir: string;
  close(): Promise<void>;
}

/** Starts the seeded demo org on 127.0.0.1, port 0, with its key pair in a fresh temp directory. */
export async function startDemoEmulator(
  options: Omit<StartOptions, 'dataDir' | 'port'> = {},
): Promise<EmulatorFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'casebridge-emu-test-'));
  const em = await startEmulator({ ...options, port: 0, dataDir: join(dir, 'emulator') });
  return {
    em,
    dir,
    close: async () => {
      await em.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Calls the control plane with the emulator's exported client, which throws on a non-2xx answer. */
export function control<T = unknown>(
  em: StartedEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  return controlClient(em)<T>(method, path, body);
}

/** A JWT bearer assertion as a server-to-server client makes it (RS256, 3-minute exp, aud = login URL). */
export async function signAssertion(
  em: StartedEmulator,
  claims: { username?: string; privateKeyPem?: string; audience?: string } = {},
): Promise<string> {
  const pem = claims.privateKeyPem ?? readFileSync(em.privateKeyPath, 'utf8');
  const key = await importPKCS8(pem, 'RS256');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(em.consumerKey)
    .setSubject(claims.username ?? em.username)
    .setAudience(claims.audience ?? em.loginUrl)
    .setIssuedAt()
    .setExpirationTime('3m')
    .sign(key);
}

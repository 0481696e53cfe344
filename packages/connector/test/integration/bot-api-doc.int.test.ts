// docs/bot-api.md's curl walkthrough, run as written (bash, curl, jq) against a bot API over the emulator: every
// step must succeed, the ticket it files must exist once, and the ended session must be refused.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';
import { SignJWT } from 'jose';

import { loadConfig } from '../../src/config/load-config.js';
import { buildBotApp } from '../../src/http/bot-app.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';
import { addEmulatorTenant } from '../helpers/emulator-tenant.js';

const run = promisify(execFile);
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
let tmp: string;
let em: StartedEmulator;
let runtime: Runtime;
let bot: string;
let stop: () => Promise<void>;
let apiKey: string;

/** the page's ```sh blocks, in order */
function walkthrough(): string[] {
  const page = readFileSync(new URL('../../../../docs/bot-api.md', import.meta.url), 'utf8');
  return [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-bot-doc-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
  runtime = await openRuntime(
    loadConfig({
      CASEBRIDGE_DATA_DIR: join(tmp, 'data'),
      CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 5).toString('base64'),
    }),
    { log: silentLogger(), inMemoryStore: true },
  );
  await addEmulatorTenant(runtime.admin, em, 'acme');
  await runtime.store.bot.identity.put({
    tenantId: 'acme',
    issuer: 'https://bot.example.com',
    audience: 'casebridge:acme',
    publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    jwksUrl: null,
  });
  em.org.data.insert(
    'Contact',
    { FirstName: 'Ada', LastName: 'Ng', Email: 'ada.ng@example.com' },
    em.demo?.integrationUserId ?? '',
  );
  // as served: every call needs the platform's key
  apiKey = (await runtime.botKeys.create('acme', 'walkthrough')).secret;
  const app = buildBotApp({ ...runtime.bot, apiKeys: runtime.botKeys, log: silentLogger(), version: 'test' });
  bot = await app.listen({ port: 0, host: '127.0.0.1' });
  stop = () => app.close();
});

after(async () => {
  await stop();
  await runtime.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

void test('the curl walkthrough of docs/bot-api.md runs as written', async () => {
  const steps = walkthrough();
  assert.equal(steps.length, 6);
  const token = await new SignJWT({ sub: 'ada.ng@example.com', jti: randomUUID() })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer('https://bot.example.com')
    .setAudience('casebridge:acme')
    .setExpirationTime('5m')
    .sign(keys.privateKey);
  // step 3 twice: the same key must not file a second ticket
  const [s1, s2, s3, s4, s5, s6] = steps;
  const script = ['set -euo pipefail', s1, s2, s3, s3, 'echo "filed=$NUMBER"', s4, s5, s6].join('\n');
  const { stdout } = await run('bash', ['-c', script], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', BOT: bot, TOKEN: token, KEY: apiKey },
  });
  const number = /filed=(\d+)/.exec(stdout)?.[1];
  assert.ok(number !== undefined, stdout);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.filter((line) => line === number).length, 1, 'the ticket is listed once');
  assert.ok(lines.includes('Received'), stdout);
  assert.ok(lines.includes('CLOSED'), stdout);
});

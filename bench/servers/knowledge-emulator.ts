// The emulator for the knowledge-sync benchmark in its own process: the seeded demo org on 127.0.0.1 with a daily
// API allocation no benchmark reaches, plus N generated published articles (argv[2], default 100,000).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../packages/emulator/src/index.js';
import { reportFailure, serveProbe } from '../lib/child-server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'casebridge-bench-kemulator-'));
try {
  const count = Number(process.argv[2] ?? 100_000);
  const em = await startEmulator({ port: 0, dataDir, dailyApiLimit: 1_000_000_000 });
  const res = await fetch(`${em.controlUrl}/orgs/demo/knowledge/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${em.controlToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ count, seed: 42 }),
  });
  if (!res.ok) throw new Error(`generate: ${res.status} ${await res.text()}`);
  serveProbe(
    {
      loginUrl: em.loginUrl,
      consumerKey: em.consumerKey,
      username: em.username,
      privateKeyPath: em.privateKeyPath,
      certificatePath: em.certificatePath,
      controlUrl: em.controlUrl,
      controlToken: em.controlToken,
      generated: count,
    },
    async () => {
      await em.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  );
} catch (err) {
  rmSync(dataDir, { recursive: true, force: true });
  reportFailure(err);
}

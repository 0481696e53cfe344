// The emulator under test in its own process: the seeded demo org on 127.0.0.1 with a daily API allocation large enough for a benchmark.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../packages/emulator/src/index.js';
import { reportFailure, serveProbe } from '../lib/child-server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'casebridge-bench-emulator-'));
try {
  // The default allocation (15,000 calls a day) would turn a benchmark into REQUEST_LIMIT_EXCEEDED after seconds.
  const em = await startEmulator({ port: 0, dataDir, dailyApiLimit: 1_000_000_000 });
  serveProbe(
    {
      loginUrl: em.loginUrl,
      consumerKey: em.consumerKey,
      username: em.username,
      privateKeyPath: em.privateKeyPath,
      controlUrl: em.controlUrl,
      controlToken: em.controlToken,
      orgId: em.orgId,
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

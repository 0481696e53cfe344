// Benchmark: the web chat page as a browser gets it. Its JavaScript and CSS, plain and gzip-compressed as served
// (goal: under 100 KB compressed), and the time from opening the chat link to the first rendered bot message, in
// Debian's chromium, against the demo stack (seeded emulator org, runtime, service, demo intranet signing in).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { startEmulator } from '../packages/emulator/src/index.js';
import { openDemoChat, seededEmployees } from '../packages/connector/src/cli/commands/demo.js';
import { startService } from '../packages/connector/src/cli/service.js';
import { loadConfig } from '../packages/connector/src/config/load-config.js';
import { chatAssets } from '../packages/connector/src/http/chat/chat-routes.js';
import { silentLogger } from '../packages/connector/src/logging/logger.js';
import { openRuntime } from '../packages/connector/src/main.js';
import { browserSkipReason, launchBrowser } from '../tools/browser-test/index.js';
import type { BenchOptions, BenchReport, BenchmarkModule } from './lib/harness.js';

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const RUNS = 7;

export const chatPage: BenchmarkModule = {
  name: 'chat-page',
  description: "the web chat's JS+CSS size (plain, gzip) and time to the first rendered message in chromium",
  async run(_options: BenchOptions): Promise<BenchReport> {
    const assets = chatAssets();
    const rows = [...assets.entries()].map(([name, a]) => [name, kb(a.plain.length), kb(a.gzip.length)]);
    const page = ['chat.js', 'chat.css'].map((n) => assets.get(n));
    const plain = page.reduce((sum, a) => sum + (a?.plain.length ?? 0), 0);
    const gzip = page.reduce((sum, a) => sum + (a?.gzip.length ?? 0), 0);
    const figures = [
      { label: 'chat page JS + CSS, plain', value: kb(plain) },
      { label: 'chat page JS + CSS, gzip (goal < 100 KB)', value: kb(gzip) },
    ];
    const notes: string[] = [];
    if (browserSkipReason() !== undefined) notes.push('time to first message not measured: no chromium');
    else {
      const tmp = mkdtempSync(join(tmpdir(), 'cb-bench-chat-'));
      const em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
      const rt = await openRuntime(
        loadConfig({
          CASEBRIDGE_DATA_DIR: join(tmp, 'data'),
          CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 4).toString('base64'),
          CASEBRIDGE_ADMIN_PORT: '0',
          CASEBRIDGE_HTTP_PORT: '0',
          CASEBRIDGE_BOT_PORT: '0',
        }),
        { log: silentLogger(), inMemoryStore: true },
      );
      const { readFileSync } = await import('node:fs');
      await rt.admin.addTenant({
        id: 'demo',
        loginUrl: em.loginUrl,
        consumerKey: em.consumerKey,
        username: em.username,
        privateKeyPem: readFileSync(em.privateKeyPath, 'utf8'),
        certificatePem: readFileSync(em.certificatePath, 'utf8'),
      });
      const service = await startService(rt);
      const intranet = await openDemoChat(rt, em, service.botUrl, 0);
      const browser = await launchBrowser();
      const times: number[] = [];
      try {
        const email = seededEmployees(em)[0]?.email ?? '';
        for (let i = 0; i < RUNS; i += 1) {
          const tab = await browser.newPage();
          const started = performance.now();
          await tab.goto(intranet.chatUrlFor(email));
          await tab.locator('.msg.bot').first().waitFor();
          times.push(performance.now() - started);
          await tab.close();
        }
      } finally {
        await browser.close();
        await intranet.close();
        await service.stop();
        await rt.close();
        await em.close();
        rmSync(tmp, { recursive: true, force: true });
      }
      // the first run also compiles and warms the server: reported apart from the rest
      const warm = times.slice(1).sort((a, b) => a - b);
      figures.push(
        { label: 'first message, cold (first run)', value: `${Math.round(times[0] ?? 0)} ms` },
        {
          label: `first message, median of ${warm.length} warm runs`,
          value: `${Math.round(warm[Math.floor(warm.length / 2)] ?? 0)} ms`,
        },
        { label: 'first message, slowest warm run', value: `${Math.round(warm[warm.length - 1] ?? 0)} ms` },
      );
      notes.push(
        'time to first message: from opening the intranet link (which signs an identity and posts it) through the session exchange, the page, its script, the session check and the history read, to the greeting on screen',
      );
    }
    return {
      title: 'Web chat page',
      rows: [],
      tables: [{ title: 'assets as served', columns: ['file', 'plain', 'gzip'], rows }],
      figures,
      notes,
    };
  },
};

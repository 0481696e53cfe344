// The connector side of the knowledge-sync benchmark, in its own process so its peak memory is its own: a fresh
// embedded store (PGlite on disk, as the service runs it), one tenant on the emulator org, a full load, then an
// incremental sync. Prints one JSON line with its figures; the parent counts the Salesforce calls at the emulator.
//   sync-child.ts '<login JSON>'

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { loadConfig } from '../../packages/connector/src/config/load-config.js';
import { silentLogger } from '../../packages/connector/src/logging/logger.js';
import { openRuntime } from '../../packages/connector/src/main.js';

interface Login {
  loginUrl: string;
  consumerKey: string;
  username: string;
  privateKeyPath: string;
  certificatePath: string;
  controlUrl: string;
  controlToken: string;
}

const login = JSON.parse(process.argv[2] ?? '{}') as Login;
const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;

async function lastSeq(attempt = 1): Promise<number> {
  try {
    const res = await fetch(`${login.controlUrl}/calls?limit=1`, {
      headers: { authorization: `Bearer ${login.controlToken}` },
    });
    return ((await res.json()) as { lastSeq: number }).lastSeq;
  } catch (err) {
    // a kept-alive socket idle through the load may be closed by the emulator just as it is reused
    if (attempt >= 3) throw err;
    return lastSeq(attempt + 1);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'casebridge-ksync-bench-'));
try {
  const rt = await openRuntime(loadConfig({ CASEBRIDGE_DATA_DIR: dir }), { log: silentLogger() });
  // a new PGlite data directory alone takes most of a gigabyte here: the sync's own share is the difference
  const openedPeakRssMb = maxRssMb();
  const openedRssMb = process.memoryUsage().rss / 2 ** 20;
  try {
    await rt.admin.addTenant({
      id: 'bench',
      loginUrl: login.loginUrl,
      consumerKey: login.consumerKey,
      username: login.username,
      privateKeyPem: readFileSync(login.privateKeyPath, 'utf8'),
      certificatePem: readFileSync(login.certificatePath, 'utf8'),
    });
    // every generated article is visible in the internal app: the load covers all of them
    await rt.admin.updateTenant('bench', { settings: { knowledge: { channels: ['App'] } } });
    // the login first, so the load's calls are the sync's own
    const tenant = await rt.store.tenants.get('bench');
    if (tenant === null) throw new Error('no tenant');
    await rt.sessions.getSession(tenant);

    const beforeFull = await lastSeq();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let lastLog = 0;
    let heapPeak = 0;
    const full = await rt.knowledgeSync.run('bench', (p) => {
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      if (performance.now() - lastLog < 10_000) return;
      lastLog = performance.now();
      process.stderr.write(`  knowledge-sync: ${p.done}/${p.total} ${p.unit}\n`);
    });
    const fullMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const fullPeakRssMb = maxRssMb();
    const heapPeakMb = heapPeak / 2 ** 20;
    const afterFull = await lastSeq();

    const t1 = performance.now();
    const incremental = await rt.knowledgeSync.run('bench');
    const incrementalMs = performance.now() - t1;
    const afterIncremental = await lastSeq();
    const stored = await rt.store.knowledge.countByLanguage('bench');
    process.stdout.write(
      `${JSON.stringify({
        fullMs,
        fullCpuMs: (cpu.user + cpu.system) / 1000,
        fullPeakRssMb,
        openedPeakRssMb,
        openedRssMb,
        heapPeakMb,
        fullCalls: afterFull - beforeFull,
        online: full.online,
        read: full.read,
        written: full.written,
        objects: full.plan.objects,
        warnings: full.warnings.length,
        incrementalMs,
        incrementalCalls: afterIncremental - afterFull,
        incrementalRead: incremental.read,
        stored: Object.values(stored).reduce((a, b) => a + b, 0),
        peakRssMb: maxRssMb(),
      })}\n`,
    );
  } finally {
    await rt.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

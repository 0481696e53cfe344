// Runs casebridge as a service over an open runtime: the admin API (loopback, token in a 0600 file) that CLI
// commands use while this process holds the store, and the status API. Returns a handle to stop it.

import { randomBytes } from 'node:crypto';

import { readOrCreateSecretFile, writeNewSecretFile } from './secret-file.js';
import { buildAdminApp } from '../http/admin-app.js';
import { buildStatusApp } from '../http/status-app.js';
import { startBackgroundWork, type Runtime } from '../main.js';
import { clearServiceInfo, writeServiceInfo } from '../store/store-lock.js';
import { adminTokenPath, statusTokenPath } from './admin-access.js';

export interface RunningService {
  adminUrl: string;
  statusUrl: string;
  stop(): Promise<void>;
}

export async function startService(runtime: Runtime): Promise<RunningService> {
  const { config, log } = runtime;
  const token = randomBytes(32).toString('base64url');
  writeNewSecretFile(adminTokenPath(config.dataDir), `${token}\n`);

  const work = await startBackgroundWork(runtime);
  const admin = buildAdminApp({ ops: runtime.admin, token, log });
  // Monitoring gets its own read-only token: the status API may face the network, the admin token never does.
  const statusToken = config.http.statusToken ?? readOrCreateSecretFile(statusTokenPath(config.dataDir));
  const status = buildStatusApp({ ops: runtime.admin, token: statusToken, log });
  const stop = async (): Promise<void> => {
    clearServiceInfo(config.dataDir);
    await Promise.allSettled([admin.close(), status.close()]);
    await work.stop();
  };
  try {
    const adminUrl = await admin.listen({ host: config.admin.host, port: config.admin.port });
    const statusUrl = await status.listen({ host: config.http.host, port: config.http.port });
    writeServiceInfo(config.dataDir, {
      pid: process.pid,
      adminUrl,
      startedAt: runtime.clock.now().toISOString(),
    });
    log.info({ adminUrl, statusUrl }, 'service started');
    return {
      adminUrl,
      statusUrl,
      stop: async () => {
        await stop();
        log.info({}, 'service stopped');
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

// How a CLI command reaches the admin operations: it opens the store itself when no other process holds it, and
// otherwise talks to the running service's admin API (its URL in the data directory, its token in a 0600 file).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Config } from '../config/load-config.js';
import { isAppError } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';
import { openRuntime } from '../main.js';
import { readServiceInfo } from '../store/store-lock.js';
import type { AdminSession } from './context.js';
import { RemoteAdmin } from './remote-admin.js';

export const ADMIN_TOKEN_FILE = 'admin.token';

export function adminTokenPath(dataDir: string): string {
  return join(dataDir, ADMIN_TOKEN_FILE);
}

/** The status API's read-only token, created once and kept across restarts so monitoring can rely on it. */
export function statusTokenPath(dataDir: string): string {
  return join(dataDir, 'status.token');
}

export async function openAdminSession(config: Config, log: Logger): Promise<AdminSession> {
  try {
    const runtime = await openRuntime(config, { log });
    return { ops: runtime.admin, via: 'local', close: () => runtime.close() };
  } catch (err) {
    if (!isAppError(err, 'STORE_LOCKED')) throw err;
    const info = readServiceInfo(config.dataDir);
    if (!info?.adminUrl) throw err;
    let token: string;
    try {
      token = readFileSync(adminTokenPath(config.dataDir), 'utf8').trim();
    } catch {
      throw err;
    }
    return {
      ops: new RemoteAdmin(info.adminUrl, token, info.pid),
      via: 'remote',
      servicePid: info.pid,
      close: () => Promise.resolve(),
    };
  }
}

/** The running service's admin API when it holds the store (its URL and token readable), else null. */
export function runningServiceAdmin(dataDir: string): RemoteAdmin | null {
  const info = readServiceInfo(dataDir);
  if (!info?.adminUrl) return null;
  try {
    return new RemoteAdmin(info.adminUrl, readFileSync(adminTokenPath(dataDir), 'utf8').trim(), info.pid);
  } catch {
    return null;
  }
}

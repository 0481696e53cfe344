// What every command receives: configuration, output, and access to the admin operations (in process when this
// process can hold the store, else through the running service's admin API).

import type { Config } from '../config/load-config.js';
import type { AdminOperations } from '../services/admin-operations.js';
import type { Output } from './output.js';
import type { StoreLocation } from './store-location.js';

export interface AdminSession {
  ops: AdminOperations;
  /** 'local' when this process opened the store, 'remote' when a running service answers */
  via: 'local' | 'remote';
  /** the running service's pid when `via` is 'remote' */
  servicePid?: number;
  close(): Promise<void>;
}

export interface CliContext {
  /** `config.dataDir` is `store.path` */
  config: Config;
  /** which store this command uses and why (cli/store-location.ts) */
  store: StoreLocation;
  output: Output;
  admin(): Promise<AdminSession>;
}

/** Runs `fn` with an admin session and always closes it (releasing the store lock). */
export async function withAdmin<T>(
  context: CliContext,
  fn: (ops: AdminOperations) => Promise<T>,
): Promise<T> {
  const session = await context.admin();
  try {
    return await fn(session.ops);
  } finally {
    await session.close();
  }
}

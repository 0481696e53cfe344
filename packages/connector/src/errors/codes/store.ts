// STORE_: the embedded or PostgreSQL store.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const STORE_LOCKED = defineError(
  'STORE_LOCKED',
  'The embedded store in {dataDir} is held by another casebridge process (pid {pid}).',
  'Stop that process, or run this command while it runs: commands go through its admin API when it is a casebridge service. Never copy or open the data directory from two processes.',
  503,
  EXIT.storeBusy,
);

export const STORE_UNAVAILABLE = defineError(
  'STORE_UNAVAILABLE',
  'The store cannot be reached: {reason}',
  'Check CASEBRIDGE_DATABASE_URL (PostgreSQL running, credentials, network) or the data directory permissions.',
  503,
  EXIT.storeBusy,
);

export const STORE_MIGRATION_FAILED = defineError(
  'STORE_MIGRATION_FAILED',
  'Store migration {migration} failed: {reason}',
  'Restore the database from backup or fix the reported problem, then start again; migrations run in a transaction and are retried on start.',
  500,
  EXIT.failure,
);

// STORE_: the embedded or PostgreSQL store.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const STORE_LOCKED = defineError(
  'STORE_LOCKED',
  'The embedded store in {dataDir} is held by another casebridge process (pid {pid}).',
  'Wait for process {pid} to finish (or stop it), then run the command again. To use the CLI while casebridge runs, run casebridge as `casebridge serve`: commands then go through its admin API. Never open one data directory from two processes; for several workers use PostgreSQL (CASEBRIDGE_DATABASE_URL).',
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

export const STORE_OUTSIDE_UNIT_OF_WORK = defineError(
  'STORE_OUTSIDE_UNIT_OF_WORK',
  'A store repository was used outside the unit of work it was called from ({operation}).',
  'Inside unitOfWork.run(fn), use only the repositories of `tx` that fn receives: on the embedded store any other repository would wait for the unit of work forever. This is a programming error.',
  500,
  EXIT.failure,
);

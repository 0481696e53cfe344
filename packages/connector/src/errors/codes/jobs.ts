// JOBS_: background work (the job runner, one-off runs, the outbox dispatcher).

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const JOBS_DELIVERY_REJECTED = defineError(
  'JOBS_DELIVERY_REJECTED',
  'The receiver refused outbox message {eventId} ({kind}) for good: {reason}',
  'The message is dead and is not retried. Fix what the receiver refused, then retry the dead message.',
  422,
  EXIT.failure,
);

export const JOBS_UNKNOWN_JOB = defineError(
  'JOBS_UNKNOWN_JOB',
  'No background job named "{job}" is registered.',
  'Use one of the registered jobs: {known}.',
  404,
  EXIT.notFound,
);

export const JOBS_REGISTERED_LATE = defineError(
  'JOBS_REGISTERED_LATE',
  'Job "{job}" was registered after the job runner started.',
  'Register every job before starting the runner (this is a programming error in the composition root).',
  500,
  EXIT.failure,
);

export const JOBS_RUN_NOT_FOUND = defineError(
  'JOBS_RUN_NOT_FOUND',
  'No job run "{runId}" exists.',
  'Check the id printed when the run was requested; finished runs are kept for a limited time.',
  404,
  EXIT.notFound,
);

export const JOBS_RUN_TIMED_OUT = defineError(
  'JOBS_RUN_TIMED_OUT',
  'Job "{job}" for tenant {tenant} ran longer than {seconds} s and was stopped.',
  'The run is retried with backoff. If it keeps timing out, raise the job timeout or look at what the run waits on (the log has its steps).',
  504,
  EXIT.failure,
);

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

export const JOBS_DEAD_LETTER_NOT_FOUND = defineError(
  'JOBS_DEAD_LETTER_NOT_FOUND',
  'There is no dead outbox message {id}.',
  'List the dead letters with `casebridge outbox dead` and use an id from there (a message already retried is no longer dead).',
  404,
  EXIT.notFound,
);
export const JOBS_NOT_FOUND = defineError(
  'JOBS_NOT_FOUND',
  'No job "{jobId}" exists.',
  'Use the job id printed when the job was started (`casebridge jobs list` shows recent jobs); a removed tenant takes its jobs with it.',
  404,
  EXIT.notFound,
);

export const JOBS_RUN_LOST = defineError(
  'JOBS_RUN_LOST',
  'Job {jobId} ({job} for tenant {tenant}) stopped reporting: the process running it ended before it finished.',
  'Start the job again (`casebridge jobs run {job} {tenant}`); what it finished before is kept where the job keeps a cursor.',
  500,
  EXIT.failure,
);

export const JOBS_RUN_FAILED = defineError(
  'JOBS_RUN_FAILED',
  'Job {jobId} ({job} for tenant {tenant}) failed: {reason}',
  'Look for jobId {jobId} in the service log for the step that failed, fix its cause, then start the job again.',
  500,
  EXIT.failure,
);

export const JOBS_WORKER_STOPPING = defineError(
  'JOBS_WORKER_STOPPING',
  'This worker is stopping: {work} was stopped before it finished.',
  'Nothing to fix: what it had not finished is done by another worker or after the next start (a job stopped this way can be started again with `casebridge jobs run`).',
  503,
  EXIT.failure,
);

export const JOBS_RUN_TIMED_OUT = defineError(
  'JOBS_RUN_TIMED_OUT',
  'Job {job} for tenant {tenant} ran longer than its limit of {seconds} s and was stopped.',
  'Start it again (what it finished is kept where the job keeps a cursor); if it keeps running out of time, look in the service log for the step that is slow (a large first load, a slow Salesforce org).',
  500,
  EXIT.failure,
);

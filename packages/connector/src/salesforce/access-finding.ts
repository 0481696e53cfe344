// One line of doctor's access report, as every check in salesforce/ writes it (access-checks.ts runs them).

import { isAppError } from '../errors/app-error.js';

/** Same shape as services/doctor.ts DoctorCheck (salesforce/ may not import services/). */
export interface AccessFinding {
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'warn' | 'skip';
  detail: string;
  fix?: string;
  code?: string;
}

/** A check that threw: a coded error keeps its message, fix and code; anything else says so without detail. */
export function failure(id: string, title: string, err: unknown): AccessFinding {
  if (isAppError(err))
    return { id, title, status: 'fail', detail: err.message, fix: err.fix, code: err.code };
  return {
    id,
    title,
    status: 'fail',
    detail: 'unexpected error',
    fix: 'Run again with debug logging and report it.',
  };
}

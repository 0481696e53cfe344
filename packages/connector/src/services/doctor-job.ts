// Doctor as a job kind (on demand only): `casebridge jobs run doctor <tenant>` or `POST /v1/tenants/:id/jobs
// {kind: 'doctor'}` checks the tenant end to end; the job fails with the code of the first failed check, so a
// script or the status API sees the same coded error the `doctor` command prints.

import { appError, restoreAppError } from '../errors/app-error.js';
import { JOBS_RUN_FAILED } from '../errors/codes/jobs.js';
import { ERROR_REGISTRY } from '../errors/registry.js';
import type { DoctorReport } from './doctor.js';
import type { JobKind } from './job-kinds.js';

export function doctorJob(doctor: (tenantId: string) => Promise<DoctorReport>): JobKind {
  return {
    name: 'doctor',
    // a login and a few describe calls; a Salesforce that stops answering is not waited on for long
    timeoutSeconds: 300,
    run: async ({ tenantId, progress }) => {
      progress({ done: 0, total: null, unit: 'checks', message: 'logging in and inspecting access' });
      const report = await doctor(tenantId);
      const failed = report.checks.filter((check) => check.status === 'fail');
      progress({ done: report.checks.length, total: report.checks.length, unit: 'checks' });
      const first = failed[0];
      if (first !== undefined) {
        const definition = first.code === undefined ? undefined : ERROR_REGISTRY.get(first.code);
        if (first.code !== undefined && definition !== undefined)
          throw restoreAppError(
            {
              code: first.code,
              message: `${first.title}: ${first.detail}`,
              fix: first.fix ?? definition.fix,
            },
            definition.httpStatus,
            definition,
          );
        throw appError(JOBS_RUN_FAILED, {
          params: { jobId: '-', job: 'doctor', tenant: tenantId, reason: `${first.title}: ${first.detail}` },
        });
      }
      return {
        ok: report.ok,
        checks: report.checks.length,
        warnings: report.checks.filter((check) => check.status === 'warn').map((check) => check.id),
      };
    },
  };
}

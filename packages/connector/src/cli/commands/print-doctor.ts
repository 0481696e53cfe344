// Renders a doctor report as the admin's checklist: one line per check, the fix under every line that failed.

import type { DoctorReport } from '../../services/doctor.js';
import type { Output } from '../output.js';

const MARK = { pass: '[pass]', fail: '[FAIL]', warn: '[warn]', skip: '[skip]' } as const;

export function printDoctor(output: Output, report: DoctorReport): void {
  output.line(`casebridge doctor: tenant ${report.tenantId} (${report.key} key)`);
  for (const check of report.checks) {
    output.line(`${MARK[check.status]} ${check.title}: ${check.detail}`);
    if (check.status !== 'pass' && check.fix)
      output.line(`       fix: ${check.fix}${check.code ? ` (${check.code})` : ''}`);
  }
  const failed = report.checks.filter((check) => check.status === 'fail').length;
  const warned = report.checks.filter((check) => check.status === 'warn').length;
  output.line(
    report.ok
      ? `All ${report.checks.length} checks passed${warned ? ` (${warned} warnings)` : ''}.`
      : `${failed} of ${report.checks.length} checks failed.`,
  );
}

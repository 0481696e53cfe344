// Loaded with --import into each test process by scripts/run-tests.mjs when CASEBRIDGE_TEST_CPU_LOG names a file:
// at exit, appends one JSON line with the process's wall time and CPU time, its own and its finished children's
// (the `casebridge` processes, workers and clients it started and waited for; from /proc/self/stat, Linux only),
// so a tier's cost can be read per test file on a machine whose wall times are noisy (docs/testing.md).
//   {"file":"packages/…/x.int.test.ts","wallS":12.3,"cpuS":4.5,"childCpuS":6.7}
import { appendFileSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import process from 'node:process';

const log = process.env.CASEBRIDGE_TEST_CPU_LOG;
const TICKS = 100; // USER_HZ on Linux
const started = Date.now();

if (log) {
  process.on('exit', () => {
    try {
      // the fields after the command name (which may hold spaces) begin with the state: utime is the 12th of them
      const stat = readFileSync('/proc/self/stat', 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
      const file = relative(process.cwd(), process.argv[1] ?? '');
      const line = {
        file,
        wallS: (Date.now() - started) / 1000,
        cpuS: (utime + stime) / TICKS,
        childCpuS: (cutime + cstime) / TICKS,
      };
      appendFileSync(log, `${JSON.stringify(line)}\n`);
    } catch {
      // not Linux, or the log cannot be written: measuring is never a reason to fail a test
    }
  });
}

// What `casebridge status` prints of each tenant's poll pace: the interval, why, and where the daily allocation came
// from (/limits read at a time, the usage header, or not known yet: the default), as the operator reads it.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';

import { Command } from 'commander';

import type { DecidedPollPace } from '../../domain/tickets/poll-pace-ports.js';
import type { AdminOperations } from '../../services/admin-operations.js';
import type { StatusReport, TenantStatus } from '../../services/status-service.js';
import type { CliContext } from '../context.js';
import { createOutput } from '../output.js';
import { registerStatusCommand } from './status.js';

function tenant(id: string, pollPace: DecidedPollPace): TenantStatus {
  return {
    id,
    instanceUrl: null,
    keyFingerprint: null,
    keyProven: false,
    rotationPending: false,
    paused: null,
    callsLast24h: 10,
    orgApiUsage: null,
    pollPace,
  };
}

const base = { tenantId: '', decidedAt: '2026-12-02T10:00:05.000Z', allowancePerDay: 75_000 } as const;

async function printedStatus(report: StatusReport): Promise<string> {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  const context = (): CliContext =>
    ({
      output: createOutput(false, sink, sink),
      admin: () =>
        Promise.resolve({
          ops: { status: () => Promise.resolve(report) } as unknown as AdminOperations,
          via: 'local',
          close: () => Promise.resolve(),
        }),
    }) as unknown as CliContext;
  const program = new Command('casebridge').exitOverride();
  registerStatusCommand(program, context);
  await program.parseAsync(['status'], { from: 'user' });
  return out;
}

test("status shows each tenant's poll interval, why, and where its allocation came from", async () => {
  const out = await printedStatus({
    at: '2026-12-02T10:00:06.000Z',
    source: 'service',
    jobs: [],
    tenants: [
      tenant('acme', {
        ...base,
        tenantId: 'acme',
        intervalMs: 5_000,
        why: 'active',
        reason: '1 live conversation(s), 0 case(s) waiting on the employee',
        callsPerDayAtPace: 17_281,
        allocation: {
          source: 'limits',
          max: 100_000,
          limits: { outcome: 'read', readAt: '2026-12-02T09:00:00.000Z' },
        },
      }),
      tenant('globex', {
        ...base,
        tenantId: 'globex',
        intervalMs: 345_850,
        why: 'budget',
        reason: 'limited by the API share: 250 calls a day for polling',
        allowancePerDay: 250,
        callsPerDayAtPace: 250,
        allocation: {
          source: 'header',
          max: 15_000,
          limits: { outcome: 'refused', readAt: '2026-12-02T08:00:00.000Z' },
        },
      }),
      tenant('initech', {
        ...base,
        tenantId: 'initech',
        intervalMs: 60_000,
        why: 'allocation-unknown',
        reason: 'the daily API allocation is not known yet: idle pace until a call reports it',
        allowancePerDay: null,
        callsPerDayAtPace: 1_441,
        allocation: { source: 'none', max: null, limits: null },
      }),
    ],
  });
  // the pace table is the block after the tenants' table
  const paces = out.split('\n\n')[1]?.split('\n') ?? [];
  const line = (id: string): string => paces.find((l) => l.startsWith(`${id} `)) ?? '';
  assert.match(out, /POLLEVERY\s+CALLSPERDAY\s+ALLOCATION\s+WHY/);
  assert.match(
    line('acme'),
    /^acme\s+5s\s+17281 of 75000\s+100000 a day from \/limits, read at 2026-12-02T09:00:00.000Z\s+active: 1 live conversation/,
  );
  assert.match(
    line('globex'),
    /345\.9s\s+250 of 250\s+15000 a day from the usage header \(\/limits refused to the service user at 2026-12-02T08:00:00.000Z\)\s+budget: limited by the API share/,
  );
  assert.match(
    line('initech'),
    /60s\s+1441\s+not known yet: the default \(idle\) interval until a call reports it\s+allocation-unknown: /,
  );
});

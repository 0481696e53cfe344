// Limits leased in blocks from a shared count: one worker allows exactly the limit with a store round trip per
// block, not per request; two workers sharing the count allow it once between them; concurrent requests share one
// lease; a new window starts afresh.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { RateAllowanceRequest, RateAllowanceStore, RateBucket, RateCount } from './api-key-ports.js';
import { LeasedRateCounter, leaseBlockOf } from './leased-rate-counter.js';
import { firstRefused } from './rate-window.js';

/** The shared count as the SQL statement keeps it: a fixed window per bucket, amounts added. */
class SharedCounts implements RateAllowanceStore {
  readonly rows = new Map<string, { start: number; windowMs: number; hits: number }>();
  roundTrips = 0;
  take(requests: readonly RateAllowanceRequest[], at: Date): Promise<RateCount[]> {
    this.roundTrips += 1;
    const now = at.getTime();
    return Promise.resolve(
      requests.map((r) => {
        let row = this.rows.get(r.bucket);
        if (row === undefined || row.start + r.windowMs <= now) {
          row = { start: now, windowMs: r.windowMs, hits: 0 };
          this.rows.set(r.bucket, row);
        }
        row.hits += r.amount;
        return {
          bucket: r.bucket,
          hits: row.hits,
          windowEndsAt: new Date(row.start + row.windowMs).toISOString(),
        };
      }),
    );
  }
  purgeBefore(): Promise<number> {
    return Promise.resolve(0);
  }
}

const t0 = Date.parse('2026-12-03T10:00:00.000Z');
const employee = { bucket: 'employee/acme/ada', max: 20, windowMs: 60_000 };

async function allowed(counter: LeasedRateCounter, at: number): Promise<boolean> {
  return firstRefused([employee], await counter.hit([employee], new Date(at)), at) === null;
}

test('one worker allows exactly the limit, asking the shared count once per block, then refuses until the window ends', async () => {
  const shared = new SharedCounts();
  const sut = new LeasedRateCounter(shared);
  let yes = 0;
  for (let i = 0; i < 25; i++) if (await allowed(sut, t0 + i)) yes += 1;
  assert.equal(yes, 20);
  assert.equal(leaseBlockOf(20), 2);
  // 10 blocks of 2, one more that found the limit reached; the refused requests after it ask nothing
  assert.equal(shared.roundTrips, 11);
  const refused = firstRefused([employee], await sut.hit([employee], new Date(t0 + 30_000)), t0 + 30_000);
  assert.equal(refused?.retryAfterSeconds, 30);
  assert.equal(shared.roundTrips, 11);
  assert.equal(await allowed(sut, t0 + 60_000), true);
});

test('two workers sharing the count allow the limit once between them', async () => {
  const shared = new SharedCounts();
  const workers = [new LeasedRateCounter(shared), new LeasedRateCounter(shared)];
  let yes = 0;
  for (let i = 0; i < 40; i++) if (await allowed(workers[i % 2] as LeasedRateCounter, t0 + i)) yes += 1;
  assert.equal(yes, 20);
  // unevenly: never more than the limit, and at most (block − 1) of it left in the other worker's lease
  const uneven = new SharedCounts();
  const [a, b] = [new LeasedRateCounter(uneven), new LeasedRateCounter(uneven)];
  let total = 0;
  if (await allowed(b, t0)) total += 1;
  for (let i = 0; i < 40; i++) if (await allowed(a, t0 + i)) total += 1;
  assert.ok(total <= 20 && total >= 20 - (leaseBlockOf(20) - 1), `allowed ${total}`);
});

test('concurrent requests of one worker wait for one lease rather than ask for one each', async () => {
  const shared = new SharedCounts();
  const sut = new LeasedRateCounter(shared);
  const key = { bucket: 'key/k1', max: 3_000, windowMs: 60_000 };
  const answers = await Promise.all(Array.from({ length: 50 }, () => sut.hit([key], new Date(t0))));
  assert.equal(shared.roundTrips, 1);
  assert.ok(answers.every((counts) => firstRefused([key], counts, t0) === null));
});

test("a request that waited for one bucket's lease is not refused because others spent its other bucket meanwhile", async () => {
  // the key's block is spent by requests of other employees while this employee's first lease is asked for: far
  // below the key's limit, no request may be refused (seen as 429s at a limit of 10,000,000 under 50 clients)
  const shared = new SharedCounts();
  const sut = new LeasedRateCounter(shared, () => 2);
  const key = { bucket: 'key/k1', max: 10_000_000, windowMs: 60_000 };
  const employees = Array.from({ length: 6 }, (_, i) => ({
    bucket: `employee/acme/${i}`,
    max: 1_000,
    windowMs: 60_000,
  }));
  const answers = await Promise.all(
    Array.from({ length: 60 }, (_, i) => {
      const buckets = [key, employees[i % employees.length] as RateBucket];
      return sut.hit(buckets, new Date(t0)).then((counts) => firstRefused(buckets, counts, t0));
    }),
  );
  assert.deepEqual(
    answers.filter((a) => a !== null),
    [],
  );
});

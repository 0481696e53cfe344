// Rate limits shared by several workers without a store write per request: a worker leases a block of a bucket's
// allowance from the shared count (one statement for every bucket that needs one) and spends it in memory until
// the block or the window ends. Workers together never allow more than a limit; a block leased and not spent before
// its window ends is lost, so a limit may refuse up to (workers − 1) × (block − 1) requests early.

import type { RateAllowanceStore, RateBucket, RateCount, RateCounter } from './api-key-ports.js';

/** a tenth of the limit at most 500: the employee's 120 a minute in blocks of 12, a key's 3,000 in blocks of 300 */
export function leaseBlockOf(max: number): number {
  return Math.max(1, Math.min(500, Math.floor(max / 10)));
}

interface Lease {
  windowEndsAt: number;
  /** requests of the block not spent yet */
  left: number;
  /** requests this worker allowed in the window */
  spent: number;
  /** the shared count reached the limit: refused here until the window ends, with no store round trip */
  exhausted: boolean;
}

export class LeasedRateCounter implements RateCounter {
  private readonly leases = new Map<string, Lease>();
  /** a lease being asked for, per bucket: concurrent requests wait for it rather than ask for one each */
  private readonly asking = new Map<string, Promise<void>>();

  constructor(
    private readonly shared: RateAllowanceStore,
    private readonly blockOf: (max: number) => number = leaseBlockOf,
  ) {}

  async hit(buckets: readonly RateBucket[], at: Date): Promise<RateCount[]> {
    const now = at.getTime();
    // A request takes its unit of each bucket the moment that bucket's lease has one, and keeps it while it waits
    // for another bucket's lease: other requests cannot spend a block this one saw (at 50 clients they did, and a
    // key with a limit of millions refused). Bounded, because a bucket the store answers nothing for never becomes
    // usable (spend refuses it).
    const held = new Map<string, RateCount>();
    for (let round = 0; round < 64; round++) {
      for (const b of buckets)
        if (!held.has(b.bucket) && this.usable(b.bucket, now)) held.set(b.bucket, this.spend(b, now));
      const missing = buckets.filter((b) => !held.has(b.bucket));
      if (missing.length === 0) break;
      const waiting = missing.flatMap((b) => this.asking.get(b.bucket) ?? []);
      if (waiting.length > 0) {
        await Promise.allSettled(waiting);
        continue;
      }
      const asked = this.lease(missing, at);
      const settled = asked.then(
        () => undefined,
        () => undefined,
      );
      for (const b of missing) this.asking.set(b.bucket, settled);
      try {
        await asked;
      } finally {
        for (const b of missing) if (this.asking.get(b.bucket) === settled) this.asking.delete(b.bucket);
      }
    }
    return buckets.map((b) => held.get(b.bucket) ?? this.spend(b, now));
  }

  purgeBefore(before: Date): Promise<number> {
    const at = before.getTime();
    for (const [bucket, lease] of this.leases) if (lease.windowEndsAt <= at) this.leases.delete(bucket);
    return this.shared.purgeBefore(before);
  }

  private usable(bucket: string, now: number): boolean {
    const lease = this.leases.get(bucket);
    return lease !== undefined && now < lease.windowEndsAt && (lease.left > 0 || lease.exhausted);
  }

  private async lease(buckets: readonly RateBucket[], at: Date): Promise<void> {
    const amounts = new Map(buckets.map((b) => [b.bucket, this.blockOf(b.max)]));
    const counts = await this.shared.take(
      buckets.map((b) => ({ bucket: b.bucket, windowMs: b.windowMs, amount: amounts.get(b.bucket) ?? 1 })),
      at,
    );
    const now = at.getTime();
    if (this.leases.size > 10_000)
      for (const [bucket, lease] of this.leases) if (lease.windowEndsAt <= now) this.leases.delete(bucket);
    for (const b of buckets) {
      const count = counts.find((c) => c.bucket === b.bucket);
      if (count === undefined) continue;
      const amount = amounts.get(b.bucket) ?? 1;
      // the count before this lease was hits − amount: what is left of the limit is ours, up to the block
      const granted = Math.max(0, Math.min(amount, b.max - (count.hits - amount)));
      const windowEndsAt = Date.parse(count.windowEndsAt);
      const previous = this.leases.get(b.bucket);
      const spent = previous !== undefined && previous.windowEndsAt === windowEndsAt ? previous.spent : 0;
      this.leases.set(b.bucket, { windowEndsAt, left: granted, spent, exhausted: granted === 0 });
    }
  }

  /** One request from the bucket's lease: its hits as this worker saw them, past the limit when none is left. */
  private spend(bucket: RateBucket, now: number): RateCount {
    const lease = this.leases.get(bucket.bucket);
    if (lease === undefined || now >= lease.windowEndsAt)
      // the store answered nothing for it (cannot happen with the SQL counter): refuse rather than allow unseen
      return {
        bucket: bucket.bucket,
        hits: bucket.max + 1,
        windowEndsAt: new Date(now + 1_000).toISOString(),
      };
    const windowEndsAt = new Date(lease.windowEndsAt).toISOString();
    if (lease.left === 0) return { bucket: bucket.bucket, hits: bucket.max + 1, windowEndsAt };
    lease.left -= 1;
    lease.spent += 1;
    return { bucket: bucket.bucket, hits: lease.spent, windowEndsAt };
  }
}

// A fixed-window request count per key (an employee, an API key): pure, the caller passes the time. One worker's
// view; the served bot API counts in the shared store instead (RateCounter), so several workers allow a limit once.

import type { RateBucket, RateCount, RateCounter } from './api-key-ports.js';

export interface RateLimit {
  /** requests allowed per window */
  readonly max: number;
  readonly windowMs: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** whole seconds until the window ends (for Retry-After) */
  readonly retryAfterSeconds: number;
}

export class RateWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: RateLimit) {}

  take(key: string, nowMs: number): RateDecision {
    let window = this.windows.get(key);
    if (window === undefined || nowMs - window.start >= this.limit.windowMs) {
      // forget ended windows now and then, so the map holds only keys seen lately
      if (this.windows.size > 10_000) this.prune(nowMs);
      window = { start: nowMs, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.start + this.limit.windowMs - nowMs) / 1000));
    return { allowed: window.count <= this.limit.max, retryAfterSeconds };
  }

  private prune(nowMs: number): void {
    for (const [key, window] of this.windows)
      if (nowMs - window.start >= this.limit.windowMs) this.windows.delete(key);
  }
}

/**
 * The RateCounter port over one worker's RateWindows: for an app built without the shared store (tests, a single
 * embedded worker). Served apps count in the store (store/repositories/bot-api-keys.ts), so workers share limits.
 */
export class MemoryRateCounter implements RateCounter {
  private readonly windows = new Map<string, { start: number; windowMs: number; hits: number }>();

  hit(buckets: readonly RateBucket[], at: Date): Promise<RateCount[]> {
    const now = at.getTime();
    if (this.windows.size > 10_000)
      for (const [key, w] of this.windows) if (now - w.start >= w.windowMs) this.windows.delete(key);
    return Promise.resolve(
      buckets.map((b) => {
        let w = this.windows.get(b.bucket);
        if (w === undefined || now - w.start >= b.windowMs) {
          w = { start: now, windowMs: b.windowMs, hits: 0 };
          this.windows.set(b.bucket, w);
        }
        w.hits += 1;
        return { bucket: b.bucket, hits: w.hits, windowEndsAt: new Date(w.start + b.windowMs).toISOString() };
      }),
    );
  }

  purgeBefore(): Promise<number> {
    return Promise.resolve(0);
  }
}

/** The first bucket past its limit after a hit, with whole seconds to wait; null when every bucket allows it. */
export function firstRefused(
  buckets: readonly RateBucket[],
  counts: readonly RateCount[],
  nowMs: number,
): { bucket: RateBucket; retryAfterSeconds: number } | null {
  for (const bucket of buckets) {
    const count = counts.find((c) => c.bucket === bucket.bucket);
    if (count !== undefined && count.hits > bucket.max)
      return {
        bucket,
        retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(count.windowEndsAt) - nowMs) / 1000)),
      };
  }
  return null;
}

// The emulator's clock: real time plus an offset the control plane can move, or a fixed instant in tests.

export interface Clock {
  now(): Date;
}

/**
 * The machine's clock: the one place in the emulator that reads real time (lint forbids `Date.now` and an
 * argument-less `new Date()` everywhere else in src). The adjustable clock follows it; certificates use it directly.
 */
// eslint-disable-next-line no-restricted-syntax -- the system clock itself: the one place that reads real time
export const systemNowMs = (): number => Date.now();

export const systemClock: Clock = { now: () => new Date(systemNowMs()) };

/** A clock that follows real time but can be moved forward (or pinned) through the control plane. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  private pinned: number | undefined;

  constructor(private readonly source: () => number = systemNowMs) {}

  now(): Date {
    return new Date(this.pinned ?? this.source() + this.offsetMs);
  }

  /** forward only: a negative or non-finite `ms` is a RangeError (time in Salesforce never goes back) */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the clock moves forward only, not by ${ms} ms`);
    if (this.pinned !== undefined) this.pinned += ms;
    else this.offsetMs += ms;
  }

  /** pin to `at`, which may not be before now */
  set(at: Date): void {
    if (Number.isNaN(at.getTime()) || at.getTime() < this.now().getTime()) {
      throw new RangeError(`the clock moves forward only, not back to ${String(at)}`);
    }
    this.pinned = at.getTime();
  }

  /**
   * Runs `work` with the clock at `at` (earlier than now allowed), then puts the clock back exactly where it was.
   * In-process only (the control plane cannot reach it): tests use it to model a transaction that took its
   * timestamp before a reader's cursor and committed after the read, the case an overlap window exists for.
   */
  during<T>(at: Date, work: () => T): T {
    if (Number.isNaN(at.getTime())) throw new RangeError('the clock needs a valid instant');
    const saved = { offsetMs: this.offsetMs, pinned: this.pinned };
    this.pinned = at.getTime();
    try {
      return work();
    } finally {
      this.offsetMs = saved.offsetMs;
      this.pinned = saved.pinned;
    }
  }

  release(): void {
    if (this.pinned !== undefined) this.offsetMs = this.pinned - this.source();
    this.pinned = undefined;
  }
}

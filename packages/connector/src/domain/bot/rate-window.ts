// A fixed-window request count per key (an employee, later an API key): pure, the caller passes the time. One
// worker's view: several workers each allow the limit, which bounds a busy bot without a store round trip per call.

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

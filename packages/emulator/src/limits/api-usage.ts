// Daily API request accounting for one org: a rolling 24-hour window kept as hourly buckets, read by the
// injectable clock. Salesforce counts every REST call except `GET /services/data/` and reports the total in
// `Sforce-Limit-Info: api-usage=N/M` (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm).

import type { Clock } from '../clock.js';

const HOUR_MS = 3_600_000;
const WINDOW_HOURS = 24;

/** Developer Edition's allocation, the emulator's default. */
export const DEFAULT_DAILY_API_LIMIT = 15_000;

export class ApiUsage {
  private readonly buckets = new Map<number, number>();
  private total = 0;

  constructor(
    private readonly clock: Clock,
    public max: number = DEFAULT_DAILY_API_LIMIT,
  ) {}

  /** requests counted in the last 24 hours */
  used(): number {
    this.evict(Math.floor(this.clock.now().getTime() / HOUR_MS));
    return this.total;
  }

  remaining(): number {
    return Math.max(0, this.max - this.used());
  }

  /** true when one more request would exceed the allocation */
  exhausted(): boolean {
    return this.used() >= this.max;
  }

  record(count = 1): void {
    const hour = Math.floor(this.clock.now().getTime() / HOUR_MS);
    this.evict(hour);
    this.buckets.set(hour, (this.buckets.get(hour) ?? 0) + count);
    this.total += count;
  }

  /** set the usage directly (control plane): everything lands in the current hour */
  set(used: number): void {
    this.buckets.clear();
    this.total = 0;
    if (used > 0) this.record(used);
  }

  headerValue(): string {
    return `api-usage=${this.used()}/${this.max}`;
  }

  private evict(currentHour: number): void {
    for (const [hour, count] of this.buckets) {
      if (hour <= currentHour - WINDOW_HOURS) {
        this.buckets.delete(hour);
        this.total -= count;
      }
    }
  }
}

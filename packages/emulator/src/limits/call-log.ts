// A bounded ring of recent API calls, so tests and benchmarks can count exactly what a client spent.
// Appending is O(1) and allocation-light: this runs on every request.

export interface CallLogEntry {
  /** sequence number, increasing from 1 for the life of the emulator */
  seq: number;
  /** ISO time by the emulator clock */
  time: string;
  orgId: string;
  userId: string | null;
  method: string;
  path: string;
  status: number;
  errorCode: string | null;
  durationMs: number;
  /** whether the call counted against the org's daily API allocation */
  counted: boolean;
}

export interface CallLogFilter {
  /** ISO time or epoch milliseconds: entries at or after it */
  since?: number;
  /** entries with seq greater than this */
  afterSeq?: number;
  /** substring of the path, or a regular expression when it starts with `^` */
  path?: string;
  orgId?: string;
  method?: string;
  countedOnly?: boolean;
}

export class CallLog {
  private readonly ring: (CallLogEntry | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(private readonly capacity = 10_000) {
    this.ring = new Array<CallLogEntry | undefined>(capacity);
  }

  add(entry: Omit<CallLogEntry, 'seq'>): void {
    this.seq += 1;
    this.ring[this.next] = { seq: this.seq, ...entry };
    this.next = (this.next + 1) % this.capacity;
  }

  lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
  }

  /** entries oldest first */
  list(filter: CallLogFilter = {}): CallLogEntry[] {
    const pathRe = filter.path?.startsWith('^') ? new RegExp(filter.path) : undefined;
    const out: CallLogEntry[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const entry = this.ring[(this.next + i) % this.capacity];
      if (entry === undefined) continue;
      if (filter.afterSeq !== undefined && entry.seq <= filter.afterSeq) continue;
      if (filter.since !== undefined && Date.parse(entry.time) < filter.since) continue;
      if (filter.orgId !== undefined && entry.orgId !== filter.orgId) continue;
      if (filter.method !== undefined && entry.method !== filter.method.toUpperCase()) continue;
      if (filter.countedOnly === true && !entry.counted) continue;
      if (filter.path !== undefined) {
        if (pathRe !== undefined ? !pathRe.test(entry.path) : !entry.path.includes(filter.path)) continue;
      }
      out.push(entry);
    }
    return out;
  }
}

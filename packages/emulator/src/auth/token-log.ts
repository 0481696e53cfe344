// A bounded log of token-endpoint outcomes, so tests can assert the emulator answered exactly the
// `invalid_grant` (or success) it should, without scraping HTTP bodies.

export interface TokenLogEntry {
  seq: number;
  time: string;
  orgId: string;
  grantType: string | null;
  clientId: string | null;
  /** JWT `sub` or the password grant's username, when known */
  username: string | null;
  userId: string | null;
  status: number;
  /** `success`, or the OAuth `error` code */
  outcome: string;
  errorDescription: string | null;
}

export class TokenLog {
  private entries: TokenLogEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity = 2_000) {}

  add(entry: Omit<TokenLogEntry, 'seq'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(filter: { orgId?: string; since?: number; afterSeq?: number } = {}): TokenLogEntry[] {
    return this.entries.filter(
      (e) =>
        (filter.orgId === undefined || e.orgId === filter.orgId) &&
        (filter.afterSeq === undefined || e.seq > filter.afterSeq) &&
        (filter.since === undefined || Date.parse(e.time) >= filter.since),
    );
  }

  clear(): void {
    this.entries = [];
  }
}

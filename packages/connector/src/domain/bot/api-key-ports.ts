// Ports of the bot platform's API keys and of the request counts shared by every worker. A key is stored only as
// the SHA-256 of its text; `id` is the public part in front of the secret (`cbk_<id>_<secret>`).

/** One API key as stored (never its secret). */
export interface BotApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  secretHash: string;
  createdAt: string;
  /** set when a rotation replaced it: still accepted until the rotation is finished */
  retiringAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface BotApiKeyRepository {
  /** false when the name already has an active key (nothing written) */
  insert(key: BotApiKeyRecord): Promise<boolean>;
  get(id: string): Promise<BotApiKeyRecord | null>;
  /** the tenant's keys not revoked, by name then age */
  listLive(tenantId: string): Promise<BotApiKeyRecord[]>;
  /**
   * In one transaction: the name's active key becomes retiring and `next` becomes active. 'none' when the name has
   * no active key, 'pending' when a rotation of it is still running (both unchanged).
   */
  rotate(
    tenantId: string,
    name: string,
    next: BotApiKeyRecord,
    at: string,
  ): Promise<'rotated' | 'none' | 'pending'>;
  /** revokes the name's retiring key; false when none */
  revokeRetiring(tenantId: string, name: string, at: string): Promise<boolean>;
  /** revokes every live key of the name; how many */
  revokeName(tenantId: string, name: string, at: string): Promise<number>;
  touch(id: string, at: string): Promise<void>;
}

/** A bucket's limit: requests allowed per fixed window. */
export interface RateBucket {
  bucket: string;
  max: number;
  windowMs: number;
}

export interface RateCount {
  bucket: string;
  hits: number;
  /** when the bucket's current window ends (ISO) */
  windowEndsAt: string;
}

/** Request counts kept in the shared store, so several workers together allow each limit once. */
export interface RateCounter {
  /** counts one request in each bucket (one round trip for all of them) and returns the counts after it */
  hit(buckets: readonly RateBucket[], at: Date): Promise<RateCount[]>;
  /** forgets windows that ended before `before` */
  purgeBefore(before: Date): Promise<number>;
}

/** One bucket's share of allowance asked for at once: `amount` requests counted in its current window. */
export interface RateAllowanceRequest {
  bucket: string;
  windowMs: number;
  amount: number;
}

/** The shared counts underneath a leasing counter (domain/bot/leased-rate-counter.ts). */
export interface RateAllowanceStore {
  /** adds each request's amount to its bucket's current window (one round trip for all) and returns the counts */
  take(requests: readonly RateAllowanceRequest[], at: Date): Promise<RateCount[]>;
  purgeBefore(before: Date): Promise<number>;
}

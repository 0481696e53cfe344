// The Salesforce session every worker of a tenant shares, and the login lock that keeps it to one login.

/** The Salesforce session shared by every worker of a tenant. The access token is sealed before it gets here. */
export interface StoredSession {
  tenantId: string;
  accessTokenEnvelope: string;
  instanceUrl: string;
  /** identity URL: https://host/id/<orgId>/<userId> */
  identityUrl: string;
  issuedAt: string;
  /** increases with every new login; a caller that saw generation N failing only re-logs in if it is still N */
  generation: number;
}

export interface SessionRepository {
  get(tenantId: string): Promise<StoredSession | null>;
  put(session: StoredSession): Promise<void>;
  /** forgets the session; its generation is kept (see `lastGeneration`) */
  clear(tenantId: string): Promise<void>;
  /**
   * The highest generation the tenant's session ever had, cleared sessions included (0 if none). New logins number
   * from above it, so a generation is never reused and a worker's cached number never matches a newer session.
   */
  lastGeneration(tenantId: string): Promise<number>;
  /** every stored session, for master-key rotation (which re-seals and `replace`s them one by one) */
  list(): Promise<StoredSession[]>;
  /** swaps the sealed token only if the stored one is still `expected` (compare-and-swap, as for secrets) */
  replace(session: StoredSession, expected: string): Promise<boolean>;
  /**
   * Runs `fn` holding the tenant's login lock across every process sharing the store, so concurrent workers
   * perform one login, not one each. No tenant's lock ever waits for another tenant's; a holder that died stops
   * blocking its tenant when its lease expires.
   */
  withLoginLock<T>(tenantId: string, fn: () => Promise<T>): Promise<T>;
}

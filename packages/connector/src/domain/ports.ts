// Ports: what the services need from the outside world, as interfaces. Adapters (store/, salesforce/, crypto/)
// implement them; only the composition root (main.ts, cli/wiring) chooses which.

import type { KeyInfo, SecretName, Tenant } from './tenant.js';

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** a new unique id (UUID v4 in production) */
  next(): string;
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets

/** What a sealed secret is bound to: opening it under another tenant or field fails. */
export interface SecretBinding {
  tenantId: string;
  field: string;
}

/** Authenticated encryption of secrets at rest (AES-256-GCM under the master key ring). */
export interface SecretBox {
  seal(plaintext: string, binding: SecretBinding): string;
  open(envelope: string, binding: SecretBinding): string;
  /** the key id an envelope was sealed under (for rotation progress) */
  keyIdOf(envelope: string): string;
  /** the key id new envelopes are sealed under */
  readonly currentKeyId: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Store

export type TenantRecord = Omit<Tenant, 'hasConsumerSecret' | 'hasPassword'>;

export interface TenantRepository {
  insert(tenant: TenantRecord): Promise<void>;
  /** replaces the stored tenant; throws TENANT_NOT_FOUND when absent */
  update(tenant: TenantRecord): Promise<void>;
  get(id: string): Promise<TenantRecord | null>;
  list(): Promise<TenantRecord[]>;
  /** deletes the tenant and everything it owns (secrets, session, cursors, audit rows) */
  delete(id: string): Promise<void>;
}

export interface StoredSecret {
  tenantId: string;
  name: SecretName;
  envelope: string;
}

export interface SecretRepository {
  put(tenantId: string, name: SecretName, envelope: string): Promise<void>;
  get(tenantId: string, name: SecretName): Promise<string | null>;
  delete(tenantId: string, name: SecretName): Promise<void>;
  /** every stored secret, for master-key rotation (which re-seals and `replace`s them one by one) */
  list(): Promise<StoredSecret[]>;
  /** replaces an envelope only if it is still `expected` (compare-and-swap, so a rotation can resume safely) */
  replace(secret: StoredSecret, expected: string): Promise<boolean>;
}

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
  clear(tenantId: string): Promise<void>;
  /**
   * Runs `fn` holding the tenant's login lock across every process sharing the store (an advisory lock on
   * PostgreSQL), so concurrent workers perform one login, not one each.
   */
  withLoginLock<T>(tenantId: string, fn: () => Promise<T>): Promise<T>;
}

/** One Salesforce call attempt, as kept in the API audit log. No secrets: paths are redacted before this. */
export interface ApiAuditEntry {
  tenantId: string;
  at: string;
  method: string;
  /** path with query literals and oauth_token redacted */
  path: string;
  status: number | null;
  /** Salesforce errorCode or the network error name */
  errorCode: string | null;
  durationMs: number;
  /** from Sforce-Limit-Info: api-usage=used/max */
  apiUsed: number | null;
  apiMax: number | null;
  attempt: number;
  /** what the call was for (e.g. 'doctor', 'knowledge-sync') */
  purpose: string | null;
}

export interface ApiUsageSummary {
  tenantId: string;
  calls: number;
  since: string;
  lastApiUsed: number | null;
  lastApiMax: number | null;
}

export interface ApiAuditRepository {
  record(entry: ApiAuditEntry): Promise<void>;
  /** deletes entries older than `before`; returns how many */
  purgeBefore(before: Date): Promise<number>;
  summary(tenantId: string, since: Date): Promise<ApiUsageSummary>;
  list(tenantId: string, options: { since?: Date; limit?: number }): Promise<ApiAuditEntry[]>;
}

/** A tenant's background work paused until a time (e.g. after REQUEST_LIMIT_EXCEEDED). */
export interface TenantPauseRepository {
  pause(tenantId: string, until: Date, reason: string): Promise<void>;
  get(tenantId: string): Promise<{ until: string; reason: string } | null>;
  clear(tenantId: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Keys

export interface GeneratedKeyPair {
  privateKeyPem: string;
  certificatePem: string;
  info: Omit<KeyInfo, 'provenAt'>;
}

export interface KeyFactory {
  /** a new RSA 2048 key and self-signed SHA-256 certificate, valid for `days` */
  generate(options: { commonName: string; days: number }): Promise<GeneratedKeyPair>;
  /** describe an existing key + certificate pair; throws when they do not match */
  describe(privateKeyPem: string, certificatePem: string): Promise<Omit<KeyInfo, 'provenAt'>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Salesforce authentication

/** The claims of a Salesforce JWT bearer assertion (seconds since the epoch for `exp`). */
export interface JwtBearerClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
}

/** Signs JWT bearer assertions with a tenant's private key (RS256), so tests can inject keys and never see PEMs. */
export interface KeySigner {
  sign(claims: JwtBearerClaims): Promise<string>;
}

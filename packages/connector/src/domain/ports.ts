// Ports: what the services need from the outside world, as interfaces. Adapters (store/, salesforce/, crypto/)
// implement them; only the composition root (main.ts, cli/wiring) chooses which.

import type { CaseComment, Employee, KnowledgeArticle, SupportCase } from './support.js';
import type { SyncCursor } from './sync-cursor.js';
import type { KeyInfo, SecretName, Tenant } from './tenant.js';
import type { CaseSnapshotRepository } from './tickets/monitor-ports.js';
import type { RecordRefusal } from './tickets/record-refusal.js';

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

/** The fields of a tenant that may change after it is added (its id and creation time never do). */
export type TenantPatch = Partial<Omit<TenantRecord, 'id' | 'createdAt'>>;

export interface TenantRepository {
  insert(tenant: TenantRecord): Promise<void>;
  /**
   * Writes only the fields present in `patch`, leaving every other column as it is (so a writer never undoes a
   * concurrent change to a field it did not mean to touch); throws TENANT_NOT_FOUND when absent.
   */
  update(id: string, patch: TenantPatch): Promise<void>;
  /** sets the instance URL (and updatedAt) alone; false when the tenant is gone or already has this URL */
  setInstanceUrl(id: string, instanceUrl: string, at: string): Promise<boolean>;
  /**
   * Records that a login with the active or pending key succeeded at `at`, touching nothing else, and only while
   * that key is still the one with `fingerprint` (a key replaced meanwhile is not marked); false otherwise.
   */
  markKeyProven(id: string, which: 'active' | 'pending', fingerprint: string, at: string): Promise<boolean>;
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

// ---------------------------------------------------------------------------------------------------------------
// Salesforce gateway (salesforce/ implements it; services never see Salesforce field names except where the tenant
// configures them, e.g. case defaults)

export interface SalesforceIdentity {
  orgId: string;
  userId: string;
  username: string;
  displayName: string | null;
  email: string | null;
}

export interface ApiAllocation {
  /** daily API requests: null when neither /limits nor a usage header told us */
  max: number | null;
  remaining: number | null;
  /** where the numbers came from */
  source: 'limits' | 'header' | 'none';
}

export interface FieldDescription {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  filterable: boolean;
  picklistValues: string[];
}

export interface ObjectDescription {
  name: string;
  queryable: boolean;
  createable: boolean;
  updateable: boolean;
  /** only the fields the service user can see (field-level security hides the others) */
  fields: FieldDescription[];
}

/** A row an incremental read could not use (it does not match its wire schema): skipped, never a stalled stream. */
export interface SetAsideRecord {
  id: string;
  reason: string;
}

/** One page of an incremental read and the cursor to save after processing it. */
export interface SyncPage<T> {
  items: T[];
  /** the position after this page's last row (set-aside rows included) */
  cursor: SyncCursor;
  setAside: SetAsideRecord[];
}

/** Where an incremental read starts (see readStart in domain/sync-cursor.ts) and how many rows a page holds. */
export interface IncrementalRead {
  /** rows strictly after this position */
  after: SyncCursor;
  /** 200..2000 (default 2000) */
  pageSize?: number;
}

export interface NewSupportCase {
  subject: string;
  description: string;
  status: string;
  employeeId: string | null;
  suppliedEmail?: string | null;
  /** the employee's name when no Contact is theirs (Web-to-Case's SuppliedName) */
  suppliedName?: string | null;
  priority?: string | null;
  origin?: string | null;
  /** tenant-configured Case fields (TenantSettings.caseDefaults), by Salesforce API name */
  extraFields?: Record<string, string>;
  /**
   * Recorded before the write; the same key on a retry finds the case the first attempt made instead of making
   * another. Its reference (domain/write-reference.ts) ends the description.
   */
  idempotencyKey: string;
  /** an external-ID text field the admin added to Case: the key is written there and reconciled by it */
  externalIdField?: string;
  /** the Case record type (the tenant's `filing.recordTypeId`) */
  recordTypeId?: string;
  /** `Sforce-Auto-Assign` for the create: 'FALSE' or an assignment rule id; absent, the org's active rule runs */
  autoAssign?: string;
}

export interface NewCaseComment {
  caseId: string;
  body: string;
  isPublic: boolean;
  /** as for cases; CaseComment has no external-ID field, so its reference ends the body's header line */
  idempotencyKey: string;
}

/** Per-record outcome of a batch write: one bad record does not fail the others. */
export type WriteOutcome =
  | { ok: true; id: string }
  | {
      ok: false;
      code: string;
      message: string;
      fields: string[];
      /** the refusal in casebridge's words, when it is one an employee can be told (domain/tickets/record-refusal.ts) */
      refusal?: RecordRefusal;
    };

/** Salesforce for one tenant: every call is counted, audited and retried by the adapter's policy. */
export interface SalesforceGateway {
  identity(): Promise<SalesforceIdentity>;
  limits(): Promise<ApiAllocation>;
  describe(sobject: string): Promise<ObjectDescription>;
  /** API versions the org serves, ascending (a free call) */
  versions(): Promise<string[]>;
  /** every Contact with this email (several: the caller disambiguates) */
  findEmployeesByEmail(email: string): Promise<Employee[]>;
  getCase(id: string): Promise<SupportCase>;
  /** creates the case, never twice: an ambiguous failure is reconciled before any retry */
  createCase(input: NewSupportCase): Promise<SupportCase>;
  /** adds the comment, never twice for one idempotency key (reconciled by its reference, never by its text) */
  addCaseComment(input: NewCaseComment): Promise<CaseComment>;
  /** the case a write with this key made since `since`, if any (by external-ID field when given, else reference) */
  findCaseByKey(
    key: { idempotencyKey: string; externalIdField?: string },
    since: Date,
  ): Promise<SupportCase | null>;
  /** the comment a write with this key made on the case since `since`, if any */
  findCommentByKey(caseId: string, idempotencyKey: string, since: Date): Promise<CaseComment | null>;
  /** batch of comments, 200 per call; per-record outcomes in input order */
  addCaseComments(inputs: readonly NewCaseComment[]): Promise<WriteOutcome[]>;
  updateCaseStatus(id: string, status: string): Promise<void>;
  /** rows after `read.after` in (modstamp, id) order (see domain/sync-cursor.ts), page by page */
  casesModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<SupportCase>>;
  commentsModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<CaseComment>>;
  /** published (Online) articles of the tenant's Knowledge language, with its configured body fields */
  articlesModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<KnowledgeArticle>>;
}

export interface SalesforceGatewayFactory {
  /** `purpose` labels the audit rows (e.g. 'case-sync', 'bot', 'doctor') */
  forTenant(tenant: Tenant, purpose?: string): SalesforceGateway;
}

// ---------------------------------------------------------------------------------------------------------------
// Sync cursors, outbox and processed events (what sync and notification work build on)

/** How far a tenant's incremental sync of one stream (e.g. 'cases', 'knowledge') has come. */
export interface StoredSyncCursor {
  tenantId: string;
  stream: string;
  cursor: SyncCursor;
  updatedAt: string;
}

export interface SyncCursorRepository {
  get(tenantId: string, stream: string): Promise<SyncCursor | null>;
  /** save inside the UnitOfWork that did the work it covers, so a crash never moves the cursor past lost work */
  save(tenantId: string, stream: string, cursor: SyncCursor): Promise<void>;
  list(tenantId: string): Promise<StoredSyncCursor[]>;
}

/** pending → processing (claimed, leased) → done; or back to pending with backoff; dead after the last attempt. */
export type OutboxStatus = 'pending' | 'processing' | 'done' | 'dead';

export interface NewOutboxMessage {
  tenantId: string;
  kind: string;
  /** unique per tenant: enqueueing the same key twice keeps the first message */
  idempotencyKey: string;
  payload: unknown;
  /** earliest time to deliver; now when absent */
  notBefore?: Date;
  /**
   * Messages of one tenant sharing this key (e.g. one case's id) are delivered one at a time, in enqueue order:
   * a later one is not claimed while an earlier one is pending or processing. Absent: no order is kept.
   */
  orderingKey?: string;
  /**
   * The message's stable event id, when the producer has one (a ticket notification's `eventId`, so the header a
   * receiver deduplicates on is the event's own id); a random UUID otherwise.
   */
  eventId?: string;
}

export interface OutboxMessage {
  id: string;
  /**
   * Stable across every attempt (delivery is at least once: a receiver may accept a message and lose the
   * connection before saying so). Handlers pass it on so the receiver can drop what it already has.
   */
  eventId: string;
  tenantId: string;
  kind: string;
  idempotencyKey: string;
  orderingKey: string | null;
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
}

/** A message as `claim` hands it to one worker: only the holder of `claimToken` may complete or fail it. */
export interface ClaimedOutboxMessage extends OutboxMessage {
  claimToken: string;
}

/** What `complete` and `fail` need of a claim (a ClaimedOutboxMessage will do). */
export type OutboxClaim = Pick<ClaimedOutboxMessage, 'id' | 'claimToken'>;

export interface OutboxClaimOptions {
  leaseMs?: number;
  kinds?: readonly string[];
  tenantId?: string;
}

export interface OutboxRepository {
  /** idempotent by key: `created` is false (and the existing id returned) when the key was already enqueued */
  enqueue(message: NewOutboxMessage): Promise<{ id: string; created: boolean }>;
  /**
   * Claims up to `limit` due messages for `leaseMs`; concurrent claimers never get the same message, and a message
   * whose lease ran out (its worker died) is claimed again with a new claim token, or goes dead once it has used
   * every attempt that way. Fair across tenants: each tenant's oldest due messages come first, round-robin, so one
   * tenant's backlog never starves another's. Keeps order per ordering key.
   */
  claim(limit: number, options?: OutboxClaimOptions): Promise<ClaimedOutboxMessage[]>;
  /**
   * Marks the message done. False, changing nothing, when `claim` is no longer the message's current claim (its
   * lease ran out and another worker claimed it, or it was already completed or failed).
   */
  complete(claim: OutboxClaim): Promise<boolean>;
  /**
   * Records a failed attempt: back to pending after an exponential backoff, or dead after the last attempt (at
   * once when `permanent`). False, changing nothing, when `claim` is no longer the message's current claim.
   */
  fail(
    claim: OutboxClaim,
    error: string,
    options?: {
      permanent?: boolean;
      /** the receiver asked to wait this long (Retry-After): the retry waits at least that, at most the max backoff */
      retryAfterMs?: number;
    },
  ): Promise<{ status: OutboxStatus; nextAttemptAt: string } | false>;
  get(id: string): Promise<OutboxMessage | null>;
  /** dead messages, oldest first (a tenant's only, when given) */
  listDead(options?: { tenantId?: string; limit?: number }): Promise<OutboxMessage[]>;
  /** puts a dead message back to pending, due now, with its attempts reset; false when it is not dead */
  retryDead(id: string): Promise<boolean>;
  /** deletes done messages finished before `before`; returns how many */
  purgeDone(before: Date): Promise<number>;
}

/**
 * Source events already handled, so nothing is relayed twice. `sourceId` is what deduplication needs (see
 * domain/event-keys.ts): a record and its modstamp for a change, a comment id and its visibility for a comment.
 */
export interface ProcessedEventRepository {
  /**
   * Records the event; false when it was already recorded for this kind (the caller then does nothing).
   * `eventAt` is the source's own time (its modstamp), which decides when the entry may be purged.
   */
  markProcessed(tenantId: string, sourceId: string, kind: string, eventAt?: string | null): Promise<boolean>;
  isProcessed(tenantId: string, sourceId: string, kind: string): Promise<boolean>;
  /** Of these (kind, source id) pairs, the ones already recorded, as `${kind} ${sourceId}`: one read for many. */
  processedAmong(tenantId: string, keys: readonly { kind: string; sourceId: string }[]): Promise<Set<string>>;
  /**
   * Deletes the tenant's entries processed before `processedBefore` whose source event is older than
   * `eventsBefore` (entries without an event time count as old); returns how many.
   */
  purge(tenantId: string, cutoff: { processedBefore: Date; eventsBefore: Date }): Promise<number>;
}

/** A Salesforce write's idempotency key, recorded before the write (and its record id once it is known). */
export interface WriteIntent {
  tenantId: string;
  idempotencyKey: string;
  kind: 'case' | 'comment';
  recordId: string | null;
  startedAt: string;
}

export interface WriteIntentRepository {
  /** records the key before the write; `created` false (and the first intent returned) when it was recorded already */
  begin(
    intent: Omit<WriteIntent, 'recordId' | 'startedAt'>,
  ): Promise<{ intent: WriteIntent; created: boolean }>;
  /** the write is known to have made `recordId` */
  finish(tenantId: string, idempotencyKey: string, recordId: string): Promise<void>;
  /** deletes intents started before `before`; returns how many */
  purgeBefore(before: Date): Promise<number>;
  /** the ids among `recordIds` that a recorded write made (ticket monitoring never relays its own writes) */
  recordIdsAmong(tenantId: string, recordIds: readonly string[]): Promise<Set<string>>;
}

/** The tenant repository inside a unit of work. Removing a tenant is not offered here: `delete` is atomic alone. */
export interface TransactionalTenantRepository extends Omit<TenantRepository, 'delete'> {
  /** reads the tenant and locks its row until the unit of work ends, so no other writer interleaves */
  getForUpdate(id: string): Promise<TenantRecord | null>;
}

export interface TransactionalRepositories {
  cursors: SyncCursorRepository;
  outbox: OutboxRepository;
  processed: ProcessedEventRepository;
  /** the tenant row and its secrets, so a tenant change and its keys are written together */
  tenants: TransactionalTenantRepository;
  secrets: SecretRepository;
  /** ticket monitoring's case snapshots, written with the cursors and outbox messages they go with */
  caseSnapshots: CaseSnapshotRepository;
}

/**
 * Runs `fn` atomically: the writes made through `tx` (cursors, outbox, processed events, tenant rows and secrets)
 * commit or roll back together. Use only `tx` inside: the embedded store has one connection, so another repository
 * used from inside `fn` waits for the unit of work forever.
 */
export interface UnitOfWork {
  run<T>(fn: (tx: TransactionalRepositories) => Promise<T>): Promise<T>;
}

// ---------------------------------------------------------------------------------------------------------------
// Background work

/** Whether a tenant's background job may call Salesforce now, and how much slower than its interval it should run. */
export interface BudgetDecision {
  allow: boolean;
  /** 1 = normal; 2 = run half as often */
  slowdownFactor: number;
  /** why it is stopped or slowed (null when neither) */
  reason: string | null;
  /** when stopped: the earliest time worth asking again (e.g. the end of a pause), if known */
  resumeAt?: string;
}

export interface BudgetGate {
  check(tenantId: string): Promise<BudgetDecision>;
}

/** The last run of a recurring job for one tenant, as every worker sees it. */
export interface JobRunRecord {
  job: string;
  tenantId: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: 'ok' | 'error' | null;
  lastError: string | null;
  runs: number;
  failures: number;
}

export interface JobRunRepository {
  /**
   * Claims the (job, tenant) slot for a run starting at `at`, unless another run started less than `minGapMs`
   * before (a duplicate queued by another worker): false then, and the caller skips the run.
   */
  start(job: string, tenantId: string, at: Date, minGapMs: number): Promise<boolean>;
  finish(job: string, tenantId: string, at: Date, error: string | null): Promise<void>;
  list(): Promise<JobRunRecord[]>;
}

// openStore: the composition of the store. Chooses PGlite or PostgreSQL from config, migrates, builds repositories.

import type { ConsoleRepository, ConsoleSessionRepository } from '../domain/console-ports.js';
import { SqlConsoleSessionRepository } from './repositories/console-sessions.js';
import { SqlConsoleRepository } from './repositories/console-reads.js';
import { join } from 'node:path';

import type { Config } from '../config/load-config.js';
import type {
  ApiAuditRepository,
  Clock,
  OutboxRepository,
  ProcessedEventRepository,
  SecretRepository,
  SessionRepository,
  SyncCursorRepository,
  TenantPauseRepository,
  TenantRepository,
  UnitOfWork,
  WriteIntentRepository,
  JobRunRepository,
} from '../domain/ports.js';
import { appError, isAppError } from '../errors/app-error.js';
import { STORE_UNAVAILABLE } from '../errors/codes/store.js';
import type { Logger } from '../logging/logger.js';
import { sqlState, UNIQUE_VIOLATION, type Db } from './db.js';
import { migrate } from './migrate.js';
import { PgliteDb } from './pglite-db.js';
import { PostgresDb } from './postgres-db.js';
import { LoginLeases, type LoginLeaseOptions } from './login-lease.js';
import { BufferedApiAuditRepository, type BufferOptions } from './buffered-api-audit.js';
import { SqlApiAuditRepository } from './repositories/api-audit.js';
import { SqlKnowledgeArticleRepository } from './repositories/knowledge-articles.js';
import { SqlKnowledgeSyncStateRepository } from './repositories/knowledge-sync-state.js';
import type { KnowledgeArticleRepository } from '../domain/knowledge/ports.js';
import type { KnowledgeSyncStateRepository } from '../domain/knowledge/sync-ports.js';
import { DEFAULT_OUTBOX_POLICY, SqlOutboxRepository, type OutboxPolicy } from './repositories/outbox.js';
import { SqlMasterKeyCheckRepository } from './repositories/master-key-checks.js';
import { SqlProcessedEventRepository } from './repositories/processed-events.js';
import { SqlSecretRepository } from './repositories/secrets.js';
import { SqlSessionRepository } from './repositories/sessions.js';
import { SqlSyncCursorRepository } from './repositories/sync-cursors.js';
import { SqlCaseStreamLeaseRepository } from './repositories/case-stream-leases.js';
import type { CaseStreamLeaseRepository } from '../domain/tickets/case-stream-ports.js';
import { SqlTenantPauseRepository } from './repositories/tenant-pauses.js';
import { SqlTenantRepository } from './repositories/tenants.js';
import {
  acquireStoreLock,
  clearServiceInfo,
  ensurePrivateDir,
  tightenTree,
  type StoreLock,
} from './store-lock.js';
import { SqlWriteIntentRepository } from './repositories/write-intents.js';
import { SqlJobRunRepository } from './repositories/job-runs.js';
import { SqlReplyIntentRepository } from './repositories/reply-intents.js';
import type { ReplyIntentRepository } from '../domain/tickets/reply-ports.js';
import { guardUnitOfWork } from './unit-of-work-guard.js';
import type { OutboxStats, WebhookRepository } from '../domain/webhooks/ports.js';
import { SqlOutboxStats } from './repositories/outbox-stats.js';
import { SqlWebhookRepository } from './repositories/webhooks.js';
import { SqlChatFeedRepository } from './repositories/chat-feed.js';
import type { ChatFeedRepository, FeedSignals } from '../domain/chat/chat-ports.js';
import { CHAT_FEED_CHANNEL } from './migrations/0061-chat-feed-notify.js';
import { SqlCaseSnapshotRepository, SqlMonitorStatsRepository } from './repositories/case-snapshots.js';
import type {
  CaseSnapshotRepository,
  MonitorStatsRepository,
  PollLeaseRepository,
} from '../domain/tickets/monitor-ports.js';
import { SqlPollLeaseRepository } from './repositories/poll-leases.js';
import { SqlJobRepository } from './repositories/jobs.js';
import type { JobRepository } from '../domain/job-state.js';
import {
  SqlBotIdentityRepository,
  SqlBotSessionRepository,
  SqlTokenIdRepository,
} from './repositories/bot-identity.js';
import { SqlConversationRepository } from './repositories/conversations.js';
import { SqlResolutionRepository } from './repositories/case-resolutions.js';
import type { EmployeeZoneRepository, NudgeRepository } from '../domain/tickets/nudge-ports.js';
import { SqlEmployeeZoneRepository, SqlNudgeRepository } from './repositories/nudges.js';
import { SqlBotApiKeyRepository, SqlRateCounter } from './repositories/bot-api-keys.js';
import type { PollActivityRepository, PollPaceRepository } from '../domain/tickets/poll-pace-ports.js';
import { SqlPollActivityRepository, SqlPollPaceRepository } from './repositories/poll-paces.js';
import type { ApiAllocationRepository, BotActivityRepository } from '../domain/tickets/poll-pace-ports.js';
import { SqlApiAllocationRepository } from './repositories/api-allocations.js';
import { SqlBotActivityRepository } from './repositories/bot-activity.js';

export interface Store {
  readonly kind: 'pglite' | 'postgres';
  /** the database itself, for pg-boss and for anything the repositories do not cover */
  readonly db: Db;
  readonly tenants: TenantRepository;
  readonly secrets: SecretRepository;
  readonly sessions: SessionRepository;
  readonly audit: ApiAuditRepository;
  readonly pauses: TenantPauseRepository;
  readonly cursors: SyncCursorRepository;
  readonly outbox: OutboxRepository;
  readonly processed: ProcessedEventRepository;
  /** the check value of every master key id seen, to refuse a worker with another key */
  readonly masterKeyChecks: SqlMasterKeyCheckRepository;
  /** idempotency keys of Salesforce writes, recorded before each write */
  readonly writeIntents: WriteIntentRepository;
  /** the last run of each recurring job per tenant, shared by every worker */
  readonly jobRuns: JobRunRepository;
  /** knowledge articles (tenant + article + language) and their change sequence */
  readonly knowledge: KnowledgeArticleRepository;
  /** replies in the write ledger, with who really wrote them */
  readonly replyIntents: ReplyIntentRepository;
  /** ticket monitoring's counts per tenant (its case snapshots are written through the unit of work) */
  readonly monitorStats: MonitorStatsRepository;
  /** ticket monitoring's case snapshots, for reads (writes go through the unit of work) */
  readonly caseSnapshots: CaseSnapshotRepository;
  /** one poller per tenant at a time across workers (ticket monitoring) */
  readonly pollLeases: PollLeaseRepository;
  /** one Case change stream per tenant across workers (issue 21) */
  readonly caseStreamLeases: CaseStreamLeaseRepository;
  /** each tenant's newest knowledge sync: progress, counts, warnings */
  readonly knowledgeSync: KnowledgeSyncStateRepository;
  /** on-demand jobs: state, progress, summary or coded error, read alike by every process */
  readonly jobs: JobRepository;
  /** cursors, outbox, processed events, tenant rows and secrets written together in one transaction */
  readonly unitOfWork: UnitOfWork;
  /** each tenant's webhook URL (its secrets are in `secrets`) */
  readonly webhooks: WebhookRepository;
  /** the web chat's live feed of ticket notifications (one shared order, replayed after a reconnect) */
  readonly chatFeed: ChatFeedRepository;
  /** a signal for every entry added to the chat feed by any worker (NOTIFY, migration 0061) */
  readonly chatFeedSignals: FeedSignals;
  /** outbox counts per tenant, kind and state */
  readonly outboxStats: OutboxStats;
  /** the bot API: identity-token settings, used token ids, employee sessions (hashed) */
  readonly bot: {
    readonly identity: SqlBotIdentityRepository;
    readonly tokenIds: SqlTokenIdRepository;
    readonly sessions: SqlBotSessionRepository;
    readonly apiKeys: SqlBotApiKeyRepository;
    readonly rates: SqlRateCounter;
  };
  /** waiting periods of watched cases and their reminders, and employees' last replies (nudges) */
  readonly nudges: NudgeRepository;
  /** employees' own time zones, when the bot told them */
  readonly employeeZones: EmployeeZoneRepository;
  /** how active each tenant is (replies ledger, snapshots) and its decided poll pace */
  readonly pollActivity: PollActivityRepository;
  readonly pollPaces: PollPaceRepository;
  /** the console's reads (doctor reports, knowledge runs, usage, audit search, latency) and its action log */
  readonly console: ConsoleRepository;
  /** the console's one-time links and sessions, hashed, shared by every worker (migration 0081) */
  readonly consoleSessions: ConsoleSessionRepository;
  /** the bot's conversations: what each dialogue waits for, and the turns (migration 0050) */
  readonly conversations: SqlConversationRepository;
  /** autonomous resolution: each considered case and the funnel (migration 0051) */
  readonly resolutions: SqlResolutionRepository;
  /** each tenant's last /limits reading (the poll pace's allocation) */
  readonly apiAllocations: ApiAllocationRepository;
  /** employees talking to the bot (live bot sessions), for the poll pace */
  readonly botActivity: BotActivityRepository;
  /** closes the database and releases the data-directory lock (and the service info this process wrote) */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  log: Logger;
  clock: Clock;
  /** PGlite only: an in-memory database, no directory and no lock (tests) */
  inMemory?: boolean;
  /** PostgreSQL only: use this schema (created if missing) instead of the default search_path (tests) */
  schema?: string;
  outboxPolicy?: OutboxPolicy;
  /** how the API audit log batches its writes (tests set a short flush) */
  auditBuffer?: BufferOptions;
  /** the tenant login lease (tests set a short one) */
  loginLease?: Partial<LoginLeaseOptions>;
}

/** Where the embedded store keeps its PGlite data directory. */
export function embeddedStoreDir(dataDir: string): string {
  return join(dataDir, 'store');
}

/**
 * Opens the configured store and brings its schema up to date.
 * Embedded (PGlite): locks `<dataDir>` first (STORE_LOCKED naming the holder's pid when another process has it),
 * then opens `<dataDir>/store`. PostgreSQL: a pool on `config.store.url` (STORE_UNAVAILABLE when unreachable).
 */
export async function openStore(
  config: Pick<Config, 'dataDir' | 'store'>,
  options: OpenStoreOptions,
): Promise<Store> {
  const log = options.log.child({ component: 'store' });
  let lock: StoreLock | null = null;
  let db: Db | null = null;
  try {
    if (config.store.kind === 'postgres') {
      db = await openPostgres(config.store.url, options.schema);
    } else if (options.inMemory === true) {
      db = await PgliteDb.open(undefined, log);
    } else {
      lock = acquireStoreLock(config.dataDir, options.clock);
      // created here, 0700, before PGlite would create it with the default mode
      ensurePrivateDir(embeddedStoreDir(config.dataDir));
      db = await PgliteDb.open(embeddedStoreDir(config.dataDir), log);
      tightenTree(embeddedStoreDir(config.dataDir));
    }
    await migrate(db, log);
    log.info({ kind: db.kind }, 'store opened');
    return buildStore(db, options, async () => {
      await db?.close();
      if (lock !== null) {
        // files PGlite made while open (WAL segments) were created with the default mode
        tightenTree(embeddedStoreDir(config.dataDir));
        clearServiceInfo(config.dataDir);
        lock.release();
      }
    });
  } catch (err) {
    await db?.close().catch(() => undefined);
    lock?.release();
    throw err;
  }
}

async function openPostgres(url: string, schema: string | undefined): Promise<Db> {
  const db = new PostgresDb(schema === undefined ? { url } : { url, schema });
  try {
    if (schema !== undefined) {
      // Two openers racing on IF NOT EXISTS can still collide on the catalog's unique index; the loser is fine.
      await db.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`).catch((err: unknown) => {
        if (sqlState(err) !== UNIQUE_VIOLATION) throw err;
      });
    }
    await db.query('SELECT 1');
    return db;
  } catch (err) {
    await db.close().catch(() => undefined);
    if (isAppError(err)) throw err;
    throw appError(STORE_UNAVAILABLE, {
      params: { reason: err instanceof Error ? err.message : String(err) },
      cause: err,
    });
  }
}

function buildStore(raw: Db, options: OpenStoreOptions, close: () => Promise<void>): Store {
  const guard = guardUnitOfWork(raw);
  const db = guard.db;
  const { clock } = options;
  const policy = options.outboxPolicy ?? DEFAULT_OUTBOX_POLICY;
  let closed: Promise<void> | null = null;
  const audit = new BufferedApiAuditRepository(
    new SqlApiAuditRepository(db),
    options.log,
    options.auditBuffer,
  );
  const sqlTenants = new SqlTenantRepository(db, (fn) => db.transaction(fn));
  const tenants: TenantRepository = {
    insert: (tenant) => sqlTenants.insert(tenant),
    update: (id, patch) => sqlTenants.update(id, patch),
    setInstanceUrl: (id, instanceUrl, at) => sqlTenants.setInstanceUrl(id, instanceUrl, at),
    markKeyProven: (id, which, fingerprint, at) => sqlTenants.markKeyProven(id, which, fingerprint, at),
    get: (id) => sqlTenants.get(id),
    list: () => sqlTenants.list(),
    // buffered audit rows of the tenant must land before its rows are erased, or they would outlive it
    delete: async (id) => {
      await audit.flush();
      await sqlTenants.delete(id);
    },
  };
  return {
    kind: raw.kind,
    db: raw,
    tenants,
    secrets: new SqlSecretRepository(db, clock),
    sessions: new SqlSessionRepository(db, new LoginLeases(db, options.loginLease)),
    audit,
    pauses: new SqlTenantPauseRepository(db),
    cursors: new SqlSyncCursorRepository(db, clock),
    outbox: new SqlOutboxRepository(db, clock, policy),
    processed: new SqlProcessedEventRepository(db, clock),
    masterKeyChecks: new SqlMasterKeyCheckRepository(db),
    writeIntents: new SqlWriteIntentRepository(db, clock),
    jobRuns: new SqlJobRunRepository(db),
    knowledge: new SqlKnowledgeArticleRepository(db, (fn) => db.transaction(fn), clock),
    replyIntents: new SqlReplyIntentRepository(db, clock),
    monitorStats: new SqlMonitorStatsRepository(db),
    caseSnapshots: new SqlCaseSnapshotRepository(db, clock),
    pollLeases: new SqlPollLeaseRepository(db, clock),
    caseStreamLeases: new SqlCaseStreamLeaseRepository(db, clock),
    knowledgeSync: new SqlKnowledgeSyncStateRepository(db, clock),
    jobs: new SqlJobRepository(db),
    unitOfWork: {
      run: (fn) =>
        guard.transaction((tx) =>
          fn({
            cursors: new SqlSyncCursorRepository(tx, clock),
            outbox: new SqlOutboxRepository(tx, clock, policy),
            processed: new SqlProcessedEventRepository(tx, clock),
            // already in the transaction: deleting owned rows needs no transaction of its own
            tenants: new SqlTenantRepository(tx, (work) => work(tx)),
            secrets: new SqlSecretRepository(tx, clock),
            caseSnapshots: new SqlCaseSnapshotRepository(tx, clock),
          }),
        ),
    },
    webhooks: new SqlWebhookRepository(db, clock),
    chatFeed: new SqlChatFeedRepository(db, clock),
    chatFeedSignals: {
      listen: (handlers) =>
        db.listen(CHAT_FEED_CHANNEL, { signal: () => handlers.signal(), live: (up) => handlers.live(up) }),
    },
    outboxStats: new SqlOutboxStats(db),
    bot: {
      identity: new SqlBotIdentityRepository(db, clock),
      tokenIds: new SqlTokenIdRepository(db, clock),
      sessions: new SqlBotSessionRepository(db),
      apiKeys: new SqlBotApiKeyRepository(db),
      rates: new SqlRateCounter(db),
    },
    nudges: new SqlNudgeRepository(db),
    employeeZones: new SqlEmployeeZoneRepository(db, clock),
    pollActivity: new SqlPollActivityRepository(db),
    pollPaces: new SqlPollPaceRepository(db),
    // the audit buffer is flushed before the console reads api_audit, as before every read of the log
    console: new SqlConsoleRepository(db, () => audit.flush()),
    consoleSessions: new SqlConsoleSessionRepository(db),
    conversations: new SqlConversationRepository(db),
    resolutions: new SqlResolutionRepository(db),
    apiAllocations: new SqlApiAllocationRepository(db),
    botActivity: new SqlBotActivityRepository(db),
    close: () => (closed ??= audit.flush().then(close)),
  };
}

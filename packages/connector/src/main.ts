// The composition root: config → master key → store → Salesforce adapter → services. The only file that imports
// concrete adapters and services together; the CLI and the service start from here.

import type { Config } from './config/load-config.js';
import {
  addMasterKeyToFile,
  dropRetiredMasterKeys,
  loadMasterKeyRing,
  type MasterKeyRing,
} from './crypto/master-key.js';
import { X509KeyFactory } from './crypto/key-factory.js';
import { verifyMasterKeyRing } from './crypto/master-key-check.js';
import { AesGcmSecretBox } from './crypto/secret-box.js';
import type { Clock, SecretBinding, SecretBox } from './domain/ports.js';
import { appError } from './errors/app-error.js';
import { SECRETS_KEY_RING_INLINE } from './errors/codes/secrets.js';
import type { Logger } from './logging/logger.js';
import { createAccessProbe } from './salesforce/access-probe.js';
import { rsaKeySigner } from './salesforce/auth/jwt-assertion.js';
import { SessionManager } from './salesforce/auth/session-manager.js';
import { fetchFormPost, TokenClient } from './salesforce/auth/token-client.js';
import { JsforceSalesforceGatewayFactory } from './salesforce/gateway.js';
import { SalesforceClient } from './salesforce/salesforce-client.js';
import { JsforceReplyGatewayFactory } from './salesforce/reply-gateway.js';
import { ReplyService } from './services/tickets/reply-to-case.js';
import type { RotationProgress } from './services/admin-operations.js';
import { LocalAdmin } from './services/local-admin.js';
import { countEnvelopesByKey, rotateMasterKey } from './services/rotate-master-key.js';
import { TenantService } from './services/tenant-service.js';
import { openStore, type Store } from './store/open-store.js';
import { jobBackendOptions } from './store/job-backend.js';
import { ApiBudgetGate } from './jobs/budget-gate.js';
import { JobRunner, type TenantJobStatus } from './jobs/job-runner.js';
import { certificateWatchJob, reconcileTenantSchedules, type TenantJob } from './services/tenant-jobs.js';
import { KnowledgeSearchService } from './services/knowledge/knowledge-search.js';
import { inMemoryIndexes } from './search/tenant-index.js';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { TICKET_NOTIFICATION_KIND } from './domain/webhooks/ports.js';
import { OutboxDispatcher, type OutboxHandler } from './jobs/outbox-dispatcher.js';
import { WebhookSender } from './notify/webhook/send-webhook.js';
import { createWebhookSecret } from './notify/webhook/signature.js';
import { ticketNotificationHandler } from './notify/webhook/ticket-notification-handler.js';
import { chatFeedNotifier } from './notify/live/chat-feed-notifier.js';
import { LiveFeed } from './notify/live/live-feed.js';
import { SESSION_IDLE_MS } from './services/console/console-access.js';
import type { ChatFeedRepository } from './domain/chat/chat-ports.js';
import type { KnowledgeArticleRepository } from './domain/knowledge/ports.js';
import type { Tenant } from './domain/tenant.js';
import { resolveWebhookTarget, webhookUrlPolicy, type HostResolver } from './notify/webhook/url-policy.js';
import { DeadLetterService } from './services/dead-letters.js';
import { WebhookService } from './services/webhook-service.js';
import { notificationNote } from './domain/tickets/monitor-note.js';
import { PollingCaseChangeSource } from './salesforce/case-change-poller.js';
import { checkMonitorSettings } from './salesforce/monitor-checks.js';
import { IdempotentWrites } from './services/idempotent-writes.js';
import { ticketMonitorJob, type MonitorJobDeps } from './services/tickets/monitor-job.js';
import { TicketMonitor, type TicketMonitorDeps } from './services/tickets/ticket-monitor.js';
import { CaseStreamRunner, caseStreamState } from './services/tickets/case-stream-runner.js';
import { openTenantCaseStream } from './salesforce/cdc/tenant-case-stream.js';
import { caseStreamAvailability } from './salesforce/cdc/case-stream-probe.js';
import { caseStreamSwitch } from './domain/tickets/case-stream-switch.js';
import { NudgeRun } from './services/tickets/nudge-run.js';
import { PollPacer } from './services/tickets/poll-pacer.js';
import { BulkKnowledgeSource } from './salesforce/knowledge/bulk-knowledge-source.js';
import { ApiAllocationReader } from './services/tickets/api-allocation-reader.js';
import { PaceSignals } from './services/tickets/pace-signals.js';
import { SalesforceKnowledgeSource } from './salesforce/knowledge/knowledge-source.js';
import { KnowledgeSyncRunner } from './services/knowledge/knowledge-sync-runner.js';
import { knowledgeSyncJob } from './services/knowledge/knowledge-sync-job.js';
import { randomBytes } from 'node:crypto';
import { JobKinds } from './services/job-kinds.js';
import { OnDemandJobs } from './services/on-demand-jobs.js';
import { doctorJob } from './services/doctor-job.js';
import { markingKnowledgeRuns } from './services/console/knowledge-run-marks.js';
import { scrubSecrets } from './logging/scrub-secrets.js';
import { createPolicyFetch } from './notify/webhook/policy-fetch.js';
import { JsforceBotCaseGatewayFactory } from './salesforce/bot-gateway.js';
import { BotSessionService } from './services/bot/bot-sessions.js';
import { BotTicketService } from './services/bot/bot-tickets.js';
import { BOT_READ_MAX_AGE_MS } from './services/bot/fresh-reads.js';
import { RuleConversationEngine } from './services/conversation/conversation-engine.js';
import { rememberNotifications } from './services/conversation/notification-memory.js';
import { ConversationAdmin } from './services/conversation/conversation-admin.js';
import { ResolutionService } from './services/conversation/resolution-service.js';
import { resolutionJob } from './services/conversation/resolution-job.js';
import { JsforceResolutionGatewayFactory } from './salesforce/resolution-gateway.js';
import { IdentityVerifier } from './services/bot/identity-verifier.js';
import { BotIdentitySettingsService } from './services/bot/identity-settings.js';
import { BotApiKeyService } from './services/bot/bot-api-keys.js';
import { LocalBotAdmin } from './services/bot/bot-admin.js';
import { validateFiling } from './domain/bot/filing-rules.js';
import type { RateCounter } from './domain/bot/api-key-ports.js';
import { LeasedRateCounter } from './domain/bot/leased-rate-counter.js';
import { MemoryRateCounter } from './domain/bot/rate-window.js';
import type { OutboxPolicy } from './store/repositories/outbox.js';
import {
  MONITOR_MAINTENANCE_EVERY_MS,
  runMonitorMaintenance,
} from './services/tickets/monitor-maintenance.js';
import { systemClock } from './system-clock.js';

/** the one clock that reads real time (system-clock.ts); `openRuntime` uses it unless given another */
export { systemClock };

/** A SecretBox whose key ring can be replaced in place, so a master-key rotation takes effect without a restart. */
class RotatableSecretBox implements SecretBox {
  constructor(private inner: AesGcmSecretBox) {}
  get currentKeyId(): string {
    return this.inner.currentKeyId;
  }
  replace(ring: MasterKeyRing): void {
    this.inner = new AesGcmSecretBox(ring);
  }
  seal(plaintext: string, binding: SecretBinding): string {
    return this.inner.seal(plaintext, binding);
  }
  open(envelope: string, binding: SecretBinding): string {
    return this.inner.open(envelope, binding);
  }
  keyIdOf(envelope: string): string {
    return this.inner.keyIdOf(envelope);
  }
}

export interface Runtime {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: Clock;
  readonly store: Store;
  readonly box: SecretBox;
  readonly sessions: SessionManager;
  readonly client: SalesforceClient;
  readonly gateways: JsforceSalesforceGatewayFactory;
  readonly tenants: TenantService;
  readonly admin: LocalAdmin;
  /** knowledge search: indexes built from the store on first use, kept current by startBackgroundWork */
  readonly knowledge: KnowledgeSearchService;
  /** each tenant's webhook (URL + sealed signing secrets); the outbox handler reads its active secrets */
  readonly webhooks: WebhookService;
  /** one signed webhook attempt under the URL policy (CASEBRIDGE_WEBHOOK_*) */
  readonly webhookSender: WebhookSender;
  /** employees' replies to their cases */
  readonly replies: ReplyService;
  /**
   * knowledge sync of one tenant: `run(tenantId, onProgress, { full, signal })`, scheduled by startBackgroundWork,
   * run by `casebridge knowledge sync`; writes through `knowledge`, so search follows
   */
  readonly knowledgeSync: KnowledgeSyncRunner;
  /** every job kind: recurring ones run for every tenant, any one runs on demand (`admin.startJob`) */
  readonly jobKinds: JobKinds;
  /** on-demand jobs: run in this process until startBackgroundWork hands them to the job runner */
  readonly onDemandJobs: OnDemandJobs;
  /** the bot API: employee sessions from identity tokens, and what an employee does with tickets and knowledge */
  readonly bot: {
    readonly sessions: BotSessionService;
    readonly tickets: BotTicketService;
    readonly identity: BotIdentitySettingsService;
    /** the conversation engine behind /v1/conversation */
    readonly conversation: RuleConversationEngine;
    /** autonomous resolution of monitored tickets (offers, answers, the funnel) */
    readonly resolution: ResolutionService;
    /** the request counts every worker shares (per API key, per employee) */
    readonly rates: RateCounter;
    /** the runtime's clock, so an app built from `...runtime.bot` reads the same time */
    readonly clock: Clock;
  };
  /**
   * The calling platforms' API keys (the served bot API requires one on every call). Apart from `bot`, so an app a
   * test builds from `...runtime.bot` runs without keys.
   */
  readonly botKeys: BotApiKeyService;
  /** the web chat: its live feed of ticket notifications (written by the outbox) and what its pages read */
  readonly chat: {
    readonly tenants: { show(id: string): Promise<Tenant> };
    readonly feed: ChatFeedRepository;
    readonly live: LiveFeed;
    readonly articles: KnowledgeArticleRepository;
  };
  close(): Promise<void>;
  /** activity this process records (employees' replies), so its poll pacer reads its inputs again at once */
  readonly paceSignals: PaceSignals;
}

export interface RuntimeOptions {
  log: Logger;
  clock?: Clock;
  /** PGlite in memory (tests) */
  inMemoryStore?: boolean;
  /** PostgreSQL schema (tests) */
  schema?: string;
  /** how webhook hosts are resolved (tests point names at their local receiver); the system's otherwise */
  webhookResolver?: HostResolver;
  /** outbox backoff and attempts (tests shorten them); the store's default otherwise */
  outboxPolicy?: OutboxPolicy;
  /** how long a search waits for its tenant's index still being built (tests: 0 answers `index-warming` at once) */
  knowledgeWarmWaitMs?: number;
}

export async function openRuntime(config: Config, options: RuntimeOptions): Promise<Runtime> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  const masterKeys = {
    inline: config.masterKey.inline,
    file: config.masterKey.file,
    dataDir: config.dataDir,
    embedded: config.store.kind === 'pglite',
  };
  // A bad CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS fails here, before anything is opened or locked.
  const webhookPolicy = webhookUrlPolicy(config.webhook);
  // The key ring is loaded before the store opens, so a bad master key fails before anything is locked.
  const box = new RotatableSecretBox(new AesGcmSecretBox(loadMasterKeyRing(masterKeys)));
  const store = await openStore(config, {
    log,
    clock,
    ...(options.inMemoryStore ? { inMemory: true } : {}),
    ...(options.schema !== undefined ? { schema: options.schema } : {}),
    ...(options.outboxPolicy !== undefined ? { outboxPolicy: options.outboxPolicy } : {}),
  });

  // A worker whose master key disagrees with the store must not start: it would seal what others cannot open.
  let usedKeyIds: string[];
  try {
    usedKeyIds = await verifyMasterKeyRing(loadMasterKeyRing(masterKeys), store.masterKeyChecks, clock.now());
  } catch (err) {
    await store.close();
    throw err;
  }

  const keys = new X509KeyFactory(clock);
  // Token and revoke requests are Salesforce calls too: audited like the rest (invariant 4).
  const tokens = new TokenClient(fetchFormPost(), { audit: store.audit, clock, log });
  // The tenant service and the session manager need each other; the closures below run only after both exist.
  const tenants: TenantService = new TenantService({
    tenants: store.tenants,
    secrets: store.secrets,
    sessions: store.sessions,
    unitOfWork: store.unitOfWork,
    box,
    keys,
    clock,
    log,
    // Monitoring settings are checked against the org's describe when saved (issue 13); gateways exist by then.
    settingsCheck: async (record, settings) => {
      const tenant = { ...(await tenants.show(record.id)), settings };
      const gateway = gateways.forTenant(tenant, 'settings-check');
      return [
        ...(await checkMonitorSettings(gateway, client, tenant)),
        // the bot's filing: defaults and mapped fields must be Case fields the service user can set (issue 15)
        ...validateFiling(settings.caseDefaults, settings.filing, await gateway.describe('Case')),
      ];
    },
    revoker: {
      revoke: async (tenantId) => {
        const tenant = await store.tenants.get(tenantId);
        sessions.forget(tenantId);
        if (tenant) await sessions.revoke(tenant);
      },
    },
  });
  const sessions = new SessionManager({
    sessions: store.sessions,
    box,
    tokens,
    clock,
    log,
    signerFor: async (tenant) => rsaKeySigner((await tenants.signingKey(tenant.id)).privateKeyPem, tenant.id),
    onLogin: (tenantId, login) => tenants.recordInstanceUrl(tenantId, login.instanceUrl),
  });
  const client = new SalesforceClient({ sessions, audit: store.audit, pauses: store.pauses, clock, log });
  const gateways = new JsforceSalesforceGatewayFactory(client, clock);
  const probe = createAccessProbe({
    tokens,
    box,
    audit: store.audit,
    pauses: store.pauses,
    clock,
    log,
    onLogin: (tenantId, login) => tenants.recordInstanceUrl(tenantId, login.instanceUrl),
    caseStreamEnabled: config.caseStream.enabled,
  });

  const rotate = async (
    onProgress?: (progress: RotationProgress) => void,
  ): Promise<RotationProgress & { keyId: string }> => {
    let ring = loadMasterKeyRing(masterKeys);
    if (ring.source.kind === 'file') {
      // A ring with more than one key means an earlier rotation did not finish: resume it instead of adding another.
      if (ring.keys.length === 1) addMasterKeyToFile(ring.source.path, { usedIds: usedKeyIds });
      ring = loadMasterKeyRing(masterKeys);
    } else if (ring.keys.length === 1) {
      throw appError(SECRETS_KEY_RING_INLINE);
    }
    usedKeyIds = await verifyMasterKeyRing(ring, store.masterKeyChecks, clock.now());
    box.replace(ring);
    const result = await rotateMasterKey({
      secrets: store.secrets,
      // the shared access tokens are sealed under the same master key: re-sealed (or cleared) and counted too
      sessions: store.sessions,
      box,
      log,
      ...(onProgress ? { onProgress } : {}),
    });
    if (ring.source.kind === 'file' && result.failed.length === 0) {
      const retired = dropRetiredMasterKeys(
        ring.source.path,
        await countEnvelopesByKey(store.secrets, box, store.sessions),
      );
      await store.masterKeyChecks.retire(retired, clock.now());
      box.replace(loadMasterKeyRing(masterKeys));
      log.info({ keyId: result.keyId, retired }, 'master key rotated');
    }
    return { done: result.done, total: result.total, keyId: result.keyId };
  };

  const webhookResolve = options.webhookResolver === undefined ? {} : { resolve: options.webhookResolver };
  const webhookSender = new WebhookSender({
    policy: webhookPolicy,
    ...webhookResolve,
    nowSeconds: () => clock.now().getTime() / 1000,
    logger: log.child({ component: 'webhook' }),
  });
  const webhooks = new WebhookService({
    tenants: store.tenants,
    webhooks: store.webhooks,
    secrets: store.secrets,
    unitOfWork: store.unitOfWork,
    box,
    checkUrl: async (url) => {
      await resolveWebhookTarget(url, webhookPolicy, options.webhookResolver);
    },
    createSecret: () => createWebhookSecret(),
    send: async (delivery) => (await webhookSender.send(delivery)).outcome,
    clock,
    ids: { next: () => randomUUID() },
    log,
  });
  const paceSignals = new PaceSignals();
  const replies = new ReplyService({
    tenants,
    gateways,
    replies: new JsforceReplyGatewayFactory(client),
    // a reply makes its case a live conversation: this process's pacer speeds polling at its next tick
    intents: {
      begin: async (intent) => {
        const begun = await store.replyIntents.begin(intent);
        if (begun.created) paceSignals.changed(intent.tenantId);
        return begun;
      },
      finish: (...args) => store.replyIntents.finish(...args),
    },
    clock,
    log: log.child({ component: 'replies' }),
  });
  // Job kinds, one line each. A kind with an interval recurs for every tenant; every kind can run on demand.
  const jobKinds = new JobKinds();
  jobKinds.register(certificateWatchJob({ tenants: store.tenants, clock }));
  jobKinds.register(doctorJob((tenantId) => admin.doctor(tenantId, {})));
  const onDemandJobs = new OnDemandJobs({
    jobs: store.jobs,
    tenants: store.tenants,
    kinds: jobKinds,
    clock,
    log: log.child({ component: 'jobs' }),
    newId: () => `job_${randomBytes(10).toString('base64url')}`,
    describe: (err) => scrubSecrets(err instanceof Error ? err.message : String(err)).slice(0, 500),
  });

  const admin = new LocalAdmin({
    tenants,
    sessions,
    keys,
    probe,
    clock,
    log,
    rotateMasterKey: rotate,
    status: {
      tenants: store.tenants,
      audit: store.audit,
      pauses: store.pauses,
      clock,
      monitorStats: store.monitorStats,
      knowledgeSync: store.knowledgeSync,
      pollPaces: store.pollPaces,
      resolutions: store.resolutions,
      caseStream: { enabled: config.caseStream.enabled, leases: store.caseStreamLeases },
    },
    webhooks,
    deadLetters: new DeadLetterService({ outbox: store.outbox, log }),
    outboxStats: store.outboxStats,
    replies,
    jobs: onDemandJobs,
    kinds: jobKinds,
    conversations: new ConversationAdmin({ tenants, conversations: store.conversations, clock }),
    jobRuns: store.jobRuns,
    doctorReports: store.console,
  });
  const knowledge = new KnowledgeSearchService({
    articles: store.knowledge,
    indexes: inMemoryIndexes,
    tenants: store.tenants,
    log: log.child({ component: 'knowledge' }),
    timer: performance,
    ...(options.knowledgeWarmWaitMs === undefined ? {} : { warmWaitMs: options.knowledgeWarmWaitMs }),
  });
  const knowledgeSync = new KnowledgeSyncRunner({
    tenants: store.tenants,
    // a large full load goes by one Bulk API 2.0 query job, REST where the org refuses it
    sourceFor: (tenant, signal) =>
      new BulkKnowledgeSource(new SalesforceKnowledgeSource(client, tenant), client, tenant, {
        log: log.child({ component: 'knowledge-sync' }),
        ...(signal === undefined ? {} : { signal }),
      }),
    articles: store.knowledge,
    writer: knowledge,
    cursors: store.cursors,
    states: markingKnowledgeRuns(store.knowledgeSync, store.console),
    clock,
    log: log.child({ component: 'knowledge-sync' }),
  });
  // Identity-token keys from a JWKS URL are fetched under the webhook URL policy (no private address, no redirect).
  const policyFetch = createPolicyFetch({ policy: webhookPolicy, ...webhookResolve });
  const botCases = new JsforceBotCaseGatewayFactory(client);
  const botTickets = new BotTicketService({
    tenants,
    knowledge,
    gateways,
    botCases,
    writes: new IdempotentWrites({ intents: store.writeIntents, clock }),
    replies,
    freshReads: { clock, maxAgeMs: BOT_READ_MAX_AGE_MS },
  });
  const resolution = new ResolutionService({
    tenants,
    records: store.resolutions,
    resolutionGateways: new JsforceResolutionGatewayFactory(client),
    gateways,
    botCases,
    writes: new IdempotentWrites({ intents: store.writeIntents, clock }),
    knowledge,
    outbox: store.outbox,
    ownWrites: (tenantId, ids) => store.writeIntents.recordIdsAmong(tenantId, ids),
    comment: (session, caseNumber, text, key) => botTickets.comment(session, caseNumber, text, key),
    clock,
    log: log.child({ component: 'autonomous-resolution' }),
  });
  const bot = {
    sessions: new BotSessionService({
      tenants,
      identity: store.bot.identity,
      tokenIds: store.bot.tokenIds,
      sessions: store.bot.sessions,
      verifier: new IdentityVerifier({ clock, fetch: policyFetch }),
      gateways,
      clock,
      log: log.child({ component: 'bot-sessions' }),
      zones: store.employeeZones,
      activity: paceSignals,
    }),
    tickets: botTickets,
    identity: new BotIdentitySettingsService({
      tenants,
      identity: store.bot.identity,
      checkUrl: async (url) => {
        await resolveWebhookTarget(url, webhookPolicy, options.webhookResolver);
      },
    }),
    conversation: new RuleConversationEngine({
      tickets: botTickets,
      conversations: store.conversations,
      clock,
      resolution,
    }),
    resolution,
    // PGlite: one process holds the store, so counting in its memory is exact; PostgreSQL: blocks of allowance
    // leased from the shared count, so most requests write nothing and the workers together allow each limit once
    rates: store.kind === 'pglite' ? new MemoryRateCounter() : new LeasedRateCounter(store.bot.rates),
    clock,
  };
  const chat = {
    tenants,
    feed: store.chatFeed,
    live: new LiveFeed({
      feed: store.chatFeed,
      signals: store.chatFeedSignals,
      log: log.child({ component: 'chat-feed' }),
    }),
    articles: store.knowledge,
  };
  const botKeys = new BotApiKeyService({
    tenants,
    keys: store.bot.apiKeys,
    clock,
    log: log.child({ component: 'bot-keys' }),
  });
  admin.attachBot(new LocalBotAdmin(bot.identity, botKeys));
  const runtime: Runtime = {
    bot,
    botKeys,
    chat,
    config,
    log,
    clock,
    store,
    box,
    sessions,
    client,
    gateways,
    tenants,
    admin,
    knowledge,
    webhooks,
    webhookSender,
    replies,
    knowledgeSync,
    jobKinds,
    onDemandJobs,
    paceSignals,
    close: async () => {
      knowledge.stop();
      await chat.live.stop();
      // a job this process runs records how it ended before the store closes
      await onDemandJobs.stop();
      return store.close();
    },
  };
  // kinds that need the whole runtime (its gateways and store together) are registered once it exists
  // paced: it ticks at the 5 s floor and polls when the tenant's budget and activity say it is due
  jobKinds.register(ticketMonitorJobFor(runtime, undefined, { pace: true }));
  jobKinds.register(knowledgeSyncJob(knowledgeSync));
  if (config.conversation.autonomousResolution) jobKinds.register(resolutionJob(resolution));
  return runtime;
}

export interface BackgroundWork {
  status(): TenantJobStatus[];
  stop(): Promise<void>;
}

/** The ticket monitor job wired to the runtime's store and Salesforce client (issue 13). */
export function ticketMonitorJobFor(
  runtime: Runtime,
  onRun?: MonitorJobDeps['onRun'],
  /** `pace`: tick at the 5 s floor and poll when the tenant's API share and activity allow (the service does) */
  options: { pace?: boolean } = {},
): TenantJob {
  const { store, clock, log } = runtime;
  const monitor = new TicketMonitor(ticketMonitorDepsFor(runtime));
  return ticketMonitorJob({
    tenants: store.tenants,
    monitor,
    leases: store.pollLeases,
    sourceFor: (tenant) => ({
      source: new PollingCaseChangeSource(runtime.client, tenant),
      callCount: () => runtime.client.usage(tenant.id).attempts,
    }),
    ids: { next: () => randomUUID() },
    clock,
    ...(options.pace === true
      ? {
          pacer: new PollPacer({
            audit: store.audit,
            stats: store.monitorStats,
            activity: store.pollActivity,
            paces: store.pollPaces,
            clock,
            stream: (tenantId) =>
              caseStreamState({ leases: store.caseStreamLeases, cursors: store.cursors }, tenantId),
            allocation: new ApiAllocationReader({
              allocations: store.apiAllocations,
              limitsOf: async (tenantId) =>
                runtime.gateways.forTenant(await runtime.tenants.show(tenantId), 'poll-pace').limits(),
              clock,
              log: log.child({ component: 'poll-pace' }),
            }),
            bots: store.botActivity,
            signals: runtime.paceSignals,
          }),
        }
      : {}),
    nudges: new NudgeRun({
      nudges: store.nudges,
      zones: store.employeeZones,
      outbox: store.outbox,
      clock,
      log: log.child({ component: 'nudges' }),
    }),
    ...(onRun === undefined ? {} : { onRun }),
  });
}

/** The ticket monitor's store, ledger and note writer, shared by the poll job and the Case change stream. */
function ticketMonitorDepsFor(runtime: Runtime): TicketMonitorDeps {
  const { store, clock, log } = runtime;
  const writes = new IdempotentWrites({ intents: store.writeIntents, clock });
  return {
    unitOfWork: store.unitOfWork,
    cursors: store.cursors,
    snapshots: store.caseSnapshots,
    stats: store.monitorStats,
    processed: store.processed,
    ownWrites: (tenantId, ids) => store.writeIntents.recordIdsAmong(tenantId, ids),
    leaveNote: async (tenantId, notification) => {
      const tenant = await runtime.tenants.show(tenantId);
      await writes.addComment(tenantId, runtime.gateways.forTenant(tenant, 'ticket-monitor'), {
        caseId: notification.caseId,
        body: notificationNote(notification),
        isPublic: false,
        idempotencyKey: `monitor-note:${notification.eventId}`,
      });
    },
    clock,
    log: log.child({ component: 'ticket-monitor' }),
  };
}

/** Case changes by Change Data Capture for the tenants whose org allows it (issue 21); one stream per tenant. */
export function caseStreamRunnerFor(
  runtime: Runtime,
  /** tests shorten the lease and its renewal to see a worker take over */
  timing: { leaseMs?: number; renewMs?: number } = {},
): CaseStreamRunner {
  const { store, clock, log } = runtime;
  return new CaseStreamRunner({
    ...timing,
    tenants: () => store.tenants.list(),
    leases: store.caseStreamLeases,
    pollLeases: store.pollLeases,
    cursors: store.cursors,
    monitor: ticketMonitorDepsFor(runtime),
    sourceFor: (tenant) => ({
      source: new PollingCaseChangeSource(runtime.client, tenant),
      callCount: () => runtime.client.usage(tenant.id).attempts,
    }),
    switchFor: (tenant) => caseStreamSwitch(runtime.config.caseStream.enabled, tenant),
    availability: async (tenant) => {
      const result = await caseStreamAvailability(runtime.client, tenant);
      return result.usable ? { usable: true, reason: 'subscribed' } : { usable: false, reason: result.error };
    },
    open: (tenant, events) =>
      openTenantCaseStream(runtime.sessions, tenant, {
        replayFrom: events.replayFrom,
        onChange: (change) => events.onChange(change),
        onGap: () => events.onGap(),
        onSubscribed: () => events.onSubscribed(),
        onRequest: () => runtime.client.countStreamRequest(tenant.id),
      }),
    budget: new ApiBudgetGate({ tenants: store.tenants, pauses: store.pauses, audit: store.audit, clock }),
    ids: { next: () => randomUUID() },
    clock,
    log: log.child({ component: 'case-stream' }),
  });
}

const RECONCILE_EVERY_MS = 60_000;
const ON_DEMAND_QUEUE = 'on-demand-jobs';
const AUDIT_PURGE_EVERY_MS = 3_600_000;
const CHAT_FEED_RETENTION_MS = 30 * 86_400_000;

/**
 * Starts the job runner on the store's database (pg-boss), schedules every tenant's recurring jobs, keeps the
 * schedule in step with the tenant list, and purges the API audit log past its retention.
 */
export interface BackgroundOptions {
  /** how long a claimed outbox batch is leased (tests shorten it to see a killed worker replaced); default 5 min */
  outboxLeaseMs?: number;
}

export async function startBackgroundWork(
  runtime: Runtime,
  options: BackgroundOptions = {},
): Promise<BackgroundWork> {
  const { store, clock, log, config } = runtime;
  const budget = new ApiBudgetGate({
    tenants: store.tenants,
    pauses: store.pauses,
    audit: store.audit,
    clock,
  });
  const runner = new JobRunner({
    boss: jobBackendOptions(store.db),
    budget,
    clock,
    log,
    runs: store.jobRuns,
  });
  const jobs = runtime.jobKinds.recurring();
  for (const job of jobs)
    runner.register({
      name: job.name,
      ...(job.timeoutSeconds === undefined ? {} : { timeoutSeconds: job.timeoutSeconds }),
      // a recurring run's progress has no reader; its outcome is in job_runs
      run: async (context) => void (await job.run({ ...context, progress: () => undefined })),
    });
  // On-demand jobs go through the queue, so any worker sharing the store may run one; the claim runs it once.
  const longest = Math.max(900, ...runtime.jobKinds.all().map((kind) => kind.timeoutSeconds ?? 900));
  runner.registerOnce(ON_DEMAND_QUEUE, (id, signal) => runtime.onDemandJobs.execute(id, signal), {
    timeoutSeconds: longest + 60,
  });
  await runner.start();
  runtime.onDemandJobs.useDispatcher((job) => runner.runOnce(ON_DEMAND_QUEUE, job.id));

  let scheduled = new Set<string>();
  const reconcile = async (): Promise<void> => {
    try {
      scheduled = await reconcileTenantSchedules(
        { tenants: store.tenants, scheduler: runner },
        jobs,
        scheduled,
      );
    } catch (err) {
      log.error({ err }, 'could not reconcile tenant schedules');
    }
  };
  const purge = async (): Promise<void> => {
    try {
      const before = new Date(clock.now().getTime() - config.audit.retentionDays * 86_400_000);
      // identity-token ids past their token's expiry can no longer be replayed: nothing to keep them for
      await store.bot.tokenIds.purgeExpired();
      // the bot API's request windows that ended an hour ago or more are never read again
      await store.bot.rates.purgeBefore(new Date(clock.now().getTime() - 3_600_000));
      const removed = await store.audit.purgeBefore(before);
      // the chat's feed is a month of notifications: older ones are in the tickets themselves
      await store.chatFeed.purgeBefore(new Date(clock.now().getTime() - CHAT_FEED_RETENTION_MS));
      // console links and sessions past use (expired, idle too long, signed out)
      await store.consoleSessions.purge(clock.now(), new Date(clock.now().getTime() - SESSION_IDLE_MS));
      if (removed > 0) log.info({ removed, before: before.toISOString() }, 'API audit log purged');
      const jobs = await runtime.onDemandJobs.purge();
      if (jobs > 0) log.info({ removed: jobs }, 'finished jobs purged');
      const talkBefore = new Date(clock.now().getTime() - config.conversation.retentionDays * 86_400_000);
      const turns = await store.conversations.purgeBefore(talkBefore.toISOString());
      if (turns > 0) log.info({ removed: turns }, 'conversation turns past their retention purged');
    } catch (err) {
      log.error({ err }, 'could not purge the API audit log');
    }
  };
  // The outbox: one dispatcher per worker, a handler per message kind (claims are leased, so workers share it).
  const outboxHandlers: Record<string, OutboxHandler> = {
    // the web chat's feed first (notify/live/), then the webhook when the tenant has one; a delivered notification
    // is also kept in the employee's conversation, so their reply lands on its case
    [TICKET_NOTIFICATION_KIND]: rememberNotifications(
      chatFeedNotifier({
        feed: store.chatFeed,
        webhooks: runtime.webhooks,
        webhook: ticketNotificationHandler({
          webhooks: runtime.webhooks,
          sender: runtime.webhookSender,
        }),
      }),
      runtime.bot.conversation,
      log,
      (n) => runtime.bot.tickets.forgetReadsOf(n.tenantId, n.employeeId),
    ),
  };
  const dispatcher = new OutboxDispatcher({
    outbox: store.outbox,
    handlers: outboxHandlers,
    log,
    clock,
    ...(options.outboxLeaseMs === undefined ? {} : { leaseMs: options.outboxLeaseMs }),
  });
  const dispatching = new AbortController();
  const dispatcherStopped = dispatcher.run(dispatching.signal);
  runtime.admin.attachJobs(() => runner.status());
  // every worker follows the stored knowledge changes, so its search answers from the same articles
  runtime.knowledge.follow();
  // Every tenant's index is built now, one tenant at a time, so the first employee after a restart does not wait
  // for it (a search meanwhile answers `index-warming` instead of blocking); a stop ends the warm-up between tenants.
  void (async () => {
    for (const tenant of await store.tenants.list()) {
      if (dispatching.signal.aborted) return;
      await runtime.knowledge.load(tenant.id);
    }
  })().catch((err: unknown) => {
    if (!dispatching.signal.aborted) log.warn({ err }, 'could not build the knowledge indexes at start-up');
  });
  await reconcile();
  await purge();
  // Ticket monitoring's ledger, delivered outbox messages and closed cases' snapshots, past their retentions.
  const monitorMaintenance = async (): Promise<void> => {
    try {
      await runMonitorMaintenance({
        tenants: store.tenants,
        processed: store.processed,
        cursors: store.cursors,
        outbox: store.outbox,
        snapshots: store.caseSnapshots,
        clock,
        log: log.child({ component: 'monitor-maintenance' }),
      });
    } catch (err) {
      log.error({ err }, 'could not purge ticket monitoring data');
    }
  };
  await monitorMaintenance();
  const caseStreams = caseStreamRunnerFor(runtime);
  caseStreams.start();
  const timers = [
    setInterval(() => void reconcile(), RECONCILE_EVERY_MS),
    setInterval(() => void purge(), AUDIT_PURGE_EVERY_MS),
    setInterval(() => void monitorMaintenance(), MONITOR_MAINTENANCE_EVERY_MS),
  ];
  for (const timer of timers) timer.unref();
  return {
    status: () => runner.status(),
    stop: async () => {
      runtime.knowledge.stop();
      for (const timer of timers) clearInterval(timer);
      await caseStreams.stop();
      dispatching.abort();
      await dispatcherStopped;
      runtime.onDemandJobs.useDispatcher(null);
      await runner.stop();
    },
  };
}

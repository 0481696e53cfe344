// AdminOperations in process: the tenant service, doctor and master-key rotation behind the one interface the CLI
// and the admin API share. Keeps the Salesforce session cache honest when a tenant's identity or key changes.

import type { JobRecord } from '../domain/job-state.js';
import type { ConsoleRepository } from '../domain/console-ports.js';
import type { Clock, JobRunRepository, KeyFactory } from '../domain/ports.js';
import type { KeyInfo, Tenant } from '../domain/tenant.js';
import type { Logger } from '../logging/logger.js';
import type { AdminOperations, AdminReplyInput, RotationProgress } from './admin-operations.js';
import { runDoctor, type AccessProbe, type DoctorReport } from './doctor.js';
import {
  collectStatus,
  mergeJobStatus,
  type JobStatus,
  type StatusDeps,
  type StatusReport,
} from './status-service.js';
import type { NewTenant, TenantChange, TenantService } from './tenant-service.js';
import type { DeadLetter, OutboxStats } from '../domain/webhooks/ports.js';
import type { DeadLetterService } from './dead-letters.js';
import type { WebhookInfo, WebhookService, WebhookTestResult, WebhookWithSecret } from './webhook-service.js';
import type { ReplyResult, ReplyService } from './tickets/reply-to-case.js';
import type { JobKinds } from './job-kinds.js';
import type { OnDemandJobs } from './on-demand-jobs.js';
import type {
  ConversationAdmin,
  ConversationExport,
  ConversationSummary,
} from './conversation/conversation-admin.js';
import type { BotAdminOperations } from './bot/bot-admin.js';
import { InvariantError } from '../errors/invariant-error.js';

/** The in-process session cache (the session manager) that must forget a tenant whose identity or key changed. */
export interface SessionCache {
  forget(tenantId: string): void;
}

export interface LocalAdminDeps {
  /** keeps each tenant's last doctor report for the operator console */
  doctorReports?: Pick<ConsoleRepository, 'saveDoctorReport'>;
  tenants: TenantService;
  sessions: SessionCache;
  keys: KeyFactory;
  probe: AccessProbe;
  clock: Clock;
  log: Logger;
  rotateMasterKey(
    onProgress?: (progress: RotationProgress) => void,
  ): Promise<RotationProgress & { keyId: string }>;
  status: StatusDeps;
  webhooks: WebhookService;
  deadLetters: DeadLetterService;
  outboxStats: OutboxStats;
  replies: Pick<ReplyService, 'replyAs'>;
  /** on-demand jobs and the kinds they may run */
  jobs: OnDemandJobs;
  kinds: JobKinds;
  /** the last run of each recurring job per tenant, as every worker recorded it */
  jobRuns: JobRunRepository;
  /** the bot's conversations: list, export and delete per employee */
  conversations: ConversationAdmin;
}

export class LocalAdmin implements AdminOperations {
  /** set while this process runs the service: the job runner's view */
  private jobs: (() => JobStatus[]) | null = null;

  constructor(private readonly deps: LocalAdminDeps) {}

  attachJobs(jobs: () => JobStatus[]): void {
    this.jobs = jobs;
  }

  private botAdmin: BotAdminOperations | null = null;

  /** main.ts attaches the bot API's operations once its services exist (they are built after this). */
  attachBot(bot: BotAdminOperations): void {
    this.botAdmin = bot;
  }

  get bot(): BotAdminOperations {
    if (this.botAdmin === null)
      throw new InvariantError('the bot API operations were not attached (main.ts)');
    return this.botAdmin;
  }

  async status(): Promise<StatusReport> {
    const [base, runs, recent, outbox] = await Promise.all([
      collectStatus(this.deps.status),
      this.deps.jobRuns.list(),
      this.deps.jobs.recent(20),
      this.deps.outboxStats.counts(),
    ]);
    return {
      ...base,
      source: this.jobs ? 'service' : 'offline',
      jobs: mergeJobStatus(runs, this.jobs?.() ?? []),
      outbox,
      onDemand: recent,
    };
  }

  startJob(tenantId: string, kind: string): Promise<JobRecord> {
    return this.deps.jobs.start(tenantId, kind);
  }

  getJob(jobId: string): Promise<JobRecord> {
    return this.deps.jobs.get(jobId);
  }

  async listJobs(options: { tenantId?: string }): Promise<{ jobs: JobRecord[]; kinds: string[] }> {
    return { jobs: await this.deps.jobs.recent(50, options.tenantId), kinds: this.deps.kinds.names() };
  }

  listTenants(): Promise<Tenant[]> {
    return this.deps.tenants.list();
  }

  showTenant(id: string): Promise<Tenant> {
    return this.deps.tenants.show(id);
  }

  addTenant(input: NewTenant): Promise<{ tenant: Tenant; certificatePem: string; generatedKey: boolean }> {
    return this.deps.tenants.add(input);
  }

  async updateTenant(id: string, change: TenantChange): Promise<Tenant> {
    const tenant = await this.deps.tenants.update(id, change);
    this.deps.sessions.forget(id);
    return tenant;
  }

  async removeTenant(id: string): Promise<{ revoked: boolean }> {
    const result = await this.deps.tenants.remove(id);
    this.deps.sessions.forget(id);
    return result;
  }

  async importKey(id: string, privateKeyPem: string, certificatePem: string): Promise<KeyInfo> {
    const key = await this.deps.tenants.importKey(id, privateKeyPem, certificatePem);
    this.deps.sessions.forget(id);
    return key;
  }

  startKeyRotation(
    id: string,
    options: { certificateDays?: number },
  ): Promise<{ certificatePem: string; key: KeyInfo }> {
    return this.deps.tenants.startKeyRotation(id, options);
  }

  async commitKeyRotation(id: string): Promise<KeyInfo> {
    const key = await this.deps.tenants.commitKeyRotation(id);
    this.deps.sessions.forget(id);
    return key;
  }

  cancelKeyRotation(id: string): Promise<void> {
    return this.deps.tenants.cancelKeyRotation(id);
  }

  async doctor(id: string, options: { pendingKey?: boolean }): Promise<DoctorReport> {
    const tenant = await this.deps.tenants.show(id);
    const report = await runDoctor(
      {
        keys: this.deps.keys,
        probe: this.deps.probe,
        clock: this.deps.clock,
        log: this.deps.log,
        signingKey: (tenantId, which) => this.deps.tenants.signingKey(tenantId, which),
        markKeyProven: (tenantId, which) => this.deps.tenants.markKeyProven(tenantId, which),
      },
      tenant,
      options.pendingKey ? 'pending' : 'active',
    );
    // the console shows the active key's last report with each failed check's fix (a pending key's is a rehearsal)
    if (!options.pendingKey) await this.deps.doctorReports?.saveDoctorReport(report);
    return report;
  }

  rotateMasterKey(
    onProgress?: (progress: RotationProgress) => void,
  ): Promise<RotationProgress & { keyId: string }> {
    return this.deps.rotateMasterKey(onProgress);
  }

  setWebhook(tenantId: string, url: string): Promise<WebhookWithSecret> {
    return this.deps.webhooks.set(tenantId, url);
  }

  showWebhook(tenantId: string): Promise<WebhookInfo> {
    return this.deps.webhooks.show(tenantId);
  }

  removeWebhook(tenantId: string): Promise<void> {
    return this.deps.webhooks.remove(tenantId);
  }

  rotateWebhookSecret(tenantId: string): Promise<WebhookWithSecret> {
    return this.deps.webhooks.rotateSecret(tenantId);
  }

  finishWebhookRotation(tenantId: string): Promise<WebhookInfo> {
    return this.deps.webhooks.finishRotation(tenantId);
  }

  testWebhook(tenantId: string): Promise<WebhookTestResult> {
    return this.deps.webhooks.test(tenantId);
  }

  listDeadLetters(tenantId?: string): Promise<DeadLetter[]> {
    return this.deps.deadLetters.list(tenantId);
  }

  retryDeadLetters(
    target: { id: string } | { all: true; tenantId?: string },
  ): Promise<{ retried: string[] }> {
    return 'id' in target
      ? this.deps.deadLetters.retry(target.id)
      : this.deps.deadLetters.retryAll(target.tenantId);
  }
  replyToCase(input: AdminReplyInput): Promise<ReplyResult> {
    return this.deps.replies.replyAs(input);
  }

  listConversations(tenantId: string): Promise<ConversationSummary[]> {
    return this.deps.conversations.list(tenantId);
  }

  exportConversation(tenantId: string, employee: string): Promise<ConversationExport> {
    return this.deps.conversations.export(tenantId, employee);
  }

  deleteConversation(tenantId: string, employee: string): Promise<{ removed: number }> {
    return this.deps.conversations.remove(tenantId, employee);
  }
}

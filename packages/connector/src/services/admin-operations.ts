// The operations an operator performs on a running casebridge: the CLI calls them in process when it holds the
// store, or over the admin API when a service holds it. One interface, two transports, same results.

import type { JobRecord } from '../domain/job-state.js';
import type { KeyInfo, Tenant } from '../domain/tenant.js';
import type { DoctorReport } from './doctor.js';
import type { StatusReport } from './status-service.js';
import type { NewTenant, TenantChange } from './tenant-service.js';
import type { DeadLetter } from '../domain/webhooks/ports.js';
import type { ConversationExport, ConversationSummary } from './conversation/conversation-admin.js';
import type { WebhookInfo, WebhookTestResult, WebhookWithSecret } from './webhook-service.js';
import type { ReplyResult } from './tickets/reply-to-case.js';
import type { BotAdminOperations } from './bot/bot-admin.js';

export interface RotationProgress {
  done: number;
  total: number;
}

/** An employee's reply as an operator sends it: the case by number or id, the employee by their Contact's email. */
export interface AdminReplyInput {
  tenantId: string;
  /** CaseNumber (00001026) or Case id */
  caseRef: string;
  /** the email of the Contact the reply is from */
  email: string;
  text: string;
  idempotencyKey: string;
}

export interface AdminOperations {
  listTenants(): Promise<Tenant[]>;
  showTenant(id: string): Promise<Tenant>;
  addTenant(input: NewTenant): Promise<{ tenant: Tenant; certificatePem: string; generatedKey: boolean }>;
  updateTenant(id: string, change: TenantChange): Promise<Tenant>;
  removeTenant(id: string): Promise<{ revoked: boolean }>;
  importKey(id: string, privateKeyPem: string, certificatePem: string): Promise<KeyInfo>;
  startKeyRotation(
    id: string,
    options: { certificateDays?: number },
  ): Promise<{ certificatePem: string; key: KeyInfo }>;
  commitKeyRotation(id: string): Promise<KeyInfo>;
  cancelKeyRotation(id: string): Promise<void>;
  doctor(id: string, options: { pendingKey?: boolean }): Promise<DoctorReport>;
  status(): Promise<StatusReport>;
  rotateMasterKey(
    onProgress?: (progress: RotationProgress) => void,
  ): Promise<RotationProgress & { keyId: string }>;
  // webhook delivery of ticket notifications (services/webhook-service.ts, services/dead-letters.ts)
  setWebhook(tenantId: string, url: string): Promise<WebhookWithSecret>;
  showWebhook(tenantId: string): Promise<WebhookInfo>;
  removeWebhook(tenantId: string): Promise<void>;
  rotateWebhookSecret(tenantId: string): Promise<WebhookWithSecret>;
  finishWebhookRotation(tenantId: string): Promise<WebhookInfo>;
  testWebhook(tenantId: string): Promise<WebhookTestResult>;
  listDeadLetters(tenantId?: string): Promise<DeadLetter[]>;
  /** one dead letter by id, or every one (of a tenant, when given) */
  retryDeadLetters(target: { id: string } | { all: true; tenantId?: string }): Promise<{ retried: string[] }>;
  /** posts an employee's reply to their case (services/tickets/reply-to-case.ts) */
  replyToCase(input: AdminReplyInput): Promise<ReplyResult>;
  /** Runs job `kind` for the tenant now; returns the queued job (or the one of that kind already active). */
  startJob(tenantId: string, kind: string): Promise<JobRecord>;
  /** A job's state, progress, summary or coded error, as the store has it. */
  getJob(jobId: string): Promise<JobRecord>;
  /** The most recent jobs, newest first (one tenant's when given), and the kinds that can be started. */
  listJobs(options: { tenantId?: string }): Promise<{ jobs: JobRecord[]; kinds: string[] }>;
  // the bot's conversations (services/conversation/conversation-admin.ts)
  listConversations(tenantId: string): Promise<ConversationSummary[]>;
  exportConversation(tenantId: string, employee: string): Promise<ConversationExport>;
  deleteConversation(tenantId: string, employee: string): Promise<{ removed: number }>;
  /** the bot API's identity settings and API keys (services/bot/bot-admin.ts) */
  readonly bot: BotAdminOperations;
}

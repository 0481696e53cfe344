// AdminOperations over the running service's admin API: used when another process holds the embedded store.

import { appError, restoreAppError } from '../errors/app-error.js';
import { CLI_SERVICE_UNREACHABLE } from '../errors/codes/admin.js';
import { ERROR_REGISTRY } from '../errors/registry.js';
import type { JobRecord } from '../domain/job-state.js';
import type { KeyInfo, Tenant } from '../domain/tenant.js';
import type { AdminOperations, AdminReplyInput, RotationProgress } from '../services/admin-operations.js';
import type { KnowledgeSearchResult } from '../domain/knowledge/search-result.js';
import type { SearchRequest } from '../services/knowledge/knowledge-search.js';
import type { DoctorReport } from '../services/doctor.js';
import type { StatusReport } from '../services/status-service.js';
import type { NewTenant, TenantChange } from '../services/tenant-service.js';
import type { DeadLetter } from '../domain/webhooks/ports.js';
import type { WebhookInfo, WebhookTestResult, WebhookWithSecret } from '../services/webhook-service.js';
import type { ReplyResult } from '../services/tickets/reply-to-case.js';
import type { ConversationExport, ConversationSummary } from '../services/conversation/conversation-admin.js';
import type { BotAdminOperations } from '../services/bot/bot-admin.js';
import type { BotIdentitySettings } from '../domain/bot/bot-ports.js';
import type { BotApiKeyInfo } from '../services/bot/bot-api-keys.js';

export class RemoteAdmin implements AdminOperations {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly holderPid: number,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw appError(CLI_SERVICE_UNREACHABLE, {
        params: { pid: this.holderPid, url: this.baseUrl },
        cause: err,
      });
    }
    if (response.status === 204) return undefined as T;
    const payload = await response.json();
    if (!response.ok) {
      const wire = (
        payload as {
          error?: { code: string; message: string; fix: string; details?: Record<string, unknown> };
        }
      ).error;
      if (!wire)
        throw appError(CLI_SERVICE_UNREACHABLE, { params: { pid: this.holderPid, url: this.baseUrl } });
      throw restoreAppError(wire, response.status, ERROR_REGISTRY.get(wire.code));
    }
    return payload as T;
  }

  readonly bot: BotAdminOperations = {
    setIdentity: (tenantId, input) =>
      this.call('PUT', `/v1/tenants/${encodeURIComponent(tenantId)}/bot-identity`, input),
    showIdentity: async (tenantId) =>
      (
        await this.call<{ settings: BotIdentitySettings | null }>(
          'GET',
          `/v1/tenants/${encodeURIComponent(tenantId)}/bot-identity`,
        )
      ).settings,
    createKey: (tenantId, name) =>
      this.call('POST', `/v1/tenants/${encodeURIComponent(tenantId)}/bot-keys`, { name }),
    listKeys: async (tenantId) =>
      (
        await this.call<{ keys: BotApiKeyInfo[] }>(
          'GET',
          `/v1/tenants/${encodeURIComponent(tenantId)}/bot-keys`,
        )
      ).keys,
    rotateKey: (tenantId, name) =>
      this.call(
        'POST',
        `/v1/tenants/${encodeURIComponent(tenantId)}/bot-keys/${encodeURIComponent(name)}/rotation`,
      ),
    finishKeyRotation: async (tenantId, name) =>
      (
        await this.call<{ keys: BotApiKeyInfo[] }>(
          'POST',
          `/v1/tenants/${encodeURIComponent(tenantId)}/bot-keys/${encodeURIComponent(name)}/rotation/finish`,
        )
      ).keys,
    revokeKey: (tenantId, name) =>
      this.call('DELETE', `/v1/tenants/${encodeURIComponent(tenantId)}/bot-keys/${encodeURIComponent(name)}`),
  };

  listTenants(): Promise<Tenant[]> {
    return this.call('GET', '/v1/tenants');
  }
  showTenant(id: string): Promise<Tenant> {
    return this.call('GET', `/v1/tenants/${encodeURIComponent(id)}`);
  }
  addTenant(input: NewTenant): Promise<{ tenant: Tenant; certificatePem: string; generatedKey: boolean }> {
    return this.call('POST', '/v1/tenants', input);
  }
  updateTenant(id: string, change: TenantChange): Promise<Tenant> {
    return this.call('PATCH', `/v1/tenants/${encodeURIComponent(id)}`, change);
  }
  removeTenant(id: string): Promise<{ revoked: boolean }> {
    return this.call('DELETE', `/v1/tenants/${encodeURIComponent(id)}`);
  }
  importKey(id: string, privateKeyPem: string, certificatePem: string): Promise<KeyInfo> {
    return this.call('POST', `/v1/tenants/${encodeURIComponent(id)}/key`, { privateKeyPem, certificatePem });
  }
  startKeyRotation(
    id: string,
    options: { certificateDays?: number },
  ): Promise<{ certificatePem: string; key: KeyInfo }> {
    return this.call('POST', `/v1/tenants/${encodeURIComponent(id)}/key-rotation`, options);
  }
  commitKeyRotation(id: string): Promise<KeyInfo> {
    return this.call('POST', `/v1/tenants/${encodeURIComponent(id)}/key-rotation/commit`);
  }
  cancelKeyRotation(id: string): Promise<void> {
    return this.call('DELETE', `/v1/tenants/${encodeURIComponent(id)}/key-rotation`);
  }
  doctor(id: string, options: { pendingKey?: boolean }): Promise<DoctorReport> {
    return this.call('POST', `/v1/tenants/${encodeURIComponent(id)}/doctor`, options);
  }
  status(): Promise<StatusReport> {
    return this.call('GET', '/v1/status');
  }
  async rotateMasterKey(
    onProgress?: (progress: RotationProgress) => void,
  ): Promise<RotationProgress & { keyId: string }> {
    // The service reports progress in its own log; the CLI shows the final count.
    const result = await this.call<RotationProgress & { keyId: string }>('POST', '/v1/secrets/rotate');
    onProgress?.(result);
    return result;
  }
  setWebhook(tenantId: string, url: string): Promise<WebhookWithSecret> {
    return this.call('PUT', `/v1/tenants/${encodeURIComponent(tenantId)}/webhook`, { url });
  }
  showWebhook(tenantId: string): Promise<WebhookInfo> {
    return this.call('GET', `/v1/tenants/${encodeURIComponent(tenantId)}/webhook`);
  }
  removeWebhook(tenantId: string): Promise<void> {
    return this.call('DELETE', `/v1/tenants/${encodeURIComponent(tenantId)}/webhook`);
  }
  rotateWebhookSecret(tenantId: string): Promise<WebhookWithSecret> {
    return this.call('POST', `/v1/tenants/${encodeURIComponent(tenantId)}/webhook/secret-rotation`);
  }
  finishWebhookRotation(tenantId: string): Promise<WebhookInfo> {
    return this.call('POST', `/v1/tenants/${encodeURIComponent(tenantId)}/webhook/secret-rotation/finish`);
  }
  testWebhook(tenantId: string): Promise<WebhookTestResult> {
    return this.call('POST', `/v1/tenants/${encodeURIComponent(tenantId)}/webhook/test`);
  }
  listDeadLetters(tenantId?: string): Promise<DeadLetter[]> {
    const query = tenantId === undefined ? '' : `?tenant=${encodeURIComponent(tenantId)}`;
    return this.call('GET', `/v1/outbox/dead${query}`);
  }
  retryDeadLetters(
    target: { id: string } | { all: true; tenantId?: string },
  ): Promise<{ retried: string[] }> {
    return 'id' in target
      ? this.call('POST', `/v1/outbox/dead/${encodeURIComponent(target.id)}/retry`)
      : this.call(
          'POST',
          '/v1/outbox/dead/retry',
          target.tenantId === undefined ? {} : { tenant: target.tenantId },
        );
  }
  replyToCase(input: AdminReplyInput): Promise<ReplyResult> {
    const { tenantId, ...body } = input;
    return this.call('POST', `/v1/tenants/${encodeURIComponent(tenantId)}/replies`, body);
  }
  /** knowledge search answered by the running service's index (not part of AdminOperations: search is no admin task) */
  searchKnowledge(tenantId: string, query: string, request: SearchRequest): Promise<KnowledgeSearchResult> {
    return this.call('POST', `/v1/tenants/${encodeURIComponent(tenantId)}/knowledge/search`, {
      query,
      ...request,
    });
  }
  startJob(tenantId: string, kind: string): Promise<JobRecord> {
    return this.call('POST', `/v1/tenants/${encodeURIComponent(tenantId)}/jobs`, { kind });
  }
  getJob(jobId: string): Promise<JobRecord> {
    return this.call('GET', `/v1/jobs/${encodeURIComponent(jobId)}`);
  }
  listJobs(options: { tenantId?: string }): Promise<{ jobs: JobRecord[]; kinds: string[] }> {
    const query = options.tenantId === undefined ? '' : `?tenant=${encodeURIComponent(options.tenantId)}`;
    return this.call('GET', `/v1/jobs${query}`);
  }
  listConversations(tenantId: string): Promise<ConversationSummary[]> {
    return this.call('GET', `/v1/tenants/${encodeURIComponent(tenantId)}/conversations`);
  }
  exportConversation(tenantId: string, employee: string): Promise<ConversationExport> {
    return this.call(
      'GET',
      `/v1/tenants/${encodeURIComponent(tenantId)}/conversations/${encodeURIComponent(employee)}`,
    );
  }
  deleteConversation(tenantId: string, employee: string): Promise<{ removed: number }> {
    return this.call(
      'DELETE',
      `/v1/tenants/${encodeURIComponent(tenantId)}/conversations/${encodeURIComponent(employee)}`,
    );
  }
}

// A tenant's webhook as the operator manages it: the URL (checked by the URL policy when saved; the sender checks
// it again before every delivery) and its signing secrets, sealed at rest and shown once, when they are made.
// Rotation keeps two secrets active (the new one signs first) until the operator finishes it, so the receiver can
// switch at its own pace: every request carries a signature it can verify.

import type {
  Clock,
  IdGenerator,
  SecretBox,
  SecretRepository,
  TenantRepository,
  UnitOfWork,
} from '../domain/ports.js';
import type { SecretName } from '../domain/tenant.js';
import type {
  ActiveWebhook,
  StoredWebhook,
  WebhookAttempt,
  WebhookDirectory,
  WebhookRepository,
  WebhookSend,
  WebhookUrlCheck,
} from '../domain/webhooks/ports.js';
import { appError } from '../errors/app-error.js';
import {
  NOTIFY_WEBHOOK_NO_ROTATION,
  NOTIFY_WEBHOOK_NOT_CONFIGURED,
  NOTIFY_WEBHOOK_ROTATION_PENDING,
} from '../errors/codes/notify.js';
import { TENANT_NOT_FOUND } from '../errors/codes/tenant.js';
import type { Logger } from '../logging/logger.js';

const CURRENT: SecretName = 'webhook_secret';
const PREVIOUS: SecretName = 'webhook_previous_secret';

/** A webhook as the admin sees it: never its secrets. */
export interface WebhookInfo {
  tenantId: string;
  url: string;
  /** 1, or 2 while a rotation runs (both sign every request) */
  activeSecrets: number;
  rotating: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The result of an operation that made a secret: the only time it is shown. */
export interface WebhookWithSecret {
  webhook: WebhookInfo;
  /** the new `whsec_` secret; null when the operation kept the existing one */
  secret: string | null;
}

export interface WebhookTestResult {
  eventId: string;
  outcome: WebhookAttempt;
}

export interface WebhookServiceDeps {
  tenants: Pick<TenantRepository, 'get'>;
  webhooks: WebhookRepository;
  secrets: SecretRepository;
  unitOfWork: UnitOfWork;
  box: SecretBox;
  checkUrl: WebhookUrlCheck;
  /** a new `whsec_` secret (notify/webhook/signature.ts createWebhookSecret) */
  createSecret: () => string;
  send: WebhookSend;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
}

export class WebhookService implements WebhookDirectory {
  constructor(private readonly deps: WebhookServiceDeps) {}

  /**
   * Saves the URL after checking it (syntax, scheme, and every address the host resolves to). The first time, a
   * signing secret is made and returned, once; changing the URL later keeps the secrets.
   */
  async set(tenantId: string, url: string): Promise<WebhookWithSecret> {
    await this.requireTenant(tenantId);
    await this.deps.checkUrl(url);
    const stored = await this.deps.webhooks.put(tenantId, url);
    let secret: string | null = null;
    if ((await this.deps.secrets.get(tenantId, CURRENT)) === null) {
      secret = this.deps.createSecret();
      await this.deps.secrets.put(tenantId, CURRENT, this.seal(tenantId, CURRENT, secret));
    }
    this.deps.log.info({ tenantId, host: new URL(url).host, newSecret: secret !== null }, 'webhook set');
    return { webhook: await this.info(stored), secret };
  }

  async show(tenantId: string): Promise<WebhookInfo> {
    return this.info(await this.require(tenantId));
  }

  /** Removes the webhook and its secrets; deliveries then go dead (NOTIFY_WEBHOOK_NOT_CONFIGURED) until a new one. */
  async remove(tenantId: string): Promise<void> {
    await this.require(tenantId);
    await this.deps.unitOfWork.run(async (tx) => {
      await tx.secrets.delete(tenantId, PREVIOUS);
      await tx.secrets.delete(tenantId, CURRENT);
    });
    await this.deps.webhooks.delete(tenantId);
  }

  /** Makes a new secret that signs from now on, keeping the current one active beside it until `finishRotation`. */
  async rotateSecret(tenantId: string): Promise<WebhookWithSecret> {
    const stored = await this.require(tenantId);
    const secret = this.deps.createSecret();
    await this.deps.unitOfWork.run(async (tx) => {
      if ((await tx.secrets.get(tenantId, PREVIOUS)) !== null)
        throw appError(NOTIFY_WEBHOOK_ROTATION_PENDING, { params: { tenant: tenantId } });
      const current = await tx.secrets.get(tenantId, CURRENT);
      if (current !== null) {
        // re-sealed, not copied: an envelope is bound to its field name
        const old = this.deps.box.open(current, { tenantId, field: CURRENT });
        await tx.secrets.put(tenantId, PREVIOUS, this.seal(tenantId, PREVIOUS, old));
      }
      await tx.secrets.put(tenantId, CURRENT, this.seal(tenantId, CURRENT, secret));
    });
    this.deps.log.info({ tenantId }, 'webhook secret rotation started');
    return { webhook: await this.info(stored), secret };
  }

  /** Retires the old secret: requests carry only the new one's signature from now on. */
  async finishRotation(tenantId: string): Promise<WebhookInfo> {
    const stored = await this.require(tenantId);
    if ((await this.deps.secrets.get(tenantId, PREVIOUS)) === null)
      throw appError(NOTIFY_WEBHOOK_NO_ROTATION, { params: { tenant: tenantId } });
    await this.deps.secrets.delete(tenantId, PREVIOUS);
    this.deps.log.info({ tenantId }, 'webhook secret rotation finished');
    return this.info(stored);
  }

  /** Sends one signed `casebridge.test` event now, outside the outbox, and says what came of it. */
  async test(tenantId: string): Promise<WebhookTestResult> {
    // an unknown tenant is named as such, not as one without a webhook (active() alone cannot tell them apart)
    await this.requireTenant(tenantId);
    const active = await this.active(tenantId);
    if (active === null) throw appError(NOTIFY_WEBHOOK_NOT_CONFIGURED, { params: { tenant: tenantId } });
    const eventId = `${tenantId}:test:${this.deps.ids.next()}`;
    const body = JSON.stringify({
      id: eventId,
      type: 'casebridge.test',
      occurredAt: this.deps.clock.now().toISOString(),
      tenant: tenantId,
    });
    const outcome = await this.deps.send({ url: active.url, eventId, body, secrets: active.secrets });
    return { eventId, outcome };
  }

  /** The URL and the opened active secrets, newest first: what the outbox handler signs with. */
  async active(tenantId: string): Promise<ActiveWebhook | null> {
    const stored = await this.deps.webhooks.get(tenantId);
    if (stored === null) return null;
    const secrets: string[] = [];
    for (const name of [CURRENT, PREVIOUS]) {
      const envelope = await this.deps.secrets.get(tenantId, name);
      if (envelope !== null) secrets.push(this.deps.box.open(envelope, { tenantId, field: name }));
    }
    return { url: stored.url, secrets };
  }

  private seal(tenantId: string, name: SecretName, secret: string): string {
    return this.deps.box.seal(secret, { tenantId, field: name });
  }

  private async requireTenant(tenantId: string): Promise<void> {
    if ((await this.deps.tenants.get(tenantId)) === null)
      throw appError(TENANT_NOT_FOUND, { params: { tenant: tenantId } });
  }

  private async require(tenantId: string): Promise<StoredWebhook> {
    await this.requireTenant(tenantId);
    const stored = await this.deps.webhooks.get(tenantId);
    if (stored === null) throw appError(NOTIFY_WEBHOOK_NOT_CONFIGURED, { params: { tenant: tenantId } });
    return stored;
  }

  private async info(stored: StoredWebhook): Promise<WebhookInfo> {
    const [current, previous] = await Promise.all([
      this.deps.secrets.get(stored.tenantId, CURRENT),
      this.deps.secrets.get(stored.tenantId, PREVIOUS),
    ]);
    const activeSecrets = (current === null ? 0 : 1) + (previous === null ? 0 : 1);
    return {
      tenantId: stored.tenantId,
      url: stored.url,
      activeSecrets,
      rotating: previous !== null,
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
    };
  }
}

// The outbox's dead letters as the operator handles them: listed (without their payloads) and put back to be
// delivered once the cause is fixed (a receiver refusing, a webhook not configured, a URL the policy refuses).

import type { OutboxRepository } from '../domain/ports.js';
import type { DeadLetter } from '../domain/webhooks/ports.js';
import { appError } from '../errors/app-error.js';
import { JOBS_DEAD_LETTER_NOT_FOUND } from '../errors/codes/jobs.js';
import type { Logger } from '../logging/logger.js';

export interface DeadLetterDeps {
  outbox: Pick<OutboxRepository, 'listDead' | 'retryDead'>;
  log: Logger;
}

const PAGE = 500;

export class DeadLetterService {
  constructor(private readonly deps: DeadLetterDeps) {}

  async list(tenantId?: string): Promise<DeadLetter[]> {
    const messages = await this.deps.outbox.listDead({
      ...(tenantId === undefined ? {} : { tenantId }),
      limit: PAGE,
    });
    return messages.map((m) => ({
      id: m.id,
      eventId: m.eventId,
      tenantId: m.tenantId,
      kind: m.kind,
      orderingKey: m.orderingKey,
      attempts: m.attempts,
      lastError: m.lastError,
      createdAt: m.createdAt,
    }));
  }

  /** Puts one dead message back, due now with its attempts reset. */
  async retry(id: string): Promise<{ retried: string[] }> {
    if (!/^\d{1,18}$/.test(id) || !(await this.deps.outbox.retryDead(id)))
      throw appError(JOBS_DEAD_LETTER_NOT_FOUND, { params: { id } });
    this.deps.log.info({ id }, 'dead letter retried');
    return { retried: [id] };
  }

  /**
   * Puts every dead message back (of one tenant, when given), oldest first, so messages of one ordering key are
   * delivered in their order again.
   */
  async retryAll(tenantId?: string): Promise<{ retried: string[] }> {
    const retried: string[] = [];
    for (;;) {
      const page = await this.list(tenantId);
      if (page.length === 0) break;
      for (const message of page) if (await this.deps.outbox.retryDead(message.id)) retried.push(message.id);
      if (page.length < PAGE) break;
    }
    this.deps.log.info({ tenantId, count: retried.length }, 'dead letters retried');
    return { retried };
  }
}

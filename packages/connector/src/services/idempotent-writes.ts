// Creating a case or a comment at most once per idempotency key, across retries and crashes: the key is recorded
// before the write; a key seen before first looks in Salesforce for what an earlier attempt made (by the reference
// the write carries, or the case's external-ID field) and writes only when nothing is there.

import type {
  Clock,
  NewCaseComment,
  NewSupportCase,
  SalesforceGateway,
  WriteIntentRepository,
} from '../domain/ports.js';
import type { CaseComment, SupportCase } from '../domain/support.js';

/** Salesforce stamps CreatedDate with its own clock: a reconciling lookup starts this long before the intent. */
const CLOCK_SKEW_MS = 5 * 60_000;

export class IdempotentWrites {
  constructor(private readonly deps: { intents: WriteIntentRepository; clock: Clock }) {}

  async createCase(
    tenantId: string,
    gateway: SalesforceGateway,
    input: NewSupportCase,
  ): Promise<SupportCase> {
    const { intent, created } = await this.deps.intents.begin({
      tenantId,
      idempotencyKey: input.idempotencyKey,
      kind: 'case',
    });
    if (intent.recordId !== null) return gateway.getCase(intent.recordId);
    if (!created) {
      const key =
        input.externalIdField === undefined
          ? { idempotencyKey: input.idempotencyKey }
          : { idempotencyKey: input.idempotencyKey, externalIdField: input.externalIdField };
      const found = await gateway.findCaseByKey(key, since(intent.startedAt));
      if (found !== null) {
        await this.deps.intents.finish(tenantId, input.idempotencyKey, found.id);
        return found;
      }
    }
    const made = await gateway.createCase(input);
    await this.deps.intents.finish(tenantId, input.idempotencyKey, made.id);
    return made;
  }

  async addComment(
    tenantId: string,
    gateway: SalesforceGateway,
    input: NewCaseComment,
  ): Promise<CaseComment> {
    const { intent, created } = await this.deps.intents.begin({
      tenantId,
      idempotencyKey: input.idempotencyKey,
      kind: 'comment',
    });
    if (!created) {
      const found = await gateway.findCommentByKey(
        input.caseId,
        input.idempotencyKey,
        since(intent.startedAt),
      );
      if (found !== null) {
        if (intent.recordId === null)
          await this.deps.intents.finish(tenantId, input.idempotencyKey, found.id);
        return found;
      }
    }
    const made = await gateway.addCaseComment(input);
    await this.deps.intents.finish(tenantId, input.idempotencyKey, made.id);
    return made;
  }
}

const since = (startedAt: string): Date => new Date(Date.parse(startedAt) - CLOCK_SKEW_MS);

// Ports of the reply service: the Salesforce writes a reply needs beyond SalesforceGateway, and the ledger that
// records who really wrote a reply (every comment's CreatedById is the service user).

import type { WriteOutcome } from '../ports.js';
import type { CaseComment, SupportCase } from '../support.js';
import type { Tenant } from '../tenant.js';

/** The person a reply is from, as the bot (or the operator's --as) knows them: their Contact. */
export interface ReplyAuthor {
  /** the Contact id */
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  /**
   * No Contact has the employee's email (a bot API employee filing by name and email): `id` is the email, and a case
   * is theirs by its supplied email alone (caseBelongsToContactless).
   */
  readonly contactless?: boolean;
}

/** One reply's parts (in order) and the status to write in the same round trip. */
export interface ReplyPost {
  readonly caseId: string;
  /** the comment bodies, header line included, in order; all public */
  readonly bodies: readonly string[];
  /**
   * `before`: written first, all or nothing with the parts (reopening a case); else written after them, and its
   * failure leaves the parts posted.
   */
  readonly status: { readonly value: string; readonly before: boolean } | null;
  /** the reply's reference: a dropped connection is reconciled by it (never by the text) */
  readonly reference: string;
  /** when the attempt began, for the reconciling lookup */
  readonly startedAt: Date;
}

export type ReplyPostOutcome =
  | {
      readonly kind: 'sent';
      /** per body, in order */
      readonly comments: readonly WriteOutcome[];
      readonly status: WriteOutcome | null;
      /**
       * The case as the status change left it (read back in the same call): how change detection recognises this
       * status change as casebridge's own. Null when no status was written or the read failed.
       */
      readonly caseAfter: CaseStamp | null;
    }
  | {
      /** the connection dropped after sending and Salesforce had applied (some of) it */
      readonly kind: 'reconciled';
      /** the service user's comments on the case since the attempt began (the reconciling read), oldest first */
      readonly comments: readonly CaseComment[];
    };

/** What a change of a case is recognised by: its status, owner and SystemModstamp after the write. */
export interface CaseStamp {
  readonly status: string;
  readonly ownerId: string | null;
  readonly modstamp: string;
}

export interface ReplyGateway {
  /** the case with this CaseNumber, or null */
  findCaseByNumber(caseNumber: string): Promise<SupportCase | null>;
  /** the comments the service user wrote on the case since `since`, oldest first */
  ownCommentsSince(caseId: string, since: Date): Promise<CaseComment[]>;
  /** the parts and the status change in as few calls as Salesforce allows (one up to 1,000 parts) */
  postReply(post: ReplyPost): Promise<ReplyPostOutcome>;
}

export interface ReplyGatewayFactory {
  forTenant(tenant: Tenant, purpose?: string): ReplyGateway;
}

/** A reply as the ledger keeps it, keyed by tenant and idempotency key (the write_intents row, kind 'reply'). */
export interface ReplyIntent {
  readonly tenantId: string;
  readonly idempotencyKey: string;
  readonly caseId: string;
  readonly author: ReplyAuthor;
  /** the reference in every part's header, e.g. 7KQ2XW */
  readonly reference: string;
  readonly partCount: number;
  /** SHA-256 of the case id and text: the same key sent with another reply is refused, not mistaken for a retry */
  readonly fingerprint: string;
  readonly startedAt: string;
  /** set once every part is on the case */
  readonly result: unknown;
}

export interface ReplyIntentRepository {
  /**
   * Records the reply before anything is written; `created` false (and the first record returned) when the key was
   * recorded already. `kind` is returned so a key first used for another write is recognised.
   */
  begin(
    intent: Omit<ReplyIntent, 'startedAt' | 'result'>,
  ): Promise<{ intent: ReplyIntent | null; kind: string; created: boolean }>;
  /** every part is posted: `result` is what a later retry of the key is answered with */
  finish(tenantId: string, idempotencyKey: string, firstCommentId: string, result: unknown): Promise<void>;
}

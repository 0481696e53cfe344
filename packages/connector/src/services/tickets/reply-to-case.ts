// An employee's reply goes back to the agent: posted as public CaseComments on their case (one header line per part
// naming them and carrying the reply's reference), at most once per idempotency key, with the status change the
// tenant wants, in as few Salesforce calls as allow it. The ledger records who really wrote it.

import { createHash } from 'node:crypto';

import type { Clock, SalesforceGatewayFactory } from '../../domain/ports.js';
import type { CaseComment, SupportCase } from '../../domain/support.js';
import type { Tenant } from '../../domain/tenant.js';
import {
  caseBelongsTo,
  caseBelongsToContactless,
  contactsWithEmail,
} from '../../domain/tickets/case-employee.js';
import {
  MAX_COMMENT_BYTES,
  parseReplyHeader,
  partsStillToPost,
  splitReply,
  utf8Bytes,
  type ReplyPart,
} from '../../domain/tickets/reply-parts.js';
import type {
  CaseStamp,
  ReplyAuthor,
  ReplyGatewayFactory,
  ReplyIntentRepository,
} from '../../domain/tickets/reply-ports.js';
import {
  caseStatesOf,
  MAX_REPLY_PARTS,
  planReply,
  replySettingsOf,
} from '../../domain/tickets/reply-rules.js';
import { writeReference } from '../../domain/write-reference.js';
import { appError, isAppError } from '../../errors/app-error.js';
import {
  REPLY_CASE_CLOSED,
  REPLY_CASE_NOT_FOUND,
  REPLY_EMPLOYEE_AMBIGUOUS,
  REPLY_EMPLOYEE_NOT_FOUND,
  REPLY_EMPTY,
  REPLY_KEY_REUSED,
  REPLY_NOT_YOUR_CASE,
  REPLY_PARTLY_POSTED,
  REPLY_TOO_LONG,
} from '../../errors/codes/replies.js';
import type { Logger } from '../../logging/logger.js';
import type { RecordRefusal } from '../../domain/tickets/record-refusal.js';

export interface ReplyRequest {
  tenantId: string;
  caseId: string;
  employee: ReplyAuthor;
  text: string;
  /** the same key on a retry posts nothing twice; a new reply (even with the same text) needs a new key */
  idempotencyKey: string;
}

export interface ReplyStatusChange {
  from: string;
  to: string;
  why: 'reopen' | 'employee-replied';
  moved: boolean;
  /** why it did not move (the reply is posted all the same) */
  error?: { code: string; message: string };
  /**
   * The case's owner and SystemModstamp right after the change (read in the same call): change detection can tell
   * this status change is casebridge's own (OwnWriteProbe 'case-update') and not announce it to the employee.
   */
  caseAfter?: CaseStamp;
}

export interface ReplyResult {
  tenantId: string;
  caseId: string;
  caseNumber: string;
  /** the reference every part's header carries, e.g. 7KQ2XW */
  reference: string;
  parts: number;
  /** the comments, in part order */
  commentIds: string[];
  /** parts this call posted (fewer than `parts` when an earlier attempt had posted some) */
  postedNow: number;
  /** the key had finished before: answered from the ledger, with no Salesforce call */
  replayed: boolean;
  status: ReplyStatusChange | null;
}

export interface ReplyServiceDeps {
  /** the tenant, or TENANT_NOT_FOUND (TenantService.show) */
  tenants: { show(id: string): Promise<Tenant> };
  gateways: SalesforceGatewayFactory;
  replies: ReplyGatewayFactory;
  intents: ReplyIntentRepository;
  clock: Clock;
  log: Logger;
}

/** Salesforce stamps CreatedDate with its own clock: the lookup for earlier parts starts this long before. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Rounds of posting after a reconciled drop; each posts only what is still missing. */
const MAX_ROUNDS = 3;
/** An 18- or 15-character Case id (key prefix 500), as opposed to a CaseNumber. */
const CASE_ID = /^500[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/;

function fingerprintOf(caseId: string, text: string): string {
  return createHash('sha256').update(caseId).update('\0').update(text).digest('hex');
}

export class ReplyService {
  constructor(private readonly deps: ReplyServiceDeps) {}

  replyToCase(request: ReplyRequest): Promise<ReplyResult> {
    return this.post(request, null);
  }

  /** `known`: the case as just read by the caller (found by its number), so it is not read twice */
  private async post(request: ReplyRequest, known: SupportCase | null): Promise<ReplyResult> {
    const { tenantId, caseId, employee, text, idempotencyKey } = request;
    if (text.trim() === '') throw appError(REPLY_EMPTY);
    // refused before splitting: text this long can never fit, and splitting it would only spend time
    const bytes = utf8Bytes(text);
    if (bytes > MAX_REPLY_PARTS * MAX_COMMENT_BYTES)
      throw appError(REPLY_TOO_LONG, {
        params: { parts: Math.ceil(bytes / MAX_COMMENT_BYTES), max: MAX_REPLY_PARTS },
      });
    const tenant = await this.deps.tenants.show(tenantId);
    // `[cb:7KQ2XW]` → 7KQ2XW: the header of split replies adds the part, `[cb:7KQ2XW 2/3]`
    const reference = writeReference(idempotencyKey).slice(4, -1);
    const parts = splitReply({ text, authorName: employee.name, reference });
    if (parts.length > MAX_REPLY_PARTS)
      throw appError(REPLY_TOO_LONG, { params: { parts: parts.length, max: MAX_REPLY_PARTS } });

    const fingerprint = fingerprintOf(caseId, text);
    const begun = await this.deps.intents.begin({
      tenantId,
      idempotencyKey,
      caseId,
      author: employee,
      reference,
      partCount: parts.length,
      fingerprint,
    });
    if (begun.intent === null)
      throw appError(REPLY_KEY_REUSED, { params: { what: `another kind of write (${begun.kind})` } });
    const intent = begun.intent;
    if (!begun.created && (intent.fingerprint !== fingerprint || intent.author.id !== employee.id))
      throw appError(REPLY_KEY_REUSED, { params: { what: 'another reply' } });
    if (intent.result !== null) return { ...(intent.result as ReplyResult), replayed: true };

    const log = this.deps.log.child({ tenantId, caseId, reference });
    const sf = this.deps.gateways.forTenant(tenant, 'reply');
    const rg = this.deps.replies.forTenant(tenant, 'reply');
    const supportCase = known ?? (await this.caseOf(tenantId, caseId, (id) => sf.getCase(id)));
    const contacts =
      supportCase.employeeId === null && supportCase.suppliedEmail !== null
        ? await sf.findEmployeesByEmail(supportCase.suppliedEmail)
        : [];
    const owns =
      employee.contactless === true && employee.email !== null
        ? caseBelongsToContactless(supportCase, employee.email, contacts)
        : caseBelongsTo(supportCase, employee.id, contacts);
    if (!owns)
      throw appError(REPLY_NOT_YOUR_CASE, {
        params: { case: supportCase.number, employee: employee.email ?? employee.id },
      });

    const since = new Date(Date.parse(intent.startedAt) - CLOCK_SKEW_MS);
    const ids = new Map<number, string>();
    const noteExisting = (comments: readonly CaseComment[]): string[] => {
      const bodies: string[] = [];
      for (const comment of comments) {
        const header = parseReplyHeader(comment.body);
        if (header?.reference !== reference || header.count !== parts.length) continue;
        ids.set(header.index, comment.id);
        bodies.push(comment.body);
      }
      return bodies;
    };
    // A key seen before: an earlier attempt may have posted some or all parts without learning so.
    let existing = begun.created ? [] : noteExisting(await rg.ownCommentsSince(caseId, since));
    let remaining = partsStillToPost(parts, existing);

    const plan = planReply(supportCase, caseStatesOf(tenant.settings), replySettingsOf(tenant.settings));
    if (remaining.length > 0 && plan.kind === 'refuse-closed')
      throw appError(REPLY_CASE_CLOSED, {
        params: { case: supportCase.number, status: supportCase.status, tenant: tenantId },
        details: { caseId, status: supportCase.status, state: plan.state },
      });
    const change = remaining.length > 0 && plan.kind === 'post' ? plan.status : null;
    let status: ReplyStatusChange | null =
      change === null ? null : { from: supportCase.status, to: change.to, why: change.why, moved: false };
    let statusPending = change !== null;
    let postedNow = 0;

    for (let round = 1; remaining.length > 0 || statusPending; round++) {
      if (remaining.length === 0 && status !== null) {
        // Only after a reconciled drop: the parts are there, and a status written after them may not be.
        await sf.updateCaseStatus(caseId, status.to);
        status = { ...status, moved: true };
        break;
      }
      const outcome = await rg.postReply({
        caseId,
        bodies: remaining.map((part) => part.body),
        status:
          statusPending && status !== null ? { value: status.to, before: status.why === 'reopen' } : null,
        reference,
        startedAt: this.deps.clock.now(),
      });
      if (outcome.kind === 'reconciled') {
        log.info({ round }, 'reply reconciled after a dropped connection');
        const before = ids.size;
        existing = noteExisting(outcome.comments);
        postedNow += ids.size - before;
        remaining = partsStillToPost(parts, existing);
        // this request was applied (parts it sent are on the case), so its reopen was too: all or nothing
        if (status?.why === 'reopen') {
          status = { ...status, moved: true };
          statusPending = false;
        }
        if (round >= MAX_ROUNDS && remaining.length > 0) break;
        continue;
      }
      const failed: { part: ReplyPart; code: string; message: string; refusal?: RecordRefusal }[] = [];
      outcome.comments.forEach((result, i) => {
        const part = remaining[i];
        if (part === undefined) return;
        if (result.ok) {
          ids.set(part.index, result.id);
          postedNow += 1;
        } else
          failed.push({
            part,
            code: result.code,
            message: result.message,
            ...(result.refusal === undefined ? {} : { refusal: result.refusal }),
          });
      });
      if (outcome.status !== null && status !== null) {
        status = outcome.status.ok
          ? {
              ...status,
              moved: true,
              ...(outcome.caseAfter === null ? {} : { caseAfter: outcome.caseAfter }),
            }
          : { ...status, error: { code: outcome.status.code, message: outcome.status.message } };
        if (!outcome.status.ok)
          log.warn({ code: outcome.status.code, to: status.to }, 'reply posted; status not moved');
      }
      statusPending = false;
      remaining = remaining.filter((part) => !ids.has(part.index));
      const [first] = failed;
      if (first !== undefined)
        throw appError(REPLY_PARTLY_POSTED, {
          params: {
            posted: ids.size,
            parts: parts.length,
            case: supportCase.number,
            failed: first.part.index,
            errorCode: first.code,
            message: first.message,
          },
          details: {
            posted: ids.size,
            parts: parts.length,
            failedParts: failed.map((f) => f.part.index),
            // nothing posted and the org refused it (a rule, a lock): the caller may tell the employee why
            ...(ids.size === 0 && first.refusal !== undefined ? { refusal: first.refusal } : {}),
          },
        });
    }
    if (remaining.length > 0)
      throw appError(REPLY_PARTLY_POSTED, {
        params: {
          posted: ids.size,
          parts: parts.length,
          case: supportCase.number,
          failed: remaining[0]?.index ?? 0,
          errorCode: 'CONNECTION_DROPPED',
          message: 'the connection dropped on every attempt',
        },
        details: { posted: ids.size, parts: parts.length },
      });

    const commentIds = parts.map((part) => ids.get(part.index) ?? '');
    const result: ReplyResult = {
      tenantId,
      caseId,
      caseNumber: supportCase.number,
      reference,
      parts: parts.length,
      commentIds,
      postedNow,
      replayed: false,
      status,
    };
    await this.deps.intents.finish(tenantId, idempotencyKey, commentIds[0] ?? '', result);
    log.info(
      { parts: parts.length, postedNow, authorId: employee.id, status: status?.to ?? null },
      'reply posted',
    );
    return result;
  }

  /**
   * The operator's form: the case by number or id, the employee by the email of their Contact (exactly one, never a
   * guess), then `replyToCase`.
   */
  async replyAs(request: {
    tenantId: string;
    caseRef: string;
    email: string;
    text: string;
    idempotencyKey: string;
  }): Promise<ReplyResult> {
    const tenant = await this.deps.tenants.show(request.tenantId);
    if (request.text.trim() === '') throw appError(REPLY_EMPTY);
    const sf = this.deps.gateways.forTenant(tenant, 'reply');
    const matches = contactsWithEmail(request.email, await sf.findEmployeesByEmail(request.email));
    const [contact] = matches;
    if (contact === undefined)
      throw appError(REPLY_EMPLOYEE_NOT_FOUND, { params: { tenant: tenant.id, email: request.email } });
    if (matches.length > 1)
      throw appError(REPLY_EMPLOYEE_AMBIGUOUS, {
        params: { tenant: tenant.id, email: request.email, count: matches.length },
        details: { contactIds: matches.map((m) => m.id).sort() },
      });
    let found: SupportCase | null = null;
    if (!CASE_ID.test(request.caseRef)) {
      found = await this.deps.replies.forTenant(tenant, 'reply').findCaseByNumber(request.caseRef);
      if (found === null)
        throw appError(REPLY_CASE_NOT_FOUND, { params: { tenant: tenant.id, case: request.caseRef } });
    }
    return this.post(
      {
        tenantId: tenant.id,
        caseId: found?.id ?? request.caseRef,
        employee: { id: contact.id, name: contact.name, email: contact.email },
        text: request.text,
        idempotencyKey: request.idempotencyKey,
      },
      found,
    );
  }

  private async caseOf(
    tenantId: string,
    caseId: string,
    read: (id: string) => Promise<SupportCase>,
  ): Promise<SupportCase> {
    try {
      return await read(caseId);
    } catch (err) {
      if (isAppError(err, 'SF_API_NOT_FOUND'))
        throw appError(REPLY_CASE_NOT_FOUND, { params: { tenant: tenantId, case: caseId }, cause: err });
      throw err;
    }
  }
}

// The Salesforce writes of a reply: its parts as public CaseComments in one sObject Collections call (200 records
// each), and, when the status moves too, all of it in one composite call, so a reply costs one API request.
// https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite-post.html

import { z } from 'zod';

import type { WriteOutcome } from '../domain/ports.js';
import type { CaseComment, SupportCase } from '../domain/support.js';
import type { Tenant } from '../domain/tenant.js';
import { parseReplyHeader } from '../domain/tickets/reply-parts.js';
import { MAX_REPLY_PARTS } from '../domain/tickets/reply-rules.js';
import type {
  ReplyGateway,
  ReplyGatewayFactory,
  ReplyPost,
  ReplyPostOutcome,
} from '../domain/tickets/reply-ports.js';
import { isoFromSalesforce, toCaseComment, toSupportCase } from './mappers.js';
import { queryAll } from './query-pages.js';
import { apiError, refusalOf } from './rest/api-errors.js';
import type { SalesforceClient } from './salesforce-client.js';
import { fieldList, soql } from './soql.js';
import { parseWire } from './wire/parse-wire.js';
import { SF_CASE_FIELDS, SfCase } from './wire/sf-case.js';
import { SF_CASE_COMMENT_FIELDS, SfCaseComment } from './wire/sf-case-comment.js';
import { SfCompositeResponse, SfSaveResult } from './wire/sf-save-result.js';
import { SfSubrequestErrors, type SfSubrequestError } from './wire/sf-subrequest.js';

/** sObject Collections take at most 200 records per call. */
export const COLLECTION_LIMIT = 200;
/** Salesforce stamps CreatedDate with its own clock: the reconciling lookup starts this long before the attempt. */
const RECONCILE_SKEW_MS = 5 * 60 * 1000;

const SaveResults = z.array(SfSaveResult);

const headerLine = (body: string): string => body.split('\n', 1)[0] ?? '';

const CaseStampWire = z.object({
  Status: z.string().nullable(),
  OwnerId: z.string().nullable(),
  SystemModstamp: z.string(),
});
const CASE_STAMP_FIELDS = Object.keys(CaseStampWire.shape);

function outcomeOf(result: SfSaveResult): WriteOutcome {
  const first = result.errors[0];
  if (result.success && result.id) return { ok: true, id: result.id };
  const failure = {
    errorCode: first?.statusCode ?? first?.errorCode ?? 'UNKNOWN',
    message: first?.message ?? '',
    fields: first?.fields ?? [],
  };
  const refusal = refusalOf(failure);
  return {
    ok: false,
    code: failure.errorCode,
    message: failure.message,
    fields: failure.fields,
    ...(refusal === undefined ? {} : { refusal }),
  };
}

/** a failed subrequest's errors, parsed; a subrequest that succeeded (or is absent) has none */
const subErrors = (
  sub: { body: unknown; httpStatusCode: number } | undefined,
  tenantId: string,
): SfSubrequestError[] =>
  sub === undefined || sub.httpStatusCode < 300
    ? []
    : parseWire(SfSubrequestErrors, sub.body, { tenantId, shape: 'reply composite error' });

export class JsforceReplyGateway implements ReplyGateway {
  constructor(
    private readonly client: SalesforceClient,
    private readonly tenant: Tenant,
    private readonly purpose?: string,
  ) {}

  private get purposeOpt(): { purpose?: string } {
    return this.purpose === undefined ? {} : { purpose: this.purpose };
  }

  async findCaseByNumber(caseNumber: string): Promise<SupportCase | null> {
    const q = soql`SELECT ${fieldList(SF_CASE_FIELDS)} FROM Case WHERE CaseNumber = ${caseNumber} LIMIT 1`;
    const rows = await queryAll(this.client, this.tenant, q, SfCase, { shape: 'Case', ...this.purposeOpt });
    const [row] = rows;
    return row === undefined ? null : toSupportCase(row);
  }

  async ownCommentsSince(caseId: string, since: Date): Promise<CaseComment[]> {
    const userId = (await this.client.session(this.tenant)).userId;
    // CommentBody is a long text field and cannot be filtered: the headers are read here.
    const q = soql`SELECT ${fieldList(SF_CASE_COMMENT_FIELDS)} FROM CaseComment WHERE ParentId = ${caseId} AND CreatedById = ${userId} AND CreatedDate >= ${since} ORDER BY CreatedDate ASC, Id ASC`;
    const rows = await queryAll(this.client, this.tenant, q, SfCaseComment, {
      shape: 'CaseComment',
      purpose: 'reconcile',
    });
    return rows.map(toCaseComment);
  }

  async postReply(post: ReplyPost): Promise<ReplyPostOutcome> {
    if (post.bodies.length === 0 && post.status === null)
      return { kind: 'sent', comments: [], status: null, caseAfter: null };
    if (post.bodies.length > MAX_REPLY_PARTS)
      throw new RangeError(`a reply of ${post.bodies.length} parts does not fit one composite call`);
    const records = post.bodies.map((body) => ({
      attributes: { type: 'CaseComment' },
      ParentId: post.caseId,
      CommentBody: body,
      IsPublished: true,
    }));
    const chunks: (typeof records)[] = [];
    for (let i = 0; i < records.length; i += COLLECTION_LIMIT)
      chunks.push(records.slice(i, i + COLLECTION_LIMIT));
    // The header lines of the parts sent now ("... [cb:7KQ2XW 2/3]"): parts an earlier attempt posted are not among
    // them, so finding one of these means this request was applied.
    const headers = new Set(post.bodies.map(headerLine));
    let reconciled: CaseComment[] | null = null;
    const reconcile = async (): Promise<unknown> => {
      const since = new Date(post.startedAt.getTime() - RECONCILE_SKEW_MS);
      const comments = await this.ownCommentsSince(post.caseId, since);
      // None of them on the case: nothing was applied (a status change before the parts is all or nothing with
      // them), so the client sends the same request again.
      const applied = comments.some(
        (comment) =>
          parseReplyHeader(comment.body)?.reference === post.reference &&
          headers.has(headerLine(comment.body)),
      );
      if (!applied) return null;
      reconciled = comments;
      return { reconciled: true };
    };

    if (post.status === null && chunks.length === 1) {
      const raw = await this.client.request<unknown>(this.tenant, {
        method: 'POST',
        url: '/composite/sobjects',
        body: { allOrNone: false, records: chunks[0] },
        sobject: 'CaseComment',
        reconcile,
        ...this.purposeOpt,
      });
      if (reconciled !== null) return { kind: 'reconciled', comments: reconciled };
      const results = parseWire(SaveResults, raw, {
        tenantId: this.tenant.id,
        shape: 'CaseComment collection',
      });
      return { kind: 'sent', comments: results.map(outcomeOf), status: null, caseAfter: null };
    }

    const base = `/services/data/v${this.tenant.settings.apiVersion}`;
    const statusRequest =
      post.status === null
        ? []
        : [
            {
              method: 'PATCH',
              url: `${base}/sobjects/Case/${encodeURIComponent(post.caseId)}`,
              referenceId: 'status',
              body: { Status: post.status.value },
            },
          ];
    // the case read back after the status change, in the same call: its modstamp identifies our own write
    const readBack =
      post.status === null
        ? []
        : [
            {
              method: 'GET',
              url: `${base}/sobjects/Case/${encodeURIComponent(post.caseId)}?fields=${CASE_STAMP_FIELDS.join(',')}`,
              referenceId: 'caseAfter',
            },
          ];
    const partRequests = chunks.map((chunk, i) => ({
      method: 'POST',
      url: `${base}/composite/sobjects`,
      referenceId: `parts${i}`,
      body: { allOrNone: false, records: chunk },
    }));
    const before = post.status?.before === true;
    const raw = await this.client.request<unknown>(this.tenant, {
      method: 'POST',
      url: '/composite',
      body: {
        // A reopen and the parts stand or fall together; a status after the parts may fail alone.
        allOrNone: before,
        // Since API 49.0 unrelated subrequests are collated and may run in any order unless this is false
        // (Composite Request Body, collateSubrequests): the reopen must come before the parts, parts in order.
        collateSubrequests: false,
        compositeRequest: before
          ? [...statusRequest, ...partRequests, ...readBack]
          : [...partRequests, ...statusRequest, ...readBack],
      },
      sobject: 'CaseComment',
      reconcile,
      ...this.purposeOpt,
    });
    if (reconciled !== null) return { kind: 'reconciled', comments: reconciled };
    const composite = parseWire(SfCompositeResponse, raw, {
      tenantId: this.tenant.id,
      shape: 'reply composite',
    });
    const byRef = new Map(composite.compositeResponse.map((r) => [r.referenceId, r]));
    if (before) {
      // All or nothing: report the subrequest that failed (the others say PROCESSING_HALTED or rolled back).
      const failed = composite.compositeResponse.find((r) => r.httpStatusCode >= 300);
      if (failed !== undefined) {
        const errors = composite.compositeResponse
          .flatMap((r) => subErrors(r, this.tenant.id))
          .filter((e) => e.errorCode !== 'PROCESSING_HALTED');
        throw apiError(
          (errors.length > 0 ? errors : subErrors(failed, this.tenant.id)).map((e) => ({
            errorCode: e.errorCode ?? e.statusCode ?? 'UNKNOWN',
            message: e.message ?? '',
            fields: e.fields ?? [],
          })),
          { tenantId: this.tenant.id, status: failed.httpStatusCode, sobject: 'Case', recordId: post.caseId },
        );
      }
    }
    const comments: WriteOutcome[] = [];
    chunks.forEach((chunk, i) => {
      const answer = byRef.get(`parts${i}`);
      if (answer !== undefined && answer.httpStatusCode < 300) {
        const results = parseWire(SaveResults, answer.body, {
          tenantId: this.tenant.id,
          shape: 'CaseComment collection',
        });
        comments.push(...results.map(outcomeOf));
        return;
      }
      const [first] = subErrors(answer, this.tenant.id);
      for (let k = 0; k < chunk.length; k++)
        comments.push({
          ok: false,
          code: first?.errorCode ?? 'UNKNOWN',
          message: first?.message ?? '',
          fields: [],
        });
    });
    let status: WriteOutcome | null = null;
    const statusAnswer = byRef.get('status');
    if (post.status !== null) {
      const [first] = subErrors(statusAnswer, this.tenant.id);
      status =
        statusAnswer !== undefined && statusAnswer.httpStatusCode < 300
          ? { ok: true, id: post.caseId }
          : {
              ok: false,
              code: first?.errorCode ?? 'UNKNOWN',
              message: first?.message ?? '',
              fields: first?.fields ?? [],
            };
    }
    const stamp = byRef.get('caseAfter');
    const read =
      stamp !== undefined && stamp.httpStatusCode < 300 ? CaseStampWire.safeParse(stamp.body) : null;
    const caseAfter =
      read?.success === true
        ? {
            status: read.data.Status ?? '',
            ownerId: read.data.OwnerId,
            modstamp: isoFromSalesforce(read.data.SystemModstamp),
          }
        : null;
    return { kind: 'sent', comments, status, caseAfter };
  }
}

export class JsforceReplyGatewayFactory implements ReplyGatewayFactory {
  constructor(private readonly client: SalesforceClient) {}

  forTenant(tenant: Tenant, purpose?: string): ReplyGateway {
    return new JsforceReplyGateway(this.client, tenant, purpose);
  }
}

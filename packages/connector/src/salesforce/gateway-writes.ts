// The gateway's writes, each reconciled before any retry: a case or a comment is created and read back in one
// composite call and, after an ambiguous failure, looked for by its idempotency key instead of created again;
// batches of comments go through sObject Collections.

import { z } from 'zod';

import type { NewCaseComment, NewSupportCase, WriteOutcome } from '../domain/ports.js';
import type { CaseComment, SupportCase } from '../domain/support.js';
import {
  carriesReference,
  referenceInHeader,
  tagFirstLine,
  tagLastLine,
  writeReference,
} from '../domain/write-reference.js';
import { appError, isAppError, type AppError } from '../errors/app-error.js';
import { SF_API_CREATED_UNREADABLE } from '../errors/codes/salesforce-api.js';
import type { GatewayContext } from './gateway-context.js';
import { toCaseComment, toSupportCase } from './mappers.js';
import { queryAll } from './query-pages.js';
import { apiError } from './rest/api-errors.js';
import { fieldList, ident, soql } from './soql.js';
import { parseWire } from './wire/parse-wire.js';
import { SF_CASE_FIELDS, SfCase } from './wire/sf-case.js';
import { SF_CASE_COMMENT_FIELDS, SfCaseComment } from './wire/sf-case-comment.js';
import { SfCompositeResponse, SfSaveResult } from './wire/sf-save-result.js';
import { SfCreatedBody, SfSubrequestErrors } from './wire/sf-subrequest.js';

/** sObject Collections take at most 200 records per call. */
const COLLECTION_LIMIT = 200;
/**
 * How far before the attempt started a reconciling query looks for what the attempt created: Salesforce stamps
 * CreatedDate with its own clock, which may differ from ours.
 */
const RECONCILE_SKEW_MS = 5 * 60 * 1000;

export async function createCase(gw: GatewayContext, input: NewSupportCase): Promise<SupportCase> {
  const reference = writeReference(input.idempotencyKey);
  const name = input.suppliedName ? suppliedNameOf(input.suppliedName) : null;
  const fields: Record<string, unknown> = {
    ...input.extraFields,
    Subject: input.subject,
    Description: tagLastLine(
      name?.fullNameLine === undefined ? input.description : `${input.description}\n\n${name.fullNameLine}`,
      reference,
    ),
    Status: input.status,
    ...(input.employeeId === null ? {} : { ContactId: input.employeeId }),
    ...(input.suppliedEmail ? { SuppliedEmail: input.suppliedEmail } : {}),
    ...(name === null ? {} : { SuppliedName: name.field }),
    ...(input.priority ? { Priority: input.priority } : {}),
    ...(input.origin ? { Origin: input.origin } : {}),
    ...(input.externalIdField === undefined ? {} : { [input.externalIdField]: input.idempotencyKey }),
    ...(input.recordTypeId === undefined ? {} : { RecordTypeId: input.recordTypeId }),
  };
  for (const name of Object.keys(fields)) ident(name);
  const startedAt = gw.clock.now();
  const record = await createAndRead(
    gw,
    'Case',
    fields,
    SF_CASE_FIELDS,
    SfCase,
    () => findCaseRecord(gw, input, new Date(startedAt.getTime() - RECONCILE_SKEW_MS)),
    // "Assignment Rule Header": a subrequest of a composite carries it in httpHeaders
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_autoassign.htm
    input.autoAssign === undefined ? undefined : { 'Sforce-Auto-Assign': input.autoAssign },
  );
  return toSupportCase(record);
}

/** Case.SuppliedName holds 80 characters (the identity token's name claim up to 200). */
const SUPPLIED_NAME_MAX = 80;

/**
 * SuppliedName for a name, never cut silently: a longer one is shortened at a character boundary and marked with
 * "…", and the whole name goes into the description on a line of its own, so the agent reads it in full.
 */
export function suppliedNameOf(fullName: string): { field: string; fullNameLine?: string } {
  if (fullName.length <= SUPPLIED_NAME_MAX) return { field: fullName };
  let field = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(fullName)) {
    if (field.length + segment.length > SUPPLIED_NAME_MAX - 1) break;
    field += segment;
  }
  return { field: `${field}…`, fullNameLine: `Name (shortened in Web Name): ${fullName}` };
}

export async function findCaseByKey(
  gw: GatewayContext,
  key: { idempotencyKey: string; externalIdField?: string },
  since: Date,
): Promise<SupportCase | null> {
  const found = await findCaseRecord(gw, key, since);
  return found === null ? null : toSupportCase(found);
}

/** By the external-ID field when there is one; else by the reference in the description (not filterable). */
async function findCaseRecord(
  gw: GatewayContext,
  key: { idempotencyKey: string; externalIdField?: string },
  since: Date,
): Promise<SfCase | null> {
  if (key.externalIdField !== undefined) {
    const q = soql`SELECT ${fieldList(SF_CASE_FIELDS)} FROM Case WHERE ${ident(key.externalIdField)} = ${key.idempotencyKey} LIMIT 1`;
    const rows = await queryAll(gw.client, gw.tenant, q, SfCase, {
      shape: 'Case',
      purpose: 'reconcile',
    });
    return rows[0] ?? null;
  }
  const reference = writeReference(key.idempotencyKey);
  const userId = (await gw.client.session(gw.tenant)).userId;
  const q = soql`SELECT ${fieldList(SF_CASE_FIELDS)} FROM Case WHERE CreatedById = ${userId} AND CreatedDate >= ${since} ORDER BY CreatedDate DESC LIMIT 200`;
  // Description is a long text area and cannot be filtered in SOQL: the reference is looked for here.
  const rows = await queryAll(gw.client, gw.tenant, q, SfCase, { shape: 'Case', purpose: 'reconcile' });
  return rows.find((r) => carriesReference(r.Description, reference)) ?? null;
}

export async function addCaseComment(gw: GatewayContext, input: NewCaseComment): Promise<CaseComment> {
  const startedAt = gw.clock.now();
  const record = await createAndRead(
    gw,
    'CaseComment',
    {
      ParentId: input.caseId,
      CommentBody: tagFirstLine(input.body, writeReference(input.idempotencyKey)),
      IsPublished: input.isPublic,
    },
    SF_CASE_COMMENT_FIELDS,
    SfCaseComment,
    () =>
      findCommentRecord(
        gw,
        input.caseId,
        input.idempotencyKey,
        new Date(startedAt.getTime() - RECONCILE_SKEW_MS),
      ),
  );
  return toCaseComment(record);
}

export async function findCommentByKey(
  gw: GatewayContext,
  caseId: string,
  idempotencyKey: string,
  since: Date,
): Promise<CaseComment | null> {
  const found = await findCommentRecord(gw, caseId, idempotencyKey, since);
  return found === null ? null : toCaseComment(found);
}

/** By the reference in the header line, never by the text: two identical replies sent on purpose are two. */
async function findCommentRecord(
  gw: GatewayContext,
  caseId: string,
  idempotencyKey: string,
  since: Date,
): Promise<SfCaseComment | null> {
  const reference = writeReference(idempotencyKey);
  const userId = (await gw.client.session(gw.tenant)).userId;
  const q = soql`SELECT ${fieldList(SF_CASE_COMMENT_FIELDS)} FROM CaseComment WHERE ParentId = ${caseId} AND CreatedById = ${userId} AND CreatedDate >= ${since} ORDER BY CreatedDate DESC LIMIT 200`;
  const rows = await queryAll(gw.client, gw.tenant, q, SfCaseComment, {
    shape: 'CaseComment',
    purpose: 'reconcile',
  });
  return rows.find((r) => referenceInHeader(r.CommentBody) === reference) ?? null;
}

export async function addCaseComments(
  gw: GatewayContext,
  inputs: readonly NewCaseComment[],
): Promise<WriteOutcome[]> {
  const records = inputs.map((c) => ({
    attributes: { type: 'CaseComment' },
    ParentId: c.caseId,
    CommentBody: tagFirstLine(c.body, writeReference(c.idempotencyKey)),
    IsPublished: c.isPublic,
  }));
  const outcomes: WriteOutcome[] = [];
  for (let i = 0; i < records.length; i += COLLECTION_LIMIT) {
    const chunk = records.slice(i, i + COLLECTION_LIMIT);
    // Unsafe write without reconciliation: an ambiguous failure surfaces as SF_API_WRITE_OUTCOME_UNKNOWN.
    const raw = await gw.client.request<unknown>(gw.tenant, {
      method: 'POST',
      url: '/composite/sobjects',
      body: { allOrNone: false, records: chunk },
      sobject: 'CaseComment',
      ...gw.purposeOpt,
    });
    const results = parseWire(z.array(SfSaveResult), raw, gw.ctx('CaseComment collection'));
    for (const r of results) {
      const first = r.errors[0];
      outcomes.push(
        r.success && r.id
          ? { ok: true, id: r.id }
          : {
              ok: false,
              code: first?.statusCode ?? first?.errorCode ?? 'UNKNOWN',
              message: first?.message ?? '',
              fields: first?.fields ?? [],
            },
      );
    }
  }
  return outcomes;
}

export async function updateCaseStatus(gw: GatewayContext, id: string, status: string): Promise<void> {
  // PATCH of the same value is idempotent: safe to retry after a dropped connection.
  await gw.client.request(gw.tenant, {
    method: 'PATCH',
    url: `/sobjects/Case/${encodeURIComponent(id)}`,
    body: { Status: status },
    safety: 'idempotent',
    sobject: 'Case',
    recordId: id,
    ...gw.purposeOpt,
  });
}

/**
 * POST + GET of the new record as one composite call (one API request instead of two). The POST may not be
 * repeated blindly: after an ambiguous failure `findExisting` looks for what the first attempt created.
 */
async function createAndRead<S extends z.ZodType>(
  gw: GatewayContext,
  sobject: string,
  fields: Record<string, unknown>,
  readFields: readonly string[],
  schema: S,
  findExisting: () => Promise<z.infer<S> | null>,
  httpHeaders?: Record<string, string>,
): Promise<z.infer<S>> {
  const base = `/services/data/v${gw.ver}/sobjects/${sobject}`;
  const body = {
    allOrNone: false,
    compositeRequest: [
      {
        method: 'POST',
        url: base,
        referenceId: 'created',
        body: fields,
        ...(httpHeaders ? { httpHeaders } : {}),
      },
      { method: 'GET', url: `${base}/@{created.id}?fields=${readFields.join(',')}`, referenceId: 'record' },
    ],
  };
  let reconciled: z.infer<S> | null = null;
  const raw = await gw.client.request<unknown>(gw.tenant, {
    method: 'POST',
    url: '/composite',
    body,
    sobject,
    reconcile: async () => {
      reconciled = await findExisting();
      return reconciled === null ? null : { reconciled: true };
    },
    ...gw.purposeOpt,
  });
  if (reconciled !== null) return reconciled;
  const composite = parseWire(SfCompositeResponse, raw, gw.ctx(`${sobject} composite`));
  const [created, read] = composite.compositeResponse;
  if (!created || created.httpStatusCode >= 300) {
    const errors = created
      ? parseWire(SfSubrequestErrors, created.body, gw.ctx(`${sobject} create error`))
      : [];
    throw apiError(
      errors.map((e) => ({
        errorCode: e.errorCode ?? 'UNKNOWN',
        message: e.message ?? '',
        fields: e.fields ?? [],
      })),
      { tenantId: gw.tenant.id, status: created?.httpStatusCode ?? null, sobject },
    );
  }
  // Created but not readable (an assignment rule gave it to a queue the user cannot see, a field hidden since):
  // the record exists, so say so with its id rather than fail in a way that invites creating it again.
  // A created body without an id still means created: it is reported unreadable, never as a failure to retry.
  const createdBody = SfCreatedBody.safeParse(created.body);
  const id = createdBody.success ? createdBody.data.id : undefined;
  const unreadable = (reason: string, cause?: unknown): AppError =>
    appError(SF_API_CREATED_UNREADABLE, {
      params: {
        object: sobject,
        id: typeof id === 'string' ? id : 'unknown',
        tenant: gw.tenant.id,
        reason,
      },
      details: { id: typeof id === 'string' ? id : null },
      ...(cause === undefined ? {} : { cause }),
    });
  if (!read || read.httpStatusCode >= 300) {
    const readErrors = SfSubrequestErrors.safeParse(read?.body);
    const first = readErrors.success ? readErrors.data[0] : undefined;
    throw unreadable(`HTTP ${read?.httpStatusCode ?? 'none'} ${first?.errorCode ?? ''}`.trim());
  }
  try {
    return parseWire(schema, read.body, gw.ctx(sobject));
  } catch (err) {
    throw unreadable(isAppError(err) ? err.message : 'unexpected shape', err);
  }
}

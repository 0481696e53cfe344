// SalesforceGateway over the client: the operations the product needs, each in as few API calls as Salesforce
// allows (composite create-and-read, sObject Collections for batches), writes reconciled before any retry.

import { z } from 'zod';

import type {
  ApiAllocation,
  Clock,
  IncrementalRead,
  NewCaseComment,
  NewSupportCase,
  ObjectDescription,
  SalesforceGateway,
  SalesforceGatewayFactory,
  SalesforceIdentity,
  SetAsideRecord,
  SyncPage,
  WriteOutcome,
} from '../domain/ports.js';
import type { CaseComment, Employee, KnowledgeArticle, SupportCase } from '../domain/support.js';
import { clampPageSize, positionOf, type SyncCursor } from '../domain/sync-cursor.js';
import type { Tenant } from '../domain/tenant.js';
import {
  carriesReference,
  referenceInHeader,
  tagFirstLine,
  tagLastLine,
  writeReference,
} from '../domain/write-reference.js';
import { appError, isAppError, type AppError } from '../errors/app-error.js';
import { SF_API_CREATED_UNREADABLE } from '../errors/codes/salesforce-api.js';
import { apiError } from './rest/api-errors.js';
import {
  isoFromSalesforce,
  toCaseComment,
  toEmployee,
  toKnowledgeArticle,
  toSupportCase,
} from './mappers.js';
import { queryAll } from './query-pages.js';
import type { SalesforceClient } from './salesforce-client.js';
import { exactInstant, fieldList, ident, soql, type Soql } from './soql.js';
import { parseWire } from './wire/parse-wire.js';
import { SF_CASE_FIELDS, SfCase } from './wire/sf-case.js';
import { SF_CASE_COMMENT_FIELDS, SfCaseComment } from './wire/sf-case-comment.js';
import { SF_CONTACT_FIELDS, SfContact } from './wire/sf-contact.js';
import { SF_KNOWLEDGE_ARTICLE_FIELDS, SfKnowledgeArticle } from './wire/sf-knowledge-article.js';
import { SfCompositeResponse, SfSaveResult } from './wire/sf-save-result.js';
import { SfCreatedBody, SfSubrequestErrors } from './wire/sf-subrequest.js';

/** sObject Collections take at most 200 records per call. */
const COLLECTION_LIMIT = 200;
/**
 * How far before the attempt started a reconciling query looks for what the attempt created: Salesforce stamps
 * CreatedDate with its own clock, which may differ from ours.
 */
const RECONCILE_SKEW_MS = 5 * 60 * 1000;

const Describe = z.object({
  name: z.string(),
  queryable: z.boolean(),
  createable: z.boolean(),
  updateable: z.boolean(),
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      createable: z.boolean(),
      updateable: z.boolean(),
      nillable: z.boolean(),
      filterable: z.boolean().optional(),
      picklistValues: z.array(z.object({ value: z.string(), active: z.boolean().optional() })).optional(),
    }),
  ),
});

const Identity = z.object({
  user_id: z.string(),
  organization_id: z.string(),
  username: z.string(),
  display_name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
});

const Limits = z.looseObject({
  DailyApiRequests: z.object({ Max: z.number(), Remaining: z.number() }).optional(),
});
const Versions = z.array(z.object({ version: z.string() }));

/** What the keyset needs of every row, whatever else is wrong with it. */
const RowPosition = z.looseObject({ Id: z.string(), SystemModstamp: z.string() });

/** Incremental pages default to Salesforce's largest batch. */
const MAX_INCREMENTAL_PAGE = 2000;

/** Rows strictly after `after` in (SystemModstamp, Id) order; `id` '' means the whole instant and later. */
function keysetAfter(after: SyncCursor): Soql {
  const at = exactInstant(new Date(after.modstamp));
  if (after.id === '') return soql`SystemModstamp >= ${at}`;
  return soql`(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${after.id}))`;
}

export class JsforceSalesforceGateway implements SalesforceGateway {
  constructor(
    private readonly client: SalesforceClient,
    private readonly tenant: Tenant,
    private readonly clock: Clock,
    private readonly purpose?: string,
  ) {}

  private get ver(): string {
    return this.tenant.settings.apiVersion;
  }

  private get purposeOpt(): { purpose?: string } {
    return this.purpose === undefined ? {} : { purpose: this.purpose };
  }

  private ctx(shape: string) {
    return { tenantId: this.tenant.id, shape };
  }

  async identity(): Promise<SalesforceIdentity> {
    const session = await this.client.session(this.tenant);
    const raw = await this.client.request<unknown>(this.tenant, {
      method: 'GET',
      url: `${session.identityUrl}?format=json`,
      ...this.purposeOpt,
    });
    const id = parseWire(Identity, raw, this.ctx('identity'));
    return {
      orgId: id.organization_id,
      userId: id.user_id,
      username: id.username,
      displayName: id.display_name ?? null,
      email: id.email ?? null,
    };
  }

  async limits(): Promise<ApiAllocation> {
    try {
      const raw = await this.client.request<unknown>(this.tenant, {
        method: 'GET',
        url: '/limits',
        ...this.purposeOpt,
      });
      const daily = parseWire(Limits, raw, this.ctx('limits')).DailyApiRequests;
      if (daily) return { max: daily.Max, remaining: daily.Remaining, source: 'limits' };
    } catch (err) {
      // /limits needs "View Setup and Configuration"; without it the usage header of any call still tells us.
      if (!isAppError(err, 'SF_API_INSUFFICIENT_ACCESS')) throw err;
    }
    const last = this.client.usage(this.tenant.id).lastApiUsage;
    return last
      ? { max: last.max, remaining: last.max - last.used, source: 'header' }
      : { max: null, remaining: null, source: 'none' };
  }

  async describe(sobject: string): Promise<ObjectDescription> {
    const raw = await this.client.request<unknown>(this.tenant, {
      method: 'GET',
      url: `/sobjects/${ident(sobject).name}/describe`,
      sobject,
      ...this.purposeOpt,
    });
    const d = parseWire(Describe, raw, this.ctx(`${sobject} describe`));
    return {
      name: d.name,
      queryable: d.queryable,
      createable: d.createable,
      updateable: d.updateable,
      fields: d.fields.map((f) => ({
        name: f.name,
        type: f.type,
        createable: f.createable,
        updateable: f.updateable,
        nillable: f.nillable,
        filterable: f.filterable ?? false,
        picklistValues: (f.picklistValues ?? []).filter((p) => p.active !== false).map((p) => p.value),
      })),
    };
  }

  async versions(): Promise<string[]> {
    const raw = await this.client.request<unknown>(this.tenant, {
      method: 'GET',
      url: '/services/data/',
      ...this.purposeOpt,
    });
    return parseWire(Versions, raw, this.ctx('versions')).map((v) => v.version);
  }

  async findEmployeesByEmail(email: string): Promise<Employee[]> {
    const q = soql`SELECT ${fieldList(SF_CONTACT_FIELDS)} FROM Contact WHERE Email = ${email} ORDER BY LastModifiedDate DESC LIMIT 20`;
    const rows = await queryAll(this.client, this.tenant, q, SfContact, {
      shape: 'Contact',
      ...this.purposeOpt,
    });
    return rows.map(toEmployee);
  }

  async getCase(id: string): Promise<SupportCase> {
    const raw = await this.client.request<unknown>(this.tenant, {
      method: 'GET',
      url: `/sobjects/Case/${encodeURIComponent(id)}?fields=${SF_CASE_FIELDS.join(',')}`,
      sobject: 'Case',
      recordId: id,
      ...this.purposeOpt,
    });
    return toSupportCase(parseWire(SfCase, raw, this.ctx('Case')));
  }

  async createCase(input: NewSupportCase): Promise<SupportCase> {
    const reference = writeReference(input.idempotencyKey);
    const fields: Record<string, unknown> = {
      ...input.extraFields,
      Subject: input.subject,
      Description: tagLastLine(input.description, reference),
      Status: input.status,
      ...(input.employeeId === null ? {} : { ContactId: input.employeeId }),
      ...(input.suppliedEmail ? { SuppliedEmail: input.suppliedEmail } : {}),
      // SuppliedName holds 80 characters; the name only labels the case (the email identifies the employee)
      ...(input.suppliedName ? { SuppliedName: input.suppliedName.slice(0, 80) } : {}),
      ...(input.priority ? { Priority: input.priority } : {}),
      ...(input.origin ? { Origin: input.origin } : {}),
      ...(input.externalIdField === undefined ? {} : { [input.externalIdField]: input.idempotencyKey }),
      ...(input.recordTypeId === undefined ? {} : { RecordTypeId: input.recordTypeId }),
    };
    for (const name of Object.keys(fields)) ident(name);
    const startedAt = this.clock.now();
    const record = await this.createAndRead(
      'Case',
      fields,
      SF_CASE_FIELDS,
      SfCase,
      () => this.findCaseRecord(input, new Date(startedAt.getTime() - RECONCILE_SKEW_MS)),
      // "Assignment Rule Header": a subrequest of a composite carries it in httpHeaders
      // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_autoassign.htm
      input.autoAssign === undefined ? undefined : { 'Sforce-Auto-Assign': input.autoAssign },
    );
    return toSupportCase(record);
  }

  async findCaseByKey(
    key: { idempotencyKey: string; externalIdField?: string },
    since: Date,
  ): Promise<SupportCase | null> {
    const found = await this.findCaseRecord(key, since);
    return found === null ? null : toSupportCase(found);
  }

  /** By the external-ID field when there is one; else by the reference in the description (not filterable). */
  private async findCaseRecord(
    key: { idempotencyKey: string; externalIdField?: string },
    since: Date,
  ): Promise<SfCase | null> {
    if (key.externalIdField !== undefined) {
      const q = soql`SELECT ${fieldList(SF_CASE_FIELDS)} FROM Case WHERE ${ident(key.externalIdField)} = ${key.idempotencyKey} LIMIT 1`;
      const rows = await queryAll(this.client, this.tenant, q, SfCase, {
        shape: 'Case',
        purpose: 'reconcile',
      });
      return rows[0] ?? null;
    }
    const reference = writeReference(key.idempotencyKey);
    const userId = (await this.client.session(this.tenant)).userId;
    const q = soql`SELECT ${fieldList(SF_CASE_FIELDS)} FROM Case WHERE CreatedById = ${userId} AND CreatedDate >= ${since} ORDER BY CreatedDate DESC LIMIT 200`;
    // Description is a long text area and cannot be filtered in SOQL: the reference is looked for here.
    const rows = await queryAll(this.client, this.tenant, q, SfCase, { shape: 'Case', purpose: 'reconcile' });
    return rows.find((r) => carriesReference(r.Description, reference)) ?? null;
  }

  async addCaseComment(input: NewCaseComment): Promise<CaseComment> {
    const startedAt = this.clock.now();
    const record = await this.createAndRead(
      'CaseComment',
      {
        ParentId: input.caseId,
        CommentBody: tagFirstLine(input.body, writeReference(input.idempotencyKey)),
        IsPublished: input.isPublic,
      },
      SF_CASE_COMMENT_FIELDS,
      SfCaseComment,
      () =>
        this.findCommentRecord(
          input.caseId,
          input.idempotencyKey,
          new Date(startedAt.getTime() - RECONCILE_SKEW_MS),
        ),
    );
    return toCaseComment(record);
  }

  async findCommentByKey(caseId: string, idempotencyKey: string, since: Date): Promise<CaseComment | null> {
    const found = await this.findCommentRecord(caseId, idempotencyKey, since);
    return found === null ? null : toCaseComment(found);
  }

  /** By the reference in the header line, never by the text: two identical replies sent on purpose are two. */
  private async findCommentRecord(
    caseId: string,
    idempotencyKey: string,
    since: Date,
  ): Promise<SfCaseComment | null> {
    const reference = writeReference(idempotencyKey);
    const userId = (await this.client.session(this.tenant)).userId;
    const q = soql`SELECT ${fieldList(SF_CASE_COMMENT_FIELDS)} FROM CaseComment WHERE ParentId = ${caseId} AND CreatedById = ${userId} AND CreatedDate >= ${since} ORDER BY CreatedDate DESC LIMIT 200`;
    const rows = await queryAll(this.client, this.tenant, q, SfCaseComment, {
      shape: 'CaseComment',
      purpose: 'reconcile',
    });
    return rows.find((r) => referenceInHeader(r.CommentBody) === reference) ?? null;
  }

  async addCaseComments(inputs: readonly NewCaseComment[]): Promise<WriteOutcome[]> {
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
      const raw = await this.client.request<unknown>(this.tenant, {
        method: 'POST',
        url: '/composite/sobjects',
        body: { allOrNone: false, records: chunk },
        sobject: 'CaseComment',
        ...this.purposeOpt,
      });
      const results = parseWire(z.array(SfSaveResult), raw, this.ctx('CaseComment collection'));
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

  async updateCaseStatus(id: string, status: string): Promise<void> {
    // PATCH of the same value is idempotent: safe to retry after a dropped connection.
    await this.client.request(this.tenant, {
      method: 'PATCH',
      url: `/sobjects/Case/${encodeURIComponent(id)}`,
      body: { Status: status },
      safety: 'idempotent',
      sobject: 'Case',
      recordId: id,
      ...this.purposeOpt,
    });
  }

  casesModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<SupportCase>> {
    return this.incremental(read, 'Case', SF_CASE_FIELDS, SfCase, [], toSupportCase);
  }

  commentsModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<CaseComment>> {
    return this.incremental(read, 'CaseComment', SF_CASE_COMMENT_FIELDS, SfCaseComment, [], toCaseComment);
  }

  articlesModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<KnowledgeArticle>> {
    const { language, bodyFields } = this.tenant.settings.knowledge;
    // Knowledge queries must filter one PublishStatus and one Language:
    // https://developer.salesforce.com/docs/atlas.en-us.knowledge_dev.meta/knowledge_dev/knowledge_development_soql_sosl_intro.htm
    // Each a top-level AND term (a parenthesised group is not top level for that rule).
    const filters = [soql`PublishStatus = ${'Online'}`, soql`Language = ${language}`];
    return this.incremental(
      read,
      'Knowledge__kav',
      [...SF_KNOWLEDGE_ARTICLE_FIELDS, ...bodyFields],
      SfKnowledgeArticle,
      filters,
      (r) => toKnowledgeArticle(r, bodyFields),
    );
  }

  /**
   * The rule of domain/sync-cursor.ts in SOQL: one query per page, each strictly after the last row of the one
   * before in (SystemModstamp, Id) order, so ties on the timestamp are walked through by Id and nothing depends on
   * a server-side query cursor (those expire after 15 idle minutes, ten per user). A row that does not match its
   * schema is set aside with its id and the read moves past it.
   */
  private async *incremental<S extends z.ZodType, T>(
    read: IncrementalRead,
    sobject: string,
    fields: readonly string[],
    schema: S,
    filters: readonly Soql[],
    map: (row: z.infer<S>) => T,
  ): AsyncGenerator<SyncPage<T>> {
    const pageSize = clampPageSize(read.pageSize ?? MAX_INCREMENTAL_PAGE);
    const select = fieldList([...new Set([...fields, 'Id', 'SystemModstamp'])]);
    let after: SyncCursor = read.after;
    for (;;) {
      const where = [...filters, keysetAfter(after)].reduce((all, term) => soql`${all} AND ${term}`);
      const q = soql`SELECT ${select} FROM ${ident(sobject)} WHERE ${where} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${pageSize}`;
      const rows = await queryAll(this.client, this.tenant, q, RowPosition, {
        shape: sobject,
        batchSize: pageSize,
        ...this.purposeOpt,
      });
      if (rows.length === 0) return;
      const items: T[] = [];
      const setAside: SetAsideRecord[] = [];
      rows.forEach((raw, i) => {
        try {
          items.push(map(parseWire(schema, raw, this.ctx(`${sobject} record ${i}`))));
        } catch (err) {
          setAside.push({ id: raw.Id, reason: err instanceof Error ? err.message : String(err) });
        }
      });
      const last = rows[rows.length - 1];
      if (last === undefined) return;
      after = positionOf({ id: last.Id, modstamp: isoFromSalesforce(last.SystemModstamp) });
      yield { items, cursor: after, setAside };
      if (rows.length < pageSize) return;
    }
  }

  /**
   * POST + GET of the new record as one composite call (one API request instead of two). The POST may not be
   * repeated blindly: after an ambiguous failure `findExisting` looks for what the first attempt created.
   */
  private async createAndRead<S extends z.ZodType>(
    sobject: string,
    fields: Record<string, unknown>,
    readFields: readonly string[],
    schema: S,
    findExisting: () => Promise<z.infer<S> | null>,
    httpHeaders?: Record<string, string>,
  ): Promise<z.infer<S>> {
    const base = `/services/data/v${this.ver}/sobjects/${sobject}`;
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
    const raw = await this.client.request<unknown>(this.tenant, {
      method: 'POST',
      url: '/composite',
      body,
      sobject,
      reconcile: async () => {
        reconciled = await findExisting();
        return reconciled === null ? null : { reconciled: true };
      },
      ...this.purposeOpt,
    });
    if (reconciled !== null) return reconciled;
    const composite = parseWire(SfCompositeResponse, raw, this.ctx(`${sobject} composite`));
    const [created, read] = composite.compositeResponse;
    if (!created || created.httpStatusCode >= 300) {
      const errors = created
        ? parseWire(SfSubrequestErrors, created.body, this.ctx(`${sobject} create error`))
        : [];
      throw apiError(
        errors.map((e) => ({
          errorCode: e.errorCode ?? 'UNKNOWN',
          message: e.message ?? '',
          fields: e.fields ?? [],
        })),
        { tenantId: this.tenant.id, status: created?.httpStatusCode ?? null, sobject },
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
          tenant: this.tenant.id,
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
      return parseWire(schema, read.body, this.ctx(sobject));
    } catch (err) {
      throw unreadable(isAppError(err) ? err.message : 'unexpected shape', err);
    }
  }
}

export class JsforceSalesforceGatewayFactory implements SalesforceGatewayFactory {
  constructor(
    private readonly client: SalesforceClient,
    private readonly clock: Clock,
  ) {}

  forTenant(tenant: Tenant, purpose?: string): SalesforceGateway {
    return new JsforceSalesforceGateway(this.client, tenant, this.clock, purpose);
  }
}

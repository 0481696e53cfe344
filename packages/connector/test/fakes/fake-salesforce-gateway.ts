// FakeSalesforceGateway: an in-memory org behind the SalesforceGateway port, for unit tests of services. It keeps
// the promises salesforce/gateway.ts keeps (checked by test/integration/salesforce-gateway.contract.int.test.ts):
// writes carry their idempotency key's reference and are found by it, never by their text; incremental reads return
// the rows strictly after the cursor in (modstamp, id) order, page by page; a missing record is SF_API_NOT_FOUND.

import type {
  ApiAllocation,
  Clock,
  IncrementalRead,
  NewCaseComment,
  NewSupportCase,
  ObjectDescription,
  SalesforceGateway,
  SalesforceIdentity,
  SyncPage,
  WriteOutcome,
} from '../../src/domain/ports.js';
import type { CaseComment, Employee, KnowledgeArticle, SupportCase } from '../../src/domain/support.js';
import { clampPageSize, compareCursors, positionOf, type SyncCursor } from '../../src/domain/sync-cursor.js';
import {
  carriesReference,
  referenceInHeader,
  tagFirstLine,
  tagLastLine,
  writeReference,
} from '../../src/domain/write-reference.js';
import { appError } from '../../src/errors/app-error.js';
import {
  SF_API_NOT_FOUND,
  SF_API_SCHEMA_MISMATCH,
  SF_API_VALIDATION_FAILED,
} from '../../src/errors/codes/salesforce-api.js';

/** The org's Case statuses and whether each closes the case (the emulator's and a new org's defaults). */
const CASE_STATUSES: Record<string, boolean> = {
  New: false,
  Working: false,
  Escalated: false,
  Closed: true,
};

interface StoredCase extends SupportCase {
  createdById: string;
  /** the key written to the tenant's external-ID field, when the create named one */
  externalKey: string | null;
}

interface StoredComment extends CaseComment {
  /** the user who made it: reconciliation looks only at the service user's writes */
  createdById: string;
}

export class FakeSalesforceGateway implements SalesforceGateway {
  readonly cases = new Map<string, StoredCase>();
  readonly comments = new Map<string, StoredComment>();
  readonly employees: Employee[] = [];
  readonly articles: KnowledgeArticle[] = [];
  /** every call by method name, in order */
  readonly calls: string[] = [];
  private seq = 0;
  private lastStamp = 0;

  constructor(
    private readonly deps: {
      clock: Clock;
      /** the tenant named in coded errors */
      tenantId?: string;
      identity?: Partial<SalesforceIdentity>;
      /** the tenant's Knowledge language (TenantSettings.knowledge.language) */
      language?: string;
      limits?: ApiAllocation;
    },
  ) {}

  private get tenantId(): string {
    return this.deps.tenantId ?? 'acme';
  }

  get identityOf(): SalesforceIdentity {
    return {
      orgId: '00D000000000001AAA',
      userId: '005000000000001AAA',
      username: 'integration@acme.example',
      displayName: 'Integration User',
      email: 'integration@acme.example',
      ...this.deps.identity,
    };
  }

  /** an 18-character id with the object's key prefix, later ids sorting after earlier ones */
  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(12, '0')}AAA`;
  }

  /** now, strictly later than any stamp before (Salesforce's SystemModstamp has millisecond precision) */
  private stamp(): string {
    this.lastStamp = Math.max(this.deps.clock.now().getTime(), this.lastStamp);
    return new Date(this.lastStamp).toISOString();
  }

  /** records the call and answers on a later tick, as a request would (a throw becomes a rejection) */
  private async call<T>(name: string, fn: () => T): Promise<T> {
    this.calls.push(name);
    await Promise.resolve();
    return fn();
  }

  private caseOrThrow(id: string): StoredCase {
    const found = this.cases.get(id);
    if (found === undefined)
      throw appError(SF_API_NOT_FOUND, { params: { object: 'Case', id, tenant: this.tenantId } });
    return found;
  }

  /** A Contact an employee is (test set-up). */
  addEmployee(employee: Omit<Employee, 'id' | 'name'> & { id?: string }): Employee {
    const made: Employee = {
      id: employee.id ?? this.nextId('003'),
      email: employee.email,
      firstName: employee.firstName,
      lastName: employee.lastName,
      name: [employee.firstName, employee.lastName].filter(Boolean).join(' '),
      department: employee.department,
    };
    this.employees.push(made);
    return made;
  }

  /** A Knowledge article version (test set-up); only `online` ones of the tenant's language are read. */
  addArticle(article: Partial<KnowledgeArticle> & { title: string }): KnowledgeArticle {
    const id = article.id ?? this.nextId('ka0');
    const made: KnowledgeArticle = {
      id,
      articleId: article.articleId ?? `kA0${id.slice(3)}`,
      articleNumber: article.articleNumber ?? String(1000 + this.seq).padStart(9, '0'),
      urlName: article.urlName ?? article.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      summary: null,
      bodyHtml: null,
      language: this.deps.language ?? 'en_US',
      versionNumber: 1,
      status: 'online',
      lastPublishedAt: null,
      modstamp: this.stamp(),
      ...article,
    };
    this.articles.push(made);
    return made;
  }

  /** An agent's comment (test set-up): not the service user's, so reconciliation never takes it for ours. */
  addAgentComment(caseId: string, body: string, isPublic = true): CaseComment {
    return this.insertComment({ caseId, body, isPublic }, '005000000000AGENT');
  }

  identity(): Promise<SalesforceIdentity> {
    return this.call('identity', () => this.identityOf);
  }
  limits(): Promise<ApiAllocation> {
    return this.call(
      'limits',
      () => this.deps.limits ?? { max: 15_000, remaining: 14_000, source: 'limits' },
    );
  }
  describe(sobject: string): Promise<ObjectDescription> {
    return this.call('describe', () => {
      if (sobject !== 'Case')
        // as Salesforce answers an object the org lacks (or hides): a schema mismatch, not a missing record
        throw appError(SF_API_SCHEMA_MISMATCH, {
          params: {
            tenant: this.tenantId,
            errorCode: 'NOT_FOUND',
            message: 'The requested resource does not exist',
          },
        });
      const field = (name: string, type: string, picklistValues: string[] = []) => ({
        name,
        type,
        createable: name !== 'Id' && name !== 'CaseNumber',
        updateable: name !== 'Id' && name !== 'CaseNumber',
        nillable: name !== 'Id' && name !== 'Status',
        filterable: true,
        externalId: false,
        picklistValues,
      });
      return {
        name: 'Case',
        queryable: true,
        createable: true,
        updateable: true,
        fields: [
          field('Id', 'id'),
          field('CaseNumber', 'string'),
          field('Subject', 'string'),
          field('Description', 'textarea'),
          field('Status', 'picklist', Object.keys(CASE_STATUSES)),
          field('Priority', 'picklist', ['High', 'Medium', 'Low']),
          field('Origin', 'picklist', ['Phone', 'Email', 'Web']),
          field('ContactId', 'reference'),
          field('SuppliedEmail', 'email'),
        ],
      };
    });
  }
  versions(): Promise<string[]> {
    return this.call('versions', () => ['60.0', '61.0', '62.0']);
  }
  findEmployeesByEmail(email: string): Promise<Employee[]> {
    // Salesforce compares emails without regard to case
    return this.call('findEmployeesByEmail', () =>
      this.employees.filter((e) => e.email?.toLowerCase() === email.toLowerCase()).map((e) => ({ ...e })),
    );
  }
  getCase(id: string): Promise<SupportCase> {
    return this.call('getCase', () => withoutCreator(this.caseOrThrow(id)));
  }
  createCase(input: NewSupportCase): Promise<SupportCase> {
    return this.call('createCase', () => {
      const at = this.stamp();
      const id = this.nextId('500');
      const made: StoredCase = {
        id,
        number: String(1000 + this.cases.size + 1).padStart(8, '0'),
        subject: input.subject,
        description: tagLastLine(input.description, writeReference(input.idempotencyKey)),
        status: input.status,
        isClosed: CASE_STATUSES[input.status] ?? false,
        priority: input.priority ?? 'Medium',
        origin: input.origin ?? null,
        employeeId: input.employeeId,
        suppliedEmail: input.suppliedEmail ?? null,
        ownerId: this.identityOf.userId,
        createdAt: at,
        updatedAt: at,
        modstamp: at,
        createdById: this.identityOf.userId,
        externalKey: input.externalIdField === undefined ? null : input.idempotencyKey,
      };
      this.cases.set(id, made);
      return withoutCreator(made);
    });
  }
  findCaseByKey(
    key: { idempotencyKey: string; externalIdField?: string },
    since: Date,
  ): Promise<SupportCase | null> {
    return this.call('findCaseByKey', () => {
      const reference = writeReference(key.idempotencyKey);
      const found = [...this.cases.values()].find((c) =>
        key.externalIdField !== undefined
          ? c.externalKey === key.idempotencyKey
          : c.createdById === this.identityOf.userId &&
            Date.parse(c.createdAt) >= since.getTime() &&
            carriesReference(c.description, reference),
      );
      return found === undefined ? null : withoutCreator(found);
    });
  }
  addCaseComment(input: NewCaseComment): Promise<CaseComment> {
    return this.call('addCaseComment', () => {
      // Salesforce refuses the save (INVALID_CROSS_REFERENCE_KEY on ParentId): a validation failure, not a 404
      if (!this.cases.has(input.caseId))
        throw appError(SF_API_VALIDATION_FAILED, {
          params: { object: 'CaseComment', tenant: this.tenantId, message: 'invalid cross reference id' },
        });
      return this.insertComment(
        { ...input, body: tagFirstLine(input.body, writeReference(input.idempotencyKey)) },
        this.identityOf.userId,
      );
    });
  }
  findCommentByKey(caseId: string, idempotencyKey: string, since: Date): Promise<CaseComment | null> {
    return this.call('findCommentByKey', () => {
      const reference = writeReference(idempotencyKey);
      const found = [...this.comments.values()].find(
        (c) =>
          c.caseId === caseId &&
          c.createdById === this.identityOf.userId &&
          Date.parse(c.createdAt) >= since.getTime() &&
          referenceInHeader(c.body) === reference,
      );
      return found === undefined ? null : withoutCreator(found);
    });
  }
  addCaseComments(inputs: readonly NewCaseComment[]): Promise<WriteOutcome[]> {
    return this.call('addCaseComments', () =>
      inputs.map((input): WriteOutcome => {
        if (!this.cases.has(input.caseId))
          return {
            ok: false,
            code: 'INVALID_CROSS_REFERENCE_KEY',
            message: 'invalid cross reference id',
            fields: ['ParentId'],
          };
        const made = this.insertComment(
          { ...input, body: tagFirstLine(input.body, writeReference(input.idempotencyKey)) },
          this.identityOf.userId,
        );
        return { ok: true, id: made.id };
      }),
    );
  }
  updateCaseStatus(id: string, status: string): Promise<void> {
    return this.call('updateCaseStatus', () => {
      const found = this.caseOrThrow(id);
      const at = this.stamp();
      Object.assign(found, { status, isClosed: CASE_STATUSES[status] ?? false, updatedAt: at, modstamp: at });
    });
  }
  casesModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<SupportCase>> {
    this.calls.push('casesModifiedSince');
    return pages([...this.cases.values()].map(withoutCreator), read);
  }
  commentsModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<CaseComment>> {
    this.calls.push('commentsModifiedSince');
    return pages([...this.comments.values()].map(withoutCreator), read);
  }
  articlesModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<KnowledgeArticle>> {
    this.calls.push('articlesModifiedSince');
    const language = this.deps.language ?? 'en_US';
    return pages(
      this.articles.filter((a) => a.status === 'online' && a.language === language).map((a) => ({ ...a })),
      read,
    );
  }

  private insertComment(input: Omit<NewCaseComment, 'idempotencyKey'>, createdById: string): CaseComment {
    const at = this.stamp();
    const made: StoredComment = {
      id: this.nextId('00a'),
      caseId: input.caseId,
      body: input.body,
      isPublic: input.isPublic,
      authorId: createdById,
      createdAt: at,
      modstamp: at,
      createdById,
    };
    this.comments.set(made.id, made);
    return withoutCreator(made);
  }
}

function withoutCreator<T extends { createdById: string }>(row: T): Omit<T, 'createdById' | 'externalKey'> {
  const copy = structuredClone(row);
  Reflect.deleteProperty(copy, 'createdById');
  Reflect.deleteProperty(copy, 'externalKey');
  return copy;
}

/** The keyset rule of domain/sync-cursor.ts over rows in memory: strictly after `read.after`, page by page. */
async function* pages<T extends { id: string; modstamp: string }>(
  rows: T[],
  read: IncrementalRead,
): AsyncGenerator<SyncPage<T>> {
  const size = clampPageSize(read.pageSize ?? 2000);
  const after: SyncCursor = read.after;
  const sorted = rows
    .filter((r) => compareCursors(positionOf(r), after) > 0)
    .sort((a, b) => compareCursors(positionOf(a), positionOf(b)));
  for (let i = 0; i < sorted.length; i += size) {
    const items = sorted.slice(i, i + size);
    await Promise.resolve();
    yield { items, cursor: positionOf(items.at(-1)!), setAside: [] };
  }
}

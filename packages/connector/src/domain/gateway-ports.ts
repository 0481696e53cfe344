// The Salesforce gateway: salesforce/ implements it; services never see Salesforce field names except where the
// tenant configures them, e.g. case defaults.

import type { CaseComment, Employee, KnowledgeArticle, SupportCase } from './support.js';
import type { SyncCursor } from './sync-cursor.js';
import type { Tenant } from './tenant.js';
import type { ObjectDescription } from './object-description.js';
import type { RecordRefusal } from './tickets/record-refusal.js';

export interface SalesforceIdentity {
  orgId: string;
  userId: string;
  username: string;
  displayName: string | null;
  email: string | null;
}

export interface ApiAllocation {
  /** daily API requests: null when neither /limits nor a usage header told us */
  max: number | null;
  remaining: number | null;
  /** where the numbers came from */
  source: 'limits' | 'header' | 'none';
}

export type { FieldDescription, ObjectDescription } from './object-description.js';

/** A row an incremental read could not use (it does not match its wire schema): skipped, never a stalled stream. */
export interface SetAsideRecord {
  id: string;
  reason: string;
}

/** One page of an incremental read and the cursor to save after processing it. */
export interface SyncPage<T> {
  items: T[];
  /** the position after this page's last row (set-aside rows included) */
  cursor: SyncCursor;
  setAside: SetAsideRecord[];
}

/** Where an incremental read starts (see readStart in domain/sync-cursor.ts) and how many rows a page holds. */
export interface IncrementalRead {
  /** rows strictly after this position */
  after: SyncCursor;
  /** 200..2000 (default 2000) */
  pageSize?: number;
}

export interface NewSupportCase {
  subject: string;
  description: string;
  status: string;
  employeeId: string | null;
  suppliedEmail?: string | null;
  /** the employee's name when no Contact is theirs (Web-to-Case's SuppliedName) */
  suppliedName?: string | null;
  priority?: string | null;
  origin?: string | null;
  /** tenant-configured Case fields (TenantSettings.caseDefaults), by Salesforce API name */
  extraFields?: Record<string, string>;
  /**
   * Recorded before the write; the same key on a retry finds the case the first attempt made instead of making
   * another. Its reference (domain/write-reference.ts) ends the description.
   */
  idempotencyKey: string;
  /** an external-ID text field the admin added to Case: the key is written there and reconciled by it */
  externalIdField?: string;
  /** the Case record type (the tenant's `filing.recordTypeId`) */
  recordTypeId?: string;
  /** `Sforce-Auto-Assign` for the create: 'FALSE' or an assignment rule id; absent, the org's active rule runs */
  autoAssign?: string;
}

export interface NewCaseComment {
  caseId: string;
  body: string;
  isPublic: boolean;
  /** as for cases; CaseComment has no external-ID field, so its reference ends the body's header line */
  idempotencyKey: string;
}

/** Per-record outcome of a batch write: one bad record does not fail the others. */
export type WriteOutcome =
  | { ok: true; id: string }
  | {
      ok: false;
      code: string;
      message: string;
      fields: string[];
      /** the refusal in casebridge's words, when it is one an employee can be told (domain/tickets/record-refusal.ts) */
      refusal?: RecordRefusal;
    };

/** Salesforce for one tenant: every call is counted, audited and retried by the adapter's policy. */
export interface SalesforceGateway {
  identity(): Promise<SalesforceIdentity>;
  limits(): Promise<ApiAllocation>;
  describe(sobject: string): Promise<ObjectDescription>;
  /** API versions the org serves, ascending (a free call) */
  versions(): Promise<string[]>;
  /** every Contact with this email (several: the caller disambiguates) */
  findEmployeesByEmail(email: string): Promise<Employee[]>;
  getCase(id: string): Promise<SupportCase>;
  /** creates the case, never twice: an ambiguous failure is reconciled before any retry */
  createCase(input: NewSupportCase): Promise<SupportCase>;
  /** adds the comment, never twice for one idempotency key (reconciled by its reference, never by its text) */
  addCaseComment(input: NewCaseComment): Promise<CaseComment>;
  /** the case a write with this key made since `since`, if any (by external-ID field when given, else reference) */
  findCaseByKey(
    key: { idempotencyKey: string; externalIdField?: string },
    since: Date,
  ): Promise<SupportCase | null>;
  /** the comment a write with this key made on the case since `since`, if any */
  findCommentByKey(caseId: string, idempotencyKey: string, since: Date): Promise<CaseComment | null>;
  /** batch of comments, 200 per call; per-record outcomes in input order */
  addCaseComments(inputs: readonly NewCaseComment[]): Promise<WriteOutcome[]>;
  updateCaseStatus(id: string, status: string): Promise<void>;
  /** rows after `read.after` in (modstamp, id) order (see domain/sync-cursor.ts), page by page */
  casesModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<SupportCase>>;
  commentsModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<CaseComment>>;
  /** published (Online) articles of the tenant's Knowledge language, with its configured body fields */
  articlesModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<KnowledgeArticle>>;
}

export interface SalesforceGatewayFactory {
  /** `purpose` labels the audit rows (e.g. 'case-sync', 'bot', 'doctor') */
  forTenant(tenant: Tenant, purpose?: string): SalesforceGateway;
}

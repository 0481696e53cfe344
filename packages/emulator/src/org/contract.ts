// The contract between the org data engine (records, SOQL, SOSL, describe, permissions) and the HTTP layer.
// The engine knows nothing of HTTP, tokens or faults; the HTTP layer knows nothing of how records are stored.

import type { Clock } from '../clock.js';

/** A record as stored: canonical (API-cased) field names to JSON values. */
export type SObjectRecord = Record<string, unknown>;

/** Object-level permissions, as in a profile or permission set (CRED + View All / Modify All). */
export interface ObjectPermissions {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

/** Field-level security for one field: `readable` implies visible; `editable` implies readable. */
export interface FieldPermission {
  readable: boolean;
  editable: boolean;
}

/** System permissions the emulator models. */
export interface UserPermissions {
  apiEnabled?: boolean;
  viewSetup?: boolean;
  viewAllData?: boolean;
  modifyAllData?: boolean;
  viewDraftArticles?: boolean;
  viewArchivedArticles?: boolean;
  /** The Knowledge User feature license ("Knowledge User" checkbox on the user). */
  knowledgeUser?: boolean;
}

/** A profile or a permission set: both grant the same kinds of access. */
export interface PermissionGrant {
  id: string;
  name: string;
  label: string;
  /** keyed by sObject API name, e.g. `Case` */
  objectPermissions: Record<string, Partial<ObjectPermissions>>;
  /**
   * keyed by `Object.Field`, e.g. `Case.Subject`. A field absent here is readable and editable when the object is
   * (the emulator's default); list a field to restrict it.
   */
  fieldPermissions: Record<string, FieldPermission>;
  userPermissions: UserPermissions;
}

export interface UserSpec {
  username: string;
  email?: string;
  firstName?: string;
  lastName: string;
  alias?: string;
  isActive?: boolean;
  profileId: string;
  permissionSetIds?: string[];
  /** Standard, or e.g. CspLitePortal for external users. */
  userType?: string;
}

/** A validation rule: when `errorCondition` (a SOQL WHERE condition over the saved record) holds, the save fails. */
export interface ValidationRule {
  sobject: string;
  name: string;
  active: boolean;
  errorCondition: string;
  errorMessage: string;
  /** the field the error is shown on; omitted = top of page (fields: []) */
  errorField?: string;
}

export interface RecordTypeSpec {
  sobject: string;
  developerName: string;
  name: string;
  active?: boolean;
}

export interface CaseStatusSpec {
  apiName: string;
  label?: string;
  isClosed: boolean;
  isDefault?: boolean;
  sortOrder?: number;
}

export type CaseSharingDefault = 'Private' | 'Read' | 'ReadWrite' | 'ReadWriteTransfer';

/** Per-org feature settings later work depends on. */
export interface OrgSettings {
  name: string;
  /** Lightning Knowledge on or off. Off: Knowledge__kav does not exist (INVALID_TYPE). */
  knowledgeEnabled: boolean;
  /** Custom rich-text body fields on Knowledge__kav, e.g. [{ name: 'Answer__c', label: 'Answer' }]. */
  knowledgeBodyFields: { name: string; label: string }[];
  /**
   * The name of the article object, chosen when Lightning Knowledge is set up: `Knowledge` (default) gives
   * `Knowledge__kav` versions of `Knowledge__ka` articles; `FAQ` gives `FAQ__kav` and `FAQ__ka`.
   */
  knowledgeObjectName: string;
  /** The Knowledge languages (Language picklist); the first is the default (master) language. */
  knowledgeLanguages: string[];
  recordTypes: RecordTypeSpec[];
  /** Case statuses (the standard New/Working/Escalated/Closed when omitted). */
  caseStatuses: CaseStatusSpec[];
  /**
   * Organization-wide default for Case: Private, Public Read Only, Public Read/Write, Public Read/Write/Transfer
   * (Organization.DefaultCaseAccess None, Read, Edit, ReadEditTransfer).
   */
  caseSharingDefault: CaseSharingDefault;
  validationRules: ValidationRule[];
  isSandbox: boolean;
  organizationType: string;
  /**
   * What a new CaseComment does to its parent Case: `none` (default), `systemModstamp` (only SystemModstamp moves)
   * or `lastModified` (LastModifiedDate, LastModifiedById and SystemModstamp move). Salesforce does not document
   * it (see case-rules.ts); the choice lets a client be tested against each possibility.
   */
  caseCommentTouchesCase: CaseCommentTouch;
  /** custom fields an admin added to Account, Contact, Case or a custom object (see schema/custom-fields.ts) */
  customFields: CustomFieldSpec[];
  /** custom objects an admin created (`Device__c`...); their own fields are in `customFields` (schema/custom-objects.ts) */
  customObjects: CustomObjectSpec[];
  /** queues (Group rows of Type Queue) and the objects each takes (QueueSobject rows) */
  queues: QueueSpec[];
  /** Case assignment rules; at most one is active */
  assignmentRules: AssignmentRuleSpec[];
  /**
   * The entities the admin selected for Change Data Capture (Setup > Change Data Capture), e.g. `['Case']`.
   * Only their changes become change events (see streaming/). Default none, as in a new org.
   */
  changeDataCaptureEntities: string[];
}

export interface QueueSpec {
  developerName: string;
  name?: string;
  sobjectTypes: string[];
}

export interface AssignmentRuleSpec {
  name: string;
  active: boolean;
  /** in order: the first entry whose every criterion equals the Case's value (text without case) assigns */
  entries: { criteria: Record<string, string>; assignTo: string }[];
}

export interface CustomObjectSpec {
  /** API name ending in __c, e.g. `Device__c` */
  name: string;
  label: string;
  /** default: the label with an `s` */
  labelPlural?: string;
  /** the label of the Name field (default `${label} Name`) */
  nameFieldLabel?: string;
}

export interface CustomFieldSpec {
  sobject: string;
  /** API name ending in __c */
  name: string;
  type:
    | 'Text'
    | 'TextArea'
    | 'LongTextArea'
    | 'Html'
    | 'Picklist'
    | 'MultiselectPicklist'
    | 'Checkbox'
    | 'Number'
    | 'Date'
    | 'DateTime'
    | 'Lookup';
  label?: string;
  length?: number;
  precision?: number;
  scale?: number;
  /** picklist values */
  values?: string[];
  /** Picklist: "Restrict picklist to the values defined in the value set" (a value outside them is refused) */
  restricted?: boolean;
  /** Lookup target object */
  referenceTo?: string;
  /** Lookup: the child relationship on the target, without `__r` (default: the object's plural label, no spaces) */
  relationshipName?: string;
  externalId?: boolean;
  unique?: boolean;
  required?: boolean;
}

export type CaseCommentTouch = 'none' | 'systemModstamp' | 'lastModified';

export interface ArticleGeneratorSpec {
  /** how many articles (each with one published master-language version) */
  count: number;
  /** PRNG seed: the same seed, count and settings give the same titles, bodies and flags (default 1) */
  seed?: number;
  /** extra languages to publish a translation in, for every `translateEvery`-th article (default none) */
  translations?: string[];
  /** 1 = every article is translated, 3 = every third (default 1) */
  translateEvery?: number;
}

export interface GeneratedArticles {
  articles: number;
  versions: number;
  firstArticleNumber: string;
  lastArticleNumber: string;
}

/** Who is calling, and in which API version (record URLs and version-dependent behaviour depend on it). */
export interface CallContext {
  userId: string;
  apiVersion: string;
  /**
   * The request's `Sforce-Auto-Assign` header: `TRUE` (also when absent: the REST API's default), `FALSE`, or an
   * AssignmentRule id. Only the REST API's Case create and update read it.
   */
  autoAssign?: string;
}

/** One page of a query result, exactly as the REST API returns it. */
export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: SObjectRecord[];
}

/** `GET sobjects/{type}/updated`: the IDs changed in the window, as the REST API returns them. */
export interface UpdatedIds {
  ids: string[];
  latestDateCovered: string;
}

/** `GET sobjects/{type}/deleted`: the records deleted in the window, as the REST API returns them. */
export interface DeletedRecords {
  deletedRecords: { id: string; deletedDate: string }[];
  earliestDateAvailable: string;
  latestDateCovered: string;
}

export interface QueryOptions {
  /** queryAll: include soft-deleted rows. */
  includeDeleted?: boolean;
  /** from `Sforce-Query-Options: batchSize=N` (200..2000; the engine clamps). */
  batchSize?: number;
}

/** One result of a DML call: `{ id, success, errors }` with per-record errors keyed `statusCode`. */
export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
  /** upsert only: whether the record was created */
  created?: boolean;
}

/**
 * One org's data: records of every supported sObject, users, profiles and permission sets, and the rules
 * (permissions, field-level security, sharing, validation rules, Case status → IsClosed) that govern them.
 * Methods taking a CallContext enforce what that user may see and do, and throw `SalesforceError` as the REST API
 * would answer. Methods without one are administrative (the control plane and seeding) and bypass permissions,
 * but still apply system behaviour (IDs, audit fields, auto-numbers, IsClosed).
 */
export interface OrgData {
  readonly orgId: string;
  readonly settings: OrgSettings;

  // --- administration (control plane, seeding) ---
  addProfile(grant: Omit<PermissionGrant, 'id'>): PermissionGrant;
  addPermissionSet(grant: Omit<PermissionGrant, 'id'>): PermissionGrant;
  updateGrant(id: string, change: Partial<Omit<PermissionGrant, 'id'>>): PermissionGrant;
  getGrant(id: string): PermissionGrant | undefined;
  findGrantByName(name: string): PermissionGrant | undefined;
  addUser(spec: UserSpec): string;
  updateUser(userId: string, change: Partial<UserSpec>): void;
  assignPermissionSet(userId: string, permissionSetId: string): void;
  /** the user record fields (Id, Username, IsActive, ProfileId, ...) or undefined */
  getUser(userIdOrUsername: string): SObjectRecord | undefined;
  /** profile id and assigned permission set ids of a user */
  grantsOf(userId: string): { profileId: string; permissionSetIds: string[] };
  /** the effective system permissions of a user (profile ∪ permission sets) */
  userPermissions(userId: string): UserPermissions;
  /** insert as `actingUserId` without permission checks; returns the new id */
  insert(sobject: string, fields: SObjectRecord, actingUserId: string): string;
  /** update without permission checks (agent actions: status change, publish) */
  patch(sobject: string, id: string, fields: SObjectRecord, actingUserId: string): void;
  /** delete without permission checks; soft delete like the Recycle Bin */
  remove(sobject: string, id: string, actingUserId: string): void;
  /** an approval-process lock on a record (Approval.lock/unlock): API edits and deletes get ENTITY_IS_LOCKED */
  setLocked(id: string, locked: boolean): void;
  /** read a stored record by id (15 or 18 chars), deleted included; undefined if unknown */
  peek(id: string): { sobject: string; record: SObjectRecord; deleted: boolean } | undefined;
  /** Knowledge lifecycle: publish a Draft version (the previous Online one becomes Archived), archive, new draft. */
  publishArticle(versionId: string, actingUserId: string): void;
  archiveArticle(knowledgeArticleId: string, actingUserId: string): void;
  newDraftVersion(knowledgeArticleId: string, actingUserId: string): string;
  /** a Draft translation of a published article into `language`; returns its version id */
  newTranslation(knowledgeArticleId: string, language: string, actingUserId: string): string;
  /** many published articles at once, from a deterministic generator (see knowledge-generator.ts) */
  generateArticles(spec: ArticleGeneratorSpec, actingUserId: string): GeneratedArticles;
  /** merge `loserIds` into `masterId` (loser cases deleted with MasterRecordId set) */
  mergeCases(masterId: string, loserIds: string[], actingUserId: string): void;
  /** replace settings (Knowledge on/off, body fields, statuses, sharing default, validation rules...) */
  configure(change: Partial<OrgSettings>): void;
  /** snapshot and restore all data, for composite allOrNone and the control plane's reset */
  snapshot(): unknown;
  restore(snapshot: unknown): void;

  // --- the REST API's operations, enforcing the caller's access ---
  /**
   * Call before serving a REST request: unknown or inactive users → 401 INVALID_SESSION_ID; users without
   * API Enabled → 403 API_DISABLED_FOR_ORG. Optional so other implementations may omit it.
   */
  assertApiAccess?(userId: string): void;
  describeGlobal(ctx: CallContext): Record<string, unknown>;
  describe(ctx: CallContext, sobject: string): Record<string, unknown>;
  create(ctx: CallContext, sobject: string, body: SObjectRecord): string;
  retrieve(ctx: CallContext, sobject: string, id: string, fields?: string[]): SObjectRecord;
  update(ctx: CallContext, sobject: string, id: string, body: SObjectRecord): void;
  delete(ctx: CallContext, sobject: string, id: string): void;
  query(ctx: CallContext, soql: string, options?: QueryOptions): QueryPage;
  /** `locator` is the last path segment of nextRecordsUrl, e.g. `01gXX0000000001AAA-2000` */
  queryMore(ctx: CallContext, locator: string): QueryPage;
  /** `GET query?q=...&columns=true`: the column metadata `sf data query` asks for */
  queryColumns(ctx: CallContext, soql: string): Record<string, unknown>;
  search(ctx: CallContext, sosl: string): { searchRecords: SObjectRecord[] };
  getUpdated(ctx: CallContext, sobject: string, start: Date, end: Date): UpdatedIds;
  getDeleted(ctx: CallContext, sobject: string, start: Date, end: Date): DeletedRecords;

  // --- change notification (Change Data Capture is built on it, outside the engine) ---
  /** calls `listener` after every committed transaction that changed a record; returns the unsubscribe */
  onCommit?(listener: TransactionListener): () => void;
}

/** What one committed write did to one record, in the terms Change Data Capture reports it. */
export interface RecordChange {
  /** the object's API name, e.g. `Case` */
  sobject: string;
  recordId: string;
  changeType: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
  /** UPDATE: the fields whose value changed (system fields included); empty otherwise */
  changedFields: string[];
  /** the record's stored fields after the change */
  fields: SObjectRecord;
  /** the user the write ran as */
  userId: string;
}

/**
 * One committed transaction: every record it changed, in order. A REST call, an administrative write or an agent
 * action is one transaction; a record changed twice inside it appears once, with the net change.
 */
export interface CommittedTransaction {
  committedAt: Date;
  changes: RecordChange[];
}

export type TransactionListener = (tx: CommittedTransaction) => void;

export interface OrgDataOptions {
  orgId?: string;
  settings?: Partial<OrgSettings>;
  clock: Clock;
}

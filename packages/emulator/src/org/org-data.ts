// The org data engine: one org's records, schema, users and permissions behind the OrgData contract.
// The HTTP layer calls `createOrgData` once per org and `assertApiAccess` before every REST call.

import { SalesforceError, invalidSession, notFound } from '../errors.js';
import { formatDatetime } from '../format.js';
import { IdGenerator, KEY_PREFIXES, keyPrefixOf, normalizeId, to18 } from '../ids.js';
import { describeGlobal, describeObject } from '../schema/describe.js';
import { KNOWLEDGE_LANGUAGES, articleVersionObjectName } from '../schema/knowledge.js';
import { Schema } from '../schema/registry.js';
import type { ObjectDef } from '../schema/types.js';
import { SoqlEngine, type EngineContext } from '../soql/engine.js';
import { readField } from '../soql/resolve.js';
import { searchSosl } from '../sosl/search.js';
import { mergeUserPermissions, systemAccess, userAccess, type UserAccess } from './access.js';
import { DEFAULT_CASE_STATUSES } from './case-rules.js';
import type {
  ArticleGeneratorSpec,
  CallContext,
  DeletedRecords,
  GeneratedArticles,
  OrgData,
  OrgDataOptions,
  OrgSettings,
  PermissionGrant,
  QueryOptions,
  QueryPage,
  SObjectRecord,
  TransactionListener,
  UpdatedIds,
  UserPermissions,
  UserSpec,
} from './contract.js';
import { applyRule, selectedRule, syncQueuesAndRules } from './assignment.js';
import { generateArticles } from './knowledge-generator.js';
import { archiveArticle, newDraftVersion, newTranslation, publishArticle } from './knowledge-lifecycle.js';
import { ChangeTracker } from './change-tracker.js';
import { RecordWriter, locate } from './records.js';
import { getDeleted, getUpdated } from './replication.js';
import { syncPermissionRecords } from './permission-records.js';
import { syncCaseStatuses, syncOrganization, syncRecordTypes, recordTypeIds } from './setup-records.js';
import { invalidType } from './sobject-errors.js';
import type { OrgState } from './state.js';
import { RecordStore, type StoreSnapshot } from './store.js';
import * as users from './users.js';

const DEFAULT_SETTINGS: OrgSettings = {
  name: 'Emulated Org',
  knowledgeEnabled: true,
  knowledgeBodyFields: [{ name: 'Answer__c', label: 'Answer' }],
  knowledgeObjectName: 'Knowledge',
  knowledgeLanguages: [...KNOWLEDGE_LANGUAGES],
  recordTypes: [],
  caseStatuses: DEFAULT_CASE_STATUSES,
  caseSharingDefault: 'Private',
  validationRules: [],
  isSandbox: false,
  organizationType: 'Developer Edition',
  caseCommentTouchesCase: 'none',
  customFields: [],
  customObjects: [],
  queues: [],
  assignmentRules: [],
  changeDataCaptureEntities: [],
};

const DEFAULT_API_VERSION = '62.0';
const DEFAULT_POD = '5g';

interface Snapshot {
  store: StoreSnapshot;
  idState: number;
  counters: OrgState['counters'];
  grants: [string, PermissionGrant][];
  assignments: [string, { profileId: string; permissionSetIds: string[] }][];
  settings: OrgSettings;
}

/** The engine, with the contract plus the helpers the HTTP layer needs beyond it. */
export interface OrgDataEngine extends OrgData {
  /** Refuses API calls from unknown or inactive users (401) and users without API Enabled (403). */
  assertApiAccess(userId: string): void;
  /** The access view of a user (for the HTTP layer's own checks, e.g. View Setup for /limits). */
  accessOf(userId: string): UserAccess;
  onCommit(listener: TransactionListener): () => void;
}

class OrgDataImpl implements OrgDataEngine {
  readonly orgId: string;
  private readonly state: OrgState;
  private readonly writer: RecordWriter;
  private readonly soql: SoqlEngine;
  private accessCache = new Map<string, { version: number; access: UserAccess }>();
  private validationCache = new Map<string, (fields: SObjectRecord) => boolean>();

  constructor(options: OrgDataOptions) {
    const pod = options.orgId?.slice(3, 5) ?? DEFAULT_POD;
    const ids = new IdGenerator(/^[0-9A-Za-z]{2}$/.test(pod) ? pod : DEFAULT_POD);
    const orgId = options.orgId
      ? (normalizeId(options.orgId) ?? options.orgId)
      : ids.next(KEY_PREFIXES.Organization);
    this.orgId = orgId;
    const settings: OrgSettings = { ...DEFAULT_SETTINGS, ...options.settings };
    this.state = {
      orgId,
      settings,
      schema: new Schema(settings),
      store: new RecordStore(),
      ids,
      clock: options.clock,
      counters: { caseNumber: 1001, articleNumber: 1000 },
      grants: new Map(),
      assignments: new Map(),
      accessVersion: 0,
      changes: new ChangeTracker(options.clock),
    };
    this.writer = new RecordWriter(this.state, (obj, record) => this.runValidationRules(obj, record));
    this.soql = new SoqlEngine(ids.next(KEY_PREFIXES.QueryLocator).slice(3, 5));
    syncOrganization(this.state, '');
    syncCaseStatuses(this.state, '');
    syncRecordTypes(this.state, '');
  }

  get settings(): OrgSettings {
    return this.state.settings;
  }

  // --- access ---

  accessOf(userId: string): UserAccess {
    const id = normalizeId(userId) ?? userId;
    const cached = this.accessCache.get(id);
    if (cached && cached.version === this.state.accessVersion) return cached.access;
    const access = userAccess(id, {
      grantsOf: (u) => this.grantList(u),
      settings: () => this.state.settings,
      store: this.state.store,
    });
    this.accessCache.set(id, { version: this.state.accessVersion, access });
    return access;
  }

  assertApiAccess(userId: string): void {
    const user = this.getUser(userId);
    if (!user || user['IsActive'] !== true) throw invalidSession();
    if (!this.userPermissions(String(user['Id'])).apiEnabled) {
      throw new SalesforceError(
        403,
        'API_DISABLED_FOR_ORG',
        'The REST API is not enabled for this Organization.',
      );
    }
  }

  private grantList(userId: string): PermissionGrant[] {
    const a = this.state.assignments.get(userId);
    if (!a) return [];
    return [a.profileId, ...a.permissionSetIds]
      .map((g) => this.state.grants.get(g))
      .filter((g) => g !== undefined);
  }

  private engineContext(ctx: CallContext): EngineContext {
    return {
      schema: this.state.schema,
      store: this.state.store,
      access: this.accessOf(ctx.userId),
      apiVersion: ctx.apiVersion,
      now: this.state.clock.now(),
    };
  }

  private adminContext(): EngineContext {
    return {
      schema: this.state.schema,
      store: this.state.store,
      access: systemAccess(),
      apiVersion: DEFAULT_API_VERSION,
      now: this.state.clock.now(),
    };
  }

  /** The object an API caller names, or INVALID_TYPE when it does not exist or the caller cannot read it. */
  private readableObject(ctx: CallContext, name: string): ObjectDef {
    const obj = this.state.schema.get(name);
    if (!obj || obj.hidden || !this.accessOf(ctx.userId).canRead(obj)) throw invalidType(name, 404);
    return obj;
  }

  private adminObject(name: string): ObjectDef {
    const obj = this.state.schema.get(name);
    if (!obj || obj.hidden) throw invalidType(name);
    return obj;
  }

  private runValidationRules(obj: ObjectDef, record: SObjectRecord): void {
    for (const rule of this.state.settings.validationRules) {
      if (!rule.active || rule.sobject.toLowerCase() !== obj.name.toLowerCase()) continue;
      const key = `${obj.name}\u0000${rule.errorCondition}`;
      let predicate = this.validationCache.get(key);
      if (!predicate) {
        predicate = this.soql.compileCondition(this.adminContext(), obj, rule.errorCondition);
        this.validationCache.set(key, predicate);
      }
      if (predicate(record)) {
        const field = rule.errorField
          ? (obj.fieldIndex.get(rule.errorField.toLowerCase())?.name ?? rule.errorField)
          : undefined;
        throw new SalesforceError(
          400,
          'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          rule.errorMessage,
          field ? [field] : [],
        );
      }
    }
  }

  // --- administration ---

  addProfile(grant: Omit<PermissionGrant, 'id'>): PermissionGrant {
    return users.addGrant(this.state, grant, 'Profile');
  }

  addPermissionSet(grant: Omit<PermissionGrant, 'id'>): PermissionGrant {
    return users.addGrant(this.state, grant, 'PermissionSet');
  }

  updateGrant(id: string, change: Partial<Omit<PermissionGrant, 'id'>>): PermissionGrant {
    const g = users.updateGrant(this.state, id, change);
    for (const userId of this.state.assignments.keys()) users.refreshKnowledgeFlag(this.state, userId);
    return g;
  }

  getGrant(id: string): PermissionGrant | undefined {
    const g = this.state.grants.get(normalizeId(id) ?? id);
    return g ? structuredClone(g) : undefined;
  }

  findGrantByName(name: string): PermissionGrant | undefined {
    for (const g of this.state.grants.values()) if (g.name === name) return structuredClone(g);
    return undefined;
  }

  addUser(spec: UserSpec): string {
    return users.addUser(this.state, spec);
  }

  updateUser(userId: string, change: Partial<UserSpec>): void {
    users.updateUser(this.state, userId, change);
  }

  assignPermissionSet(userId: string, permissionSetId: string): void {
    users.assignPermissionSet(this.state, userId, permissionSetId);
  }

  getUser(userIdOrUsername: string): SObjectRecord | undefined {
    const fields = users.findUser(this.state, userIdOrUsername);
    if (!fields) return undefined;
    const user = this.state.schema.get('User');
    const out: SObjectRecord = { ...fields };
    for (const f of user?.fields ?? []) if (f.compute) out[f.name] = readField(fields, f, this.state.store);
    return out;
  }

  grantsOf(userId: string): { profileId: string; permissionSetIds: string[] } {
    const a = this.state.assignments.get(normalizeId(userId) ?? userId);
    if (!a) throw notFound();
    return { profileId: a.profileId, permissionSetIds: [...a.permissionSetIds] };
  }

  userPermissions(userId: string): UserPermissions {
    return mergeUserPermissions(this.grantList(normalizeId(userId) ?? userId));
  }

  insert(sobject: string, fields: SObjectRecord, actingUserId: string): string {
    return this.state.changes.run(() =>
      this.writer.create(this.adminObject(sobject), fields, systemAccess(), actingUserId),
    );
  }

  patch(sobject: string, id: string, fields: SObjectRecord, actingUserId: string): void {
    this.state.changes.run(() =>
      this.writer.update(this.adminObject(sobject), id, fields, systemAccess(), actingUserId),
    );
  }

  remove(sobject: string, id: string, actingUserId: string): void {
    this.state.changes.run(() =>
      this.writer.delete(this.adminObject(sobject), id, systemAccess(), actingUserId),
    );
  }

  /** Approval.lock / Approval.unlock: a locked record refuses API edits and deletes (ENTITY_IS_LOCKED). */
  setLocked(id: string, locked: boolean): void {
    const id18 = normalizeId(id);
    const stored = id18 ? this.state.store.get(id18) : undefined;
    if (stored === undefined || stored.deleted) throw notFound();
    stored.locked = locked;
  }

  onCommit(listener: TransactionListener): () => void {
    return this.state.changes.subscribe(listener);
  }

  peek(id: string): { sobject: string; record: SObjectRecord; deleted: boolean } | undefined {
    const id18 = normalizeId(id);
    const r = id18 ? this.state.store.get(id18) : undefined;
    if (!r) return undefined;
    const obj = this.state.schema.get(r.sobject);
    const record: SObjectRecord = { ...r.fields };
    for (const f of obj?.fields ?? [])
      if (f.compute) record[f.name] = readField(r.fields, f, this.state.store);
    return { sobject: r.sobject, record, deleted: r.deleted };
  }

  publishArticle(versionId: string, actingUserId: string): void {
    publishArticle(this.state, versionId, actingUserId);
  }

  archiveArticle(knowledgeArticleId: string, actingUserId: string): void {
    archiveArticle(this.state, knowledgeArticleId, actingUserId);
  }

  newDraftVersion(knowledgeArticleId: string, actingUserId: string): string {
    return newDraftVersion(this.state, knowledgeArticleId, actingUserId);
  }

  newTranslation(knowledgeArticleId: string, language: string, actingUserId: string): string {
    return newTranslation(this.state, knowledgeArticleId, language, actingUserId);
  }

  generateArticles(spec: ArticleGeneratorSpec, actingUserId: string): GeneratedArticles {
    return generateArticles(this.state, spec, actingUserId);
  }

  mergeCases(masterId: string, loserIds: string[], actingUserId: string): void {
    this.state.changes.run(() => this.merge(masterId, loserIds, actingUserId));
  }

  private merge(masterId: string, loserIds: string[], actingUserId: string): void {
    const caseObj = this.adminObject('Case');
    const master = locate(this.state, caseObj, masterId);
    if (master.deleted) throw new SalesforceError(400, 'ENTITY_IS_DELETED', 'entity is deleted');
    const now = formatDatetime(this.state.clock.now());
    for (const raw of loserIds) {
      const loser = locate(this.state, caseObj, raw);
      if (loser === master)
        throw new SalesforceError(400, 'INVALID_ID_FIELD', 'Cannot merge a record with itself');
      if (loser.deleted) throw new SalesforceError(400, 'ENTITY_IS_DELETED', 'entity is deleted');
      // Related comments move to the master case, as merging does for child records.
      for (const c of this.state.store.table('CaseComment')) {
        if (!c.deleted && c.fields['ParentId'] === loser.fields['Id']) {
          this.state.changes.note(c, actingUserId);
          c.fields = { ...c.fields, ParentId: master.fields['Id'], SystemModstamp: now };
        }
      }
      this.state.changes.note(loser, actingUserId);
      loser.fields = { ...loser.fields, MasterRecordId: master.fields['Id'] };
      this.writer.softDelete(loser, actingUserId);
    }
    this.state.changes.note(master, actingUserId);
    master.fields = {
      ...master.fields,
      LastModifiedDate: now,
      LastModifiedById: actingUserId,
      SystemModstamp: now,
    };
  }

  configure(change: Partial<OrgSettings>): void {
    const kav = articleVersionObjectName(this.state.settings);
    const renamed =
      change.knowledgeObjectName !== undefined &&
      change.knowledgeObjectName !== this.state.settings.knowledgeObjectName;
    if (renamed && this.state.store.tableSize(kav) > 0) {
      // Salesforce fixes the article object's API name when Lightning Knowledge is set up.
      throw new SalesforceError(
        400,
        'INVALID_OPERATION',
        `${kav} already holds articles: its name can no longer change`,
      );
    }
    this.state.settings = { ...this.state.settings, ...change };
    this.state.schema = new Schema(this.state.settings);
    this.validationCache.clear();
    this.state.accessVersion++;
    syncOrganization(this.state, '');
    if (change.caseStatuses) syncCaseStatuses(this.state, '');
    if (change.recordTypes) syncRecordTypes(this.state, '');
    if (change.queues || change.assignmentRules) syncQueuesAndRules(this.state, '');
    // Knowledge on or off adds or removes Knowledge__kav, where View All Data shows as ObjectPermissions rows.
    // A custom object is a new object with permissions of its own: View All Data rows appear for it too.
    if (change.knowledgeEnabled !== undefined || change.customObjects !== undefined)
      syncPermissionRecords(this.state);
  }

  snapshot(): unknown {
    const snap: Snapshot = {
      store: this.state.store.snapshot(),
      idState: this.state.ids.state,
      counters: { ...this.state.counters },
      grants: structuredClone([...this.state.grants]),
      assignments: structuredClone([...this.state.assignments]),
      settings: structuredClone(this.state.settings),
    };
    return snap;
  }

  restore(snapshot: unknown): void {
    const snap = snapshot as Snapshot;
    this.state.store.restore(snap.store);
    this.state.ids.state = snap.idState;
    this.state.counters = { ...snap.counters };
    this.state.grants = new Map(structuredClone(snap.grants));
    this.state.assignments = new Map(structuredClone(snap.assignments));
    this.state.settings = structuredClone(snap.settings);
    this.state.schema = new Schema(this.state.settings);
    this.validationCache.clear();
    this.soql.cursors.clear();
    this.state.accessVersion++;
  }

  // --- REST operations ---

  describeGlobal(ctx: CallContext): Record<string, unknown> {
    return describeGlobal(this.state.schema.objects, this.accessOf(ctx.userId), ctx.apiVersion);
  }

  describe(ctx: CallContext, sobject: string): Record<string, unknown> {
    const obj = this.readableObject(ctx, sobject);
    return describeObject(
      obj,
      this.accessOf(ctx.userId),
      ctx.apiVersion,
      this.state.settings,
      recordTypeIds(this.state),
    );
  }

  create(ctx: CallContext, sobject: string, body: SObjectRecord): string {
    return this.state.changes.run(() => this.createAs(ctx, sobject, body));
  }

  private createAs(ctx: CallContext, sobject: string, body: SObjectRecord): string {
    const obj = this.readableObject(ctx, sobject);
    const rule = obj.name === 'Case' ? selectedRule(this.state, ctx.autoAssign, true) : undefined;
    const id = this.writer.create(
      obj,
      body,
      this.accessOf(ctx.userId),
      normalizeId(ctx.userId) ?? ctx.userId,
    );
    if (rule !== undefined) applyRule(this.state, rule, id, normalizeId(ctx.userId) ?? ctx.userId);
    return id;
  }

  retrieve(ctx: CallContext, sobject: string, id: string, fields?: string[]): SObjectRecord {
    const obj = this.readableObject(ctx, sobject);
    const access = this.accessOf(ctx.userId);
    const stored = locate(this.state, obj, id);
    if (stored.deleted || stored.sobject !== obj.table || !access.canSee(obj, stored)) throw notFound();
    const out: SObjectRecord = {
      attributes: {
        type: obj.name,
        url: `/services/data/v${ctx.apiVersion}/sobjects/${obj.name}/${String(stored.fields['Id'])}`,
      },
    };
    if (fields && fields.length > 0) {
      for (const name of fields) {
        const f = obj.fieldIndex.get(name.trim().toLowerCase());
        if (!f || !access.fieldReadable(obj, f)) {
          throw new SalesforceError(
            400,
            'INVALID_FIELD',
            `No such column '${name.trim()}' on sobject of type ${obj.name}`,
          );
        }
        out[f.name] = readField(stored.fields, f, this.state.store);
      }
      return out;
    }
    for (const f of obj.fields) {
      if (access.fieldReadable(obj, f)) out[f.name] = readField(stored.fields, f, this.state.store);
    }
    return out;
  }

  update(ctx: CallContext, sobject: string, id: string, body: SObjectRecord): void {
    this.state.changes.run(() => {
      const obj = this.readableObject(ctx, sobject);
      const rule = obj.name === 'Case' ? selectedRule(this.state, ctx.autoAssign, false) : undefined;
      const userId = normalizeId(ctx.userId) ?? ctx.userId;
      this.writer.update(obj, id, body, this.accessOf(ctx.userId), userId);
      if (rule !== undefined) applyRule(this.state, rule, normalizeId(id) ?? id, userId);
    });
  }

  delete(ctx: CallContext, sobject: string, id: string): void {
    this.state.changes.run(() => {
      const obj = this.readableObject(ctx, sobject);
      this.writer.delete(obj, id, this.accessOf(ctx.userId), normalizeId(ctx.userId) ?? ctx.userId);
    });
  }

  query(ctx: CallContext, soql: string, options?: QueryOptions): QueryPage {
    return this.soql.query(this.engineContext(ctx), soql, options);
  }

  queryMore(ctx: CallContext, locator: string): QueryPage {
    return this.soql.queryMore(this.engineContext(ctx), locator);
  }

  queryColumns(ctx: CallContext, soql: string): Record<string, unknown> {
    return this.soql.queryColumns(this.engineContext(ctx), soql);
  }

  search(ctx: CallContext, sosl: string): { searchRecords: SObjectRecord[] } {
    return searchSosl(this.engineContext(ctx), sosl);
  }

  getUpdated(ctx: CallContext, sobject: string, start: Date, end: Date): UpdatedIds {
    const obj = this.readableObject(ctx, sobject);
    const access = this.accessOf(ctx.userId);
    return getUpdated(this.state.store, obj.table, start, end, this.state.clock.now(), (id) => {
      const r = this.state.store.get(id);
      return r !== undefined && access.canSee(obj, r);
    });
  }

  getDeleted(ctx: CallContext, sobject: string, start: Date, end: Date): DeletedRecords {
    const obj = this.readableObject(ctx, sobject);
    return getDeleted(this.state.store, obj.table, start, end, this.state.clock.now());
  }
}

/** Creates one org's data engine. IDs, audit timestamps and date literals all follow `options.clock`. */
export function createOrgData(options: OrgDataOptions): OrgDataEngine {
  return new OrgDataImpl(options);
}

export { to18, keyPrefixOf };

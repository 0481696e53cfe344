// The write path shared by REST calls and administration: create, update and soft delete with audit fields,
// required-field checks, object rules (Case, Knowledge) and validation rules. Access checks happen here too,
// through the caller's UserAccess (the system access for administrative calls).

import { SalesforceError, notFound } from '../errors.js';
import { formatDatetime } from '../format.js';
import { KEY_PREFIXES, keyPrefixOf, normalizeId } from '../ids.js';
import { articleVersionObjectName } from '../schema/knowledge.js';
import type { FieldDef, ObjectDef } from '../schema/types.js';
import type { UserAccess } from './access.js';
import { createdStamp } from './audit-stamp.js';
import { afterCaseCommentCreate, beforeCaseCreate, beforeCaseUpdate } from './case-rules.js';
import { coerceValue, resolveBody, textSize } from './coerce.js';
import type { SObjectRecord } from './contract.js';
import { beforeKnowledgeCreate, checkUrlNameUnique } from './knowledge-rules.js';
import {
  entityIsDeleted,
  entityIsLocked,
  insufficientAccess,
  requiredMissing,
  stringTooLong,
} from './sobject-errors.js';
import type { OrgState } from './state.js';
import type { StoredRecord } from './store.js';

/** Validation-rule evaluation, supplied by the SOQL engine (kept apart to avoid a dependency cycle). */
export type Validator = (obj: ObjectDef, record: SObjectRecord) => void;

const AUDIT = ['CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp'];

/** Finds a record of `obj` by a 15/18-char ID, as the /sobjects/{type}/{id} resource does. */
export function locate(state: OrgState, obj: ObjectDef, rawId: string): StoredRecord {
  const id = normalizeId(rawId);
  if (!id) throw notFound();
  if (keyPrefixOf(id) !== obj.keyPrefix) {
    throw new SalesforceError(400, 'MALFORMED_ID', `${obj.label} ID: id value of incorrect type: ${rawId}`, [
      'Id',
    ]);
  }
  const rec = state.store.get(id);
  if (!rec) throw notFound();
  return rec;
}

/** A new row of `obj`: every stored field null, booleans false. */
export function blankRecord(obj: ObjectDef): SObjectRecord {
  const r: SObjectRecord = {};
  for (const f of obj.fields) {
    if (f.compute) continue;
    r[f.name] = f.type === 'boolean' ? false : null;
  }
  return r;
}

function checkRequired(obj: ObjectDef, record: SObjectRecord, only?: Set<FieldDef>): void {
  const missing = obj.fields
    .filter((f) => f.required && !f.compute && (only === undefined || only.has(f)))
    .filter((f) => record[f.name] === null || record[f.name] === undefined)
    .map((f) => f.name);
  if (missing.length > 0) throw requiredMissing(missing);
}

export class RecordWriter {
  constructor(
    private readonly state: OrgState,
    private readonly validate: Validator,
  ) {}

  create(obj: ObjectDef, body: SObjectRecord, access: UserAccess, actingUserId: string): string {
    if (!access.system) {
      if (!obj.createable || !access.object(obj).create) {
        throw insufficientAccess(obj.createable ? undefined : `entity type cannot be inserted: ${obj.name}`);
      }
    }
    const changes = resolveBody(obj, body, 'create', access);
    const record = blankRecord(obj);
    const comments = this.applyChanges(obj, record, changes);
    const now = formatDatetime(this.state.clock.now());
    record['Id'] = this.state.ids.next(obj.keyPrefix);
    for (const name of AUDIT) {
      if (record[name] != null || !obj.fieldIndex.has(name.toLowerCase())) continue;
      record[name] = name.endsWith('ById') ? actingUserId : now;
    }
    this.beforeCreate(obj, record, actingUserId);
    // A custom object's record inserted without a Name is named after its 15-character Id (observed behaviour:
    // https://salesforce.stackexchange.com/questions/139392; see schema/custom-objects.ts).
    if (obj.name.endsWith('__c') && obj.fieldIndex.has('name') && record['Name'] == null)
      record['Name'] = String(record['Id']).slice(0, 15);
    checkRequired(obj, record);
    this.checkUnique(obj, record);
    this.validate(obj, record);
    const stored: StoredRecord = { sobject: obj.table, fields: record, deleted: false, deletedAt: null };
    this.state.store.add(stored);
    this.state.changes.note(stored, actingUserId, true);
    if (comments) this.spawnComment(record['Id'] as string, comments, actingUserId);
    if (obj.name === 'CaseComment') afterCaseCommentCreate(this.state, record, actingUserId);
    return record['Id'] as string;
  }

  update(obj: ObjectDef, rawId: string, body: SObjectRecord, access: UserAccess, actingUserId: string): void {
    const stored = locate(this.state, obj, rawId);
    if (stored.deleted) throw entityIsDeleted();
    if (!access.system) {
      if (!access.object(obj).read || !access.canSee(obj, stored)) throw notFound();
      if (!obj.updateable || !access.object(obj).edit || !access.canEdit(obj, stored))
        throw insufficientAccess();
      if (stored.locked === true && !access.object(obj).modifyAll) throw entityIsLocked();
    }
    const changes = resolveBody(obj, body, 'update', access);
    const next = { ...stored.fields };
    const comments = this.applyChanges(obj, next, changes);
    const now = formatDatetime(this.state.clock.now());
    next['LastModifiedDate'] = now;
    next['LastModifiedById'] = actingUserId;
    next['SystemModstamp'] = now;
    if (obj.name === 'Case') beforeCaseUpdate(this.state, stored.fields, next);
    if (obj.table === articleVersionObjectName(this.state.settings)) checkUrlNameUnique(this.state, next);
    checkRequired(obj, next, new Set(changes.keys()));
    this.checkUnique(obj, next);
    this.validate(obj, next);
    this.state.changes.note(stored, actingUserId);
    stored.fields = next;
    if (comments) this.spawnComment(stored.fields['Id'] as string, comments, actingUserId);
  }

  delete(obj: ObjectDef, rawId: string, access: UserAccess, actingUserId: string): void {
    const stored = locate(this.state, obj, rawId);
    if (stored.deleted) throw entityIsDeleted();
    if (!access.system) {
      if (!access.object(obj).read || !access.canSee(obj, stored)) throw notFound();
      if (!obj.deletable || !access.object(obj).delete || !access.canEdit(obj, stored))
        throw insufficientAccess();
      if (stored.locked === true && !access.object(obj).modifyAll) throw entityIsLocked();
    }
    this.softDelete(stored, actingUserId);
    if (obj.name === 'Case') {
      // CaseComments are cascade-deleted with their Case (childRelationships cascadeDelete: true).
      for (const c of this.state.store.table('CaseComment')) {
        if (!c.deleted && c.fields['ParentId'] === stored.fields['Id']) this.softDelete(c, actingUserId);
      }
    }
    if (obj.table === articleVersionObjectName(this.state.settings)) this.afterVersionDelete(stored);
  }

  softDelete(stored: StoredRecord, actingUserId: string): void {
    const now = formatDatetime(this.state.clock.now());
    this.state.changes.note(stored, actingUserId);
    stored.deleted = true;
    stored.deletedAt = now;
    stored.fields = {
      ...stored.fields,
      IsDeleted: true,
      SystemModstamp: now,
      LastModifiedById: actingUserId,
    };
  }

  /** Coerces and applies body values; returns the write-only Case.Comments text, if any. */
  private applyChanges(
    obj: ObjectDef,
    record: SObjectRecord,
    changes: Map<FieldDef, unknown>,
  ): string | null {
    let comments: string | null = null;
    for (const [f, raw] of changes) {
      const value = coerceValue(f, raw, this.state.schema, this.state.store);
      if (obj.name === 'Case' && f.name === 'Comments') {
        comments = typeof value === 'string' ? value : null;
        continue;
      }
      record[f.name] = value;
    }
    return comments;
  }

  private beforeCreate(obj: ObjectDef, record: SObjectRecord, actingUserId: string): void {
    if (obj.name === 'Case') beforeCaseCreate(this.state, record, actingUserId);
    if (obj.table === articleVersionObjectName(this.state.settings)) {
      record['IsVisibleInApp'] ??= true;
      beforeKnowledgeCreate(this.state, record, actingUserId);
      checkUrlNameUnique(this.state, record);
    }
    if (obj.fieldIndex.has('ownerid') && record['OwnerId'] == null) record['OwnerId'] = actingUserId;
  }

  /** Unique and External ID fields hold each value once per object (text compared without case, as Salesforce does by default). */
  private checkUnique(obj: ObjectDef, record: SObjectRecord): void {
    const unique = obj.fields.filter((f) => f.unique && f.custom);
    if (unique.length === 0) return;
    for (const f of unique) {
      const value = record[f.name];
      if (value === null || value === undefined) continue;
      const key = typeof value === 'string' ? value.toLowerCase() : value;
      for (const other of this.state.store.table(obj.table)) {
        if (other.deleted || other.fields['Id'] === record['Id']) continue;
        const theirs = other.fields[f.name];
        if ((typeof theirs === 'string' ? theirs.toLowerCase() : theirs) === key) {
          throw new SalesforceError(
            400,
            'DUPLICATE_VALUE',
            `duplicate value found: ${f.name} duplicates value on record with id: ${String(other.fields['Id'])}`,
            [f.name],
          );
        }
      }
    }
  }

  /** Case.Comments on create or update becomes a private CaseComment, as the Case UI's "Internal Comments" does. */
  private spawnComment(caseId: string, body: string, actingUserId: string): void {
    const comment = this.state.schema.get('CaseComment');
    if (!comment) return;
    const bodyField = comment.fieldIndex.get('commentbody');
    if (bodyField !== undefined && textSize(bodyField, body) > bodyField.length) {
      throw stringTooLong(bodyField.label, bodyField.name, body, bodyField.length);
    }
    const record = blankRecord(comment);
    Object.assign(record, {
      Id: this.state.ids.next(KEY_PREFIXES.CaseComment),
      ParentId: caseId,
      CommentBody: body,
      IsPublished: false,
      ...createdStamp(this.state, actingUserId),
    });
    const stored: StoredRecord = { sobject: 'CaseComment', fields: record, deleted: false, deletedAt: null };
    this.state.store.add(stored);
    this.state.changes.note(stored, actingUserId, true);
  }

  /** Deleting the latest (draft) version hands IsLatestVersion back to the newest remaining version. */
  private afterVersionDelete(stored: StoredRecord): void {
    if (!stored.fields['IsLatestVersion']) return;
    let newest: StoredRecord | undefined;
    for (const v of this.state.store.table(articleVersionObjectName(this.state.settings))) {
      if (v.deleted || v.fields['KnowledgeArticleId'] !== stored.fields['KnowledgeArticleId']) continue;
      if (v.fields['Language'] !== stored.fields['Language']) continue;
      if (!newest || Number(v.fields['VersionNumber']) > Number(newest.fields['VersionNumber'])) newest = v;
    }
    if (newest) newest.fields = { ...newest.fields, IsLatestVersion: true };
  }
}

// What the console reads, asked of the org's data engine as the signed-in agent (SOQL and describe with a
// CallContext), so sharing, object permissions and field-level security apply exactly as in the REST API.

import type { CallContext, OrgData, SObjectRecord } from '../org/contract.js';

export const PAGE_SIZE = 25;
/** SOQL's largest OFFSET: pages beyond it are not reachable in Salesforce either */
const MAX_OFFSET = 2000;
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export interface CaseFilter {
  status: string | undefined;
  /** a user id, or undefined for everyone */
  ownerId: string | undefined;
  search: string;
  sort: 'newest' | 'modified';
  page: number;
}

export interface CaseRow {
  id: string;
  caseNumber: string;
  subject: string;
  status: string;
  isClosed: boolean;
  ownerId: string;
  ownerName: string;
  contactName: string;
  lastModified: string;
}

export interface CaseList {
  rows: CaseRow[];
  total: number;
  page: number;
  pages: number;
}

export interface Option {
  value: string;
  label: string;
}

export interface CaseComment {
  id: string;
  body: string;
  isPublic: boolean;
  authorName: string;
  authorId: string;
  created: string;
}

export interface CaseDetail {
  record: SObjectRecord;
  ownerName: string;
  contactName: string;
  contactEmail: string;
  createdByName: string;
  lastModifiedByName: string;
  /** which fields the agent may change (Case.Status, Case.OwnerId updateable for them) */
  canEditStatus: boolean;
  canEditOwner: boolean;
  canComment: boolean;
}

export const isId = (value: string): boolean => ID.test(value);

/** A SOQL string literal's content: backslash and quote escaped, and for LIKE also the wildcards `%` and `_`. */
export function soqlLiteral(value: string, forLike = false): string {
  // Control characters carry no meaning in a subject search; dropping them keeps the literal on one line.
  // eslint-disable-next-line no-control-regex
  let out = value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/[\\']/g, (c) => `\\${c}`);
  if (forLike) out = out.replace(/[%_]/g, (c) => `\\${c}`);
  return out;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function related(record: SObjectRecord, relation: string, field: string): string {
  const parent = record[relation];
  if (typeof parent !== 'object' || parent === null) return '';
  return str((parent as Record<string, unknown>)[field]);
}

/**
 * Describe-driven: the fields this agent can read on `sobject`, each `updateable` only when the object is too
 * (field-level security alone does not grant Edit on the object).
 */
function readableFields(data: OrgData, ctx: CallContext, sobject: string): Map<string, SObjectRecord> {
  const describe = data.describe(ctx, sobject);
  const objectEditable = describe['updateable'] === true;
  const fields = Array.isArray(describe['fields']) ? (describe['fields'] as SObjectRecord[]) : [];
  return new Map(
    fields.map((f) => [str(f['name']), { ...f, updateable: objectEditable && f['updateable'] === true }]),
  );
}

export class CaseQueries {
  constructor(private readonly data: OrgData) {}

  /** the sObjects this agent may query: a relationship to any other is not even understood by SOQL */
  private queryable(ctx: CallContext): Set<string> {
    const all = this.data.describeGlobal(ctx)['sobjects'];
    const list = Array.isArray(all) ? (all as SObjectRecord[]) : [];
    return new Set(list.filter((s) => s['queryable'] === true).map((s) => str(s['name'])));
  }

  /** the org's Case Status picklist, in its order, as describe gives it to this agent */
  statuses(ctx: CallContext): (Option & { isClosed: boolean })[] {
    const status = readableFields(this.data, ctx, 'Case').get('Status');
    const values = Array.isArray(status?.['picklistValues'])
      ? (status['picklistValues'] as SObjectRecord[])
      : [];
    const closed = new Set(this.data.settings.caseStatuses.filter((s) => s.isClosed).map((s) => s.apiName));
    return values
      .filter((v) => v['active'] !== false)
      .map((v) => ({
        value: str(v['value']),
        label: str(v['label']) || str(v['value']),
        isClosed: closed.has(str(v['value'])),
      }));
  }

  /** active internal users this agent can see: who a case may be assigned to */
  owners(ctx: CallContext): Option[] {
    const page = this.data.query(
      ctx,
      "SELECT Id, Name FROM User WHERE IsActive = true AND UserType = 'Standard' ORDER BY Name",
    );
    return page.records.map((r) => ({ value: str(r['Id']), label: str(r['Name']) }));
  }

  list(ctx: CallContext, filter: CaseFilter): CaseList {
    const where: string[] = [];
    if (filter.status !== undefined) where.push(`Status = '${soqlLiteral(filter.status)}'`);
    if (filter.ownerId !== undefined && isId(filter.ownerId)) where.push(`OwnerId = '${filter.ownerId}'`);
    if (filter.search.trim() !== '')
      where.push(`Subject LIKE '%${soqlLiteral(filter.search.trim(), true)}%'`);
    const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const total = this.data.query(ctx, `SELECT COUNT() FROM Case${clause}`).totalSize;
    const pages = Math.max(1, Math.min(Math.ceil(total / PAGE_SIZE), Math.floor(MAX_OFFSET / PAGE_SIZE) + 1));
    const page = Math.min(Math.max(1, filter.page), pages);
    const order = filter.sort === 'modified' ? 'LastModifiedDate DESC' : 'CreatedDate DESC';
    const contact = this.queryable(ctx).has('Contact') ? 'Contact.Name, ' : '';
    const result = this.data.query(
      ctx,
      `SELECT Id, CaseNumber, Subject, Status, IsClosed, OwnerId, Owner.Name, ${contact}SuppliedName, ` +
        `LastModifiedDate FROM Case${clause} ORDER BY ${order}, CaseNumber DESC ` +
        `LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`,
    );
    const rows = result.records.map((r) => ({
      id: str(r['Id']),
      caseNumber: str(r['CaseNumber']),
      subject: str(r['Subject']),
      status: str(r['Status']),
      isClosed: r['IsClosed'] === true,
      ownerId: str(r['OwnerId']),
      ownerName: related(r, 'Owner', 'Name'),
      contactName: related(r, 'Contact', 'Name') || str(r['SuppliedName']),
      lastModified: str(r['LastModifiedDate']),
    }));
    return { rows, total, page, pages };
  }

  /** one case as this agent sees it; undefined when it does not exist or is not shared with them */
  detail(ctx: CallContext, caseId: string): CaseDetail | undefined {
    if (!isId(caseId)) return undefined;
    const fields = readableFields(this.data, ctx, 'Case');
    const wanted = [
      'Id',
      'CaseNumber',
      'Subject',
      'Description',
      'Status',
      'Priority',
      'Origin',
      'Type',
      'Reason',
      'IsClosed',
      'ClosedDate',
      'OwnerId',
      'ContactId',
      'SuppliedName',
      'SuppliedEmail',
      'CreatedDate',
      'LastModifiedDate',
      'SystemModstamp',
    ].filter((f) => fields.has(f));
    const queryable = this.queryable(ctx);
    const users = queryable.has('User');
    const relations = [
      fields.has('OwnerId') ? 'Owner.Name' : '',
      fields.has('ContactId') && queryable.has('Contact') ? 'Contact.Name, Contact.Email' : '',
      fields.has('CreatedById') && users ? 'CreatedBy.Name' : '',
      fields.has('LastModifiedById') && users ? 'LastModifiedBy.Name' : '',
    ].filter((r) => r !== '');
    const select = [...wanted, ...relations].join(', ');
    const found = this.data.query(ctx, `SELECT ${select} FROM Case WHERE Id = '${caseId}'`).records[0];
    if (found === undefined) return undefined;
    const updateable = (name: string): boolean => fields.get(name)?.['updateable'] === true;
    const commentDescribe = this.data.describeGlobal(ctx)['sobjects'];
    const canComment =
      Array.isArray(commentDescribe) &&
      (commentDescribe as SObjectRecord[]).some(
        (s) => s['name'] === 'CaseComment' && s['createable'] === true,
      );
    return {
      record: found,
      ownerName: related(found, 'Owner', 'Name'),
      contactName: related(found, 'Contact', 'Name'),
      contactEmail: related(found, 'Contact', 'Email'),
      createdByName: related(found, 'CreatedBy', 'Name'),
      lastModifiedByName: related(found, 'LastModifiedBy', 'Name'),
      canEditStatus: updateable('Status'),
      canEditOwner: updateable('OwnerId'),
      canComment,
    };
  }

  /** the case's comments, oldest first (the order they were written) */
  comments(ctx: CallContext, caseId: string): CaseComment[] {
    if (!isId(caseId)) return [];
    const page = this.data.query(
      ctx,
      'SELECT Id, CommentBody, IsPublished, CreatedDate, CreatedById, CreatedBy.Name FROM CaseComment ' +
        `WHERE ParentId = '${caseId}' ORDER BY CreatedDate ASC, Id ASC`,
    );
    return page.records.map((r) => ({
      id: str(r['Id']),
      body: str(r['CommentBody']),
      isPublic: r['IsPublished'] === true,
      authorId: str(r['CreatedById']),
      authorName: related(r, 'CreatedBy', 'Name'),
      created: str(r['CreatedDate']),
    }));
  }
}

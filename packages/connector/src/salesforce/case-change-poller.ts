// CaseChangeSource by polling: Cases and CaseComments changed since their cursors, read in (SystemModstamp, Id)
// keyset order (domain/sync-cursor.ts). The first page of both streams travels in ONE composite request, so a poll
// that finds nothing costs one API call; only a stream that filled its page is read further, by itself, or both
// again in one composite when both did.
// https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite-post.html
//
// Deleted and merged cases: Cases are read with queryAll, which also returns rows in the recycle bin with
// IsDeleted = true (and MasterRecordId after a merge), stamped with a new SystemModstamp when deleted. They arrive
// in the same keyset stream at no extra call, in order with the other changes, so the monitor ends their
// conversations at the right place. getDeleted would cost one more call per poll and answers ids only, within
// a window whose start Salesforce may refuse after the recycle bin was emptied.
// https://developer.salesforce.com/docs/platform/api-rest/guide/dome-queryall.html

import { z } from 'zod';

import type { SetAsideRecord, SyncPage } from '../domain/ports.js';
import type { CaseComment, Employee } from '../domain/support.js';
import { clampPageSize, positionOf, type SyncCursor } from '../domain/sync-cursor.js';
import type { TenantSettings } from '../domain/tenant.js';
import type {
  CaseChangeRound,
  CaseChangeSource,
  CaseChangeStart,
  WatchedCase,
} from '../domain/tickets/case-change-source.js';
import { apiError } from './rest/api-errors.js';
import { isoFromSalesforce, toCaseComment, toEmployee, toSupportCase } from './mappers.js';
import { queryAll } from './query-pages.js';
import type { ClientTenant, SalesforceClient } from './salesforce-client.js';
import { exactInstant, fieldList, soql, type Soql } from './soql.js';
import { parseWire } from './wire/parse-wire.js';
import { SF_CASE_COMMENT_FIELDS, SfCaseComment } from './wire/sf-case-comment.js';
import { SF_CONTACT_FIELDS, SfContact } from './wire/sf-contact.js';
import { SfCompositeResponse } from './wire/sf-save-result.js';
import { SfSubrequestErrors } from './wire/sf-subrequest.js';
import { SfQueryPage } from './wire/sf-query-page.js';
import { SF_WATCHED_CASE_FIELDS, SfWatchedCase } from './wire/sf-watched-case.js';

/** What the keyset needs of every row, whatever else is wrong with it. */
const RowPosition = z.looseObject({ Id: z.string(), SystemModstamp: z.string() });
/** Ids per IN list: well under SOQL's 100,000-character statement limit with 18-character ids. */
const IDS_PER_QUERY = 200;

function keysetAfter(after: SyncCursor): Soql {
  const at = exactInstant(new Date(after.modstamp));
  if (after.id === '') return soql`SystemModstamp >= ${at}`;
  return soql`(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${after.id}))`;
}

const and = (terms: readonly Soql[]): Soql => terms.reduce((all, term) => soql`${all} AND ${term}`);

export function toWatchedCase(row: SfWatchedCase): WatchedCase {
  return {
    ...toSupportCase(row),
    lastModifiedById: row.LastModifiedById,
    deleted: row.IsDeleted,
    mergedInto: row.MasterRecordId ?? null,
  };
}

interface StreamQuery<T> {
  resource: 'query' | 'queryAll';
  query(after: SyncCursor): Soql;
  parse(raw: unknown, i: number): T;
}

export class PollingCaseChangeSource implements CaseChangeSource {
  constructor(
    private readonly client: SalesforceClient,
    private readonly tenant: ClientTenant & { settings: TenantSettings },
    private readonly purpose = 'ticket-monitor',
  ) {}

  private ctx(shape: string) {
    return { tenantId: this.tenant.id, shape };
  }

  /** The SOQL part of the monitored filter (domain/tickets/monitor-filter.ts says why only these terms). */
  private filterTerms(): Soql[] {
    const { origins, recordTypes, createdAfter } = this.tenant.settings.monitor;
    const terms: Soql[] = [];
    if (origins.length > 0) terms.push(soql`Origin IN ${origins}`);
    if (recordTypes !== undefined && recordTypes.length > 0) terms.push(soql`RecordTypeId IN ${recordTypes}`);
    if (createdAfter !== undefined) terms.push(soql`CreatedDate >= ${new Date(createdAfter)}`);
    return terms;
  }

  private casesStream(pageSize: number): StreamQuery<WatchedCase> {
    return {
      resource: 'queryAll',
      query: (after) =>
        soql`SELECT ${fieldList(SF_WATCHED_CASE_FIELDS)} FROM Case WHERE ${and([...this.filterTerms(), keysetAfter(after)])} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${pageSize}`,
      parse: (raw, i) => toWatchedCase(parseWire(SfWatchedCase, raw, this.ctx(`Case record ${i}`))),
    };
  }

  private commentsStream(pageSize: number): StreamQuery<CaseComment> {
    return {
      resource: 'query',
      query: (after) =>
        soql`SELECT ${fieldList(SF_CASE_COMMENT_FIELDS)} FROM CaseComment WHERE ${keysetAfter(after)} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${pageSize}`,
      parse: (raw, i) => toCaseComment(parseWire(SfCaseComment, raw, this.ctx(`CaseComment record ${i}`))),
    };
  }

  async *changesSince(start: CaseChangeStart): AsyncGenerator<CaseChangeRound> {
    const pageSize = clampPageSize(start.pageSize ?? 2000);
    const cases = this.casesStream(pageSize);
    const comments = this.commentsStream(pageSize);
    let casesAfter: SyncCursor | null = start.cases;
    let commentsAfter: SyncCursor | null = start.comments;
    while (casesAfter !== null || commentsAfter !== null) {
      const wanted: { stream: StreamQuery<unknown>; after: SyncCursor }[] = [];
      if (casesAfter !== null) wanted.push({ stream: cases, after: casesAfter });
      if (commentsAfter !== null) wanted.push({ stream: comments, after: commentsAfter });
      const rows = wanted.length === 2 ? await this.composite(wanted) : [await this.single(wanted[0])];
      let i = 0;
      type Paged<T> = { page: SyncPage<T>; full: boolean } | null;
      const casesPage: Paged<WatchedCase> =
        casesAfter === null ? null : this.page(rows[i++] ?? [], cases, casesAfter, pageSize);
      const commentsPage: Paged<CaseComment> =
        commentsAfter === null ? null : this.page(rows[i] ?? [], comments, commentsAfter, pageSize);
      // a stream whose page came back short has nothing more: it rests until the next poll
      casesAfter = casesPage !== null && casesPage.full ? casesPage.page.cursor : null;
      commentsAfter = commentsPage !== null && commentsPage.full ? commentsPage.page.cursor : null;
      yield {
        cases: casesPage?.page ?? null,
        comments: commentsPage?.page ?? null,
        more: { cases: casesAfter !== null, comments: commentsAfter !== null },
      };
    }
  }

  private page<T>(
    rows: readonly unknown[],
    stream: StreamQuery<T>,
    after: SyncCursor,
    pageSize: number,
  ): { page: SyncPage<T>; full: boolean } {
    const items: T[] = [];
    const setAside: SetAsideRecord[] = [];
    let cursor = after;
    rows.forEach((raw, i) => {
      const position = parseWire(RowPosition, raw, this.ctx('row position'));
      cursor = positionOf({ id: position.Id, modstamp: isoFromSalesforce(position.SystemModstamp) });
      try {
        items.push(stream.parse(raw, i));
      } catch (err) {
        setAside.push({ id: position.Id, reason: err instanceof Error ? err.message : String(err) });
      }
    });
    return { page: { items, cursor, setAside }, full: rows.length >= pageSize };
  }

  private async single(
    wanted: { stream: StreamQuery<unknown>; after: SyncCursor } | undefined,
  ): Promise<unknown[]> {
    if (wanted === undefined) return [];
    const q = wanted.stream.query(wanted.after);
    const raw = await this.client.request<unknown>(this.tenant, {
      method: 'GET',
      url: `/${wanted.stream.resource}?q=${encodeURIComponent(q.text)}`,
      sobject: 'Case',
      purpose: this.purpose,
    });
    return parseWire(SfQueryPage, raw, this.ctx('query page')).records;
  }

  private async composite(
    wanted: readonly { stream: StreamQuery<unknown>; after: SyncCursor }[],
  ): Promise<unknown[][]> {
    const base = `/services/data/v${this.tenant.settings.apiVersion}`;
    const body = {
      allOrNone: false,
      compositeRequest: wanted.map((w, i) => ({
        method: 'GET',
        url: `${base}/${w.stream.resource}?q=${encodeURIComponent(w.stream.query(w.after).text)}`,
        referenceId: `stream${i}`,
      })),
    };
    // Only reads inside: repeating the POST after a dropped connection changes nothing, so it is retried freely.
    const raw = await this.client.request<unknown>(this.tenant, {
      method: 'POST',
      url: '/composite',
      body,
      safety: 'idempotent',
      sobject: 'Case',
      purpose: this.purpose,
    });
    const composite = parseWire(SfCompositeResponse, raw, this.ctx('monitor composite'));
    return wanted.map((_, i) => {
      const sub = composite.compositeResponse.find((r) => r.referenceId === `stream${i}`);
      if (sub === undefined || sub.httpStatusCode >= 300) {
        const errors = sub
          ? parseWire(SfSubrequestErrors, sub.body, this.ctx('monitor composite error'))
          : [];
        throw apiError(
          errors.map((e) => ({
            errorCode: e.errorCode ?? 'UNKNOWN',
            message: e.message ?? '',
            fields: e.fields ?? [],
          })),
          { tenantId: this.tenant.id, status: sub?.httpStatusCode ?? null, sobject: 'Case' },
        );
      }
      return parseWire(SfQueryPage, sub.body, this.ctx('monitor composite query page')).records;
    });
  }

  async casesByIds(ids: readonly string[]): Promise<WatchedCase[]> {
    const out: WatchedCase[] = [];
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
      const chunk = unique.slice(i, i + IDS_PER_QUERY);
      const q = soql`SELECT ${fieldList(SF_WATCHED_CASE_FIELDS)} FROM Case WHERE ${and([...this.filterTerms(), soql`Id IN ${chunk}`])}`;
      const rows = await queryAll(this.client, this.tenant, q, SfWatchedCase, {
        shape: 'Case',
        purpose: this.purpose,
      });
      out.push(...rows.map(toWatchedCase));
    }
    return out;
  }

  async contactsByEmails(emails: readonly string[]): Promise<Employee[]> {
    const out: Employee[] = [];
    const unique = [...new Set(emails.map((e) => e.trim()).filter((e) => e !== ''))];
    for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
      const chunk = unique.slice(i, i + IDS_PER_QUERY);
      const q = soql`SELECT ${fieldList(SF_CONTACT_FIELDS)} FROM Contact WHERE Email IN ${chunk}`;
      const rows = await queryAll(this.client, this.tenant, q, SfContact, {
        shape: 'Contact',
        purpose: this.purpose,
      });
      out.push(...rows.map(toEmployee));
    }
    return out;
  }

  async serviceUserId(): Promise<string> {
    return (await this.client.session(this.tenant)).userId;
  }
}

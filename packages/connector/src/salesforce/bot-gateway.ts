// The bot API's Salesforce reads for one employee: their cases (by Contact, or by supplied email for cases with no
// Contact), a case by its number, and a case's published comments only. Each read is one SOQL query.

import type { BotCaseGateway, BotCaseGatewayFactory } from '../domain/bot/bot-ports.js';
import type { CaseComment, SupportCase } from '../domain/support.js';
import type { Tenant } from '../domain/tenant.js';
import { isAppError } from '../errors/app-error.js';
import { toCaseComment, toSupportCase } from './mappers.js';
import { queryAll } from './query-pages.js';
import type { SalesforceClient } from './salesforce-client.js';
import { fieldList, soql } from './soql.js';
import { SF_CASE_FIELDS, SfCase } from './wire/sf-case.js';
import { SF_CASE_COMMENT_FIELDS, SfCaseComment } from './wire/sf-case-comment.js';

export class JsforceBotCaseGateway implements BotCaseGateway {
  constructor(
    private readonly client: SalesforceClient,
    private readonly tenant: Tenant,
    private readonly purpose: string,
  ) {}

  async casesOf(
    employee: { contactId: string | null; email: string },
    window: { limit: number; closedSince: Date },
  ): Promise<SupportCase[]> {
    // The ownership rule (domain/tickets/case-employee.ts): the Contact, or the supplied email only where a case
    // has no Contact. The caller still checks each case with caseBelongsTo (an email shared by several Contacts).
    const whose =
      employee.contactId === null
        ? soql`ContactId = null AND SuppliedEmail = ${employee.email}`
        : soql`(ContactId = ${employee.contactId} OR (ContactId = null AND SuppliedEmail = ${employee.email}))`;
    // Open ones sort first (false before true), so an old open case is never pushed out by recently closed ones.
    const q = soql`SELECT ${fieldList(SF_CASE_FIELDS)} FROM Case WHERE ${whose} AND (IsClosed = false OR LastModifiedDate >= ${window.closedSince}) ORDER BY IsClosed ASC, LastModifiedDate DESC LIMIT ${window.limit}`;
    const rows = await queryAll(this.client, this.tenant, q, SfCase, {
      shape: 'Case',
      purpose: this.purpose,
    });
    return rows.map(toSupportCase);
  }

  async findCaseByNumber(caseNumber: string): Promise<SupportCase | null> {
    const q = soql`SELECT ${fieldList(SF_CASE_FIELDS)} FROM Case WHERE CaseNumber = ${caseNumber} LIMIT 1`;
    const [row] = await queryAll(this.client, this.tenant, q, SfCase, {
      shape: 'Case',
      purpose: this.purpose,
    });
    return row === undefined ? null : toSupportCase(row);
  }

  async publicComments(caseId: string): Promise<CaseComment[]> {
    const q = soql`SELECT ${fieldList(SF_CASE_COMMENT_FIELDS)} FROM CaseComment WHERE ParentId = ${caseId} AND IsPublished = true ORDER BY CreatedDate ASC, Id ASC`;
    const rows = await queryAll(this.client, this.tenant, q, SfCaseComment, {
      shape: 'CaseComment',
      purpose: this.purpose,
    });
    return rows.map(toCaseComment);
  }

  async setStatusIfUnmodified(
    caseId: string,
    status: string,
    unmodifiedSince: Date,
  ): Promise<'updated' | 'changed'> {
    // "Conditional Request Headers": a PATCH with If-Unmodified-Since answers 412 when LastModifiedDate is later
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_conditional_requests.htm
    try {
      await this.client.request(this.tenant, {
        method: 'PATCH',
        url: `/sobjects/Case/${encodeURIComponent(caseId)}`,
        body: { Status: status },
        headers: { 'If-Unmodified-Since': unmodifiedSince.toUTCString() },
        safety: 'idempotent',
        sobject: 'Case',
        recordId: caseId,
        purpose: this.purpose,
      });
      return 'updated';
    } catch (err) {
      if (!isAppError(err) || (err.details as { status?: unknown } | undefined)?.status !== 412) throw err;
      // A retry after a dropped connection meets our own change as a 412: the status it set says so.
      const q = soql`SELECT ${fieldList(SF_CASE_FIELDS)} FROM Case WHERE Id = ${caseId} LIMIT 1`;
      const [row] = await queryAll(this.client, this.tenant, q, SfCase, {
        shape: 'Case',
        purpose: this.purpose,
      });
      return row !== undefined && toSupportCase(row).status === status ? 'updated' : 'changed';
    }
  }
}

export class JsforceBotCaseGatewayFactory implements BotCaseGatewayFactory {
  constructor(private readonly client: SalesforceClient) {}

  forTenant(tenant: Tenant, purpose: string): BotCaseGateway {
    return new JsforceBotCaseGateway(this.client, tenant, purpose);
  }
}

// SalesforceGateway over the client: the operations the product needs, each in as few API calls as Salesforce
// allows (composite create-and-read, sObject Collections for batches), writes reconciled before any retry. The
// operations live by concern: gateway-metadata.ts (identity, limits, describe, versions), gateway-incremental.ts
// (keyset reads after a cursor), gateway-writes.ts (reconciled writes); the record reads are here.

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
  SyncPage,
  WriteOutcome,
} from '../domain/ports.js';
import type { CaseComment, Employee, KnowledgeArticle, SupportCase } from '../domain/support.js';
import type { Tenant } from '../domain/tenant.js';
import { GatewayContext } from './gateway-context.js';
import * as incremental from './gateway-incremental.js';
import * as metadata from './gateway-metadata.js';
import * as writes from './gateway-writes.js';
import { toEmployee, toSupportCase } from './mappers.js';
import { queryAll } from './query-pages.js';
import type { SalesforceClient } from './salesforce-client.js';
import { fieldList, soql } from './soql.js';
import { parseWire } from './wire/parse-wire.js';
import { SF_CASE_FIELDS, SfCase } from './wire/sf-case.js';
import { SF_CONTACT_FIELDS, SfContact } from './wire/sf-contact.js';

export class JsforceSalesforceGateway extends GatewayContext implements SalesforceGateway {
  identity(): Promise<SalesforceIdentity> {
    return metadata.identity(this);
  }

  limits(): Promise<ApiAllocation> {
    return metadata.limits(this);
  }

  describe(sobject: string): Promise<ObjectDescription> {
    return metadata.describe(this, sobject);
  }

  versions(): Promise<string[]> {
    return metadata.versions(this);
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

  createCase(input: NewSupportCase): Promise<SupportCase> {
    return writes.createCase(this, input);
  }

  findCaseByKey(
    key: { idempotencyKey: string; externalIdField?: string },
    since: Date,
  ): Promise<SupportCase | null> {
    return writes.findCaseByKey(this, key, since);
  }

  addCaseComment(input: NewCaseComment): Promise<CaseComment> {
    return writes.addCaseComment(this, input);
  }

  findCommentByKey(caseId: string, idempotencyKey: string, since: Date): Promise<CaseComment | null> {
    return writes.findCommentByKey(this, caseId, idempotencyKey, since);
  }

  addCaseComments(inputs: readonly NewCaseComment[]): Promise<WriteOutcome[]> {
    return writes.addCaseComments(this, inputs);
  }

  updateCaseStatus(id: string, status: string): Promise<void> {
    return writes.updateCaseStatus(this, id, status);
  }

  casesModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<SupportCase>> {
    return incremental.casesModifiedSince(this, read);
  }

  commentsModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<CaseComment>> {
    return incremental.commentsModifiedSince(this, read);
  }

  articlesModifiedSince(read: IncrementalRead): AsyncIterable<SyncPage<KnowledgeArticle>> {
    return incremental.articlesModifiedSince(this, read);
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

// The Salesforce reads of autonomous resolution: who created and last modified each candidate case, who commented on
// it (internal comments too), and whether anyone but casebridge commented after an offer. Cases by Id IN (...) and
// their comments by ParentId IN (...): two queries for a whole batch.

import { z } from 'zod';

import type {
  ResolutionCase,
  ResolutionGateway,
  ResolutionGatewayFactory,
} from '../domain/conversation/resolution-ports.js';
import type { Tenant } from '../domain/tenant.js';
import { queryAll } from './query-pages.js';
import type { SalesforceClient } from './salesforce-client.js';
import { soql } from './soql.js';

const SfResolutionCase = z.object({
  Id: z.string(),
  CaseNumber: z.string(),
  Subject: z.string().nullable(),
  Description: z.string().nullable(),
  Status: z.string().nullable(),
  OwnerId: z.string().nullable(),
  CreatedById: z.string(),
  LastModifiedById: z.string(),
  LastModifiedDate: z.string(),
});

const SfCommentAuthor = z.object({ ParentId: z.string(), CreatedById: z.string() });

const PURPOSE = 'autonomous-resolution';
/** Ids per query: 200 18-character ids keep the query text well under the 100,000-character SOQL limit */
const IDS_PER_QUERY = 200;

export class JsforceResolutionGateway implements ResolutionGateway {
  constructor(
    private readonly client: SalesforceClient,
    private readonly tenant: Tenant,
  ) {}

  async cases(caseIds: readonly string[]): Promise<ResolutionCase[]> {
    const found: ResolutionCase[] = [];
    for (let i = 0; i < caseIds.length; i += IDS_PER_QUERY) {
      const ids = caseIds.slice(i, i + IDS_PER_QUERY);
      const cases = await queryAll(
        this.client,
        this.tenant,
        soql`SELECT Id, CaseNumber, Subject, Description, Status, OwnerId, CreatedById, LastModifiedById, LastModifiedDate FROM Case WHERE Id IN ${ids}`,
        SfResolutionCase,
        { shape: 'Case', purpose: PURPOSE },
      );
      const comments = await queryAll(
        this.client,
        this.tenant,
        soql`SELECT ParentId, CreatedById FROM CaseComment WHERE ParentId IN ${ids}`,
        SfCommentAuthor,
        { shape: 'CaseComment', purpose: PURPOSE },
      );
      for (const c of cases)
        found.push({
          id: c.Id,
          number: c.CaseNumber,
          subject: c.Subject,
          description: c.Description,
          status: c.Status ?? '',
          ownerId: c.OwnerId,
          createdById: c.CreatedById,
          lastModifiedById: c.LastModifiedById,
          lastModifiedAt: new Date(c.LastModifiedDate).toISOString(),
          commentAuthorIds: comments.filter((m) => m.ParentId === c.Id).map((m) => m.CreatedById),
        });
    }
    return found;
  }

  async foreignCommentsSince(caseId: string, since: string, exceptAuthorId: string): Promise<number> {
    const rows = await queryAll(
      this.client,
      this.tenant,
      soql`SELECT ParentId, CreatedById FROM CaseComment WHERE ParentId = ${caseId} AND CreatedDate > ${new Date(since)} AND CreatedById != ${exceptAuthorId}`,
      SfCommentAuthor,
      { shape: 'CaseComment', purpose: PURPOSE },
    );
    return rows.length;
  }
}

export class JsforceResolutionGatewayFactory implements ResolutionGatewayFactory {
  constructor(private readonly client: SalesforceClient) {}

  forTenant(tenant: Tenant): ResolutionGateway {
    return new JsforceResolutionGateway(this.client, tenant);
  }
}

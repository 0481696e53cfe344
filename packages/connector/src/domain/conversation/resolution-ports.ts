// Ports of autonomous resolution: each considered case's record (the funnel), and the Salesforce reads it needs that
// ticket monitoring's snapshots do not hold (who created and last modified a case, who commented on it).

import type { Tenant } from '../tenant.js';
import type { ArticleCard } from './messages.js';
import type { ResolutionFunnel, ResolutionStatus } from './resolution-rules.js';

export interface ResolutionRecord {
  readonly tenantId: string;
  readonly caseId: string;
  readonly caseNumber: string;
  /** the case's Contact */
  readonly employee: string;
  readonly status: ResolutionStatus;
  /** why it was not eligible, or not offered */
  readonly reason: string | null;
  readonly articles: readonly ArticleCard[];
  readonly confidence: number | null;
  readonly offeredAt: string | null;
  /** the case's LastModifiedDate after the offer's internal comment: a later change is someone else's */
  readonly offerStamp: string | null;
  readonly answeredAt: string | null;
}

export interface ResolutionRepository {
  /** the case ids among these that already have a record (considered once) */
  known(tenantId: string, caseIds: readonly string[]): Promise<ReadonlySet<string>>;
  put(record: ResolutionRecord, at: string): Promise<void>;
  get(tenantId: string, caseId: string): Promise<ResolutionRecord | null>;
  byNumber(tenantId: string, caseNumber: string): Promise<ResolutionRecord | null>;
  /** records in this status, oldest offer first */
  inStatus(tenantId: string, status: ResolutionStatus, limit: number): Promise<ResolutionRecord[]>;
  funnel(tenantId: string): Promise<ResolutionFunnel>;
  /** watched cases not closed and never considered, with their status and Contact (from the monitor's snapshots) */
  candidates(
    tenantId: string,
    limit: number,
  ): Promise<{ caseId: string; caseNumber: string; status: string; employeeId: string | null }[]>;
  /** confirmed resolutions with their case's status and modstamp as the monitor last saw it (an agent may reopen) */
  confirmedWithStatus(
    tenantId: string,
  ): Promise<{ record: ResolutionRecord; status: string | null; modstamp: string | null }[]>;
}

/** A case as the eligibility rules read it. */
export interface ResolutionCase {
  readonly id: string;
  readonly number: string;
  readonly subject: string | null;
  readonly description: string | null;
  readonly status: string;
  readonly ownerId: string | null;
  readonly createdById: string;
  readonly lastModifiedById: string;
  readonly lastModifiedAt: string;
  readonly commentAuthorIds: readonly string[];
}

export interface ResolutionGateway {
  /** the cases with these ids and the authors of their comments: two queries however many cases */
  cases(caseIds: readonly string[]): Promise<ResolutionCase[]>;
  /** comments on the case created after `since` by anyone but `exceptAuthorId` (an agent stepped in) */
  foreignCommentsSince(caseId: string, since: string, exceptAuthorId: string): Promise<number>;
}

export interface ResolutionGatewayFactory {
  forTenant(tenant: Tenant): ResolutionGateway;
}

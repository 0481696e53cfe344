// The API audit log: one row per Salesforce call attempt, and the usage summaries read from it.

/** One Salesforce call attempt, as kept in the API audit log. No secrets: paths are redacted before this. */
export interface ApiAuditEntry {
  tenantId: string;
  at: string;
  method: string;
  /** path with query literals and oauth_token redacted */
  path: string;
  status: number | null;
  /** Salesforce errorCode or the network error name */
  errorCode: string | null;
  durationMs: number;
  /** from Sforce-Limit-Info: api-usage=used/max */
  apiUsed: number | null;
  apiMax: number | null;
  attempt: number;
  /** what the call was for (e.g. 'doctor', 'knowledge-sync') */
  purpose: string | null;
}

export interface ApiUsageSummary {
  tenantId: string;
  calls: number;
  since: string;
  lastApiUsed: number | null;
  lastApiMax: number | null;
}

export interface ApiAuditRepository {
  record(entry: ApiAuditEntry): Promise<void>;
  /** deletes entries older than `before`; returns how many */
  purgeBefore(before: Date): Promise<number>;
  summary(tenantId: string, since: Date): Promise<ApiUsageSummary>;
  list(tenantId: string, options: { since?: Date; limit?: number }): Promise<ApiAuditEntry[]>;
}

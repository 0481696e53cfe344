// What the operator console and the metrics endpoint read and write beyond the status report: the last doctor
// report, the last full and incremental knowledge sync, articles per language, API calls per hour by purpose,
// the searchable API audit log, delivery latency, and the console's own action log.

import type { ApiAuditEntry } from './ports.js';

/** A doctor report as kept for the console (the shape of services/doctor.ts's DoctorReport, as data). */
export interface StoredDoctorReport {
  tenantId: string;
  checkedAt: string;
  ok: boolean;
  checks: { id: string; title: string; status: string; detail: string; fix?: string; code?: string }[];
}

export interface KnowledgeRunMark {
  mode: 'full' | 'incremental';
  state: string;
  startedAt: string;
  finishedAt: string | null;
}

export interface HourlyCalls {
  /** the hour's start, ISO */
  hour: string;
  purpose: string;
  calls: number;
}

export interface CallCount {
  tenantId: string;
  purpose: string;
  outcome: 'ok' | 'client_error' | 'server_error' | 'network_error';
  calls: number;
}

export interface AuditSearch {
  tenantId?: string;
  /** a substring of the redacted path */
  path?: string;
  /** an exact HTTP status, or a class like 4 for 4xx */
  status?: { exact: number } | { class: number };
  from?: Date;
  to?: Date;
  limit: number;
}

export interface OperatorAction {
  at: string;
  actor: string;
  action: string;
  tenantId: string | null;
  target: string | null;
  outcome: 'ok' | 'failed';
  detail: string | null;
}

export interface DeliveryLatency {
  tenantId: string;
  delivered: number;
  p50Seconds: number;
  p95Seconds: number;
  maxSeconds: number;
}

export interface ConsoleRepository {
  saveDoctorReport(report: StoredDoctorReport): Promise<void>;
  doctorReport(tenantId: string): Promise<StoredDoctorReport | null>;
  markKnowledgeRun(tenantId: string, mark: KnowledgeRunMark): Promise<void>;
  knowledgeRuns(tenantId: string): Promise<KnowledgeRunMark[]>;
  articlesPerLanguage(tenantId: string): Promise<{ language: string; articles: number }[]>;
  callsPerHour(tenantId: string, since: Date): Promise<HourlyCalls[]>;
  callCounts(since: Date): Promise<CallCount[]>;
  searchAudit(search: AuditSearch): Promise<ApiAuditEntry[]>;
  deliveryLatency(since: Date): Promise<DeliveryLatency[]>;
  recordAction(action: OperatorAction): Promise<void>;
  recentActions(limit: number): Promise<OperatorAction[]>;
}

/** A console session as stored: digests only, never the token. */
export interface StoredConsoleSession {
  tokenHash: string;
  actor: string;
  startedAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

/** The console's one-time links and sessions, shared by every worker (migration 0081). */
export interface ConsoleSessionRepository {
  saveLink(tokenHash: string, expiresAt: Date): Promise<void>;
  /** removes the link (used once, even when expired) and returns when it expired; null when there was none */
  takeLink(tokenHash: string): Promise<Date | null>;
  createSession(session: StoredConsoleSession): Promise<void>;
  /**
   * The session, its last use moved to `now`, when it is not revoked, was last used at or after `idleSince` and
   * expires at or after `now`; otherwise null.
   */
  touchSession(tokenHash: string, now: Date, idleSince: Date): Promise<StoredConsoleSession | null>;
  /** marks the session revoked on every worker; false when there was no live one */
  revokeSession(tokenHash: string, at: Date): Promise<boolean>;
  /** removes links and sessions that can no longer be used at `now`; returns how many */
  purge(now: Date, idleSince: Date): Promise<number>;
}

// What nudging keeps in the store: each watched case's open waiting period (its start and the reminders sent in
// it), the employees' own time zones when the bot knows them, and the employees' last replies (the replies
// ledger). All local: deciding a reminder never calls Salesforce. Adapters in store/repositories/nudges.ts.

import type { CaseEmployee } from './case-employee.js';
import type { WatchedCase } from './case-change-source.js';
import type { WaitingPeriod } from './nudge-rules.js';

export interface WaitingCase {
  readonly caseId: string;
  readonly snapshot: WatchedCase;
  readonly employee: CaseEmployee;
  /** null until the nudge run records the period's start */
  readonly period: WaitingPeriod | null;
}

export interface NudgeRepository {
  /** the tenant's watched cases whose snapshot has one of these statuses, with their open period */
  listWaiting(tenantId: string, waitingStatuses: readonly string[]): Promise<WaitingCase[]>;
  /** ends the period of every case whose snapshot no longer has one of these statuses; returns how many ended */
  endLeft(tenantId: string, waitingStatuses: readonly string[]): Promise<number>;
  /** records a period's start; a period already open for the case is kept (its start never moves) */
  startPeriod(tenantId: string, caseId: string, since: string): Promise<void>;
  /** records reminder `reminder` of the period that started at `since` (a number already recorded changes nothing) */
  recordReminder(
    tenantId: string,
    caseId: string,
    since: string,
    reminder: number,
    at: string,
  ): Promise<void>;
  /** the latest reply the employee posted through casebridge on each of these cases (the replies ledger) */
  lastReplies(tenantId: string, caseIds: readonly string[]): Promise<Map<string, string>>;
}

/** Employees' own time zones (IANA names), stored when the bot tells them (the identity token's `zoneinfo`). */
export interface EmployeeZoneRepository {
  getMany(tenantId: string, employeeIds: readonly string[]): Promise<Map<string, string>>;
  put(tenantId: string, employeeId: string, zone: string): Promise<void>;
}

// The five states casebridge reasons in, whatever a tenant calls its Case statuses, and the mapping from one to the
// other. Status values are Salesforce picklist values held as data (ARCHITECTURE.md, invariant 2): this file names
// the standard and common values only as the default mapping.

import { z } from 'zod';

export const CASE_STATES = ['NEW', 'WAITING_FOR_EMPLOYEE', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** The statuses casebridge writes, one per action. */
export interface CaseStateActions {
  /** an employee reopens a resolved or closed case */
  readonly reopen: string;
  /** an employee (or the bot, with their consent) declares the case solved */
  readonly resolve: string;
  /** the employee answered: the case goes back to the agents */
  readonly employeeReplied: string;
}

export interface CaseStateMapping {
  /** every Case status of the org, by its picklist value, to one state */
  readonly states: Readonly<Record<string, CaseState>>;
  readonly actions: CaseStateActions;
}

export const CASE_STATE_MAPPING_SCHEMA = z.strictObject({
  states: z.record(z.string().min(1).max(255), z.enum(CASE_STATES)),
  actions: z.strictObject({
    reopen: z.string().min(1).max(255),
    resolve: z.string().min(1).max(255),
    employeeReplied: z.string().min(1).max(255),
  }),
});

/**
 * The standard Case Status picklist (New, Working, Escalated, Closed) and the extras orgs commonly add. The default
 * actions name only standard values, so the default is valid on an org that kept the standard picklist.
 */
export function defaultCaseStateMapping(): CaseStateMapping {
  return {
    states: {
      New: 'NEW',
      Working: 'IN_PROGRESS',
      Escalated: 'IN_PROGRESS',
      'On Hold': 'IN_PROGRESS',
      'Waiting on Employee': 'WAITING_FOR_EMPLOYEE',
      'Waiting on Customer': 'WAITING_FOR_EMPLOYEE',
      Resolved: 'RESOLVED',
      Closed: 'CLOSED',
    },
    actions: { reopen: 'Working', resolve: 'Closed', employeeReplied: 'Working' },
  };
}

/**
 * The mapping equivalent to the settings of earlier versions (one status per notion), for the settings migration:
 * those statuses keep their meaning, the defaults cover the rest, and the actions are the ones casebridge wrote.
 */
export function mappingFromLegacyStatuses(legacy: {
  new: string;
  waitingOnEmployee: string;
  employeeReplied: string;
  resolved: string;
  closed: string;
}): CaseStateMapping {
  const defaults = defaultCaseStateMapping();
  return {
    states: {
      ...defaults.states,
      [legacy.new]: 'NEW',
      [legacy.waitingOnEmployee]: 'WAITING_FOR_EMPLOYEE',
      [legacy.employeeReplied]: 'IN_PROGRESS',
      [legacy.resolved]: 'RESOLVED',
      [legacy.closed]: 'CLOSED',
    },
    actions: {
      reopen: legacy.employeeReplied,
      resolve: legacy.resolved,
      employeeReplied: legacy.employeeReplied,
    },
  };
}

export interface StateOfCase {
  readonly state: CaseState;
  /** false when the status is missing from the mapping and the state was inferred from IsClosed */
  readonly mapped: boolean;
}

/**
 * The state of a case. A status the mapping lacks (added to the org after the mapping was saved) falls back on what
 * Salesforce itself says: a closed status is CLOSED, any other IN_PROGRESS, which notifies nobody by mistake.
 */
export function stateOfCase(
  mapping: CaseStateMapping,
  supportCase: { status: string; isClosed: boolean },
): StateOfCase {
  const state = Object.hasOwn(mapping.states, supportCase.status)
    ? mapping.states[supportCase.status]
    : undefined;
  if (state !== undefined) return { state, mapped: true };
  return { state: supportCase.isClosed ? 'CLOSED' : 'IN_PROGRESS', mapped: false };
}

/** One value of the org's Case Status picklist, as describe and CaseStatus report it. */
export interface OrgCaseStatus {
  readonly value: string;
  readonly isClosed: boolean;
  readonly active?: boolean;
}

export interface MappingIssue {
  readonly severity: 'error' | 'warning';
  /** the status value concerned */
  readonly status: string;
  readonly message: string;
}

/**
 * Checks a mapping against the org's picklist. Errors make the mapping unusable (casebridge would write a status the
 * org refuses, or reopen into a closed status); warnings are worth a look (a status nobody mapped, a mapped status
 * the org no longer has, a state that contradicts the status's IsClosed flag). `doctor` prints both.
 */
export function validateCaseStateMapping(
  mapping: CaseStateMapping,
  picklist: readonly OrgCaseStatus[],
): { errors: MappingIssue[]; warnings: MappingIssue[] } {
  const errors: MappingIssue[] = [];
  const warnings: MappingIssue[] = [];
  const byValue = new Map(picklist.map((entry) => [entry.value, entry]));
  for (const entry of picklist) {
    if (entry.active === false) continue;
    const state = Object.hasOwn(mapping.states, entry.value) ? mapping.states[entry.value] : undefined;
    if (state === undefined) {
      warnings.push({
        severity: 'warning',
        status: entry.value,
        message: `The status "${entry.value}" is not mapped; cases in it count as ${entry.isClosed ? 'CLOSED' : 'IN_PROGRESS'}.`,
      });
    } else if (entry.isClosed && state !== 'CLOSED' && state !== 'RESOLVED') {
      warnings.push({
        severity: 'warning',
        status: entry.value,
        message: `The status "${entry.value}" closes the case in Salesforce but is mapped to ${state}.`,
      });
    } else if (!entry.isClosed && state === 'CLOSED') {
      warnings.push({
        severity: 'warning',
        status: entry.value,
        message: `The status "${entry.value}" is mapped to CLOSED but does not close the case in Salesforce.`,
      });
    }
  }
  for (const value of Object.keys(mapping.states)) {
    if (!byValue.has(value))
      warnings.push({
        severity: 'warning',
        status: value,
        message: `The org has no status "${value}"; its mapping is unused.`,
      });
  }
  const actionRules: {
    action: keyof CaseStateActions;
    mustBeOpen: boolean | null;
    states?: readonly CaseState[];
  }[] = [
    { action: 'reopen', mustBeOpen: true },
    { action: 'employeeReplied', mustBeOpen: true },
    { action: 'resolve', mustBeOpen: null, states: ['RESOLVED', 'CLOSED'] },
  ];
  for (const { action, mustBeOpen, states } of actionRules) {
    const value = mapping.actions[action];
    const entry = byValue.get(value);
    if (entry === undefined || entry.active === false) {
      errors.push({
        severity: 'error',
        status: value,
        message: `The "${action}" action writes the status "${value}", which the org's picklist does not offer.`,
      });
      continue;
    }
    const { state } = stateOfCase(mapping, { status: value, isClosed: entry.isClosed });
    if (mustBeOpen === true && (entry.isClosed || state === 'RESOLVED' || state === 'CLOSED'))
      errors.push({
        severity: 'error',
        status: value,
        message: `The "${action}" action must write an open status, but "${value}" is ${entry.isClosed ? 'closed' : state}.`,
      });
    if (states !== undefined && !states.includes(state))
      errors.push({
        severity: 'error',
        status: value,
        message: `The "${action}" action must write a status mapped to ${states.join(' or ')}, but "${value}" is ${state}.`,
      });
  }
  return { errors, warnings };
}

/** A state as the employee reads it: a short label and what it means for them. */
export function describeCaseState(state: CaseState): { label: string; meaning: string } {
  switch (state) {
    case 'NEW':
      return {
        label: 'Received',
        meaning: 'Your request has reached the support team; nobody has picked it up yet.',
      };
    case 'WAITING_FOR_EMPLOYEE':
      return { label: 'Waiting for you', meaning: 'The support team needs an answer from you to go on.' };
    case 'IN_PROGRESS':
      return { label: 'In progress', meaning: 'The support team is working on it.' };
    case 'RESOLVED':
      return { label: 'Resolved', meaning: 'The support team considers it solved. Reply if it is not.' };
    case 'CLOSED':
      return { label: 'Closed', meaning: 'This request is closed. Reopen it if the problem is back.' };
  }
}

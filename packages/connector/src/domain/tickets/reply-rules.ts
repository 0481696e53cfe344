// What a reply does to its case besides posting: whether a closed case refuses it or reopens, and whether the status
// moves to the tenant's "employee replied" status. Pure: the service reads the case and the settings, this decides.

import type { TenantSettings } from '../tenant.js';
import { stateOfCase, type CaseState, type CaseStateMapping } from './case-states.js';

/**
 * The most parts one reply may have: every part goes in one composite call, which holds at most 5 sObject
 * Collections subrequests of 200 records each (Composite, "Limits").
 */
export const MAX_REPLY_PARTS = 1000;

/** When a reply moves the case to the mapping's "employee replied" status. */
export const MOVE_STATUS_ON_REPLY = ['never', 'when-waiting', 'always'] as const;
export type MoveStatusOnReply = (typeof MOVE_STATUS_ON_REPLY)[number];

/** The tenant's `replies` settings (absent from tenants stored before replies existed: the defaults apply). */
export interface ReplySettings {
  /** a reply to a CLOSED case reopens it (the mapping's reopen status) instead of being refused */
  readonly reopenClosed: boolean;
  /**
   * `when-waiting` (default): only a case waiting for its employee goes back to the agents; `always`: any open case
   * not already in that status; `never`: the status is left to the agents.
   */
  readonly moveStatusOnReply: MoveStatusOnReply;
}

export function defaultReplySettings(): ReplySettings {
  return { reopenClosed: false, moveStatusOnReply: 'when-waiting' };
}

/** The reply settings of a tenant, defaults filled in. */
export function replySettingsOf(settings: Pick<TenantSettings, 'replies'>): ReplySettings {
  return { ...defaultReplySettings(), ...settings.replies };
}

/** The tenant's five-state mapping (ticket monitoring reads the same setting). */
export function caseStatesOf(settings: Pick<TenantSettings, 'caseStates'>): CaseStateMapping {
  return settings.caseStates;
}

export type ReplyPlan =
  | {
      readonly kind: 'refuse-closed';
      readonly state: CaseState;
    }
  | {
      readonly kind: 'post';
      readonly state: CaseState;
      /**
       * The status to write with the reply: `reopen` writes it before the parts, all or nothing (the reply lands on
       * an open case or not at all); `employee-replied` after them, and its failure leaves the reply posted.
       */
      readonly status: { readonly to: string; readonly why: 'reopen' | 'employee-replied' } | null;
    };

/**
 * What a reply does, given the case as read now. RESOLVED is reopened by any reply: the employee is told "Reply if
 * it is not [solved]" (describeCaseState). CLOSED is refused unless the tenant lets replies reopen it.
 */
export function planReply(
  supportCase: { status: string; isClosed: boolean },
  mapping: CaseStateMapping,
  settings: ReplySettings,
): ReplyPlan {
  const { state } = stateOfCase(mapping, supportCase);
  const to = (status: string, why: 'reopen' | 'employee-replied') =>
    status === supportCase.status ? null : { to: status, why };
  switch (state) {
    case 'CLOSED':
      if (!settings.reopenClosed) return { kind: 'refuse-closed', state };
      return { kind: 'post', state, status: to(mapping.actions.reopen, 'reopen') };
    case 'RESOLVED':
      return { kind: 'post', state, status: to(mapping.actions.reopen, 'reopen') };
    case 'WAITING_FOR_EMPLOYEE':
      return {
        kind: 'post',
        state,
        status:
          settings.moveStatusOnReply === 'never'
            ? null
            : to(mapping.actions.employeeReplied, 'employee-replied'),
      };
    case 'NEW':
    case 'IN_PROGRESS':
      return {
        kind: 'post',
        state,
        status:
          settings.moveStatusOnReply === 'always'
            ? to(mapping.actions.employeeReplied, 'employee-replied')
            : null,
      };
  }
}

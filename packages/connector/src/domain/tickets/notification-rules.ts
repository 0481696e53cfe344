// Which notifications a change on a case gives its employee. Pure: the monitor hands in the snapshot it held, the
// snapshot it just read, the comments created or changed since, and who the employee is; this decides.
//
// Deduplication rests on event ids, which depend only on what makes an event the same event:
// - an agent's public comment: the comment id and its visibility. Editing a public comment changes its modstamp but
//   not its event id, so it is not relayed twice; an internal note switched to public gets its (first) public event
//   id then, so it is relayed once, when it becomes visible.
// - a state change: the state entered and the case's modstamp at that moment, so the same change read twice (the
//   cursor's overlap window, a restart between fetching and delivering) is the same event, while entering the same
//   state again later is a new one.
// The outbox refuses a second event with an id it holds; that is what makes "once" true across polls and workers.

import type { CaseComment, SupportCase } from '../support.js';
import type { CaseEmployee } from './case-employee.js';
import { stateOfCase, type CaseState, type CaseStateMapping } from './case-states.js';

export type TicketNotificationKind =
  | 'agent-comment'
  | 'waiting-for-employee'
  | 'resolved'
  | 'closed'
  | 'owner-changed'
  | 'case-ended'
  /** a reminder to an employee whose case still waits for them (domain/tickets/nudge-rules.ts) */
  | 'nudge'
  /** the bot proposes a fix from the knowledge base for a new case (autonomous resolution) */
  | 'resolution-offer';

export interface TicketNotification {
  readonly eventId: string;
  readonly kind: TicketNotificationKind;
  readonly tenantId: string;
  readonly caseId: string;
  readonly caseNumber: string;
  readonly employeeId: string;
  /** the case's state now */
  readonly state: CaseState;
  readonly occurredAt: string;
  /** agent-comment only; never set from an internal comment */
  readonly comment?: { readonly id: string; readonly body: string; readonly createdAt: string };
  /** owner-changed only */
  readonly ownerId?: string;
  /** case-ended only: deleted, or merged into another case (its id) */
  readonly ended?: { readonly reason: 'deleted' | 'merged'; readonly mergedInto: string | null };
  /** nudge only: which reminder of the waiting period this is, of how many at most, and since when it waits */
  readonly reminder?: { readonly number: number; readonly of: number; readonly waitingSince: string };
  /** resolution-offer only: the articles proposed (public knowledge, as the employee would see them) */
  readonly offer?: {
    readonly articles: readonly {
      readonly articleId: string;
      readonly articleNumber: string;
      readonly title: string;
      readonly section: string | null;
      readonly snippet: string;
      readonly link: string | null;
    }[];
  };
}

/** A write casebridge may have made itself, as the ledger of its own writes is asked about it. */
export type OwnWriteProbe =
  | { readonly kind: 'comment'; readonly caseId: string; readonly commentId: string }
  | {
      readonly kind: 'case-update';
      readonly caseId: string;
      readonly status: string;
      readonly ownerId: string | null;
      readonly modstamp: string;
    };

export interface NotificationRules {
  readonly tenantId: string;
  readonly mapping: CaseStateMapping;
  /** the users casebridge writes as (the tenant's service user): what they wrote is never relayed */
  readonly ownAuthorIds: ReadonlySet<string>;
  /** the ledger of casebridge's own writes: true for a write casebridge made, whoever Salesforce says wrote it */
  readonly isOwnWrite: (write: OwnWriteProbe) => boolean;
  /** tell the employee when their case gets a new owner (per tenant setting) */
  readonly notifyOwnerChange: boolean;
}

export interface CaseChange {
  /** the snapshot casebridge held; null when it sees this case for the first time */
  readonly previous: SupportCase | null;
  readonly current: SupportCase;
  /** the case's comments created or changed since the last poll */
  readonly comments: readonly CaseComment[];
  readonly employee: CaseEmployee;
}

export type IgnoredComment = {
  readonly commentId: string;
  readonly why: 'internal' | 'own-author' | 'own-write' | 'other-case';
};

export interface NotificationDecision {
  readonly notifications: TicketNotification[];
  /** set when the case has no employee: nothing is sent, and the monitor counts the reason */
  readonly skipped: Extract<CaseEmployee, { kind: 'skipped' }> | null;
  readonly ignoredComments: IgnoredComment[];
}

const KIND_ORDER: Record<TicketNotificationKind, number> = {
  'agent-comment': 0,
  'owner-changed': 1,
  'waiting-for-employee': 2,
  resolved: 3,
  closed: 4,
  'case-ended': 5,
  nudge: 6,
  'resolution-offer': 7,
};

/** The event id of an agent's public comment (also used to look a relayed comment up). */
export function commentEventId(tenantId: string, caseId: string, commentId: string): string {
  return `${tenantId}:${caseId}:comment:${commentId}:public`;
}

function stateEventId(tenantId: string, supportCase: SupportCase, state: CaseState): string {
  return `${tenantId}:${supportCase.id}:state:${state}:${supportCase.modstamp}`;
}

function stateNotification(previous: CaseState, current: CaseState): TicketNotificationKind | null {
  if (current === previous) return null;
  if (current === 'WAITING_FOR_EMPLOYEE') return 'waiting-for-employee';
  if (current === 'RESOLVED') return 'resolved';
  // a resolved case being closed is no news to the employee: they were told when it was resolved
  if (current === 'CLOSED' && previous !== 'RESOLVED') return 'closed';
  return null;
}

/**
 * Decides the notifications for one case. On first sight (`previous` null) the case's state is taken as the
 * baseline and only its comments can notify: a new tenant's look-back must not announce every open case.
 */
export function decideNotifications(change: CaseChange, rules: NotificationRules): NotificationDecision {
  const { previous, current, employee } = change;
  const ignoredComments: IgnoredComment[] = [];
  const relayable: CaseComment[] = [];
  for (const comment of change.comments) {
    const why =
      comment.caseId !== current.id
        ? 'other-case'
        : !comment.isPublic
          ? 'internal'
          : rules.ownAuthorIds.has(comment.authorId)
            ? 'own-author'
            : rules.isOwnWrite({ kind: 'comment', caseId: current.id, commentId: comment.id })
              ? 'own-write'
              : null;
    if (why === null) relayable.push(comment);
    else ignoredComments.push({ commentId: comment.id, why });
  }
  if (employee.kind === 'skipped') return { notifications: [], skipped: employee, ignoredComments };

  const state = stateOfCase(rules.mapping, current).state;
  const base = {
    tenantId: rules.tenantId,
    caseId: current.id,
    caseNumber: current.number,
    employeeId: employee.employeeId,
    state,
  };
  const notifications: TicketNotification[] = relayable.map((comment) => ({
    ...base,
    eventId: commentEventId(rules.tenantId, current.id, comment.id),
    kind: 'agent-comment',
    occurredAt: comment.createdAt,
    comment: { id: comment.id, body: comment.body, createdAt: comment.createdAt },
  }));

  if (previous !== null && current.modstamp !== previous.modstamp) {
    const ownUpdate = rules.isOwnWrite({
      kind: 'case-update',
      caseId: current.id,
      status: current.status,
      ownerId: current.ownerId,
      modstamp: current.modstamp,
    });
    if (!ownUpdate) {
      const kind = stateNotification(stateOfCase(rules.mapping, previous).state, state);
      if (kind !== null)
        notifications.push({
          ...base,
          eventId: stateEventId(rules.tenantId, current, state),
          kind,
          occurredAt: current.modstamp,
        });
      if (rules.notifyOwnerChange && current.ownerId !== null && current.ownerId !== previous.ownerId)
        notifications.push({
          ...base,
          eventId: `${rules.tenantId}:${current.id}:owner:${current.ownerId}:${current.modstamp}`,
          kind: 'owner-changed',
          occurredAt: current.modstamp,
          ownerId: current.ownerId,
        });
    }
  }
  notifications.sort(
    (a, b) =>
      (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind],
  );
  return { notifications, skipped: null, ignoredComments };
}

/**
 * A watched case that went to the recycle bin: deleted, or merged into another case (Salesforce deletes the merged
 * ones and sets their MasterRecordId). The employee's conversation ends with one `case-ended` notification saying
 * which, and for a merge the surviving case, so the bot can follow the conversation there; a case already CLOSED
 * ends silently (the employee was told when it closed), and so does a case without an employee.
 */
export function decideEnding(
  change: {
    readonly previous: SupportCase;
    readonly current: SupportCase & { readonly mergedInto: string | null };
    readonly employee: CaseEmployee;
  },
  rules: Pick<NotificationRules, 'tenantId' | 'mapping'>,
): TicketNotification | null {
  const { previous, current, employee } = change;
  if (employee.kind === 'skipped') return null;
  const state = stateOfCase(rules.mapping, previous).state;
  if (state === 'CLOSED') return null;
  const merged = current.mergedInto !== null && current.mergedInto !== '';
  return {
    eventId: `${rules.tenantId}:${current.id}:ended:${current.modstamp}`,
    kind: 'case-ended',
    tenantId: rules.tenantId,
    caseId: current.id,
    caseNumber: current.number !== '' ? current.number : previous.number,
    employeeId: employee.employeeId,
    state,
    occurredAt: current.modstamp,
    ended: { reason: merged ? 'merged' : 'deleted', mergedInto: merged ? current.mergedInto : null },
  };
}

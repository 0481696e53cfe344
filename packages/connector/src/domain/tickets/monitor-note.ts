// The internal note casebridge can leave on a case after telling its employee (per tenant setting). It names what
// the employee was told, never the text of a comment, so nothing internal or personal is copied around.

import { describeCaseState } from './case-states.js';
import type { TicketNotification } from './notification-rules.js';

export function notificationNote(notification: TicketNotification): string {
  const what =
    notification.kind === 'agent-comment'
      ? `of the public comment ${notification.comment?.id ?? ''}`.trimEnd()
      : notification.kind === 'owner-changed'
        ? 'that the case has a new owner'
        : notification.kind === 'case-ended'
          ? `that the case ended (${notification.ended?.reason ?? 'deleted'})`
          : `that the case is now "${describeCaseState(notification.state).label}"`;
  return `casebridge told the employee ${what} (event ${notification.eventId}).`;
}

// One nudge run for one tenant, after its monitor poll: from the case snapshots (local, no Salesforce call), end
// the waiting periods of cases that left WAITING_FOR_EMPLOYEE, open a period for each case newly seen waiting, and
// enqueue a `nudge` ticket notification for each period the rules of domain/tickets/nudge-rules.ts say is due.
//
// Once only, across restarts: the reminder is enqueued under its event id (case + period start + number) before it
// is recorded, so a crash between the two makes the next run decide the same reminder, which the outbox refuses
// as a key it holds, and then records it.

import type { Clock, OutboxRepository } from '../../domain/ports.js';
import type { EmployeeZoneRepository, NudgeRepository } from '../../domain/tickets/nudge-ports.js';
import {
  decideNudge,
  nudgeSettingsOf,
  type NudgeHold,
  type WaitingPeriod,
} from '../../domain/tickets/nudge-rules.js';
import type { TicketNotification } from '../../domain/tickets/notification-rules.js';
import type { Logger } from '../../logging/logger.js';
import { TICKET_NOTIFICATION_KIND, type MonitorTenant } from './ticket-monitor.js';

export interface NudgeRunDeps {
  nudges: NudgeRepository;
  zones: EmployeeZoneRepository;
  outbox: Pick<OutboxRepository, 'enqueue'>;
  clock: Clock;
  log: Logger;
}

export interface NudgeReport {
  /** watched cases waiting for their employee */
  waiting: number;
  /** reminders enqueued this run */
  sent: number;
  /** periods ended because their case left the waiting state */
  ended: number;
  held: Partial<Record<NudgeHold | 'no-employee', number>>;
}

/** The statuses a tenant maps to WAITING_FOR_EMPLOYEE. */
export function waitingStatuses(tenant: MonitorTenant): string[] {
  return Object.entries(tenant.settings.caseStates.states)
    .filter(([, state]) => state === 'WAITING_FOR_EMPLOYEE')
    .map(([status]) => status);
}

export class NudgeRun {
  constructor(private readonly deps: NudgeRunDeps) {}

  async run(tenant: MonitorTenant): Promise<NudgeReport> {
    const { deps } = this;
    const settings = nudgeSettingsOf(tenant.settings.nudges);
    const statuses = waitingStatuses(tenant);
    const report: NudgeReport = { waiting: 0, sent: 0, ended: 0, held: {} };
    report.ended = await deps.nudges.endLeft(tenant.id, statuses);
    if (!settings.enabled) return report;
    const waiting = await deps.nudges.listWaiting(tenant.id, statuses);
    report.waiting = waiting.length;
    if (waiting.length === 0) return report;
    const replies = await deps.nudges.lastReplies(
      tenant.id,
      waiting.map((w) => w.caseId),
    );
    const zones = await deps.zones.getMany(
      tenant.id,
      waiting.flatMap((w) => (w.employee.kind === 'employee' ? [w.employee.employeeId] : [])),
    );
    const now = deps.clock.now();
    const hold = (why: NudgeHold | 'no-employee'): void => {
      report.held[why] = (report.held[why] ?? 0) + 1;
    };
    for (const item of waiting) {
      let period: WaitingPeriod | null = item.period;
      if (period === null) {
        // First seen waiting: the snapshot's modstamp is when it entered the state, or (a case that was already
        // waiting when monitoring began) the latest moment it is known to have been waiting.
        await deps.nudges.startPeriod(tenant.id, item.caseId, item.snapshot.modstamp);
        period = {
          caseId: item.caseId,
          since: item.snapshot.modstamp,
          remindersSent: 0,
          lastReminderAt: null,
        };
      }
      if (item.employee.kind !== 'employee') {
        hold('no-employee');
        continue;
      }
      const decision = decideNudge(
        {
          tenantId: tenant.id,
          period,
          lastReplyAt: replies.get(item.caseId) ?? null,
          employeeZone: zones.get(item.employee.employeeId) ?? null,
          now,
        },
        settings,
      );
      if (!decision.send) {
        hold(decision.why);
        continue;
      }
      const notification: TicketNotification = {
        eventId: decision.eventId,
        kind: 'nudge',
        tenantId: tenant.id,
        caseId: item.caseId,
        caseNumber: item.snapshot.number,
        employeeId: item.employee.employeeId,
        state: 'WAITING_FOR_EMPLOYEE',
        occurredAt: now.toISOString(),
        reminder: { number: decision.reminder, of: settings.maxReminders, waitingSince: period.since },
      };
      const { created } = await deps.outbox.enqueue({
        tenantId: tenant.id,
        kind: TICKET_NOTIFICATION_KIND,
        idempotencyKey: notification.eventId,
        eventId: notification.eventId,
        orderingKey: notification.caseId,
        payload: notification,
      });
      await deps.nudges.recordReminder(
        tenant.id,
        item.caseId,
        period.since,
        decision.reminder,
        now.toISOString(),
      );
      if (created) report.sent += 1;
    }
    if (report.sent > 0 || report.ended > 0)
      deps.log.info(
        {
          tenantId: tenant.id,
          waiting: report.waiting,
          sent: report.sent,
          ended: report.ended,
          held: report.held,
        },
        'nudges decided',
      );
    return report;
  }
}

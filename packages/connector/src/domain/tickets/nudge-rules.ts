// When a case that waits for its employee earns a reminder (a `nudge` notification). Pure: the caller hands in the
// waiting period it recorded, the employee's last reply, their time zone and the time; this decides.
//
// A waiting period starts when casebridge first sees the case waiting (the snapshot's modstamp then) and ends when
// the case leaves WAITING_FOR_EMPLOYEE or stops being watched. Its reminders are numbered 1, 2, …; the event id is
// tenant + case + period start + number, so a reminder decided twice (a restart between enqueueing it and recording
// it) is the same event and the outbox keeps one.
//
// Quiet hours are wall-clock times in the employee's zone (IANA name), computed by Intl from the instant, so a day
// with a DST change or a half-hour zone (Asia/Kolkata, UTC+05:30) is judged by the clock the employee sees.

export interface NudgeSettings {
  enabled: boolean;
  /** minutes a case waits before its first reminder */
  afterMinutes: number;
  /** minutes between two reminders of one waiting period */
  gapMinutes: number;
  /** reminders per waiting period, at most */
  maxReminders: number;
  /** local times `HH:MM`; start > end spans midnight; null: no quiet hours */
  quietHours: { start: string; end: string } | null;
  /** the zone of an employee whose own zone is not known (IANA name) */
  timeZone: string;
}

/** What a tenant may set (`settings.nudges`); absent keys take DEFAULT_NUDGE_SETTINGS. */
export type NudgeSettingsPatch = Partial<Omit<NudgeSettings, 'quietHours'>> & {
  quietHours?: { start: string; end: string } | null;
};

export const DEFAULT_NUDGE_SETTINGS: NudgeSettings = {
  enabled: false,
  afterMinutes: 24 * 60,
  gapMinutes: 24 * 60,
  maxReminders: 2,
  quietHours: { start: '20:00', end: '08:00' },
  timeZone: 'UTC',
};

export function nudgeSettingsOf(patch: NudgeSettingsPatch | undefined): NudgeSettings {
  return { ...DEFAULT_NUDGE_SETTINGS, ...patch };
}

/** One waiting period of one case, as recorded. */
export interface WaitingPeriod {
  readonly caseId: string;
  /** the period's start (the case's modstamp when it was first seen waiting) */
  readonly since: string;
  readonly remindersSent: number;
  readonly lastReminderAt: string | null;
}

export interface NudgeInput {
  readonly tenantId: string;
  readonly period: WaitingPeriod;
  /** the employee's last reply on this case through casebridge (the replies ledger), null when none */
  readonly lastReplyAt: string | null;
  /** the employee's own zone when known (the bot's `zoneinfo`), else null: the tenant's zone applies */
  readonly employeeZone: string | null;
  readonly now: Date;
}

export type NudgeHold = 'disabled' | 'replied' | 'cap' | 'too-soon' | 'gap' | 'quiet-hours';

export type NudgeDecision =
  | { readonly send: true; readonly reminder: number; readonly eventId: string; readonly zone: string }
  | { readonly send: false; readonly why: NudgeHold };

export function nudgeEventId(tenantId: string, caseId: string, since: string, reminder: number): string {
  return `${tenantId}:${caseId}:nudge:${since}:${reminder}`;
}

const MINUTE = 60_000;

export function decideNudge(input: NudgeInput, settings: NudgeSettings): NudgeDecision {
  const { period, now } = input;
  if (!settings.enabled) return { send: false, why: 'disabled' };
  // A reply during this period answered the agents; the case may simply not have moved on yet.
  if (input.lastReplyAt !== null && Date.parse(input.lastReplyAt) >= Date.parse(period.since))
    return { send: false, why: 'replied' };
  if (period.remindersSent >= settings.maxReminders) return { send: false, why: 'cap' };
  if (now.getTime() < Date.parse(period.since) + settings.afterMinutes * MINUTE)
    return { send: false, why: 'too-soon' };
  if (
    period.lastReminderAt !== null &&
    now.getTime() < Date.parse(period.lastReminderAt) + settings.gapMinutes * MINUTE
  )
    return { send: false, why: 'gap' };
  // a zone Intl does not know (a stored `zoneinfo` from an older tz database) falls back to the tenant's
  const zone =
    input.employeeZone !== null && isKnownTimeZone(input.employeeZone)
      ? input.employeeZone
      : settings.timeZone;
  if (settings.quietHours !== null && isQuietTime(now, zone, settings.quietHours))
    return { send: false, why: 'quiet-hours' };
  const reminder = period.remindersSent + 1;
  return {
    send: true,
    reminder,
    eventId: nudgeEventId(input.tenantId, period.caseId, period.since, reminder),
    zone,
  };
}

/** Minutes since local midnight of `instant` in `zone` (an IANA name). */
export function localMinuteOfDay(instant: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

/** Inside [start, end) local time; a window whose start is after its end spans midnight. */
export function isQuietTime(instant: Date, zone: string, quiet: { start: string; end: string }): boolean {
  const at = localMinuteOfDay(instant, zone);
  const start = minuteOf(quiet.start);
  const end = minuteOf(quiet.end);
  if (start === end) return false;
  return start < end ? at >= start && at < end : at >= start || at < end;
}

function minuteOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** True for a zone name Intl knows (the setting and a bot-supplied `zoneinfo` are checked with it). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// The retained change events of one org, each with its replay id, kept for 72 hours on the emulator's clock.
// "Change events are stored for 72 hours (three days)" and a subscriber replays from a stored replay id, -1 (new
// events only) or -2 (all retained events):
// https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_subscribe_durability.htm

import type { Clock } from '../clock.js';
import type { SObjectRecord } from '../org/contract.js';

export const RETENTION_MS = 72 * 60 * 60 * 1000;

export interface RetainedEvent {
  replayId: number;
  entity: string;
  /** emulator-clock ms of the commit */
  at: number;
  payload: SObjectRecord;
}

/** Where a subscription starts: after a replay id, or only new events. */
export type ReplayFrom = { kind: 'new' } | { kind: 'all' } | { kind: 'after'; replayId: number };

export class EventLog {
  private events: RetainedEvent[] = [];
  private lastReplayId = 0;

  constructor(private readonly clock: Clock) {}

  append(entity: string, at: number, payload: SObjectRecord): RetainedEvent {
    this.prune();
    this.lastReplayId += 1;
    const event = { replayId: this.lastReplayId, entity, at, payload };
    this.events.push(event);
    return event;
  }

  /**
   * The retained events a subscription replays, or undefined when `from` names a replay id outside the window
   * (expired, or never issued): the gap cannot be replayed, and Salesforce refuses the subscription.
   */
  replay(from: ReplayFrom): RetainedEvent[] | undefined {
    this.prune();
    if (from.kind === 'new') return [];
    if (from.kind === 'all') return [...this.events];
    const oldest = this.events[0]?.replayId ?? this.lastReplayId + 1;
    // The id just before the oldest retained event still means "no gap"; anything older lost events.
    if (from.replayId < oldest - 1 || from.replayId > this.lastReplayId) return undefined;
    return this.events.filter((e) => e.replayId > from.replayId);
  }

  get size(): number {
    this.prune();
    return this.events.length;
  }

  private prune(): void {
    const cutoff = this.clock.now().getTime() - RETENTION_MS;
    let drop = 0;
    while (drop < this.events.length && (this.events[drop]?.at ?? Infinity) <= cutoff) drop++;
    if (drop > 0) this.events = this.events.slice(drop);
  }
}

// The clock an org's data engine reads: the emulator clock, except while seeding, when the seed pins it to the
// fixed instants of the demo story so that CreatedDate and friends are deterministic.

import type { Clock } from '../clock.js';

export class OrgClock implements Clock {
  private pinned: Date | undefined;

  constructor(private readonly base: Clock) {}

  now(): Date {
    return this.pinned === undefined ? this.base.now() : new Date(this.pinned.getTime());
  }

  /** pin to an instant (seeding), or follow the emulator clock again with undefined */
  pin(at: Date | undefined): void {
    this.pinned = at;
  }
}

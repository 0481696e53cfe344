// The emulator's clock: real time plus an offset the control plane can move, or a fixed instant in tests.

export interface Clock {
  now(): Date;
}

/** A clock that follows real time but can be moved forward (or pinned) through the control plane. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  private pinned: number | undefined;

  constructor(private readonly source: () => number = Date.now) {}

  now(): Date {
    return new Date(this.pinned ?? this.source() + this.offsetMs);
  }

  advance(ms: number): void {
    if (this.pinned !== undefined) this.pinned += ms;
    else this.offsetMs += ms;
  }

  set(at: Date): void {
    this.pinned = at.getTime();
  }

  release(): void {
    if (this.pinned !== undefined) this.offsetMs = this.pinned - this.source();
    this.pinned = undefined;
  }
}

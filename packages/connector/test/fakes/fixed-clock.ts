// A clock that only moves when a test moves it.

import type { Clock } from '../../src/domain/ports.js';

export class FixedClock implements Clock {
  private at: number;
  constructor(start = '2026-11-24T12:00:00.000Z') {
    this.at = Date.parse(start);
  }
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

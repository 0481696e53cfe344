// The one Clock that reads the machine's clock. Every other read of time goes through an injected `Clock`
// (domain/clock-ports.ts): lint forbids `Date.now` and an argument-less `new Date()` everywhere else in src, so a
// test's fixed or moved clock reaches every decision. Only the composition (main.ts, cli/) passes this one in.

import type { Clock } from './domain/clock-ports.js';

export const systemClock: Clock = {
  // eslint-disable-next-line no-restricted-syntax -- the system clock itself: the one place that reads real time
  now: () => new Date(),
};

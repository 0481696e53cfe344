// The fault registry: matches requests against the active faults and retires faults whose count or expiry ran out.

import type { Clock } from '../clock.js';
import { Prng } from '../util/prng.js';
import { FAULT_KINDS, type Fault, type FaultSpec } from './fault-types.js';

interface ActiveFault {
  fault: Fault;
  pathRe: RegExp | undefined;
  expiresAt: number | undefined;
}

export class FaultInputError extends Error {}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*+/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export class FaultInjector {
  private active: ActiveFault[] = [];
  private seq = 0;
  private readonly prng: Prng;

  constructor(
    private readonly clock: Clock,
    seed = 42,
  ) {
    this.prng = new Prng(seed);
  }

  /** validate and add a fault; throws FaultInputError with a readable message on bad input */
  add(spec: FaultSpec): Fault {
    if (!(FAULT_KINDS as readonly string[]).includes(spec.kind)) {
      throw new FaultInputError(`kind must be one of ${FAULT_KINDS.join(', ')}`);
    }
    if (spec.rate !== undefined && !(spec.rate > 0 && spec.rate <= 1)) {
      throw new FaultInputError('rate must be a number in (0, 1]');
    }
    if (spec.count !== undefined && !(Number.isInteger(spec.count) && spec.count > 0)) {
      throw new FaultInputError('count must be a positive integer');
    }
    if (spec.ttlMs !== undefined && !(spec.ttlMs > 0)) throw new FaultInputError('ttlMs must be positive');
    if (spec.kind === 'latency' && !(typeof spec.latencyMs === 'number' && spec.latencyMs >= 0)) {
      throw new FaultInputError('latency faults need latencyMs >= 0');
    }
    // A fault must stop by itself: a script defaults to one hit; a rate needs an explicit count or expiry.
    if (spec.count === undefined && spec.ttlMs === undefined && spec.rate !== undefined) {
      throw new FaultInputError('a rate fault needs count or ttlMs so that it stops by itself');
    }
    let pathRe: RegExp | undefined;
    if (spec.path !== undefined) {
      try {
        pathRe = spec.path.startsWith('^') ? new RegExp(spec.path) : globToRegExp(spec.path);
      } catch (err) {
        throw new FaultInputError(`path is not a valid pattern: ${(err as Error).message}`);
      }
    }
    const now = this.clock.now().getTime();
    this.seq += 1;
    const fault: Fault = {
      ...spec,
      ...(spec.method !== undefined ? { method: spec.method.toUpperCase() } : {}),
      ...(spec.count === undefined && spec.ttlMs === undefined ? { count: 1 } : {}),
      id: `fault-${this.seq}`,
      createdAt: new Date(now).toISOString(),
      hits: 0,
    };
    this.active.push({ fault, pathRe, expiresAt: spec.ttlMs === undefined ? undefined : now + spec.ttlMs });
    return fault;
  }

  list(): Fault[] {
    this.prune();
    return this.active.map((a) => ({ ...a.fault }));
  }

  remove(id: string): boolean {
    const before = this.active.length;
    this.active = this.active.filter((a) => a.fault.id !== id);
    return this.active.length !== before;
  }

  clear(): void {
    this.active = [];
  }

  /** the fault to apply to this request, if any; counts the hit */
  take(orgId: string, method: string, path: string): Fault | undefined {
    if (this.active.length === 0) return undefined;
    this.prune();
    for (const a of this.active) {
      const f = a.fault;
      if (f.orgId !== undefined && f.orgId !== orgId) continue;
      if (f.method !== undefined && f.method !== method) continue;
      if (a.pathRe !== undefined && !a.pathRe.test(path)) continue;
      if (f.rate !== undefined && !this.prng.chance(f.rate)) continue;
      f.hits += 1;
      if (f.count !== undefined && f.hits >= f.count) this.remove(f.id);
      return { ...f };
    }
    return undefined;
  }

  private prune(): void {
    const now = this.clock.now().getTime();
    if (this.active.some((a) => a.expiresAt !== undefined && a.expiresAt <= now)) {
      this.active = this.active.filter((a) => a.expiresAt === undefined || a.expiresAt > now);
    }
  }
}

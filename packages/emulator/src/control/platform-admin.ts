// Control plane: the emulator clock, the API call log, the token log and fault injection.

import type { FaultSpec } from '../faults/fault-types.js';
import { FaultInputError } from '../faults/fault-injector.js';
import { created, ok, type ControlAnswer, type ControlCall } from './control-call.js';
import { badInput, notFoundControl } from './control-error.js';
import { optBoolean, optNumber, optString } from './input.js';

function clockState(call: ControlCall): Record<string, unknown> {
  return { now: call.em.clock.now().toISOString() };
}

export function getClock(call: ControlCall): ControlAnswer {
  return ok(clockState(call));
}

/** the latest instant the clock may reach: Salesforce datetimes end with the year 4000 (as literals.ts parses them) */
const LATEST = Date.parse('4000-12-31T23:59:59.999Z');

/**
 * `{advanceMs}` moves forward, `{set: ISO}` pins the clock, `{release: true}` lets a pinned clock run again.
 * The clock never moves back: every record's CreatedDate, SystemModstamp and every incremental-read cursor a
 * client keeps assume time only grows, as it does in Salesforce.
 */
export function moveClock(call: ControlCall): ControlAnswer {
  const advance = optNumber(call.body, 'advanceMs');
  const set = optString(call.body, 'set');
  const release = optBoolean(call.body, 'release');
  if (advance === undefined && set === undefined && release !== true) {
    throw badInput('give advanceMs (milliseconds), set (an ISO date) or release: true');
  }
  const now = call.em.clock.now().getTime();
  let at: Date | undefined;
  if (set !== undefined) {
    at = new Date(set);
    if (Number.isNaN(at.getTime())) throw badInput(`set is not a valid date: ${set}`);
    if (at.getTime() < now) {
      throw badInput(
        `set ${at.toISOString()} is before the emulator's now (${new Date(now).toISOString()}): the clock only moves forward; restart the emulator to begin at an earlier time`,
      );
    }
  }
  if (advance !== undefined && advance < 0) {
    throw badInput(`advanceMs must not be negative (${advance}): the clock only moves forward`);
  }
  if ((at?.getTime() ?? now) + (advance ?? 0) > LATEST) {
    throw badInput('the clock cannot move past 4000-12-31T23:59:59.999Z');
  }
  if (at !== undefined) call.em.clock.set(at);
  if (advance !== undefined) call.em.clock.advance(advance);
  if (release === true) call.em.clock.release();
  return ok(clockState(call));
}

function sinceOf(call: ControlCall): number | undefined {
  const since = call.query.get('since');
  if (since === null) return undefined;
  const ms = /^\d+$/.test(since) ? Number(since) : Date.parse(since);
  if (Number.isNaN(ms)) throw badInput(`since must be an ISO date or epoch milliseconds: ${since}`);
  return ms;
}

function intParam(call: ControlCall, name: string): number | undefined {
  const v = call.query.get(name);
  if (v === null) return undefined;
  if (!/^\d+$/.test(v)) throw badInput(`${name} must be a non-negative integer`);
  return Number(v);
}

function orgIdParam(call: ControlCall): string | undefined {
  const ref = call.query.get('org');
  if (ref === null) return undefined;
  const org = call.em.findOrg(ref);
  if (org === undefined) throw notFoundControl(`no org ${ref}`);
  return org.orgId;
}

/** `?since=&afterSeq=&path=&org=&method=&counted=true&limit=` */
export function listCalls(call: ControlCall): ControlAnswer {
  const path = call.query.get('path') ?? undefined;
  if (path?.startsWith('^') === true) {
    try {
      new RegExp(path);
    } catch (err) {
      throw badInput(`path is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  const since = sinceOf(call);
  const afterSeq = intParam(call, 'afterSeq');
  const orgId = orgIdParam(call);
  const method = call.query.get('method') ?? undefined;
  let calls = call.em.callLog.list({
    ...(since !== undefined ? { since } : {}),
    ...(afterSeq !== undefined ? { afterSeq } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(orgId !== undefined ? { orgId } : {}),
    ...(method !== undefined ? { method } : {}),
    countedOnly: call.query.get('counted') === 'true',
  });
  const limit = intParam(call, 'limit');
  if (limit !== undefined) calls = calls.slice(-limit);
  return ok({ lastSeq: call.em.callLog.lastSeq(), count: calls.length, calls });
}

export function clearCalls(call: ControlCall): ControlAnswer {
  call.em.callLog.clear();
  return ok({ cleared: true, lastSeq: call.em.callLog.lastSeq() });
}

/** `?org=&since=&afterSeq=` */
export function listTokenLog(call: ControlCall): ControlAnswer {
  const since = sinceOf(call);
  const afterSeq = intParam(call, 'afterSeq');
  const orgId = orgIdParam(call);
  const entries = call.em.tokenLog.list({
    ...(since !== undefined ? { since } : {}),
    ...(afterSeq !== undefined ? { afterSeq } : {}),
    ...(orgId !== undefined ? { orgId } : {}),
  });
  return ok({ count: entries.length, entries });
}

export function clearTokenLog(call: ControlCall): ControlAnswer {
  call.em.tokenLog.clear();
  return ok({ cleared: true });
}

export function listFaults(call: ControlCall): ControlAnswer {
  return ok(call.em.faults.list());
}

/** see FaultSpec; `org` may name the org instead of `orgId` */
export function addFault(call: ControlCall): ControlAnswer {
  const b = call.body;
  const orgRef = optString(b, 'org') ?? optString(b, 'orgId');
  const org = orgRef === undefined ? undefined : call.em.findOrg(orgRef);
  if (orgRef !== undefined && org === undefined) throw badInput(`no org ${orgRef}`);
  const spec: Record<string, unknown> = { kind: optString(b, 'kind') };
  for (const key of ['method', 'path'] as const) {
    const v = optString(b, key);
    if (v !== undefined) spec[key] = v;
  }
  for (const key of ['rate', 'count', 'ttlMs', 'latencyMs'] as const) {
    const v = optNumber(b, key);
    if (v !== undefined) spec[key] = v;
  }
  if (org !== undefined) spec['orgId'] = org.orgId;
  try {
    return created(call.em.faults.add(spec as unknown as FaultSpec));
  } catch (err) {
    if (err instanceof FaultInputError) throw badInput(err.message);
    throw err;
  }
}

export function clearFaults(call: ControlCall): ControlAnswer {
  call.em.faults.clear();
  return ok({ cleared: true });
}

export function removeFault(call: ControlCall): ControlAnswer {
  const id = call.params[0] ?? '';
  if (!call.em.faults.remove(id)) throw notFoundControl(`no active fault ${id}`);
  return ok({ removed: id });
}

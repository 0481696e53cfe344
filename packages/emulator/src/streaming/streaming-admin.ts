// Control-plane handlers for an org's Streaming API: its state, the long-poll timings, and the faults a client
// must heal from (a dropped long-poll, clients forgotten as after expiry or a server restart).

import { ok, orgOf, type ControlAnswer, type ControlCall } from '../control/control-call.js';
import { ControlError } from '../control/control-error.js';
import { optNumber } from '../control/input.js';
import { streamingHubOf } from './streaming-hub.js';

function describe(call: ControlCall): Record<string, unknown> {
  const hub = streamingHubOf(orgOf(call));
  return { clients: hub.server.clientCount, retainedEvents: hub.log.size, ...hub.server.options };
}

export function getStreaming(call: ControlCall): ControlAnswer {
  return ok(describe(call));
}

/** `{connectTimeoutMs?, maxIntervalMs?}`: how long a connect is held, how long a silent client is kept */
export function configureStreaming(call: ControlCall): ControlAnswer {
  const hub = streamingHubOf(orgOf(call));
  for (const key of ['connectTimeoutMs', 'maxIntervalMs'] as const) {
    const v = optNumber(call.body, key);
    if (v === undefined) continue;
    if (!(Number.isInteger(v) && v > 0)) throw new ControlError(400, `${key} must be a positive integer`);
    hub.server.options[key] = v;
  }
  return ok(describe(call));
}

/** fault: cut every held long-poll without an answer; the clients stay known */
export function dropConnections(call: ControlCall): ControlAnswer {
  return ok({ dropped: streamingHubOf(orgOf(call)).server.dropConnections() });
}

/** fault: forget every client (as after expiry or a server restart): their next message gets 403::Unknown client */
export function expireClients(call: ControlCall): ControlAnswer {
  return ok({ expired: streamingHubOf(orgOf(call)).server.forgetClients() });
}

// The Bayeux protocol as Salesforce's CometD endpoint speaks it, without HTTP: handshake, long-poll connect,
// subscribe, unsubscribe, disconnect, the replay extension, and the errors clients must heal from.
// https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/using_streaming_api_client_connection.htm

import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { EventLog, ReplayFrom, RetainedEvent } from './event-log.js';

export type BayeuxMessage = Record<string, unknown>;

/** who a request authenticates as: a user, or a session that is no longer valid */
export type Caller = { userId: string } | { invalid: true };

/** what answers one HTTP request: the replies, or a connection the fault plan drops without a word */
export type BayeuxAnswer = { replies: BayeuxMessage[] } | { drop: true };

/** what the server needs to know about channels and users, from the org */
export interface ChannelPolicy {
  /** the entity a channel carries (`Case`), `*` for /data/ChangeEvents, undefined when no such channel exists */
  entityOf(channel: string): string | undefined;
  /** whether `userId` may receive `entity`'s change events (View All on it, or View All Data) */
  mayReceive(userId: string, entity: string): boolean;
}

export interface BayeuxOptions {
  /** how long a connect is held when there is nothing to send (Salesforce: 110 s) */
  connectTimeoutMs: number;
  /** a client that has not reconnected this long after its last connect is forgotten (Salesforce: 40 s) */
  maxIntervalMs: number;
}

interface Held {
  finish: (answer: BayeuxAnswer) => void;
  timer: NodeJS.Timeout;
  replies: BayeuxMessage[];
  reply: BayeuxMessage;
}

interface Client {
  id: string;
  userId: string;
  subscriptions: Map<string, string>;
  queue: BayeuxMessage[];
  held: Held | undefined;
  /** emulator-clock ms when the client last ended a connect (or handshook) */
  lastSeen: number;
  /** whether a connect was answered since the handshake: the first one is never held */
  connected: boolean;
}

const UNKNOWN_CLIENT = '403::Unknown client';
const AUTH_INVALID = '401::Authentication invalid';

/** The message Salesforce answers a replay id it no longer holds with (forcedotcom/EMP-Connector issue 14). */
export const invalidReplayError = (replayId: unknown): string =>
  `400::The replayId {${String(replayId)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;

export class BayeuxServer {
  private readonly clients = new Map<string, Client>();
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly log: EventLog,
    private readonly policy: ChannelPolicy,
    readonly options: BayeuxOptions,
  ) {}

  get clientCount(): number {
    this.sweep();
    return this.clients.size;
  }

  /** one HTTP request's messages; the promise stays open while a connect is held */
  handle(messages: BayeuxMessage[], caller: Caller): Promise<BayeuxAnswer> {
    this.sweep();
    const replies: BayeuxMessage[] = [];
    let connect: BayeuxMessage | undefined;
    for (const m of messages) {
      if (m['channel'] === '/meta/connect') connect = m;
      else replies.push(this.handleOne(m, caller));
    }
    if (connect === undefined) return Promise.resolve({ replies });
    return this.connect(connect, caller, replies);
  }

  /** deliver a newly committed event to every client subscribed to a channel that carries it */
  publish(event: RetainedEvent): void {
    this.sweep();
    for (const client of this.clients.values()) {
      for (const [channel, entity] of client.subscriptions) {
        if (entity !== '*' && entity !== event.entity) continue;
        if (!this.policy.mayReceive(client.userId, event.entity)) continue;
        this.enqueue(client, [eventMessage(channel, event)]);
      }
    }
  }

  /** fault: every held long-poll connection is cut; the clients stay known */
  dropConnections(): number {
    let n = 0;
    for (const c of this.clients.values()) {
      if (c.held === undefined) continue;
      this.release(c, { drop: true });
      n++;
    }
    return n;
  }

  /** fault: every client is forgotten (held connects are cut), as after a server restart or expiry */
  forgetClients(): number {
    const n = this.clients.size;
    this.dropConnections();
    this.clients.clear();
    return n;
  }

  /** shutdown: held connects are answered so no request is left open */
  close(): void {
    for (const c of this.clients.values()) {
      if (c.held !== undefined) this.release(c, { replies: [...c.held.replies, c.held.reply] });
    }
    this.clients.clear();
  }

  private handleOne(m: BayeuxMessage, caller: Caller): BayeuxMessage {
    const channel = m['channel'];
    const base: BayeuxMessage = { channel, ...(m['id'] !== undefined ? { id: m['id'] } : {}) };
    if (channel === '/meta/handshake') return this.handshake(base, caller);
    const client = this.clientOf(m);
    if (client === undefined) return unknownClient(base, m);
    base['clientId'] = client.id;
    if ('invalid' in caller || caller.userId !== client.userId) return authInvalid(base);
    switch (channel) {
      case '/meta/subscribe':
        return this.subscribe(client, base, m);
      case '/meta/unsubscribe': {
        const sub = String(m['subscription']);
        client.subscriptions.delete(sub);
        return { ...base, subscription: sub, successful: true };
      }
      case '/meta/disconnect':
        this.clients.delete(client.id);
        if (client.held !== undefined)
          this.release(client, { replies: [...client.held.replies, client.held.reply] });
        return { ...base, successful: true };
      default:
        // Publishing to a change event channel is not something a client may do.
        return { ...base, successful: false, error: `403:${String(channel)}:publish denied` };
    }
  }

  private handshake(base: BayeuxMessage, caller: Caller): BayeuxMessage {
    if ('invalid' in caller) {
      // https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/streaming_handling_errors.htm
      return {
        ...base,
        successful: false,
        error: '403::Handshake denied',
        ext: { sfdc: { failureReason: AUTH_INVALID } },
        advice: { reconnect: 'none' },
      };
    }
    this.seq += 1;
    const id = `${this.seq.toString(36)}${randomBytes(8).toString('hex')}`;
    this.clients.set(id, {
      id,
      userId: caller.userId,
      subscriptions: new Map(),
      queue: [],
      held: undefined,
      lastSeen: this.clock.now().getTime(),
      connected: false,
    });
    return {
      ...base,
      clientId: id,
      version: '1.0',
      minimumVersion: '1.0',
      supportedConnectionTypes: ['long-polling'],
      // `replay: true` is what tells jsforce's Replay extension (and EMP-Connector) the server replays.
      ext: { replay: true, 'payload.format': true },
      successful: true,
    };
  }

  private subscribe(client: Client, base: BayeuxMessage, m: BayeuxMessage): BayeuxMessage {
    const channel = String(m['subscription']);
    const reply = { ...base, subscription: channel };
    const entity = this.policy.entityOf(channel);
    if (entity === undefined) {
      // UNVERIFIED wording: Salesforce refuses a channel that does not exist with a 400 naming it.
      return {
        ...reply,
        successful: false,
        error: `400::The channel you requested to subscribe to does not exist {${channel}}`,
      };
    }
    // A single-entity channel checks the permission at subscription; /data/ChangeEvents on delivery
    // (https://developer.salesforce.com/docs/platform/change-data-capture/guide/cdc-security-perms.html).
    if (entity !== '*' && !this.policy.mayReceive(client.userId, entity)) {
      // UNVERIFIED wording: the documentation says only that "an error is returned".
      return {
        ...reply,
        successful: false,
        error: `403::Insufficient permissions to subscribe to {${channel}}`,
      };
    }
    const from = replayFromOf(m, channel);
    if (from === 'invalid')
      return { ...reply, successful: false, error: invalidReplayError(replayValue(m, channel)) };
    const replayed = this.log.replay(from);
    if (replayed === undefined)
      return { ...reply, successful: false, error: invalidReplayError(replayValue(m, channel)) };
    client.subscriptions.set(channel, entity);
    const visible = replayed.filter(
      (e) => (entity === '*' || e.entity === entity) && this.policy.mayReceive(client.userId, e.entity),
    );
    if (visible.length > 0)
      this.enqueue(
        client,
        visible.map((e) => eventMessage(channel, e)),
      );
    return { ...reply, successful: true };
  }

  private connect(m: BayeuxMessage, caller: Caller, replies: BayeuxMessage[]): Promise<BayeuxAnswer> {
    const base: BayeuxMessage = {
      channel: '/meta/connect',
      ...(m['id'] !== undefined ? { id: m['id'] } : {}),
    };
    const client = this.clientOf(m);
    if (client === undefined) return Promise.resolve({ replies: [...replies, unknownClient(base, m)] });
    base['clientId'] = client.id;
    if ('invalid' in caller || caller.userId !== client.userId) {
      this.clients.delete(client.id);
      return Promise.resolve({ replies: [...replies, authInvalid(base)] });
    }
    const reply: BayeuxMessage = {
      ...base,
      successful: true,
      advice: { reconnect: 'retry', interval: 0, timeout: this.options.connectTimeoutMs },
    };
    // A second connect from the same client ends the first one, as a CometD server does.
    if (client.held !== undefined)
      this.release(client, { replies: [...client.held.replies, client.held.reply] });
    // The first connect after a handshake is answered at once (a CometD server suspends only a connected
    // session's connect), and so is one whose client advises `timeout: 0` (faye's first connect does): otherwise
    // the subscribe batched with it would wait the whole timeout. A real Salesforce trace shows it: the first
    // connect's answer, with `advice.timeout` 110000, comes milliseconds after the handshake
    // (robertmrk/aiocometd issue 1).
    const first = !client.connected || clientTimeoutOf(m) === 0;
    client.connected = true;
    if (client.queue.length > 0 || first) {
      const events = client.queue;
      client.queue = [];
      client.lastSeen = this.clock.now().getTime();
      return Promise.resolve({ replies: [...replies, reply, ...events] });
    }
    return new Promise<BayeuxAnswer>((resolve) => {
      const timer = setTimeout(() => {
        this.release(client, { replies: [...replies, reply] });
      }, this.options.connectTimeoutMs);
      client.held = { finish: resolve, timer, replies, reply };
    });
  }

  private enqueue(client: Client, events: BayeuxMessage[]): void {
    client.queue.push(...events);
    const held = client.held;
    if (held === undefined) return;
    const queued = client.queue;
    client.queue = [];
    this.release(client, { replies: [...held.replies, held.reply, ...queued] });
  }

  private release(client: Client, answer: BayeuxAnswer): void {
    const held = client.held;
    if (held === undefined) return;
    client.held = undefined;
    clearTimeout(held.timer);
    client.lastSeen = this.clock.now().getTime();
    held.finish(answer);
  }

  private clientOf(m: BayeuxMessage): Client | undefined {
    const id = m['clientId'];
    return typeof id === 'string' ? this.clients.get(id) : undefined;
  }

  /** clients that stopped reconnecting are forgotten: their next message gets 403::Unknown client */
  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const c of this.clients.values()) {
      if (c.held === undefined && now - c.lastSeen > this.options.maxIntervalMs) this.clients.delete(c.id);
    }
  }
}

function eventMessage(channel: string, e: RetainedEvent): BayeuxMessage {
  return {
    channel,
    data: { schema: schemaIdOf(e.entity), payload: e.payload, event: { replayId: e.replayId } },
  };
}

/** a stable stand-in for the event schema id Salesforce sends (a hash of the entity) */
function schemaIdOf(entity: string): string {
  let h = 0;
  for (const ch of entity) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `emu${h.toString(36)}`;
}

function unknownClient(base: BayeuxMessage, m: BayeuxMessage): BayeuxMessage {
  return {
    ...base,
    ...(typeof m['clientId'] === 'string' ? { clientId: m['clientId'] } : {}),
    successful: false,
    error: UNKNOWN_CLIENT,
    advice: { reconnect: 'handshake', interval: 0 },
  };
}

function authInvalid(base: BayeuxMessage): BayeuxMessage {
  return { ...base, successful: false, error: AUTH_INVALID, advice: { reconnect: 'none', interval: 0 } };
}

/** the `advice.timeout` a client sent with its connect, if any */
function clientTimeoutOf(m: BayeuxMessage): number | undefined {
  const advice = m['advice'];
  if (typeof advice !== 'object' || advice === null) return undefined;
  const t = (advice as Record<string, unknown>)['timeout'];
  return typeof t === 'number' ? t : undefined;
}

function replayValue(m: BayeuxMessage, channel: string): unknown {
  const ext = m['ext'];
  if (typeof ext !== 'object' || ext === null) return undefined;
  const replay = (ext as Record<string, unknown>)['replay'];
  if (typeof replay !== 'object' || replay === null) return undefined;
  return (replay as Record<string, unknown>)[channel];
}

/** the `ext.replay` entry for the channel: none means new events only, like -1 */
function replayFromOf(m: BayeuxMessage, channel: string): ReplayFrom | 'invalid' {
  const v = replayValue(m, channel);
  if (v === undefined || v === null) return { kind: 'new' };
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (n === -1) return { kind: 'new' };
  if (n === -2) return { kind: 'all' };
  if (!Number.isInteger(n) || n < 0) return 'invalid';
  return { kind: 'after', replayId: n };
}

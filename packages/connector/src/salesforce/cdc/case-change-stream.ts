// Case change events over the Streaming API (CometD, jsforce's faye client), for ticket monitoring: resumes after
// a durable replay id, heals a gap past retention by telling the caller to poll, and comes back after the server
// forgot the client (faye handshakes again; the Replay extension asks for what came after the last event seen)
// or after the session ended (a new client with a fresh session).

import { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';

import { caseChangeNoticeOf, isReplayRefusal, type CaseChangeNotice } from './sf-change-event.js';

export const CASE_CHANGE_CHANNEL = '/data/CaseChangeEvent';

/** -1: only events after the subscription (Salesforce's replay option for "new events only") */
const NEW_EVENTS_ONLY = -1;

export interface CaseChangeStreamDeps {
  /**
   * a valid session for the tenant; `renew` after Salesforce ended the last one (`401::Authentication invalid`),
   * so the session manager logs in again instead of handing the ended session out
   */
  session(renew: boolean): Promise<{ accessToken: string; instanceUrl: string }>;
  apiVersion: string;
  /** the last replay id whose work is saved, or null to start with new events */
  replayFrom: number | null;
  /** one Case change event; the stream's replay id moves on once this settles */
  onChange(notice: CaseChangeNotice): Promise<void> | void;
  /**
   * events may have been missed (the stored replay id is past retention, or the client was forgotten before it
   * had seen any event): a poll must heal. Reported once the new subscription stands, so a poll started now
   * covers everything the stream will not deliver.
   */
  onGap(): void;
  /** the stream is subscribed (after start, and after every recovery) */
  onSubscribed?(): void;
  /** one Bayeux message sent to the Streaming API (handshake, connect, subscribe...), for the tenant's counts */
  onRequest?(channel: string): void;
}

interface FayeMessage {
  channel?: string;
  successful?: boolean;
  error?: string;
  subscription?: string;
  advice?: { reconnect?: string };
}

interface FayeClient {
  subscribe(
    channel: string,
    listener: (data: unknown) => void,
  ): {
    then(ok: () => void, fail: (err: unknown) => void): unknown;
    cancel(): void;
  };
  disconnect(): unknown;
  addExtension(ext: unknown): void;
}

export class CaseChangeStream {
  private client: FayeClient | undefined;
  private replayId: number;
  private stopped = false;
  private chain: Promise<void> = Promise.resolve();
  /** a gap to report once the next subscription is acknowledged */
  private gapPending = false;
  /** the client being opened again after a refused replay id (start() waits for it) */
  private recovery: Promise<void> = Promise.resolve();

  constructor(private readonly deps: CaseChangeStreamDeps) {
    this.replayId = deps.replayFrom ?? NEW_EVENTS_ONLY;
  }

  /** the replay id of the last event handled */
  get position(): number {
    return this.replayId;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.open(this.replayId, false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await settle(client.disconnect());
    await this.chain;
  }

  private async open(from: number, renew: boolean): Promise<void> {
    const session = await this.deps.session(renew);
    const conn = new Connection({
      instanceUrl: session.instanceUrl,
      accessToken: session.accessToken,
      version: this.deps.apiVersion,
    });
    const replay = new StreamingExtension.Replay(CASE_CHANGE_CHANNEL, from);
    // An ended session: faye is told not to reconnect (advice none); a new client with a fresh session resumes.
    const authFailure = new StreamingExtension.AuthFailure(() => {
      void this.reopen(true);
    });
    const client = conn.streaming.createClient([authFailure, replay]) as unknown as FayeClient;
    // A refused replay id (past the 72-hour retention) would refuse every resubscription too: start again from
    // new events and let the caller poll over the gap.
    let handshakes = 0;
    client.addExtension({
      outgoing: (message: FayeMessage, callback: (m: FayeMessage) => void) => {
        if (message.channel !== undefined) this.deps.onRequest?.(message.channel);
        callback(message);
      },
      incoming: (message: FayeMessage, callback: (m: FayeMessage) => void) => {
        // faye handshakes again after 403::Unknown client and resubscribes with the last replay id it saw. Before
        // any event there is none: -1 then skips what was committed while the client was gone, so poll over it.
        if (message.channel === '/meta/handshake' && message.successful === true) {
          handshakes += 1;
          if (handshakes > 1 && this.replayId === NEW_EVENTS_ONLY) this.gapPending = true;
        }
        // The gap is reported only now: a poll run before the -1 subscription stands would miss what is committed
        // in between, and the stream would never deliver it (only the safety-net poll, minutes later, would).
        if (message.channel === '/meta/subscribe' && message.successful === true && this.gapPending) {
          this.gapPending = false;
          this.deps.onGap();
        }
        if (
          message.channel === '/meta/subscribe' &&
          message.successful === false &&
          isReplayRefusal(message.error)
        ) {
          this.gapPending = true;
          this.replayId = NEW_EVENTS_ONLY;
          replay.setReplay(String(NEW_EVENTS_ONLY));
          this.recovery = this.reopen(false);
        }
        callback(message);
      },
    });
    this.client = client;
    await new Promise<void>((resolve) => {
      client
        .subscribe(CASE_CHANGE_CHANNEL, (data) => this.deliver(data))
        .then(
          () => {
            this.deps.onSubscribed?.();
            resolve();
          },
          // A refused replay id is handled above: start() returns once the client opened again subscribed. Other
          // refusals (auth failure) reopen on their own; start() returns either way.
          () => resolve(this.recovery),
        );
    });
  }

  private async reopen(renew: boolean): Promise<void> {
    const old = this.client;
    this.client = undefined;
    if (old !== undefined) await settle(old.disconnect());
    if (!this.stopped) await this.open(this.replayId, renew);
  }

  private deliver(data: unknown): void {
    const notice = caseChangeNoticeOf(data);
    if (notice === undefined) return;
    // One at a time, in order: the position moves only after the caller has settled the event.
    this.chain = this.chain.then(async () => {
      await this.deps.onChange(notice);
      this.replayId = Math.max(this.replayId, notice.replayId);
    });
  }
}

/** waits for a faye thenable (disconnect) without failing: a client the server forgot cannot disconnect */
async function settle(result: unknown): Promise<void> {
  const thenable = result as { then?: (ok: () => void, fail: () => void) => unknown } | undefined;
  if (thenable?.then === undefined) return;
  await new Promise<void>((resolve) => {
    thenable.then?.(resolve, resolve);
    setTimeout(resolve, 2_000).unref();
  });
}

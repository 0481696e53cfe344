// One org's Streaming API: its change event log and Bayeux server, fed by the org engine's committed
// transactions. Created with the org's listener, so events committed before any client connects are retained.

import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { CommittedTransaction, OrgData } from '../org/contract.js';
import { BayeuxServer, type BayeuxOptions, type ChannelPolicy } from './bayeux-server.js';
import { changeEventPayload, entityOfEventName } from './change-event.js';
import { EventLog } from './event-log.js';

/** Standard objects of the emulator that Change Data Capture can be enabled for. */
const STANDARD_CDC_OBJECTS = ['Account', 'Contact', 'Case', 'User'];

export const DEFAULT_BAYEUX_OPTIONS: BayeuxOptions = { connectTimeoutMs: 110_000, maxIntervalMs: 40_000 };

export class StreamingHub {
  readonly log: EventLog;
  readonly server: BayeuxServer;
  private commitNumber = 0;
  private readonly stop: () => void;

  constructor(
    private readonly data: OrgData,
    clock: Clock,
    options: BayeuxOptions = DEFAULT_BAYEUX_OPTIONS,
  ) {
    this.log = new EventLog(clock);
    this.server = new BayeuxServer(clock, this.log, channelPolicy(data), { ...options });
    this.stop = data.onCommit?.((tx) => this.record(tx)) ?? (() => undefined);
  }

  close(): void {
    this.stop();
    this.server.close();
  }

  private record(tx: CommittedTransaction): void {
    const selected = new Set(this.data.settings.changeDataCaptureEntities);
    const changes = tx.changes.filter((c) => selected.has(c.sobject));
    if (changes.length === 0) return;
    this.commitNumber += 1;
    const stamp = {
      transactionKey: randomUUID(),
      commitNumber: this.commitNumber,
      commitTimestamp: tx.committedAt.getTime(),
    };
    changes.forEach((change, i) => {
      const event = this.log.append(
        change.sobject,
        stamp.commitTimestamp,
        changeEventPayload(change, stamp, i + 1),
      );
      this.server.publish(event);
    });
  }
}

/** which channels exist and who may receive which entity's events, read from the org */
function channelPolicy(data: OrgData): ChannelPolicy {
  return {
    entityOf(channel) {
      if (channel === '/data/ChangeEvents') return '*';
      if (!channel.startsWith('/data/')) return undefined;
      const entity = entityOfEventName(channel.slice('/data/'.length));
      if (entity === undefined) return undefined;
      const custom = data.settings.customObjects.some((o) => o.name.toLowerCase() === entity.toLowerCase());
      const standard = STANDARD_CDC_OBJECTS.find((o) => o.toLowerCase() === entity.toLowerCase());
      return custom ? entity : standard;
    },
    // "View All for the object" or View All Data; User needs View All Users, which the emulator does not model,
    // so only View All Data passes for it.
    // https://developer.salesforce.com/docs/platform/change-data-capture/guide/cdc-security-perms.html
    mayReceive(userId, entity) {
      const user = data.getUser(userId);
      if (user === undefined || user['IsActive'] !== true) return false;
      if (data.userPermissions(userId).viewAllData === true) return true;
      if (entity === 'User') return false;
      const { profileId, permissionSetIds } = data.grantsOf(userId);
      return [profileId, ...permissionSetIds].some(
        (g) => data.getGrant(g)?.objectPermissions[entity]?.viewAll === true,
      );
    },
  };
}

const hubs = new WeakMap<object, StreamingHub>();

/** the hub of an org (keyed by the org runtime), created on first use */
export function streamingHubOf(org: { data: OrgData; clock: Clock }): StreamingHub {
  let hub = hubs.get(org);
  if (hub === undefined) {
    hub = new StreamingHub(org.data, org.clock);
    hubs.set(org, hub);
  }
  return hub;
}

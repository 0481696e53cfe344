// The emulator platform: every org (each on its own loopback listener), the shared clock, tokens, logs, faults
// and the control-plane token. One process, one control plane, many orgs.

import { randomBytes } from 'node:crypto';
import { AdjustableClock } from '../clock.js';
import type { OrgData, OrgDataOptions } from '../org/contract.js';
import { ApiUsage, DEFAULT_DAILY_API_LIMIT } from '../limits/api-usage.js';
import { CallLog } from '../limits/call-log.js';
import { FaultInjector } from '../faults/fault-injector.js';
import { TokenStore } from '../auth/token-store.js';
import { TokenLog } from '../auth/token-log.js';
import type { CreateOrgOptions } from '../control/control-platform.js';
import { buildOrgServer, type TlsOptions } from '../http/org-server.js';
import type { OrgServerPlatform } from '../http/server-platform.js';
import { to18 } from '../ids.js';
import { OrgClock } from './org-clock.js';
import { OrgRuntime } from './org-runtime.js';

export type OrgDataFactory = (options: OrgDataOptions) => OrgData;

export interface EmulatorOptions {
  clock?: AdjustableClock;
  /** bearer token of the control plane; random when omitted */
  controlToken?: string;
  /** served API versions, inclusive (default 31.0 to 66.0) */
  minApiVersion?: number;
  maxApiVersion?: number;
  /**
   * accepted JWT audiences besides each org's own URL; default: the login host of each org's environment
   * (login.salesforce.com, or test.salesforce.com when the org's `isSandbox` is true)
   */
  loginHosts?: string[];
  /** reject a JWT whose `exp` is more than 3 minutes ahead, as the documentation says (off: Salesforce accepts it) */
  strictJwtExpiry?: boolean;
  /** the org data engine factory (default: the real engine) */
  createOrgData?: OrgDataFactory;
  /** seed of the fault-rate PRNG */
  faultSeed?: number;
  callLogCapacity?: number;
  /** loopback address to bind; only 127.0.0.1 and ::1 are allowed */
  host?: string;
  /** serve every org over HTTPS with this PEM key and certificate (default: plain HTTP) */
  tls?: TlsOptions;
}

export type { CreateOrgOptions };

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The id of the n-th org (n from 0): each org gets its own pod characters (`5g`, `5h`, ...), which the engine
 * reuses in every record id, so that ids stay unique across orgs as they are across Salesforce.
 */
export function orgIdFor(n: number): string {
  const pod = `${BASE62[5 + (Math.floor((42 + n) / 62) % 57)] ?? '5'}${BASE62[(42 + n) % 62] ?? 'g'}`;
  return to18(`00D${pod}0000000001`);
}

export const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export class Emulator implements OrgServerPlatform {
  readonly clock: AdjustableClock;
  readonly controlToken: string;
  readonly callLog: CallLog;
  readonly tokenLog = new TokenLog();
  readonly tokens = new TokenStore();
  readonly faults: FaultInjector;
  readonly minApiVersion: number;
  readonly maxApiVersion: number;
  readonly strictJwtExpiry: boolean;
  readonly loginHosts: string[] | undefined;
  readonly host: string;
  /** `https` when the emulator was given a certificate: every org's URLs (login, instance, identity) use it */
  readonly scheme: 'http' | 'https';
  private readonly tls: TlsOptions | undefined;
  private readonly orgs = new Map<string, OrgRuntime>();
  private readonly factory: OrgDataFactory | undefined;
  private orgsCreated = 0;

  constructor(options: EmulatorOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    if (!LOOPBACK_HOSTS.has(this.host))
      throw new Error(`the emulator listens on loopback only, not ${this.host}`);
    this.clock = options.clock ?? new AdjustableClock();
    this.controlToken = options.controlToken ?? randomBytes(24).toString('base64url');
    // An empty token would let any loopback caller (a browser page included) drive the control plane.
    if (this.controlToken.trim() === '') throw new Error('the control token must not be empty');
    this.callLog = new CallLog(options.callLogCapacity);
    this.faults = new FaultInjector(this.clock, options.faultSeed);
    this.minApiVersion = options.minApiVersion ?? 31;
    this.maxApiVersion = options.maxApiVersion ?? 66;
    this.strictJwtExpiry = options.strictJwtExpiry ?? false;
    this.loginHosts = options.loginHosts;
    this.factory = options.createOrgData;
    this.tls = options.tls;
    this.scheme = options.tls === undefined ? 'http' : 'https';
  }

  /** true when `version` (e.g. `62.0`) is served */
  servesVersion(version: string): boolean {
    if (!/^\d+\.0$/.test(version)) return false;
    const major = Number.parseInt(version, 10);
    return major >= this.minApiVersion && major <= this.maxApiVersion;
  }

  /** create an org with no data beyond what the engine starts with, and start its listener */
  async createOrg(options: CreateOrgOptions = {}): Promise<OrgRuntime> {
    const name = options.name ?? `org-${this.orgs.size + 1}`;
    if (this.findOrg(name) !== undefined) throw new Error(`an org named ${name} already exists`);
    const orgClock = new OrgClock(this.clock);
    const factory = this.factory ?? (await import('../org/org-data.js')).createOrgData;
    let orgId = options.orgId;
    while (orgId === undefined || this.findOrg(orgId) !== undefined) {
      if (options.orgId !== undefined) throw new Error(`org ${options.orgId} already exists`);
      orgId = orgIdFor(this.orgsCreated++);
    }
    const data = factory({ clock: orgClock, orgId, settings: { name, ...options.settings } });
    if (this.orgs.has(data.orgId)) throw new Error(`org ${data.orgId} already exists`);
    const usage = new ApiUsage(this.clock, options.dailyApiLimit ?? DEFAULT_DAILY_API_LIMIT);
    const org = new OrgRuntime(name, data, orgClock, usage, {
      loginHosts: options.loginHosts ?? this.loginHosts,
      acceptOwnUrlAudiences: options.acceptOwnUrlAudiences ?? true,
    });
    org.server = buildOrgServer(this, org, this.tls);
    await org.server.listen({ port: options.port ?? 0, host: this.host });
    const address = org.server.server.address();
    if (address === null || typeof address === 'string') throw new Error('listener has no TCP address');
    org.bound(this.host, address.port, this.scheme);
    org.markBaseline();
    this.orgs.set(data.orgId, org);
    return org;
  }

  /** by org id (15 or 18 characters) or name */
  findOrg(ref: string): OrgRuntime | undefined {
    const direct = this.orgs.get(ref);
    if (direct !== undefined) return direct;
    for (const org of this.orgs.values()) {
      if (org.name === ref || org.orgId.slice(0, 15) === ref) return org;
    }
    return undefined;
  }

  listOrgs(): OrgRuntime[] {
    return [...this.orgs.values()];
  }

  async removeOrg(org: OrgRuntime): Promise<void> {
    this.orgs.delete(org.orgId);
    this.tokens.expire((s) => s.orgId === org.orgId);
    await org.server?.close();
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.orgs.values()].map(async (org) => {
        await org.server?.close();
      }),
    );
    this.orgs.clear();
  }
}

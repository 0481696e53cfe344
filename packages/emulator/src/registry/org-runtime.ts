// One emulated org as the platform sees it: its data engine, its own listener and login URL, its connected apps,
// user passwords (for the username-password grant) and its daily API usage.

import type { FastifyInstance } from 'fastify';
import type { OrgData } from '../org/contract.js';
import type { ApiUsage } from '../limits/api-usage.js';
import type { DemoOrgInfo } from '../seed/demo-org-info.js';
import type { OrgClock } from './org-clock.js';
import {
  AppInputError,
  buildConnectedApp,
  type ConnectedApp,
  type ConnectedAppSpec,
} from './connected-app.js';

/** A copy of an app's state that later changes to the app do not reach (the public key is immutable). */
function copyApp(app: ConnectedApp): ConnectedApp {
  return {
    ...app,
    profileIds: new Set(app.profileIds),
    permissionSetIds: new Set(app.permissionSetIds),
    scopes: [...app.scopes],
    approvals: new Map(app.approvals),
  };
}

/** Which JWT `aud` values the org's token endpoint accepts (see `Emulator.createOrg`). */
export interface AudiencePolicy {
  /** the login hosts accepted besides the org's own URL; undefined: the one that matches the org's `isSandbox` */
  loginHosts: string[] | undefined;
  acceptOwnUrlAudiences: boolean;
}

export const PRODUCTION_LOGIN_HOST = 'https://login.salesforce.com';
export const SANDBOX_LOGIN_HOST = 'https://test.salesforce.com';

/** `u` and `u/`, the forms a client may sign */
const withAndWithoutSlash = (u: string): string[] => {
  const bare = u.replace(/\/+$/, '');
  return [bare, `${bare}/`];
};

interface Baseline {
  data: unknown;
  apps: ConnectedApp[];
  appSeq: number;
}

export class OrgRuntime {
  readonly apps = new Map<string, ConnectedApp>();
  private readonly appsByKey = new Map<string, ConnectedApp>();
  readonly passwords = new Map<string, string>();
  /** what `reset` returns to: the data and the connected apps right after creation or seeding */
  private baseline: Baseline | undefined;
  server: FastifyInstance | undefined;
  port = 0;
  loginUrl = '';
  /** username of the agent that control-plane actions act as when none is named (set by the demo seed) */
  defaultAgent: string | undefined;
  /** what the demo seed created, when this org was seeded with it */
  demo: DemoOrgInfo | undefined;
  private appSeq = 0;
  private ownAudiences = new Set<string>();

  constructor(
    readonly name: string,
    readonly data: OrgData,
    readonly clock: OrgClock,
    readonly usage: ApiUsage,
    readonly audiencePolicy: AudiencePolicy,
  ) {}

  get orgId(): string {
    return this.data.orgId;
  }

  /** called once the listener is bound */
  bound(host: string, port: number, scheme: 'http' | 'https' = 'http'): void {
    this.port = port;
    this.loginUrl = host === '::1' ? `${scheme}://[::1]:${port}` : `${scheme}://127.0.0.1:${port}`;
    // sf signs `aud` as the login URL with a trailing slash (real-clients.md 3); `localhost` resolves to the
    // same listener, so a client given http(s)://localhost:PORT is served too.
    const own = this.audiencePolicy.acceptOwnUrlAudiences
      ? [this.loginUrl, `${scheme}://localhost:${port}`]
      : [];
    this.ownAudiences = new Set(own.flatMap(withAndWithoutSlash));
  }

  /**
   * The login hosts this org accepts as `aud`: the configured ones, else the one of its environment. The JWT
   * bearer flow documents `aud` as "https://login.salesforce.com, https://test.salesforce.com, or
   * https://site.force.com/customers" (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm)
   * and login.salesforce.com is production's login host, test.salesforce.com a sandbox's (salesforce.md 1.1). That
   * a production org refuses test.salesforce.com (and a sandbox login.salesforce.com) is inferred from that split,
   * not verified against a live org: see the emulator README.
   */
  loginHosts(): string[] {
    return (
      this.audiencePolicy.loginHosts ?? [
        this.data.settings.isSandbox ? SANDBOX_LOGIN_HOST : PRODUCTION_LOGIN_HOST,
      ]
    );
  }

  audienceAccepted(aud: string): boolean {
    return this.ownAudiences.has(aud) || this.loginHosts().flatMap(withAndWithoutSlash).includes(aud);
  }

  async addApp(spec: ConnectedAppSpec): Promise<ConnectedApp> {
    if (spec.consumerKey !== undefined && this.appsByKey.has(spec.consumerKey)) {
      throw new AppInputError(`consumer key ${spec.consumerKey} is already used by another connected app`);
    }
    this.appSeq += 1;
    const id = `0H4${this.orgId.slice(3, 8)}${String(this.appSeq).padStart(7, '0')}`;
    const app = await buildConnectedApp(id, spec);
    this.apps.set(app.id, app);
    this.appsByKey.set(app.consumerKey, app);
    return app;
  }

  /** remember the current data and connected apps as what `resetToBaseline` returns to */
  markBaseline(): void {
    this.baseline = {
      data: this.data.snapshot(),
      apps: [...this.apps.values()].map(copyApp),
      appSeq: this.appSeq,
    };
  }

  /**
   * Data and connected apps (policy, certificate, assigned profiles and permission sets, self-approvals) back to
   * the baseline; apps registered since are removed. Returns the refresh tokens of self-approvals the reset
   * dropped, for the caller to revoke (an approval withdrawn since comes back; its revoked token does not).
   */
  resetToBaseline(): string[] {
    const baseline = this.baseline;
    if (baseline === undefined) throw new Error(`org ${this.name} has no baseline`);
    this.data.restore(baseline.data);
    const baselineTokens = new Set(baseline.apps.flatMap((b) => [...b.approvals.values()]));
    const dropped = [...this.apps.values()]
      .flatMap((app) => [...app.approvals.values()])
      .filter((token) => !baselineTokens.has(token));
    // Restored in place: token grants hold on to the app objects they found by consumer key.
    const current = new Map(this.apps);
    this.apps.clear();
    this.appsByKey.clear();
    for (const saved of baseline.apps) {
      const app = Object.assign(current.get(saved.id) ?? ({} as ConnectedApp), copyApp(saved));
      this.apps.set(app.id, app);
      this.appsByKey.set(app.consumerKey, app);
    }
    this.appSeq = baseline.appSeq;
    return dropped;
  }

  appByConsumerKey(key: string): ConnectedApp | undefined {
    return this.appsByKey.get(key);
  }

  /** by id, name or consumer key */
  findApp(ref: string): ConnectedApp | undefined {
    const byId = this.apps.get(ref) ?? this.appsByKey.get(ref);
    if (byId !== undefined) return byId;
    for (const app of this.apps.values()) if (app.name === ref) return app;
    return undefined;
  }
}

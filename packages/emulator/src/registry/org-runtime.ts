// One emulated org as the platform sees it: its data engine, its own listener and login URL, its connected apps,
// user passwords (for the username-password grant) and its daily API usage.

import type { FastifyInstance } from 'fastify';
import type { OrgData } from '../org/contract.js';
import type { ApiUsage } from '../limits/api-usage.js';
import type { DemoOrgInfo } from '../seed/demo-org.js';
import type { OrgClock } from './org-clock.js';
import {
  AppInputError,
  buildConnectedApp,
  type ConnectedApp,
  type ConnectedAppSpec,
} from './connected-app.js';

export class OrgRuntime {
  readonly apps = new Map<string, ConnectedApp>();
  private readonly appsByKey = new Map<string, ConnectedApp>();
  readonly passwords = new Map<string, string>();
  /** the data snapshot `reset` returns to (taken after seeding) */
  baseline: unknown;
  server: FastifyInstance | undefined;
  port = 0;
  loginUrl = '';
  /** username of the agent that control-plane actions act as when none is named (set by the demo seed) */
  defaultAgent: string | undefined;
  /** what the demo seed created, when this org was seeded with it */
  demo: DemoOrgInfo | undefined;
  private appSeq = 0;
  private audiences = new Set<string>();

  constructor(
    readonly name: string,
    readonly data: OrgData,
    readonly clock: OrgClock,
    readonly usage: ApiUsage,
    private readonly loginHosts: string[],
  ) {}

  get orgId(): string {
    return this.data.orgId;
  }

  /** called once the listener is bound */
  bound(host: string, port: number): void {
    this.port = port;
    this.loginUrl = host === '::1' ? `http://[::1]:${port}` : `http://127.0.0.1:${port}`;
    // sf signs `aud` as the login URL with a trailing slash (real-clients.md 3); `localhost` resolves to the
    // same listener, so a client given http://localhost:PORT is served too.
    const own = [this.loginUrl, `http://localhost:${port}`];
    this.audiences = new Set(
      [...own, ...this.loginHosts].flatMap((u) => {
        const bare = u.replace(/\/+$/, '');
        return [bare, `${bare}/`];
      }),
    );
  }

  audienceAccepted(aud: string): boolean {
    return this.audiences.has(aud);
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

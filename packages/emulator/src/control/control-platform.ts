// What the control plane needs from the platform: its token, the adjustable clock, tokens, logs, faults, and the
// directory of orgs (find, list, create, remove). The registry's `Emulator` provides it; the control plane never
// imports the registry, so the registry sits above the HTTP layer and the control plane.

import type { AdjustableClock } from '../clock.js';
import type { TokenLog } from '../auth/token-log.js';
import type { TokenStore } from '../auth/token-store.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { CallLog } from '../limits/call-log.js';
import type { OrgSettings } from '../org/contract.js';
import type { OrgRuntime } from '../registry/org-runtime.js';

export interface CreateOrgOptions {
  name?: string;
  orgId?: string;
  settings?: Partial<OrgSettings>;
  dailyApiLimit?: number;
  /** port of this org's listener (0 = any free port) */
  port?: number;
  /**
   * JWT audiences accepted besides the org's own URL (default: the emulator's loginHosts, else the login host of
   * the org's environment, which follows its `isSandbox` setting)
   */
  loginHosts?: string[];
  /**
   * Accept the org's own URL as `aud` (127.0.0.1 or ::1, and localhost, on its port, with or without a trailing
   * slash). Default true; false leaves only `loginHosts`, for a test of a wrong-audience refusal.
   */
  acceptOwnUrlAudiences?: boolean;
}

export interface ControlPlatform {
  readonly controlToken: string;
  readonly clock: AdjustableClock;
  readonly tokens: TokenStore;
  readonly tokenLog: TokenLog;
  readonly callLog: CallLog;
  readonly faults: FaultInjector;
  /** by org id (15 or 18 characters) or name */
  findOrg(ref: string): OrgRuntime | undefined;
  listOrgs(): OrgRuntime[];
  /** create an org and start its listener */
  createOrg(options: CreateOrgOptions): Promise<OrgRuntime>;
  /** stop an org's listener and forget it */
  removeOrg(org: OrgRuntime): Promise<void>;
}

// What a control-plane handler receives, and helpers to resolve the org, users, grants and apps it names.

import type { PermissionGrant, SObjectRecord } from '../org/contract.js';
import type { ConnectedApp } from '../registry/connected-app.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import { badInput, notFoundControl } from './control-error.js';
import type { ControlPlatform } from './control-platform.js';
import type { Json } from './input.js';

export interface ControlCall {
  em: ControlPlatform;
  method: string;
  params: string[];
  body: Json;
  query: URLSearchParams;
}

/** a handler's answer: the JSON body, with 200 unless `status` is given */
export interface ControlAnswer {
  status?: number;
  body: unknown;
  /** run once the answer has been written */
  afterSend?: () => Promise<void>;
}

export type ControlHandler = (call: ControlCall) => ControlAnswer | Promise<ControlAnswer>;

export const ok = (body: unknown): ControlAnswer => ({ body });
export const created = (body: unknown): ControlAnswer => ({ status: 201, body });

export function orgOf(call: ControlCall): OrgRuntime {
  const ref = call.params[0] ?? '';
  const org = call.em.findOrg(ref);
  if (org === undefined) throw notFoundControl(`no org ${ref} (use its id or name)`);
  return org;
}

export function userOf(org: OrgRuntime, ref: string): SObjectRecord & { Id: string } {
  const user = org.data.getUser(ref);
  if (user === undefined) throw notFoundControl(`no user ${ref} in org ${org.name} (use an id or username)`);
  return user as SObjectRecord & { Id: string };
}

export function grantOf(org: OrgRuntime, ref: string): PermissionGrant {
  const grant = org.data.getGrant(ref) ?? org.data.findGrantByName(ref);
  if (grant === undefined) throw badInput(`no profile or permission set ${ref} in org ${org.name}`);
  return grant;
}

export function appOf(org: OrgRuntime, ref: string): ConnectedApp {
  const app = org.findApp(ref);
  if (app === undefined) throw notFoundControl(`no connected app ${ref} in org ${org.name}`);
  return app;
}

export function describeOrg(org: OrgRuntime): Record<string, unknown> {
  return {
    orgId: org.orgId,
    name: org.name,
    loginUrl: org.loginUrl,
    instanceUrl: org.loginUrl,
    port: org.port,
    loginHosts: org.loginHosts(),
    acceptOwnUrlAudiences: org.audiencePolicy.acceptOwnUrlAudiences,
    settings: org.data.settings,
    apiUsage: { used: org.usage.used(), max: org.usage.max },
    connectedApps: [...org.apps.values()].map((a) => ({
      id: a.id,
      name: a.name,
      consumerKey: a.consumerKey,
    })),
  };
}

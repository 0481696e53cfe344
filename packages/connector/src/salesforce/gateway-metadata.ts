// The gateway's metadata reads: who the service user is, the org's API allocation, an object's describe (the fields
// field-level security lets the user see) and the API versions the org serves.

import { z } from 'zod';

import type { ApiAllocation, ObjectDescription, SalesforceIdentity } from '../domain/ports.js';
import { isAppError } from '../errors/app-error.js';
import type { GatewayContext } from './gateway-context.js';
import { ident } from './soql.js';
import { parseWire } from './wire/parse-wire.js';

const Describe = z.object({
  name: z.string(),
  queryable: z.boolean(),
  createable: z.boolean(),
  updateable: z.boolean(),
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      createable: z.boolean(),
      updateable: z.boolean(),
      nillable: z.boolean(),
      filterable: z.boolean().optional(),
      externalId: z.boolean().optional(),
      picklistValues: z.array(z.object({ value: z.string(), active: z.boolean().optional() })).optional(),
    }),
  ),
});

const Identity = z.object({
  user_id: z.string(),
  organization_id: z.string(),
  username: z.string(),
  display_name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
});

const Limits = z.looseObject({
  DailyApiRequests: z.object({ Max: z.number(), Remaining: z.number() }).optional(),
});
const Versions = z.array(z.object({ version: z.string() }));

export async function identity(gw: GatewayContext): Promise<SalesforceIdentity> {
  const session = await gw.client.session(gw.tenant);
  const raw = await gw.client.request<unknown>(gw.tenant, {
    method: 'GET',
    url: `${session.identityUrl}?format=json`,
    ...gw.purposeOpt,
  });
  const id = parseWire(Identity, raw, gw.ctx('identity'));
  return {
    orgId: id.organization_id,
    userId: id.user_id,
    username: id.username,
    displayName: id.display_name ?? null,
    email: id.email ?? null,
  };
}

export async function limits(gw: GatewayContext): Promise<ApiAllocation> {
  try {
    const raw = await gw.client.request<unknown>(gw.tenant, {
      method: 'GET',
      url: '/limits',
      ...gw.purposeOpt,
    });
    const daily = parseWire(Limits, raw, gw.ctx('limits')).DailyApiRequests;
    if (daily) return { max: daily.Max, remaining: daily.Remaining, source: 'limits' };
  } catch (err) {
    // /limits needs "View Setup and Configuration"; without it the usage header of any call still tells us.
    if (!isAppError(err, 'SF_API_INSUFFICIENT_ACCESS')) throw err;
  }
  const last = gw.client.usage(gw.tenant.id).lastApiUsage;
  return last
    ? { max: last.max, remaining: last.max - last.used, source: 'header' }
    : { max: null, remaining: null, source: 'none' };
}

export async function describe(gw: GatewayContext, sobject: string): Promise<ObjectDescription> {
  const raw = await gw.client.request<unknown>(gw.tenant, {
    method: 'GET',
    url: `/sobjects/${ident(sobject).name}/describe`,
    sobject,
    ...gw.purposeOpt,
  });
  const d = parseWire(Describe, raw, gw.ctx(`${sobject} describe`));
  return {
    name: d.name,
    queryable: d.queryable,
    createable: d.createable,
    updateable: d.updateable,
    fields: d.fields.map((f) => ({
      name: f.name,
      type: f.type,
      createable: f.createable,
      updateable: f.updateable,
      nillable: f.nillable,
      filterable: f.filterable ?? false,
      externalId: f.externalId ?? false,
      picklistValues: (f.picklistValues ?? []).filter((p) => p.active !== false).map((p) => p.value),
    })),
  };
}

export async function versions(gw: GatewayContext): Promise<string[]> {
  const raw = await gw.client.request<unknown>(gw.tenant, {
    method: 'GET',
    url: '/services/data/',
    ...gw.purposeOpt,
  });
  return parseWire(Versions, raw, gw.ctx('versions')).map((v) => v.version);
}

// The connector's real gateway and counting client for one tenant, logged in against a scripted Salesforce (an
// in-process server the test answers request by request): for unit tests of what the gateway does with an answer.

import { defaultTenantSettings, type Tenant } from '../../src/domain/tenant.js';
import { silentLogger } from '../../src/logging/logger.js';
import { SessionManager } from '../../src/salesforce/auth/session-manager.js';
import { fetchFormPost, TokenClient } from '../../src/salesforce/auth/token-client.js';
import { JsforceSalesforceGateway } from '../../src/salesforce/gateway.js';
import { SalesforceClient } from '../../src/salesforce/salesforce-client.js';
import { FakeSecretBox } from '../fakes/fake-crypto.js';
import { FixedClock } from '../fakes/fixed-clock.js';
import { MemoryApiAuditRepository } from '../fakes/memory-api-audit.js';
import { MemoryTenantPauseRepository } from '../fakes/memory-tenant-pause.js';
import { MemorySessionRepository } from '../fakes/memory-tenant-store.js';
import { startScriptedSalesforce, type ScriptedSalesforce } from './scripted-salesforce.js';

export interface ScriptedGateway {
  sf: ScriptedSalesforce;
  client: SalesforceClient;
  gateway: JsforceSalesforceGateway;
  tenant: Tenant;
}

/** A scripted Salesforce and tenant `id` (named `name`) with a fixed clock, no retries' sleep and silent logs. */
export async function startScriptedGateway(id: string, name: string): Promise<ScriptedGateway> {
  const sf = await startScriptedSalesforce();
  const clock = new FixedClock();
  const tenant: Tenant = {
    id,
    name,
    loginUrl: sf.url,
    instanceUrl: null,
    consumerKey: 'ck',
    username: 'svc@acme.com',
    settings: defaultTenantSettings(),
    activeKey: null,
    pendingKey: null,
    hasConsumerSecret: false,
    hasPassword: false,
    createdAt: '2026-11-24T00:00:00.000Z',
    updatedAt: '2026-11-24T00:00:00.000Z',
  };
  const sessions = new SessionManager({
    sessions: new MemorySessionRepository(),
    box: new FakeSecretBox(),
    tokens: new TokenClient(fetchFormPost(5000)),
    clock,
    signerFor: () => Promise.resolve({ sign: () => Promise.resolve('a.b.c') }),
    log: silentLogger(),
  });
  const client = new SalesforceClient({
    sessions,
    audit: new MemoryApiAuditRepository(),
    pauses: new MemoryTenantPauseRepository(),
    clock,
    log: silentLogger(),
    sleep: () => Promise.resolve(),
    random: () => 0.5,
    monotonic: () => 0,
  });
  return { sf, client, gateway: new JsforceSalesforceGateway(client, tenant, clock), tenant };
}

// Builds the Salesforce side of the connector (session manager, client, gateway) for a tenant against a running
// emulator, with in-memory ports, for integration tests. Each call makes a new "worker" unless a store is shared.

import { readFileSync } from 'node:fs';

import type { Clock } from '../../src/domain/ports.js';
import { defaultTenantSettings, type Tenant } from '../../src/domain/tenant.js';
import { silentLogger } from '../../src/logging/logger.js';
import { rsaKeySigner } from '../../src/salesforce/auth/jwt-assertion.js';
import { SessionManager } from '../../src/salesforce/auth/session-manager.js';
import { TokenClient } from '../../src/salesforce/auth/token-client.js';
import { JsforceSalesforceGateway } from '../../src/salesforce/gateway.js';
import { SalesforceClient } from '../../src/salesforce/salesforce-client.js';
import { FakeSecretBox } from '../fakes/fake-crypto.js';
import { MemoryApiAuditRepository } from '../fakes/memory-api-audit.js';
import { MemoryTenantPauseRepository } from '../fakes/memory-tenant-pause.js';
import { MemorySessionRepository } from '../fakes/memory-tenant-store.js';

export interface EmulatorLogin {
  loginUrl: string;
  consumerKey: string;
  username: string;
  privateKeyPath: string;
}

export interface SalesforceStack {
  tenant: Tenant;
  sessions: SessionManager;
  client: SalesforceClient;
  gateway: JsforceSalesforceGateway;
  audit: MemoryApiAuditRepository;
  pauses: MemoryTenantPauseRepository;
  store: MemorySessionRepository;
}

export const realClock: Clock = { now: () => new Date() };

export function salesforceStack(
  emulator: EmulatorLogin,
  options: { store?: MemorySessionRepository; tenantId?: string; apiVersion?: string } = {},
): SalesforceStack {
  const settings = defaultTenantSettings();
  settings.apiVersion = options.apiVersion ?? '62.0';
  const tenant: Tenant = {
    id: options.tenantId ?? 'demo',
    name: 'Demo',
    loginUrl: emulator.loginUrl,
    instanceUrl: null,
    consumerKey: emulator.consumerKey,
    username: emulator.username,
    settings,
    activeKey: null,
    pendingKey: null,
    hasConsumerSecret: false,
    hasPassword: false,
    createdAt: '2026-11-24T00:00:00.000Z',
    updatedAt: '2026-11-24T00:00:00.000Z',
  };
  const pem = readFileSync(emulator.privateKeyPath, 'utf8');
  const store = options.store ?? new MemorySessionRepository();
  const log = silentLogger();
  const sessions = new SessionManager({
    sessions: store,
    box: new FakeSecretBox(),
    tokens: new TokenClient(),
    clock: realClock,
    signerFor: () => Promise.resolve(rsaKeySigner(pem, tenant.id)),
    log,
  });
  const audit = new MemoryApiAuditRepository();
  const pauses = new MemoryTenantPauseRepository();
  const client = new SalesforceClient({
    sessions,
    audit,
    pauses,
    clock: realClock,
    log,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
  });
  return {
    tenant,
    sessions,
    client,
    gateway: new JsforceSalesforceGateway(client, tenant, realClock, 'test'),
    audit,
    pauses,
    store,
  };
}

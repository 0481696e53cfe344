// Every store write naming a tenant, on PGlite and (when configured) PostgreSQL: for a tenant that does not exist
// (never added, or removed while a job ran) it is TENANT_NOT_FOUND naming the tenant, the coded error with its fix,
// never the driver's foreign-key violation (tenant-reference.ts).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { isAppError } from '../errors/app-error.js';
import { makeTenantRecord, storeBackends } from '../../test/helpers/store-test-kit.js';
import type { Store } from './open-store.js';

const GHOST = 'ghost';
const AT = '2026-11-24T12:00:00.000Z';

/** one write per repository whose rows reference tenants(id), each naming GHOST */
const writes: Record<string, (store: Store) => Promise<unknown>> = {
  'tenant pause': (s) => s.pauses.pause(GHOST, new Date(AT), 'REQUEST_LIMIT_EXCEEDED'),
  'write intent': (s) => s.writeIntents.begin({ tenantId: GHOST, idempotencyKey: 'k1', kind: 'case' }),
  session: (s) =>
    s.sessions.put({
      tenantId: GHOST,
      accessTokenEnvelope: 'sealed',
      instanceUrl: 'https://acme.my.salesforce.com',
      identityUrl: 'https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA',
      issuedAt: AT,
      generation: 1,
    }),
  secret: (s) => s.secrets.put(GHOST, 'private_key', 'sealed'),
  webhook: (s) => s.webhooks.put(GHOST, 'https://hooks.example.com/casebridge'),
  'poll lease': (s) => s.pollLeases.acquire(GHOST, 'ticket-monitor', 'worker-1', 60_000),
  'case stream lease': (s) => s.caseStreamLeases.hold(GHOST, 'worker-1', 60_000),
  'API allocation': (s) =>
    s.apiAllocations.save({
      tenantId: GHOST,
      outcome: 'read',
      dailyMax: 15_000,
      remaining: 14_000,
      readAt: AT,
    }),
  'doctor report': (s) =>
    s.console.saveDoctorReport({ tenantId: GHOST, checkedAt: AT, ok: true, checks: [] }),
  'knowledge run mark': (s) =>
    s.console.markKnowledgeRun(GHOST, { mode: 'full', state: 'running', startedAt: AT, finishedAt: null }),
  job: (s) => s.jobs.create({ id: 'job-1', kind: 'doctor', tenantId: GHOST, requestedAt: new Date(AT) }),
  'case snapshot': (s) =>
    s.caseSnapshots.put({
      tenantId: GHOST,
      caseId: '500000000000001AAA',
      snapshot: { status: 'New' } as never,
      employee: { contactId: null } as never,
    }),
  'monitor stats (idle poll)': (s) =>
    s.monitorStats.record({
      tenantId: GHOST,
      polledAt: AT,
      lagMs: null,
      watched: null,
      notified: 0,
      calls: 1,
      skipped: {},
    }),
  'knowledge sync state': (s) =>
    s.knowledgeSync.save({
      tenantId: GHOST,
      state: 'running',
      full: true,
      startedAt: AT,
      finishedAt: null,
      done: 0,
      total: 0,
      read: 0,
      written: 0,
      removed: 0,
      idScans: 0,
      warningCount: 0,
      warnings: [],
      error: null,
    }),
  'poll pace': (s) =>
    s.pollPaces.save({
      tenantId: GHOST,
      intervalMs: 60_000,
      why: 'idle',
      reason: 'no conversation',
      allowancePerDay: null,
      callsPerDayAtPace: 1_440,
      decidedAt: AT,
    }),
  'employee time zone': (s) => s.employeeZones.put(GHOST, '003000000000001AAA', 'Europe/Paris'),
  'bot identity settings': (s) =>
    s.bot.identity.put({
      tenantId: GHOST,
      issuer: 'https://idp.example.com',
      audience: 'casebridge',
      publicKeyPem: null,
      jwksUrl: 'https://idp.example.com/jwks',
    }),
  'bot token id': (s) => s.bot.tokenIds.remember(GHOST, 'jti-1', new Date(AT)),
  'reply intent': (s) =>
    s.replyIntents.begin({
      tenantId: GHOST,
      idempotencyKey: 'reply-1',
      caseId: '500000000000001AAA',
      author: { id: '003000000000001AAA', name: 'Ada', email: 'ada@acme.example' },
      reference: '7KQ2XW',
      partCount: 1,
      fingerprint: 'f'.repeat(64),
    }),
  'case resolution': (s) =>
    s.resolutions.put(
      {
        tenantId: GHOST,
        caseId: '500000000000001AAA',
        caseNumber: '00001026',
        employee: '003000000000001AAA',
        status: 'ineligible',
        reason: 'no article',
        articles: [],
        confidence: null,
        offeredAt: null,
        offerStamp: null,
        answeredAt: null,
      } as never,
      AT,
    ),
  'bot session': (s) =>
    s.bot.sessions.insert({
      tokenHash: 'h'.repeat(64),
      tenantId: GHOST,
      email: 'ada@acme.example',
      contactId: null,
      name: 'Ada',
      createdAt: AT,
      lastUsedAt: AT,
      expiresAt: AT,
      revokedAt: null,
    }),
  'bot API key': (s) =>
    s.bot.apiKeys.insert({
      id: 'key-1',
      tenantId: GHOST,
      name: 'slack',
      secretHash: 'h'.repeat(64),
      createdAt: AT,
      retiringAt: null,
      revokedAt: null,
      lastUsedAt: null,
    }),
  'chat feed entry': (s) =>
    s.chatFeed.append({
      eventId: 'event-1',
      kind: 'agent-comment',
      tenantId: GHOST,
      caseId: '500000000000001AAA',
      caseNumber: '00001026',
      employeeId: '003000000000001AAA',
      state: 'IN_PROGRESS',
      occurredAt: AT,
    } as never),
  'knowledge article': (s) =>
    s.knowledge.put({
      tenantId: GHOST,
      articleId: 'kA0000000000001AAA',
      language: 'en_US',
      versionId: 'ka0000000000001AAA',
      articleNumber: '000001000',
      versionNumber: 1,
      title: 'Reset your VPN token',
      urlName: 'reset-your-vpn-token',
      bodyHtml: '<p>Open the portal.</p>',
      lastPublishedAt: AT,
    }),
  'conversation turn': (s) =>
    s.conversations.append(
      { tenantId: GHOST, employee: 'ada@acme.example' },
      {} as never,
      { input: null, messages: [], caseNumber: null, idempotencyKey: 'turn-1' },
      AT,
    ),
};

for (const backend of storeBackends()) {
  describe(`writes naming a tenant that does not exist on ${backend.name}`, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
      await store.tenants.insert(makeTenantRecord('acme'));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    for (const [name, write] of Object.entries(writes))
      test(`${name}: TENANT_NOT_FOUND naming the tenant`, async () => {
        await assert.rejects(
          write(store),
          (err) => isAppError(err, 'TENANT_NOT_FOUND') && err.message.includes(`"${GHOST}"`),
        );
      });
  });
}

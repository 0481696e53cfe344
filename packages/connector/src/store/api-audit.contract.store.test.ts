// One contract for ApiAuditRepository on the memory fake, PGlite and PostgreSQL (see contract-subjects.ts): what
// counts as a call, which usage header is the latest, the log in time order per tenant, purging by age.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { ApiAuditEntry, ApiAuditRepository } from '../domain/ports.js';
import { MemoryApiAuditRepository } from '../../test/fakes/memory-api-audit.js';
import { contractSubjects, withSubject } from '../../test/helpers/contract-subjects.js';
import { makeTenantRecord } from '../../test/helpers/store-test-kit.js';

const subjects = contractSubjects<ApiAuditRepository>(
  () => new MemoryApiAuditRepository(),
  (store) => store.audit,
  async (store) => {
    for (const id of ['acme', 'globex']) await store.tenants.insert(makeTenantRecord(id));
  },
);

function entry(tenantId: string, at: string, overrides: Partial<ApiAuditEntry> = {}): ApiAuditEntry {
  return {
    tenantId,
    at,
    method: 'GET',
    path: '/services/data/v62.0/query',
    status: 200,
    errorCode: null,
    durationMs: 12,
    apiUsed: null,
    apiMax: null,
    attempt: 1,
    purpose: 'ticket-monitor',
    ...overrides,
  };
}

for (const subject of subjects) {
  describe(`ApiAuditRepository contract: ${subject.name}`, () => {
    test('calls exclude OAuth requests; the usage is the latest row that reported one, by time', () =>
      withSubject(subject, async (audit) => {
        // recorded out of time order, as two workers' batches can land
        await audit.record(entry('acme', '2026-12-01T10:05:00.000Z', { apiUsed: 120, apiMax: 15000 }));
        await audit.record(entry('acme', '2026-12-01T10:00:00.000Z', { apiUsed: 100, apiMax: 15000 }));
        await audit.record(
          entry('acme', '2026-12-01T10:06:00.000Z', { method: 'POST', path: '/services/oauth2/token' }),
        );
        await audit.record(entry('acme', '2026-12-01T08:00:00.000Z', { apiUsed: 999, apiMax: 15000 }));
        await audit.record(entry('globex', '2026-12-01T10:07:00.000Z', { apiUsed: 5, apiMax: 5000 }));
        assert.deepEqual(await audit.summary('acme', new Date('2026-12-01T09:00:00.000Z')), {
          tenantId: 'acme',
          calls: 2,
          since: '2026-12-01T09:00:00.000Z',
          lastApiUsed: 120,
          lastApiMax: 15000,
        });
        assert.deepEqual(await audit.summary('acme', new Date('2026-12-01T11:00:00.000Z')), {
          tenantId: 'acme',
          calls: 0,
          since: '2026-12-01T11:00:00.000Z',
          lastApiUsed: null,
          lastApiMax: null,
        });
      }));

    test("a tenant's log lists its own rows in time order from `since`, at most `limit`", () =>
      withSubject(subject, async (audit) => {
        await audit.record(entry('acme', '2026-12-01T10:02:00.000Z', { path: '/c' }));
        await audit.record(entry('acme', '2026-12-01T10:00:00.000Z', { path: '/a' }));
        await audit.record(entry('globex', '2026-12-01T10:01:00.000Z', { path: '/other' }));
        await audit.record(entry('acme', '2026-12-01T10:01:00.000Z', { path: '/b' }));
        const paths = async (options: { since?: Date; limit?: number }) =>
          (await audit.list('acme', options)).map((row) => row.path);
        assert.deepEqual(await paths({}), ['/a', '/b', '/c']);
        assert.deepEqual(await paths({ limit: 2 }), ['/a', '/b']);
        assert.deepEqual(await paths({ since: new Date('2026-12-01T10:01:00.000Z') }), ['/b', '/c']);
        const [first] = await audit.list('acme', { limit: 1 });
        assert.deepEqual(first, entry('acme', '2026-12-01T10:00:00.000Z', { path: '/a' }));
      }));

    test('purging removes the rows older than the cutoff and says how many', () =>
      withSubject(subject, async (audit) => {
        await audit.record(entry('acme', '2026-11-01T00:00:00.000Z'));
        await audit.record(entry('globex', '2026-11-02T00:00:00.000Z'));
        await audit.record(entry('acme', '2026-12-01T00:00:00.000Z'));
        assert.equal(await audit.purgeBefore(new Date('2026-11-15T00:00:00.000Z')), 2);
        assert.equal((await audit.list('acme', {})).length, 1);
        assert.equal((await audit.list('globex', {})).length, 0);
      }));
  });
}

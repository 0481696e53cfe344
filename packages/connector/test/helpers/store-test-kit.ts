// Test support for *.store.test.ts: each suite runs on PGlite always, and on PostgreSQL when
// CASEBRIDGE_TEST_DATABASE_URL is set, each PostgreSQL suite in its own schema (dropped afterwards).

import { randomBytes } from 'node:crypto';

import pg from 'pg';

import type { TenantRecord } from '../../src/domain/ports.js';
import { defaultTenantSettings } from '../../src/domain/tenant.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openStore, type OpenStoreOptions, type Store } from '../../src/store/open-store.js';

export interface StoreBackend {
  readonly name: 'pglite' | 'postgres';
  /** the PostgreSQL URL and schema, for tests that open a second pool on the same data */
  readonly postgres: { url: string; schema: string } | null;
  open(options?: Partial<OpenStoreOptions>): Promise<Store>;
  /** drops the suite's schema (PostgreSQL); call once after the suite's stores are closed */
  dispose(): Promise<void>;
}

/** The store suites' clock: the same fixed clock every connector test uses. */
export { FixedClock as TestClock } from '../fakes/fixed-clock.js';
import { FixedClock as TestClock } from '../fakes/fixed-clock.js';

export function testDatabaseUrl(): string | undefined {
  const url = process.env['CASEBRIDGE_TEST_DATABASE_URL'];
  return url === undefined || url === '' ? undefined : url;
}

function postgresBackend(url: string): StoreBackend {
  const schema = `cbtest_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name: 'postgres',
    postgres: { url, schema },
    open: (options = {}) =>
      openStore(
        { dataDir: '/nonexistent', store: { kind: 'postgres', url } },
        { log: silentLogger(), clock: new TestClock(), ...options, schema },
      ),
    async dispose() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

const pgliteBackend: StoreBackend = {
  name: 'pglite',
  postgres: null,
  open: (options = {}) =>
    openStore(
      { dataDir: '/nonexistent', store: { kind: 'pglite' } },
      { log: silentLogger(), clock: new TestClock(), inMemory: true, ...options },
    ),
  dispose: () => Promise.resolve(),
};

/**
 * True in the PostgreSQL tier (scripts/run-tests.mjs sets CASEBRIDGE_TEST_STORE_BACKENDS=postgres): the unit and
 * integration tiers already ran every store suite on PGlite and the memory fakes, so this tier runs only the
 * PostgreSQL subjects instead of running the others a second time.
 */
export function onlyPostgres(): boolean {
  return process.env['CASEBRIDGE_TEST_STORE_BACKENDS'] === 'postgres' && testDatabaseUrl() !== undefined;
}

/** The backends a store suite runs on: PGlite (in memory), plus PostgreSQL when the test URL is set. */
export function storeBackends(): StoreBackend[] {
  const url = testDatabaseUrl();
  if (url === undefined) return [pgliteBackend];
  return onlyPostgres() ? [postgresBackend(url)] : [pgliteBackend, postgresBackend(url)];
}

export function makeTenantRecord(id: string, overrides: Partial<TenantRecord> = {}): TenantRecord {
  return {
    id,
    name: `Tenant ${id}`,
    loginUrl: 'https://login.salesforce.com',
    instanceUrl: null,
    consumerKey: `3MVG9${id}`,
    username: `integration@${id}.example`,
    settings: defaultTenantSettings(),
    activeKey: {
      fingerprint: 'AB:CD',
      certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      notAfter: '2126-01-01T00:00:00.000Z',
      createdAt: '2026-01-01T00:00:00.000Z',
      provenAt: null,
    },
    pendingKey: null,
    createdAt: '2026-11-24T12:00:00.000Z',
    updatedAt: '2026-11-24T12:00:00.000Z',
    ...overrides,
  };
}

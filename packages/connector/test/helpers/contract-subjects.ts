// Contract suites run one set of tests against every implementation of a port: the in-memory fake the service
// tests use, and the real store (PGlite, and PostgreSQL when CASEBRIDGE_TEST_DATABASE_URL is set), so a fake
// never promises less than the store. Each test opens a fresh subject (PostgreSQL: its own schema) and closes it.

import assert from 'node:assert/strict';
import { after } from 'node:test';

import type { Store } from '../../src/store/open-store.js';
import { onlyPostgres, storeBackends } from './store-test-kit.js';

export interface ContractSubject<Port> {
  readonly name: string;
  open(): Promise<{ port: Port; close(): Promise<void> }>;
}

/**
 * `setup` first writes what the port's rows refer to (e.g. the tenants their foreign keys name). With `reset`, each
 * backend's store is opened once per file and every test starts from `reset` then `setup` on it (e.g. `TRUNCATE
 * tenants CASCADE`, which empties every table the port's rows live in) instead of a new database and its migrations.
 */
export function contractSubjects<Port>(
  fake: () => Port,
  fromStore: (store: Store) => Port,
  setup: (store: Store) => Promise<void> = () => Promise.resolve(),
  reset?: (store: Store) => Promise<void>,
): ContractSubject<Port>[] {
  const memory: ContractSubject<Port> = {
    name: 'memory fake',
    open: () => Promise.resolve({ port: fake(), close: () => Promise.resolve() }),
  };
  const kept = new Map<string, { store: Store; dispose(): Promise<void> }>();
  if (reset !== undefined)
    after(async () => {
      for (const held of kept.values()) {
        await held.store.close();
        await held.dispose();
      }
    });
  return [
    // the PostgreSQL tier runs only the PostgreSQL subject: the unit tier ran the fake and PGlite
    ...(onlyPostgres() ? [] : [memory]),
    ...storeBackends().map(({ name }): ContractSubject<Port> => ({
      name,
      async open() {
        const backend = storeBackends().find((candidate) => candidate.name === name);
        assert.ok(backend);
        if (reset !== undefined) {
          let held = kept.get(name);
          if (held === undefined) {
            held = { store: await backend.open(), dispose: () => backend.dispose() };
            kept.set(name, held);
          }
          await reset(held.store);
          await setup(held.store);
          return { port: fromStore(held.store), close: () => Promise.resolve() };
        }
        const store = await backend.open();
        await setup(store);
        return {
          port: fromStore(store),
          async close() {
            await store.close();
            await backend.dispose();
          },
        };
      },
    })),
  ];
}

/** Runs `body` on a freshly opened subject and closes it, whatever happens. */
export async function withSubject<Port>(
  subject: ContractSubject<Port>,
  body: (port: Port) => Promise<void>,
): Promise<void> {
  const opened = await subject.open();
  try {
    await body(opened.port);
  } finally {
    await opened.close();
  }
}

// Contract suites run one set of tests against every implementation of a port: the in-memory fake the service
// tests use, and the real store (PGlite, and PostgreSQL when CASEBRIDGE_TEST_DATABASE_URL is set), so a fake
// never promises less than the store. Each test opens a fresh subject (PostgreSQL: its own schema) and closes it.

import assert from 'node:assert/strict';

import type { Store } from '../../src/store/open-store.js';
import { onlyPostgres, storeBackends } from './store-test-kit.js';

export interface ContractSubject<Port> {
  readonly name: string;
  open(): Promise<{ port: Port; close(): Promise<void> }>;
}

/** `setup` first writes what the port's rows refer to (e.g. the tenants their foreign keys name). */
export function contractSubjects<Port>(
  fake: () => Port,
  fromStore: (store: Store) => Port,
  setup: (store: Store) => Promise<void> = () => Promise.resolve(),
): ContractSubject<Port>[] {
  const memory: ContractSubject<Port> = {
    name: 'memory fake',
    open: () => Promise.resolve({ port: fake(), close: () => Promise.resolve() }),
  };
  return [
    // the PostgreSQL tier runs only the PostgreSQL subject: the unit tier ran the fake and PGlite
    ...(onlyPostgres() ? [] : [memory]),
    ...storeBackends().map(({ name }): ContractSubject<Port> => ({
      name,
      async open() {
        const backend = storeBackends().find((candidate) => candidate.name === name);
        assert.ok(backend);
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
